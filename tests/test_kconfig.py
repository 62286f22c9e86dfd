"""ci/kconfig.py: fragment parsing and the final .config check, and the
fragments of ci/check, ci/boot and ci/bench read by it."""

import pytest

from boot_tree import kernel_tree, lts_tree
from ci import kconfig
from ci.bench import kernel as bench_kernel
from ci.boot import build as boot_build
from ci.arches import ARCHES
from ci.check import arches


def test_parse_reads_set_unset_and_ignores_comments():
    text = ('# a comment\nCONFIG_A=y\nCONFIG_B="x y"\n# CONFIG_C is not set\n'
            '\nCONFIG_D=0x10\n#CONFIG_E=y\nCONFIG_A=m\n')
    assert kconfig.parse(text) == {'CONFIG_A': 'm', 'CONFIG_B': '"x y"', 'CONFIG_C': 'n',
                                   'CONFIG_D': '0x10'}


def test_mismatches_reports_dropped_changed_and_unwanted_symbols():
    wanted = {'CONFIG_KASAN': 'y', 'CONFIG_PROVE_LOCKING': 'y', 'CONFIG_WERROR': 'n',
              'CONFIG_IOMMUFD': 'y', 'CONFIG_E': 'n'}
    final = {'CONFIG_PROVE_LOCKING': 'y', 'CONFIG_WERROR': 'y', 'CONFIG_IOMMUFD': 'm'}
    assert kconfig.mismatches(wanted, final) == [
        'CONFIG_IOMMUFD=y requested, .config has CONFIG_IOMMUFD=m',
        'CONFIG_KASAN=y requested, .config has it unset',
        'CONFIG_WERROR=n requested, .config has CONFIG_WERROR=y',
    ]
    assert kconfig.mismatches({'CONFIG_A': 'y', 'CONFIG_B': 'n'}, {'CONFIG_A': 'y'}) == []


def test_symbols_are_the_tree_own(tmp_path):
    """config and menuconfig, in any Kconfig* file."""
    (tmp_path / 'drivers/iommu').mkdir(parents=True)
    (tmp_path / 'drivers/iommu/Kconfig').write_text(
        'menuconfig IOMMU_SUPPORT\n\tbool "IOMMU"\nif IOMMU_SUPPORT\n'
        'config  AMD_IOMMU\n\tbool\n\tdepends on GENERIC_PT\nendif\n')
    (tmp_path / 'Kconfig.debug').write_text('\tconfig DEBUG_X\n\tbool\n')
    assert kconfig.symbols(tmp_path) == {
        'CONFIG_IOMMU_SUPPORT', 'CONFIG_AMD_IOMMU', 'CONFIG_DEBUG_X'}


def test_defined_only_leaves_out_what_the_tree_does_not_define(tmp_path):
    (tmp_path / 'common.config').write_text('CONFIG_A=y\nCONFIG_GONE=y\n# CONFIG_B is not set\n')
    (tmp_path / 'arm64.config').write_text('# CONFIG_OLD is not set\nCONFIG_A=n\n')
    tree = tmp_path / 'tree'
    (tree / 'drivers').mkdir(parents=True)
    (tree / 'drivers/Kconfig').write_text('config A\n\tbool\nconfig B\n\tbool\n')
    wanted = kconfig.requested([tmp_path / 'common.config', tmp_path / 'arm64.config'])
    expect = ({'CONFIG_A': 'n', 'CONFIG_B': 'n'}, ['CONFIG_GONE', 'CONFIG_OLD'])
    assert kconfig.defined_only(wanted, tree) == expect
    assert kconfig.defined_only(wanted, {'CONFIG_A', 'CONFIG_B'}) == expect


def test_optional_symbols_are_marked_with_a_reason():
    text = ('CONFIG_MTK_IOMMU_V1=m\n# optional: CONFIG_MTK_IOMMU_V1 (depends on ARM on 6.12)\n'
            '# CONFIG_FOO is not set\n#optional: CONFIG_BAR\n')
    assert kconfig.optional(text) == {'CONFIG_MTK_IOMMU_V1'}


def every_fragment():
    frags = {f for a in ARCHES.values() for f in arches.fragments(a)}
    frags |= {f for a in ('x86_64', 'arm64') for f in boot_build.fragments(a)}
    return sorted(frags | set(bench_kernel.fragments()))


@pytest.mark.parametrize('path', every_fragment(), ids=lambda p: f'{p.parent.name}/{p.name}')
def test_every_fragment_line_is_understood(path):
    """A typo such as "CONFIG_X = y" would be silently skipped by parse();
    an optional symbol must also be requested."""
    text = path.read_text()
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not (stripped.startswith('#') and not stripped.startswith('# CONFIG_')):
            assert kconfig.parse(line), f'{path.name}: {line!r}'
    assert kconfig.optional(text) <= set(kconfig.parse(text))


def test_x86_64_boot_requests_what_the_boot_needs():
    wanted = kconfig.requested(boot_build.fragments('x86_64'))
    for symbol in ['INTEL_IOMMU', 'AMD_IOMMU', 'VIRTIO_IOMMU', 'IOMMUFD',
                   'IOMMUFD_TEST', 'DEBUG_KERNEL', 'FAULT_INJECTION',
                   'RUNTIME_TESTING_MENU', 'IOMMU_PT_AMDV1', 'VFIO', 'VFIO_PCI',
                   'VFIO_CONTAINER', 'VFIO_IOMMU_TYPE1', 'KUNIT', 'COMPILE_TEST',
                   'IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST', 'IOMMU_IO_PGTABLE_LPAE_SELFTEST',
                   'IOMMU_IO_PGTABLE_ARMV7S_SELFTEST',
                   'DEBUG_FS', 'HUGETLBFS', 'KASAN', 'PROVE_LOCKING',
                   'VIRTIO_CONSOLE']:
        assert wanted.get(f'CONFIG_{symbol}') == 'y', symbol
    # the type1 container, not iommufd's emulation of it
    assert wanted['CONFIG_IOMMUFD_VFIO_CONTAINER'] == 'n'
    # generic_pt's suites need a !SMP kernel: kunit.py runs them
    assert wanted['CONFIG_IOMMU_PT_KUNIT_TEST'] == 'n'


def test_arm64_boot_requests_smmuv3_and_no_x86_drivers():
    wanted = kconfig.requested(boot_build.fragments('arm64'))
    assert wanted['CONFIG_ARM_SMMU_V3'] == 'y'
    assert 'CONFIG_INTEL_IOMMU' not in wanted and 'CONFIG_AMD_IOMMU' not in wanted


def test_every_requested_symbol_exists_in_some_kernel():
    """A symbol no tree defines is silently not required, so a typo in a
    fragment would go unnoticed: each must be defined by the 7.2 or the
    6.12 tree. And each tree lacks one of the LPAE switches, so the
    fragments need both."""
    seven = kernel_tree()
    lts = lts_tree()
    defined = {tree: kconfig.symbols(tree) for tree in (seven, lts)}
    for arch in ('x86_64', 'arm64'):
        wanted = set(kconfig.requested(boot_build.fragments(arch)))
        unknown = sorted(wanted - defined[seven] - defined[lts])
        assert not unknown, f'{arch}: no such Kconfig symbols: {unknown}'
    assert 'CONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST' not in defined[seven]
    assert 'CONFIG_IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST' not in defined[lts]
