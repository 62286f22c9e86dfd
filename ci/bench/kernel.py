"""The benchmark kernel of one tree, its module and the end-to-end
programs: ci/bench's data on ci/guest's build.

The configuration is ci/boot's fragments plus bench.config, which drops
KASAN, lockdep and the boot-time suites, so the objects live in
obj-bench/ next to ci/boot's obj/; ccache (shared with ci/boot) compiles
only what differs between the base and the generated tree.
"""
from __future__ import annotations

from pathlib import Path

from ci.boot import build as boot_build
from ci.arches import GUEST_ARCHES
from ci.guest import build as guest
from ci.guest.build import Built

HERE = Path(__file__).resolve().parent
ARCH = 'x86_64'
MODULE = 'iova_bench'
PROGRAMS = ('vfio_unmap_bench', 'iommufd_unmap_bench')
KMOD_SOURCES = ('iova_bench.c', 'walk_bench.h', 'Kbuild')


def fragments() -> list[Path]:
    return boot_build.fragments(ARCH) + [HERE / 'bench.config']


def build_steps(src: Path, obj: Path) -> list[str]:
    """Kernel and Module.symvers, uapi headers, the module, the programs."""
    arch = GUEST_ARCHES[ARCH]
    kmod = obj / 'ci-bench' / 'kmod'
    sources = ' '.join(str(HERE / 'kmod' / name) for name in KMOD_SOURCES)
    return guest.kernel_steps(arch, src, obj, arch.guest.image_target, 'modules') + [
        f'rm -rf {obj}/ci-bench && mkdir -p {kmod}',
        f'cp {sources} {kmod}/',
        'nice -n 10 ' + guest.make(arch, src, obj, f'M={kmod}', 'modules'),
    ] + [guest.program_step(arch, src, obj, HERE / f'{program}.c', obj / 'ci-bench' / program)
         for program in PROGRAMS]


def payload(tests: Path) -> list[tuple[str, Path]]:
    """The module and the programs, under /bench in the initramfs."""
    return [(f'bench/{MODULE}.ko', tests / 'kmod' / f'{MODULE}.ko')] + \
        [(f'bench/{name}', tests / name) for name in PROGRAMS]


def build(tree: Path, log: Path) -> Built:
    """Configure (and check every requested symbol), build, pack."""
    work = guest.Workspace(tree, ARCH, 'obj-bench')
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    with work.lock('bench-build'):
        work.configure(fragments(), log)
        _, seconds, cpu = work.build(build_steps(work.src, work.obj), log)
    ramfs = work.obj_dir / 'ci-bench-initramfs.cpio'
    guest.initramfs(guest.busybox(work.arch), HERE / 'init.sh', payload(work.obj_dir / 'ci-bench'),
                    ramfs)
    return Built(work.tree, work.obj_dir / work.arch.guest.image, ramfs, work.obj_dir,
                 seconds, cpu, log)
