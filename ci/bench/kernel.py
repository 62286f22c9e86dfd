"""Build the benchmark kernel of one tree, its module, the end-to-end
programs and the initramfs that runs them.

The build reuses ci/boot's workspace: the tree is mounted read-only at the
same path as every tree ci/boot compiles, in a private mount namespace, so
ccache (shared with ci/boot) compiles only what differs between the base
and the generated tree. The objects live in obj-bench/ next to ci/boot's
obj/, because the configuration differs: ci/boot's fragments plus
bench.config, which drops KASAN, lockdep and the boot-time suites.
"""
from __future__ import annotations

import fcntl
import re
import shlex
import time
from dataclasses import dataclass
from pathlib import Path

from ci.boot import build as boot_build
from ci.boot import config as boot_config
from ci.boot import cpio

HERE = Path(__file__).resolve().parent
ARCH = 'x86_64'
MODULE = 'iova_bench'
PROGRAMS = ('vfio_unmap_bench', 'iommufd_unmap_bench')
KMOD_SOURCES = ('iova_bench.c', 'walk_bench.h', 'Kbuild')


class BuildError(Exception):
    pass


@dataclass
class Built:
    tree: Path
    image: Path
    initramfs: Path
    obj: Path
    kernel_seconds: float            # make bzImage modules, wall clock
    kernel_cpu_seconds: float | None  # and its user + system CPU time
    log: Path


def fragments() -> list[Path]:
    return boot_config.fragments(ARCH) + [HERE / 'bench.config']


def requested() -> dict[str, str]:
    """Every value the fragments ask for; a later fragment wins."""
    wanted: dict[str, str] = {}
    for path in fragments():
        wanted.update(boot_config.parse(path.read_text()))
    return wanted


def make(src: Path, obj: Path, *args: str) -> str:
    return ' '.join(['make', '-C', str(src), f'O={obj}', 'ARCH=x86',
                     shlex.quote('CC=ccache gcc')] + list(args))


def configure_steps(src: Path, obj: Path) -> list[str]:
    frags = ' '.join(str(f) for f in fragments())
    return [
        make(src, obj, '-s', 'x86_64_defconfig', 'kvm_guest.config'),
        f'cd {obj} && {src}/scripts/kconfig/merge_config.sh -m -O {obj} '
        f'{obj}/.config {frags} >/dev/null',
        make(src, obj, '-s', 'olddefconfig'),
    ]


def build_steps(src: Path, obj: Path, jobs: str) -> list[str]:
    """Kernel and Module.symvers, uapi headers, the module, the programs."""
    kmod = obj / 'ci-bench' / 'kmod'
    khdr = f'-isystem {obj}/usr/include'
    sources = ' '.join(str(HERE / 'kmod' / name) for name in KMOD_SOURCES)
    steps = [
        'echo "kernel build start $(date +%s.%N)"',
        'nice -n 10 ' + make(src, obj, f'-j{jobs}', 'bzImage', 'modules'),
        'echo "kernel build end $(date +%s.%N)"',
        f'times > {obj}/ci-bench-times && '
        f'echo "kernel build cpu $(tail -n 1 {obj}/ci-bench-times)"',
        make(src, obj, '-s', 'headers_install'),
        f'rm -rf {obj}/ci-bench && mkdir -p {kmod}',
        f'cp {sources} {kmod}/',
        'nice -n 10 ' + make(src, obj, f'M={kmod}', 'modules'),
    ]
    for program in PROGRAMS:
        steps.append(f'gcc -static -O2 -Wall -Wextra -Werror {khdr} '
                     f'-I {src}/drivers/iommu/iommufd '
                     f'-o {obj}/ci-bench/{program} {HERE / program}.c')
    return steps


class Workspace(boot_build.Workspace):
    """ci/boot's mounts and ccache, with the objects in obj-bench/."""

    def __init__(self, tree: Path):
        super().__init__(tree, ARCH)
        self.obj_dir = self.base / 'obj-bench' / boot_build.tree_key(self.tree)
        self.obj_dir.mkdir(parents=True, exist_ok=True)


def _lock(path: Path):
    """One benchmark build at a time (2 shared cores)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, 'w')
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def init_script() -> Path:
    return HERE / 'init.sh'


def initramfs(tests: Path, out: Path, busybox: Path | None = None) -> None:
    """busybox, the init, the module and the programs, as a newc cpio."""
    busybox = busybox or boot_build.ARCHES[ARCH].busybox
    if not busybox.exists():
        raise BuildError(f'no busybox at {busybox} (apt-get install busybox-static)')
    payload = [(f'bench/{MODULE}.ko', tests / 'kmod' / f'{MODULE}.ko', 0o644)]
    payload += [(f'bench/{name}', tests / name, 0o755) for name in PROGRAMS]
    for _, path, _ in payload:
        if not path.exists():
            raise BuildError(f'{path} was not built')
    entries = [cpio.directory(d) for d in
               ('bin', 'dev', 'proc', 'sys', 'bench', 'tmp')]
    entries.append(cpio.chardev('dev/console', 5, 1))
    entries.append(cpio.file('bin/busybox', busybox))
    entries.append(cpio.symlink('bin/sh', 'busybox'))
    entries.append(cpio.file('init', init_script()))
    entries += [cpio.file(name, path, mode) for name, path, mode in payload]
    out.write_bytes(cpio.archive(entries))


def _cpu_seconds(text: str) -> float | None:
    cpu = re.search(r'kernel build cpu (\d+)m([0-9.]+)s (\d+)m([0-9.]+)s', text)
    if not cpu:
        return None
    return round(60 * int(cpu.group(1)) + float(cpu.group(2)) +
                 60 * int(cpu.group(3)) + float(cpu.group(4)), 1)


def build(tree: Path, log: Path, jobs: str = boot_build.JOBS) -> Built:
    """Configure (and check every requested symbol), build, pack."""
    work = Workspace(tree)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    src, obj = work.mnt / 'src', work.mnt / 'obj'
    try:
        with _lock(work.base / 'bench-build.lock'):
            work.run(configure_steps(src, obj), log)
            # symbols the tree's Kconfig lacks (generic_pt on 6.12) are not required
            wanted, _ = boot_config.defined_only(requested(), tree)
            errors = boot_config.mismatches(
                wanted, boot_config.parse((work.obj_dir / '.config').read_text()))
            if errors:
                raise BuildError('requested config symbols not in the final '
                                 '.config:\n  ' + '\n  '.join(errors))
            started = time.monotonic()
            text = work.run(build_steps(src, obj, jobs), log)
            seconds = time.monotonic() - started
    except boot_build.BuildError as err:
        raise BuildError(str(err)) from None
    start = re.search(r'kernel build start ([0-9.]+)', text)
    end = re.search(r'kernel build end ([0-9.]+)', text)
    kernel_seconds = float(end.group(1)) - float(start.group(1)) \
        if start and end else seconds
    tests = work.obj_dir / 'ci-bench'
    for program in PROGRAMS:
        if not boot_build.is_static(tests / program):
            raise BuildError(f'{tests / program} is not a static 64-bit ELF program')
    ramfs = work.obj_dir / 'ci-bench-initramfs.cpio'
    initramfs(tests, ramfs)
    return Built(work.tree, work.obj_dir / 'arch/x86/boot/bzImage', ramfs,
                 work.obj_dir, round(kernel_seconds, 1), _cpu_seconds(text), log)
