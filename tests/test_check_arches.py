"""ci/check/arches.py: compiler words, fragments and their verification."""

import pytest

from ci.check import arches


def test_compiler_keeps_launchers_and_adds_the_cross_prefix():
    arm64 = arches.ARCHES['arm64']
    x86 = arches.ARCHES['x86_64']
    assert arches.compiler(arm64, {'CC': 'distcc gcc'}) == 'distcc aarch64-linux-gnu-gcc'
    assert arches.compiler(x86, {'CC': 'distcc gcc'}) == 'distcc gcc'
    assert arches.compiler(x86, {'CC': 'ccache aarch64-linux-gnu-gcc'}) == 'ccache gcc'
    assert arches.compiler(arm64, {'CC': 'gcc-12'}) == 'aarch64-linux-gnu-gcc-12'
    assert arches.compiler(arm64, {}).endswith('aarch64-linux-gnu-gcc')


def test_fragment_lines_and_missing_settings():
    want = arches.fragment_lines('# comment\nCONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C="x"\n'
                                 'CONFIG_D=m\n')
    assert want == {'CONFIG_A': 'y', 'CONFIG_B': 'n', 'CONFIG_C': '"x"', 'CONFIG_D': 'm'}
    final = arches.config_values('CONFIG_A=y\nCONFIG_B=y\nCONFIG_C="x"\n# CONFIG_D is not set\n')
    assert arches.missing_settings(want, final) == [
        'CONFIG_B=n requested, .config has CONFIG_B=y',
        'CONFIG_D=m requested, .config has it unset']
    assert arches.missing_settings({'CONFIG_E': 'n'}, {}) == []


@pytest.mark.parametrize('name', list(arches.ARCHES))
def test_every_arch_has_a_fragment_that_asks_for_its_drivers(name):
    arch = arches.ARCHES[name]
    want = {}
    for frag in arch.fragments:
        assert frag.is_file(), frag
        want.update(arches.fragment_lines(frag.read_text()))
    enabled = {k for k, v in want.items() if v in ('y', 'm')}
    expect = {'x86_64': {'CONFIG_AMD_IOMMU', 'CONFIG_INTEL_IOMMU', 'CONFIG_IOMMUFD',
                         'CONFIG_VFIO_IOMMU_TYPE1', 'CONFIG_DRM_PANFROST', 'CONFIG_DRM_PANTHOR'},
              'arm64': {'CONFIG_ARM_SMMU_V3', 'CONFIG_APPLE_DART', 'CONFIG_ARM_SMMU_QCOM_DEBUG'},
              'arm': {'CONFIG_MSM_IOMMU', 'CONFIG_TEGRA_IOMMU_SMMU', 'CONFIG_OMAP_IOMMU',
                      'CONFIG_EXYNOS_IOMMU'},
              'powerpc': {'CONFIG_FSL_PAMU', 'CONFIG_PHYS_64BIT', 'CONFIG_PCI'},
              's390': {'CONFIG_S390_IOMMU'},
              'riscv': {'CONFIG_RISCV_IOMMU'}}[name]
    assert expect <= enabled
    assert want['CONFIG_WERROR'] == 'n'


def test_kconfig_symbols_are_the_tree_own(tmp_path):
    """A fragment symbol that the tree does not define (GENERIC_PT on 6.12)
    is told apart from one it defines: config and menuconfig, any Kconfig*."""
    (tmp_path / 'drivers/iommu').mkdir(parents=True)
    (tmp_path / 'drivers/iommu/Kconfig').write_text(
        'menuconfig IOMMU_SUPPORT\n\tbool "IOMMU"\nif IOMMU_SUPPORT\n'
        'config  AMD_IOMMU\n\tbool\n\tdepends on GENERIC_PT\nendif\n')
    (tmp_path / 'Kconfig.debug').write_text('\tconfig DEBUG_X\n\tbool\n')
    assert arches.kconfig_symbols(tmp_path) == {
        'CONFIG_IOMMU_SUPPORT', 'CONFIG_AMD_IOMMU', 'CONFIG_DEBUG_X'}


def test_optional_symbols_are_marked_with_a_reason():
    text = ('CONFIG_MTK_IOMMU_V1=m\n# optional: CONFIG_MTK_IOMMU_V1 (depends on ARM on 6.12)\n'
            '# CONFIG_FOO is not set\n#optional: CONFIG_BAR\n')
    assert arches.optional_symbols(text) == {'CONFIG_MTK_IOMMU_V1'}
    # every optional symbol of the shipped fragments is also requested there
    for arch in arches.ARCHES.values():
        for frag in arch.fragments:
            text = frag.read_text()
            assert arches.optional_symbols(text) <= set(arches.fragment_lines(text)), frag
