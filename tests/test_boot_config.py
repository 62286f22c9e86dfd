"""ci/boot/config.py: fragment parsing and the final .config check."""

import pytest

from boot_tree import kernel_tree, lts_tree
from ci.boot import config


def test_parse_reads_set_unset_and_ignores_comments():
    text = ('# a comment\nCONFIG_A=y\nCONFIG_B="x y"\n# CONFIG_C is not set\n'
            '\nCONFIG_D=0x10\n#CONFIG_E=y\n')
    assert config.parse(text) == {'A': 'y', 'B': '"x y"', 'C': 'n', 'D': '0x10'}


def test_mismatches_reports_dropped_changed_and_unwanted_symbols():
    wanted = {'KASAN': 'y', 'PROVE_LOCKING': 'y', 'WERROR': 'n', 'IOMMUFD': 'y'}
    final = {'PROVE_LOCKING': 'y', 'WERROR': 'y', 'IOMMUFD': 'm'}
    assert config.mismatches(wanted, final) == [
        'CONFIG_IOMMUFD: requested y, got m',
        'CONFIG_KASAN: requested y, got n',
        'CONFIG_WERROR: requested n, got y',
    ]


def test_mismatches_empty_when_everything_took():
    wanted = {'A': 'y', 'B': 'n'}
    assert config.mismatches(wanted, {'A': 'y'}) == []


@pytest.mark.parametrize('arch', ['x86_64', 'arm64'])
def test_fragment_lines_are_all_understood(arch):
    # A typo such as "CONFIG_X = y" would be silently skipped by parse().
    for path in config.fragments(arch):
        for line in path.read_text().splitlines():
            stripped = line.strip()
            if stripped and not (stripped.startswith('#') and
                                 not stripped.startswith('# CONFIG_')):
                assert config.parse(line), f'{path.name}: {line!r}'


def test_x86_64_requests_what_the_boot_needs():
    wanted = config.requested('x86_64')
    for symbol in ['INTEL_IOMMU', 'AMD_IOMMU', 'VIRTIO_IOMMU', 'IOMMUFD',
                   'IOMMUFD_TEST', 'DEBUG_KERNEL', 'FAULT_INJECTION',
                   'RUNTIME_TESTING_MENU', 'IOMMU_PT_AMDV1', 'VFIO', 'VFIO_PCI',
                   'VFIO_CONTAINER', 'VFIO_IOMMU_TYPE1', 'KUNIT', 'COMPILE_TEST',
                   'IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST', 'IOMMU_IO_PGTABLE_LPAE_SELFTEST',
                   'IOMMU_IO_PGTABLE_ARMV7S_SELFTEST',
                   'DEBUG_FS', 'HUGETLBFS', 'KASAN', 'PROVE_LOCKING',
                   'VIRTIO_CONSOLE']:
        assert wanted.get(symbol) == 'y', symbol
    # the type1 container, not iommufd's emulation of it
    assert wanted['IOMMUFD_VFIO_CONTAINER'] == 'n'
    # generic_pt's suites need a !SMP kernel: kunit.py runs them
    assert wanted['IOMMU_PT_KUNIT_TEST'] == 'n'


def test_arm64_requests_smmuv3_and_no_x86_drivers():
    wanted = config.requested('arm64')
    assert wanted['ARM_SMMU_V3'] == 'y'
    assert 'INTEL_IOMMU' not in wanted and 'AMD_IOMMU' not in wanted


def test_required_leaves_out_what_the_tree_does_not_define(tmp_path, monkeypatch):
    frags = tmp_path / 'frags'
    frags.mkdir()
    (frags / 'common.config').write_text('CONFIG_A=y\nCONFIG_GONE=y\n# CONFIG_B is not set\n')
    (frags / 'arm64.config').write_text('# CONFIG_OLD is not set\nCONFIG_A=n\n')
    monkeypatch.setattr(config, 'FRAGMENT_DIR', frags)
    tree = tmp_path / 'tree'
    (tree / 'drivers').mkdir(parents=True)
    (tree / 'drivers/Kconfig').write_text('config A\n\tbool\nconfig B\n\tbool\n')
    assert config.required('arm64', tree) == ({'A': 'n', 'B': 'n'},
                                              ['CONFIG_GONE', 'CONFIG_OLD'])


def test_every_requested_symbol_exists_in_some_kernel():
    """A symbol no tree defines is silently not required, so a typo in a
    fragment would go unnoticed: each must be defined by the 7.2 or the
    6.12 tree. And each tree lacks one of the LPAE switches, so the
    fragments need both."""
    from ci.check.arches import kconfig_symbols
    seven = kernel_tree()
    lts = lts_tree()
    defined = {tree: kconfig_symbols(tree) for tree in (seven, lts)}
    for arch in ('x86_64', 'arm64'):
        wanted = {f'CONFIG_{s}' for s in config.requested(arch)}
        unknown = sorted(wanted - defined[seven] - defined[lts])
        assert not unknown, f'{arch}: no such Kconfig symbols: {unknown}'
    assert 'CONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST' not in defined[seven]
    assert 'CONFIG_IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST' not in defined[lts]
