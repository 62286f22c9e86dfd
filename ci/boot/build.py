"""Build the test kernel, the test programs and the initramfs.

The kernel is built out of tree in a cache directory per arch and per
source tree. The build runs in a private mount namespace (unshare -m)
where the source tree is bind-mounted read-only at a fixed path and its
object directory at another fixed path, so every tree is compiled under
the same paths: ccache (with base_dir set) then serves a patched or
mutated copy of a tree from the objects of the first build, and only the
changed files are really compiled.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shlex
import struct
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator import debian

from . import config, cpio, suites

HERE = Path(__file__).resolve().parent
# Under the generator's cache ($IOVA_CACHE, $XDG_CACHE_HOME) unless CI_BOOT_CACHE says.
CACHE = Path(os.environ.get('CI_BOOT_CACHE') or debian.cache_dir() / 'boot')
JOBS = os.environ.get('CI_BOOT_JOBS', '2')

# The user-space test programs put in the initramfs under /tests: the
# kernel's iommufd selftests, its VFIO DMA mapping selftest and ours.
# A tree without some of the kernel's programs (6.12 has no VFIO
# selftests) gets the ones it has and ours (programs()).
SELFTESTS = ['iommufd', 'iommufd_fail_nth']
VFIO_SELFTEST = 'vfio_dma_mapping_test'
VFIO_TEST = 'vfio_map_test'
IOMMUFD_ACCESS_TEST = 'iommufd_access_test'
# Ours, built against the tree's own headers; they must build.
OURS = {VFIO_TEST: 'vfio_map_test.c', IOMMUFD_ACCESS_TEST: 'iommufd_access_test.c'}
PROGRAMS = SELFTESTS + [VFIO_SELFTEST] + list(OURS)


# Echoed before each make of test programs, so their errors can be found.
SELFTESTS_MARK = 'ci.boot: test programs: '


def first_error(log_text: str, program: str) -> str:
    """The first compiler or make error of the program's make in the log
    (the kernel's programs are made per selftests directory)."""
    directory = 'vfio' if program == VFIO_SELFTEST else 'iommu'
    inside = False
    for line in log_text.splitlines():
        if line.startswith(SELFTESTS_MARK):
            inside = line == SELFTESTS_MARK + directory
        elif inside and (' error: ' in line or line.startswith('make: ***')):
            return line.strip()
    return 'no error in the build log'


def programs(tree: Path) -> list[str]:
    """The test programs built for the tree: the kernel's it has, and ours."""
    return suites.programs(tree) + list(OURS)


@dataclass(frozen=True)
class Arch:
    name: str
    kernel_arch: str
    config_targets: tuple[str, ...]
    image_target: str
    image: str             # relative to the object directory
    cross_compile: str
    busybox: Path
    # Debian architecture whose busybox-static is fetched into busybox's
    # directory (the host's own comes from apt: generator/deps.py)
    busybox_deb_arch: str = ''
    # Debian -dev packages of that architecture whose static libraries and
    # headers the kernel's test programs link (-lcap, -luuid); the host's
    # own are installed by apt (generator/deps.py)
    user_libs: tuple[str, ...] = ()

    def sysroot(self, package: str) -> Path:
        return CACHE / f'sysroot-{self.name}' / package

    def user_flags(self) -> tuple[str, str]:
        """Compiler and linker flags for user_libs."""
        triplet = self.cross_compile.rstrip('-')
        return (' '.join(f'-isystem {self.sysroot(p)}/usr/include' for p in self.user_libs),
                ' '.join(f'-L{self.sysroot(p)}/usr/lib/{triplet}' for p in self.user_libs))


ARCHES = {
    'x86_64': Arch('x86_64', 'x86', ('x86_64_defconfig', 'kvm_guest.config'),
               'bzImage', 'arch/x86/boot/bzImage', '', Path('/bin/busybox')),
    'arm64': Arch('arm64', 'arm64', ('defconfig',),
              'Image', 'arch/arm64/boot/Image', 'aarch64-linux-gnu-',
              CACHE / 'busybox-arm64' / 'bin' / 'busybox', 'arm64',
              ('libcap-dev', 'uuid-dev')),
}


def ensure_guest_packages(arch: Arch) -> None:
    """Fetch the guest's busybox-static and user_libs when they are another
    architecture's (busybox unpacked so that arch.busybox is its bin/busybox)."""
    if not arch.busybox_deb_arch:
        return
    from generator import errors
    wanted = [(name, arch.sysroot(name)) for name in arch.user_libs]
    if not arch.busybox.exists():
        wanted.append(('busybox-static', arch.busybox.parent.parent))
    for name, dest in wanted:
        try:
            debian.fetch_foreign(name, arch.busybox_deb_arch, dest,
                                 log=lambda m: print(f'ci.boot: {name}: {m}', flush=True))
        except (errors.Failure, OSError, subprocess.CalledProcessError) as err:
            raise BuildError(f'cannot fetch {name}:{arch.busybox_deb_arch}: {err}') from err


class BuildError(Exception):
    pass


@dataclass
class Built:
    image: Path
    initramfs: Path
    obj: Path
    kernel_seconds: float   # the make of the kernel image alone, wall clock
    kernel_cpu_seconds: float | None   # and its user + system CPU time
    log: Path
    # the kernel's test programs that did not build, with their first error
    unbuilt: dict[str, str] = field(default_factory=dict)


def tree_key(tree: Path) -> str:
    """Object directory name: readable, and unique per source tree path."""
    real = os.path.realpath(tree)
    digest = hashlib.sha1(real.encode()).hexdigest()[:8]
    return re.sub(r'[^A-Za-z0-9._-]', '_', os.path.basename(real)) + '-' + digest


def _make(arch: Arch, src: Path, obj: Path, *args: str) -> str:
    cc = f'ccache {arch.cross_compile}gcc'
    return ' '.join(['make', '-C', str(src), f'O={obj}', f'ARCH={arch.kernel_arch}',
             f'CROSS_COMPILE={arch.cross_compile}', shlex.quote(f'CC={cc}')]
            + list(args))


def configure_steps(arch: Arch, src: Path, obj: Path) -> list[str]:
    """defconfig (+ kvm_guest.config), then the fragments, then olddefconfig."""
    frags = ' '.join(str(f) for f in config.fragments(arch.name))
    return [
        _make(arch, src, obj, '-s', *arch.config_targets),
        # merge_config.sh writes temporary files into the current directory
        f'cd {obj} && {src}/scripts/kconfig/merge_config.sh -m -O {obj} '
        f'{obj}/.config {frags} >/dev/null',
        _make(arch, src, obj, '-s', 'olddefconfig'),
    ]


def vfio_selftests_cflags(tree: Path) -> str:
    """Extra flags for tools/testing/selftests/vfio: Debian's 7.2.13 calls
    calloc_assert() without defining it, vfio_selftests_shim.h supplies it
    to trees that lack it."""
    lib = tree / 'tools/testing/selftests/vfio/lib'
    sources = [p.read_text(errors='replace') for p in lib.rglob('*.[ch]')] \
        if lib.exists() else []
    used = any('calloc_assert(' in text for text in sources)
    defined = any(re.search(r'(\*|#define\s+)calloc_assert\b', text) for text in sources)
    return f'-include {HERE}/vfio_selftests_shim.h' if used and not defined else ''


def build_steps(arch: Arch, src: Path, obj: Path, vfio_cflags: str = '',
                wanted: list[str] = PROGRAMS) -> list[str]:
    """Kernel image, uapi headers, the wanted static test programs."""
    tests = obj / 'ci-tests'
    khdr = f'-isystem {obj}/usr/include'
    lib_cflags, lib_ldflags = arch.user_flags()
    steps = [
        'echo "kernel build start $(date +%s.%N)"',
        'nice -n 10 ' + _make(arch, src, obj, f'-j{JOBS}', arch.image_target),
        'echo "kernel build end $(date +%s.%N)"',
        # user and system CPU time of the make above (its children's line)
        f'times > {obj}/ci-times && echo "kernel build cpu $(tail -n 1 {obj}/ci-times)"',
        _make(arch, src, obj, '-s', 'headers_install'),
        f'rm -rf {tests} && mkdir -p {tests}/vfio',
    ]
    # The kernel's programs may fail to build against the tree's own uapi
    # headers (Debian's 6.12.117 ships iommufd selftests that use 6.16
    # uapi): the build goes on, and build() reports each missing program
    # with its first error as a failed suite. Ours must build.
    if set(SELFTESTS) & set(wanted):
        # the shim includes kselftest_harness.h, whose directory 7.2's
        # lib.mk puts on the include path and 6.12's does not. (Not for
        # VFIO: its library's files would each define the harness' globals.)
        shim = f'-I{src}/tools/testing/selftests -include {HERE}/selftests_timeout_shim.h'
        steps += [
            f'echo "{SELFTESTS_MARK}iommu"',
            f'nice -n 10 make -k -C {src}/tools/testing/selftests/iommu OUTPUT={tests} '
            f'ARCH={arch.kernel_arch} CROSS_COMPILE={arch.cross_compile} '
            f'{shlex.quote("KHDR_INCLUDES=" + khdr)} '
            f'{shlex.quote(" ".join(["LDFLAGS=-static", lib_ldflags]).strip())} '
            f'{shlex.quote(" ".join(["USERCFLAGS=" + shim, lib_cflags]).strip())} || true']
    if VFIO_SELFTEST in wanted:
        steps += [
            f'echo "{SELFTESTS_MARK}vfio"',
            f'nice -n 10 make -C {src}/tools/testing/selftests/vfio OUTPUT={tests}/vfio '
            f'ARCH={arch.kernel_arch} CROSS_COMPILE={arch.cross_compile} '
            f'{shlex.quote("KHDR_INCLUDES=" + khdr)} '
            f'{shlex.quote(" ".join(["EXTRA_CFLAGS=" + vfio_cflags, lib_cflags]).strip())} '
            f'{shlex.quote(" ".join(["LDFLAGS=-static -pthread", lib_ldflags]).strip())} '
            f'{tests}/vfio/{VFIO_SELFTEST} || true',
            f'if [ -e {tests}/vfio/{VFIO_SELFTEST} ]; then '
            f'cp {tests}/vfio/{VFIO_SELFTEST} {tests}/; fi']
    steps.append(f'echo "{SELFTESTS_MARK}ours"')
    # iommufd_access_test includes the selftest uapi, iommufd_test.h
    steps += [f'{arch.cross_compile}gcc -static -O2 -Wall -Wextra -Werror {khdr} '
              f'-I{src}/drivers/iommu/iommufd -o {tests}/{name} {HERE}/{source}'
              for name, source in OURS.items() if name in wanted]
    return steps


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


def initramfs(arch: Arch, tests: Path, out: Path, wanted: list[str] = PROGRAMS) -> None:
    """busybox, the init script and the wanted test programs, as a newc cpio."""
    if not arch.busybox.exists():
        raise BuildError(f'no busybox for {arch.name} at {arch.busybox} '
                 '(x86_64: apt-get install busybox-static)')
    entries = [cpio.directory(d) for d in
           ('bin', 'dev', 'proc', 'sys', 'tests', 'tmp')]
    entries.append(cpio.chardev('dev/console', 5, 1))
    entries.append(cpio.file('bin/busybox', arch.busybox))
    entries.append(cpio.symlink('bin/sh', 'busybox'))
    entries.append(cpio.file('init', HERE / 'init.sh'))
    for name in wanted:
        path = tests / name
        if not path.exists():
            raise BuildError(f'test program {path} was not built')
        entries.append(cpio.file(f'tests/{name}', path))
    out.write_bytes(cpio.archive(entries))


def _lock(path: Path):
    """One kernel build at a time on this machine (2 shared cores)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, 'w')
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


class Workspace:
    """The cache paths of one tree for one arch, and running steps there."""

    def __init__(self, tree: Path, arch_name: str):
        self.arch = ARCHES[arch_name]
        self.tree = Path(os.path.realpath(tree))
        if not (self.tree / 'Makefile').exists():
            raise BuildError(f'{self.tree} is not a kernel tree')
        self.base = CACHE / self.arch.name
        self.obj_dir = self.base / 'obj' / tree_key(self.tree)
        self.mnt = self.base / 'mnt'
        for d in (self.obj_dir, self.mnt / 'src', self.mnt / 'obj'):
            d.mkdir(parents=True, exist_ok=True)

    def run(self, steps: list[str], log: Path) -> str:
        """Run the steps in a private mount namespace; the log's text."""
        env = dict(os.environ,
                   CCACHE_DIR=str(CACHE / 'ccache'),
                   CCACHE_BASEDIR=str(self.mnt),
                   CCACHE_NOHASHDIR='1',
                   CCACHE_MAXSIZE=os.environ.get('CI_BOOT_CCACHE_SIZE', '8G'))
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, 'a') as out:
            proc = subprocess.run(
                ['unshare', '-m', 'sh', '-c',
                 namespace_script(self.tree, self.obj_dir, self.mnt, steps)],
                stdout=out, stderr=subprocess.STDOUT, env=env)
        text = log.read_text(errors='replace')
        if proc.returncode:
            tail = '\n'.join(text.splitlines()[-30:])
            raise BuildError(f'build failed (exit {proc.returncode}), log {log}:\n{tail}')
        return text

    def configure(self, log: Path) -> None:
        """Make .config and fail if any requested symbol that the tree
        defines did not take."""
        self.run(configure_steps(self.arch, self.mnt / 'src', self.mnt / 'obj'), log)
        wanted, undefined = config.required(self.arch.name, self.tree)
        if undefined:
            note = (f'ci.boot: {self.arch.name}: not in this tree\'s Kconfig, '
                    f'not required: {", ".join(undefined)}')
            print(note, flush=True)
            with open(log, 'a') as out:
                out.write(note + '\n')
        errors = config.mismatches(wanted,
                                   config.parse((self.obj_dir / '.config').read_text()))
        if errors:
            raise BuildError(f'{self.arch.name}: requested config symbols not in '
                             f'the final .config:\n  ' + '\n  '.join(errors))


def configure(tree: Path, arch_name: str, log: Path) -> Path:
    """Only configure and check; the .config path."""
    work = Workspace(tree, arch_name)
    log.unlink(missing_ok=True)
    with _lock(work.base / 'build.lock'):
        work.configure(log)
    return work.obj_dir / '.config'


def build(tree: Path, arch_name: str, log: Path) -> Built:
    """Configure and check, build kernel, headers and tests, pack the initramfs."""
    work = Workspace(tree, arch_name)
    arch = work.arch
    log.unlink(missing_ok=True)
    ensure_guest_packages(arch)
    with _lock(work.base / 'build.lock'):
        work.configure(log)
        started = time.monotonic()
        wanted = programs(work.tree)
        text = work.run(build_steps(arch, work.mnt / 'src', work.mnt / 'obj',
                                    vfio_selftests_cflags(work.tree), wanted), log)
        seconds = time.monotonic() - started
    start = re.search(r'kernel build start ([0-9.]+)', text)
    end = re.search(r'kernel build end ([0-9.]+)', text)
    kernel_seconds = float(end.group(1)) - float(start.group(1)) \
        if start and end else seconds
    cpu = re.search(r'kernel build cpu (\d+)m([0-9.]+)s (\d+)m([0-9.]+)s', text)
    kernel_cpu = (60 * int(cpu.group(1)) + float(cpu.group(2)) +
                  60 * int(cpu.group(3)) + float(cpu.group(4))) if cpu else None
    tests = work.obj_dir / 'ci-tests'
    unbuilt = {n: first_error(text, n) for n in wanted
               if n not in OURS and not (tests / n).exists()}
    built = [n for n in wanted if n not in unbuilt]
    for program in [arch.busybox] + [tests / n for n in built]:
        if not program.exists() or not is_static(program):
            raise BuildError(f'{program} is not a static 64-bit ELF program')
    ramfs = work.obj_dir / 'ci-initramfs.cpio'
    initramfs(arch, tests, ramfs, built)
    return Built(work.obj_dir / arch.image, ramfs, work.obj_dir, kernel_seconds,
                 kernel_cpu, log, unbuilt)
