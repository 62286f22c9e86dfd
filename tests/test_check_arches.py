"""ci/check/arches.py: compiler words, and each arch's fragments."""

import pytest

from ci import kconfig
from ci.arches import ARCHES
from ci.check import arches


def test_compiler_keeps_launchers_and_adds_the_cross_prefix():
    arm64 = ARCHES['arm64']
    x86 = ARCHES['x86_64']
    assert arches.compiler(arm64, {'CC': 'distcc gcc'}) == 'distcc aarch64-linux-gnu-gcc'
    assert arches.compiler(x86, {'CC': 'distcc gcc'}) == 'distcc gcc'
    assert arches.compiler(x86, {'CC': 'ccache aarch64-linux-gnu-gcc'}) == 'ccache gcc'
    assert arches.compiler(arm64, {'CC': 'gcc-12'}) == 'aarch64-linux-gnu-gcc-12'
    assert arches.compiler(arm64, {}).endswith('aarch64-linux-gnu-gcc')


@pytest.mark.parametrize('name', list(ARCHES))
def test_every_arch_has_a_fragment_that_asks_for_its_drivers(name):
    arch = ARCHES[name]
    want = kconfig.requested(arches.fragments(arch))
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
