"""Build a guest kernel and pack its initramfs: the part every guest shares.

The kernel is built out of tree in a cache directory per arch and per
source tree. The build runs in a private mount namespace (unshare -m)
where the source tree is bind-mounted read-only at a fixed path and its
object directory at another fixed path, so every tree is compiled under
the same paths: ccache (with base_dir set) then serves a patched or
mutated copy of a tree from the objects of the first build, and only the
changed files are really compiled. ci/boot and ci/bench differ only in
their fragments, their object directory and what they build after the
kernel (build_steps' extra steps).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shlex
import signal
import struct
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator import debian

from ci import kconfig
from ci.arches import GUEST_ARCHES, Arch

from . import cpio

HERE = Path(__file__).resolve().parent
# Under the generator's cache ($IOVA_CACHE, $XDG_CACHE_HOME) unless CI_BOOT_CACHE says.
CACHE = Path(os.environ.get('CI_BOOT_CACHE') or debian.cache_dir() / 'boot')
JOBS = os.environ.get('CI_BOOT_JOBS', '2')


def busybox(arch: Arch) -> Path:
    """The guest's static busybox: the host's (busybox-static), or the one
    fetched for another arch into the cache."""
    if not arch.guest.deb_arch:
        return Path('/bin/busybox')
    return CACHE / f'busybox-{arch.name}' / 'bin' / 'busybox'


def sysroot(arch: Arch, package: str) -> Path:
    return CACHE / f'sysroot-{arch.name}' / package


def user_flags(arch: Arch) -> tuple[str, str]:
    """Compiler and linker flags for the arch's user_libs."""
    triplet = arch.cross.rstrip('-')
    libs = arch.guest.user_libs
    return (' '.join(f'-isystem {sysroot(arch, p)}/usr/include' for p in libs),
            ' '.join(f'-L{sysroot(arch, p)}/usr/lib/{triplet}' for p in libs))


class BuildError(Exception):
    pass


@dataclass
class Built:
    tree: Path
    image: Path
    initramfs: Path
    obj: Path
    kernel_seconds: float   # the make of the kernel image alone, wall clock
    kernel_cpu_seconds: float | None   # and its user + system CPU time
    log: Path
    # the kernel's test programs that did not build, with their first error
    unbuilt: dict[str, str] = field(default_factory=dict)


def ensure_guest_packages(arch: Arch) -> None:
    """Fetch the guest's busybox-static and user_libs when they are another
    architecture's (busybox unpacked so that busybox() is its bin/busybox)."""
    deb_arch = arch.guest.deb_arch
    if not deb_arch:
        return
    from generator import errors
    wanted = [(name, sysroot(arch, name)) for name in arch.guest.user_libs]
    if not busybox(arch).exists():
        wanted.append(('busybox-static', busybox(arch).parent.parent))
    for name, dest in wanted:
        try:
            debian.fetch_foreign(name, deb_arch, dest,
                                 log=lambda m: print(f'ci.guest: {name}: {m}', flush=True))
        except (errors.Failure, OSError, subprocess.CalledProcessError) as err:
            raise BuildError(f'cannot fetch {name}:{deb_arch}: {err}') from err


def tree_key(tree: Path) -> str:
    """Object directory name: readable, and unique per source tree path."""
    real = os.path.realpath(tree)
    digest = hashlib.sha1(real.encode()).hexdigest()[:8]
    return re.sub(r'[^A-Za-z0-9._-]', '_', os.path.basename(real)) + '-' + digest


def make(arch: Arch, src: Path, obj: Path, *args: str) -> str:
    cc = f'ccache {arch.cross}gcc'
    return ' '.join(['make', '-C', str(src), f'O={obj}', f'ARCH={arch.kernel_arch}',
             f'CROSS_COMPILE={arch.cross}', shlex.quote(f'CC={cc}')]
            + list(args))


def configure_steps(arch: Arch, src: Path, obj: Path, fragments: list[Path]) -> list[str]:
    """The arch's defconfig targets, then the fragments, then olddefconfig."""
    frags = ' '.join(str(f) for f in fragments)
    return [
        make(arch, src, obj, '-s', *arch.guest.config_targets),
        # merge_config.sh writes temporary files into the current directory
        f'cd {obj} && {src}/scripts/kconfig/merge_config.sh -m -O {obj} '
        f'{obj}/.config {frags} >/dev/null',
        make(arch, src, obj, '-s', 'olddefconfig'),
    ]


def kernel_steps(arch: Arch, src: Path, obj: Path, *targets: str) -> list[str]:
    """make of the kernel targets, timed (kernel_times reads the marks),
    then the uapi headers the guest programs build against."""
    return [
        'echo "kernel build start $(date +%s.%N)"',
        'nice -n 10 ' + make(arch, src, obj, f'-j{JOBS}', *targets),
        'echo "kernel build end $(date +%s.%N)"',
        # user and system CPU time of the make above (its children's line)
        f'times > {obj}/ci-times && echo "kernel build cpu $(tail -n 1 {obj}/ci-times)"',
        make(arch, src, obj, '-s', 'headers_install'),
    ]


def kernel_times(log_text: str) -> tuple[float | None, float | None]:
    """Wall-clock and CPU seconds of the kernel make of kernel_steps."""
    start = re.search(r'kernel build start ([0-9.]+)', log_text)
    end = re.search(r'kernel build end ([0-9.]+)', log_text)
    cpu = re.search(r'kernel build cpu (\d+)m([0-9.]+)s (\d+)m([0-9.]+)s', log_text)
    wall = round(float(end.group(1)) - float(start.group(1)), 1) if start and end else None
    return wall, round(60 * int(cpu.group(1)) + float(cpu.group(2)) +
                       60 * int(cpu.group(3)) + float(cpu.group(4)), 1) if cpu else None


def program_step(arch: Arch, src: Path, obj: Path, source: Path, out: Path) -> str:
    """One of our guest programs, static, against the tree's uapi headers
    and the iommufd selftest uapi (iommufd_test.h)."""
    return (f'{arch.cross}gcc -static -O2 -Wall -Wextra -Werror '
            f'-isystem {obj}/usr/include -I{src}/drivers/iommu/iommufd -o {out} {source}')


def namespace_script(tree: Path, obj_dir: Path, mnt: Path, steps: list[str]) -> str:
    """Mount the tree read-only at mnt/src and its objects at mnt/obj, then
    run the steps (the mounts vanish with the namespace)."""
    return '\n'.join([
        'set -e',
        f'mount --bind {shlex.quote(str(tree))} {mnt}/src',
        f'mount -o remount,bind,ro {mnt}/src',
        f'mount --bind {obj_dir} {mnt}/obj',
    ] + steps) + '\n'


def is_static(path: Path) -> bool:
    """A 64-bit little-endian ELF without a PT_INTERP program header.
    The initramfs has no dynamic loader: a dynamic program there fails
    with a confusing 'not found'."""
    data = path.read_bytes()
    if data[:4] != b'\x7fELF' or data[4] != 2 or data[5] != 1:
        return False
    phoff, = struct.unpack_from('<Q', data, 0x20)
    phentsize, phnum = struct.unpack_from('<HH', data, 0x36)
    for i in range(phnum):
        p_type, = struct.unpack_from('<I', data, phoff + i * phentsize)
        if p_type == 3:  # PT_INTERP
            return False
    return True


def initramfs(busybox: Path, init: Path, payload: list[tuple[str, Path]], out: Path) -> None:
    """busybox (busybox()), guest.sh, the init script and the payload (name
    in the archive, built file) as a newc cpio. Every program must be static."""
    if not busybox.exists():
        raise BuildError(f'no busybox at {busybox} (x86_64: apt-get install busybox-static)')
    for _, path in payload:
        if not path.exists():
            raise BuildError(f'{path} was not built')
    for path in [busybox] + [p for _, p in payload if p.suffix != '.ko']:
        if not is_static(path):
            raise BuildError(f'{path} is not a static 64-bit ELF program')
    dirs = sorted({'bin', 'dev', 'lib', 'proc', 'sys', 'tmp'} |
                  {name.split('/')[0] for name, _ in payload})
    entries = [cpio.directory(d) for d in dirs]
    entries.append(cpio.chardev('dev/console', 5, 1))
    entries.append(cpio.file('bin/busybox', busybox))
    entries.append(cpio.symlink('bin/sh', 'busybox'))
    entries.append(cpio.file('lib/guest.sh', HERE / 'guest.sh', 0o644))
    entries.append(cpio.file('init', init))
    entries += [cpio.file(name, path, 0o644 if path.suffix == '.ko' else 0o755)
                for name, path in payload]
    out.write_bytes(cpio.archive(entries))


def run_group(cmd: list[str], timeout: float | None = None, **popen) -> int | None:
    """Run cmd in a process group of its own and wait; its exit status, or
    None when the timeout passed. On the way out by an exception (a signal
    through generator.interrupt) or the timeout, the whole group is killed:
    killing the shell alone would leave its make or QEMU running, outside
    the lock of the build directory."""
    proc = subprocess.Popen(cmd, start_new_session=True, **popen)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return None
    except BaseException:
        _kill_group(proc)
        raise


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def lock(path: Path):
    """One kernel build at a time on this machine (2 shared cores)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, 'w')
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


class Workspace:
    """The cache paths of one tree for one arch, and running steps there.
    objects names the directory of object directories: each fragment set
    has its own (obj for ci/boot, obj-bench for ci/bench)."""

    def __init__(self, tree: Path, arch_name: str, objects: str = 'obj'):
        self.arch = GUEST_ARCHES[arch_name]
        self.tree = Path(os.path.realpath(tree))
        if not (self.tree / 'Makefile').exists():
            raise BuildError(f'{self.tree} is not a kernel tree')
        self.base = CACHE / self.arch.name
        self.obj_dir = self.base / objects / tree_key(self.tree)
        self.mnt = self.base / 'mnt'
        self.src, self.obj = self.mnt / 'src', self.mnt / 'obj'
        for d in (self.obj_dir, self.src, self.obj):
            d.mkdir(parents=True, exist_ok=True)

    def lock(self, name: str = 'build'):
        return lock(self.base / f'{name}.lock')

    def run(self, steps: list[str], log: Path) -> str:
        """Run the steps in a private mount namespace; the log's text."""
        env = dict(os.environ,
                   CCACHE_DIR=str(CACHE / 'ccache'),
                   CCACHE_BASEDIR=str(self.mnt),
                   CCACHE_NOHASHDIR='1',
                   CCACHE_MAXSIZE=os.environ.get('CI_BOOT_CCACHE_SIZE', '8G'))
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, 'a') as out:
            returncode = run_group(['unshare', '-m', 'sh', '-c',
                                    namespace_script(self.tree, self.obj_dir, self.mnt, steps)],
                                   stdout=out, stderr=subprocess.STDOUT, env=env)
        text = log.read_text(errors='replace')
        if returncode:
            tail = '\n'.join(text.splitlines()[-30:])
            raise BuildError(f'build failed (exit {returncode}), log {log}:\n{tail}')
        return text

    def build(self, steps: list[str], log: Path) -> tuple[str, float, float | None]:
        """Run the build steps (kernel_steps first); the log's text and the
        kernel make's wall-clock and CPU seconds (kernel_times; the whole
        run's wall clock when the marks are missing)."""
        started = time.monotonic()
        text = self.run(steps, log)
        wall, cpu = kernel_times(text)
        return text, wall if wall is not None else round(time.monotonic() - started, 1), cpu

    def configure(self, fragments: list[Path], log: Path) -> None:
        """Make .config and fail if any requested symbol that the tree
        defines did not take."""
        self.run(configure_steps(self.arch, self.src, self.obj, fragments), log)
        wanted, undefined = kconfig.defined_only(kconfig.requested(fragments), self.tree)
        if undefined:
            note = (f'ci.guest: {self.arch.name}: not in this tree\'s Kconfig, '
                    f'not required: {", ".join(undefined)}')
            print(note, flush=True)
            with open(log, 'a') as out:
                out.write(note + '\n')
        errors = kconfig.mismatches(wanted, kconfig.parse((self.obj_dir / '.config').read_text()))
        if errors:
            raise BuildError(f'{self.arch.name}: requested config symbols not in '
                             f'the final .config:\n  ' + '\n  '.join(errors))
