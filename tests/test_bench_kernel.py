"""ci/bench/kernel.py and kmod/Kbuild: the benchmark kernel's config, its
build steps, the initramfs, the module's detection of the ops a tree has,
and the end-to-end programs compiling against a tree's uapi."""

import stat
import subprocess
from pathlib import Path

import pytest

from ci import kconfig
from ci.bench import kernel
from ci.boot import build as boot_build
from ci.guest import build as guest
from test_guest_build import elf
from test_guest_cpio import read_newc

REPO = Path(__file__).resolve().parent.parent


def test_bench_config_drops_the_bug_finders_and_keeps_the_iommu_pieces():
    wanted = kconfig.requested(kernel.fragments())
    for symbol in ('KASAN', 'KASAN_GENERIC', 'PROVE_LOCKING', 'KUNIT', 'DEBUG_GENERIC_PT',
                   'IOMMU_PT_KUNIT_TEST'):
        assert wanted[f'CONFIG_{symbol}'] == 'n', symbol
    boot = kconfig.requested(boot_build.fragments('x86_64'))
    # everything the boot harness needs that the benchmark did not turn off
    for symbol in ('IOMMUFD_TEST', 'VFIO_IOMMU_TYPE1', 'INTEL_IOMMU', 'IOMMU_PT_AMDV1',
                   'IOMMU_PT_VTDSS', 'IOMMU_PT_X86_64', 'IOMMU_PT_RISCV64',
                   'IOMMU_IO_PGTABLE_LPAE', 'IOMMU_IO_PGTABLE_ARMV7S'):
        symbol = f'CONFIG_{symbol}'
        assert boot[symbol] == 'y' and wanted[symbol] == 'y', symbol
    assert wanted['CONFIG_MODULES'] == 'y'
    assert kernel.fragments()[-1].name == 'bench.config'


def test_steps_merge_bench_config_last_and_build_module_and_programs():
    src, obj = Path('/m/src'), Path('/m/obj')
    assert kernel.fragments()[:-1] == boot_build.fragments('x86_64')
    steps = '\n'.join(kernel.build_steps(src, obj))
    assert 'nice -n 10 make -C /m/src O=/m/obj ARCH=x86' in steps
    assert f'-j{guest.JOBS} bzImage modules' in steps
    assert f'M={obj}/ci-bench/kmod modules' in steps
    for program in kernel.PROGRAMS:
        assert f'-o {obj}/ci-bench/{program} ' in steps
    assert f'-I{src}/drivers/iommu/iommufd' in steps


def test_initramfs_holds_init_module_and_programs(tmp_path):
    tests = tmp_path / 'ci-bench'
    (tests / 'kmod').mkdir(parents=True)
    (tests / 'kmod' / 'iova_bench.ko').write_bytes(b'\x7fELFmodule')
    for name in kernel.PROGRAMS:
        elf(tests, name, False)
    out = tmp_path / 'initramfs.cpio'
    guest.initramfs(elf(tmp_path, 'busybox', False), kernel.HERE / 'init.sh',
                    kernel.payload(tests), out)
    records = {r[0]: r for r in read_newc(out.read_bytes())}
    assert records['init'][4] == (kernel.HERE / 'init.sh').read_bytes()
    assert records['bench/iova_bench.ko'][4] == b'\x7fELFmodule'
    for name in kernel.PROGRAMS:
        assert records[f'bench/{name}'][1] & 0o111, name
    assert stat.S_IFMT(records['dev/console'][1]) == stat.S_IFCHR


def test_initramfs_refuses_a_missing_module(tmp_path):
    with pytest.raises(guest.BuildError, match='iova_bench.ko was not built'):
        guest.initramfs(elf(tmp_path, 'busybox', False), kernel.HERE / 'init.sh',
                        kernel.payload(tmp_path),
                        tmp_path / 'out.cpio')


def kbuild_flags(tmp_path, iommu_h, io_pgtable_h):
    """ccflags-y of kmod/Kbuild against a tree with these two headers."""
    tree = tmp_path / 'tree'
    (tree / 'include/linux').mkdir(parents=True)
    (tree / 'include/linux/iommu.h').write_text(iommu_h)
    (tree / 'include/linux/io-pgtable.h').write_text(io_pgtable_h)
    printer = tmp_path / 'print.mk'
    printer.write_text('print:\n\t@echo $(ccflags-y)\n')
    return subprocess.run(['make', '-s', '-f', str(REPO / 'ci/bench/kmod/Kbuild'),
                           '-f', str(printer), f'srctree={tree}', 'print'],
                          capture_output=True, text=True, check=True).stdout.split()


OLD_PGTABLE = '\tphys_addr_t (*iova_to_phys)(struct io_pgtable_ops *ops,\n'
NEW_PGTABLE = '\tphys_addr_t (*iova_to_phys_length)(struct io_pgtable_ops *ops,\n'
NEW_CORE = 'phys_addr_t iommu_iova_to_phys_length(struct iommu_domain *domain,\n'


@pytest.mark.parametrize('iommu_h, io_pgtable_h, flags', [
    ('', OLD_PGTABLE, ['-DBENCH_PGTABLE_OLD']),                        # base
    (NEW_CORE, OLD_PGTABLE + NEW_PGTABLE,                              # mid-series
     ['-DBENCH_HAVE_LENGTH', '-DBENCH_PGTABLE_OLD', '-DBENCH_PGTABLE_LENGTH']),
    (NEW_CORE, NEW_PGTABLE, ['-DBENCH_HAVE_LENGTH', '-DBENCH_PGTABLE_LENGTH']),  # end
])
def test_kbuild_detects_which_ops_the_tree_has(tmp_path, iommu_h, io_pgtable_h, flags):
    assert kbuild_flags(tmp_path, iommu_h, io_pgtable_h) == flags


def test_end_to_end_programs_compile_against_a_kernel_tree(tmp_path):
    """Against the Debian 7.2 tree's uapi headers (make headers_install)."""
    from generator import debian
    tree = debian.source_tree('7.2', log=lambda *_: None)
    hdr = tmp_path / 'hdr'
    subprocess.run(['make', '-s', '-C', str(tree), f'O={tmp_path / "obj"}', 'ARCH=x86',
                    'headers_install', f'INSTALL_HDR_PATH={hdr}'], check=True,
                   capture_output=True)
    for program in kernel.PROGRAMS:
        subprocess.run(['gcc', '-O2', '-Wall', '-Wextra', '-Werror',
                        '-isystem', str(hdr / 'include'),
                        '-I', str(tree / 'drivers/iommu/iommufd'),
                        '-o', str(tmp_path / program), str(kernel.HERE / f'{program}.c')],
                       check=True)
        usage = subprocess.run([str(tmp_path / program)], capture_output=True, text=True)
        assert usage.returncode == 2 and 'usage:' in usage.stderr
