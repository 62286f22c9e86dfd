"""The test guest's kernel and payload: ci/boot's data on ci/guest.

The kernel is ci/guest's build with ci/boot's fragments (common.config
and <arch>.config here); after it come the test programs put in the
initramfs under /tests: the kernel's iommufd selftests, its VFIO DMA
mapping selftest and ours (vfio_map_test.c, iommufd_access_test.c).
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from ci.arches import Arch
from ci.guest import build as guest
from ci.guest.build import Built

from . import suites

HERE = Path(__file__).resolve().parent
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


def fragments(arch: str) -> list[Path]:
    """Fragment files applied, in order, on top of the arch defconfig."""
    return [HERE / 'common.config', HERE / f'{arch}.config']


def build_steps(arch: Arch, src: Path, obj: Path, vfio_cflags: str = '',
                wanted: list[str] = PROGRAMS) -> list[str]:
    """Kernel image, uapi headers, the wanted static test programs."""
    tests = obj / 'ci-tests'
    khdr = f'-isystem {obj}/usr/include'
    lib_cflags, lib_ldflags = guest.user_flags(arch)
    steps = guest.kernel_steps(arch, src, obj, arch.guest.image_target) + [
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
            f'ARCH={arch.kernel_arch} CROSS_COMPILE={arch.cross} '
            f'{shlex.quote("KHDR_INCLUDES=" + khdr)} '
            f'{shlex.quote(" ".join(["LDFLAGS=-static", lib_ldflags]).strip())} '
            f'{shlex.quote(" ".join(["USERCFLAGS=" + shim, lib_cflags]).strip())} || true']
    if VFIO_SELFTEST in wanted:
        steps += [
            f'echo "{SELFTESTS_MARK}vfio"',
            f'nice -n 10 make -C {src}/tools/testing/selftests/vfio OUTPUT={tests}/vfio '
            f'ARCH={arch.kernel_arch} CROSS_COMPILE={arch.cross} '
            f'{shlex.quote("KHDR_INCLUDES=" + khdr)} '
            f'{shlex.quote(" ".join(["EXTRA_CFLAGS=" + vfio_cflags, lib_cflags]).strip())} '
            f'{shlex.quote(" ".join(["LDFLAGS=-static -pthread", lib_ldflags]).strip())} '
            f'{tests}/vfio/{VFIO_SELFTEST} || true',
            f'if [ -e {tests}/vfio/{VFIO_SELFTEST} ]; then '
            f'cp {tests}/vfio/{VFIO_SELFTEST} {tests}/; fi']
    steps.append(f'echo "{SELFTESTS_MARK}ours"')
    steps += [guest.program_step(arch, src, obj, HERE / source, tests / name)
              for name, source in OURS.items() if name in wanted]
    return steps


def configure(tree: Path, arch_name: str, log: Path) -> Path:
    """Only configure and check; the .config path."""
    work = guest.Workspace(tree, arch_name)
    log.unlink(missing_ok=True)
    with work.lock():
        work.configure(fragments(arch_name), log)
    return work.obj_dir / '.config'


def build(tree: Path, arch_name: str, log: Path) -> Built:
    """Configure and check, build kernel, headers and tests, pack the initramfs."""
    work = guest.Workspace(tree, arch_name)
    arch = work.arch
    log.unlink(missing_ok=True)
    guest.ensure_guest_packages(arch)
    with work.lock():
        work.configure(fragments(arch_name), log)
        wanted = programs(work.tree)
        text, seconds, cpu = work.build(build_steps(arch, work.src, work.obj,
                                                    vfio_selftests_cflags(work.tree), wanted), log)
    tests = work.obj_dir / 'ci-tests'
    unbuilt = {n: first_error(text, n) for n in wanted
               if n not in OURS and not (tests / n).exists()}
    ramfs = work.obj_dir / 'ci-initramfs.cpio'
    guest.initramfs(guest.busybox(arch), HERE / 'init.sh',
                    [(f'tests/{n}', tests / n) for n in wanted if n not in unbuilt], ramfs)
    return Built(work.tree, work.obj_dir / arch.guest.image, ramfs, work.obj_dir,
                 seconds, cpu, log, unbuilt)


