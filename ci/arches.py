"""The arches: one record each, for every part of ci/ that builds or boots.

ci/check builds every arch on its config target with its fragment
(ci/check/configs/); an arch with a guest is also built and booted under
QEMU by ci/guest (ci/boot on both, ci/bench on x86_64), its kernel on the
guest's defconfig targets. A new arch is one more row here, with a
fragment in ci/check/configs/ and, for a guest, one in ci/boot/ and its
machines in ci/guest/qemu.py.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Guest:
    config_targets: tuple[str, ...]   # the guest kernel's base config
    image_target: str                 # make target of the bootable image
    image: str                        # the image, relative to the object directory
    # Debian architecture whose busybox-static and user_libs are fetched;
    # '' for the host's own (apt: generator/deps.py)
    deb_arch: str = ''
    # -dev packages whose static libraries and headers the kernel's test
    # programs link (-lcap, -luuid), when they are another arch's
    user_libs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Arch:
    name: str               # ci's name, also the build directories'
    kernel_arch: str        # ARCH=
    cross: str              # CROSS_COMPILE=
    check_config: str       # ci/check's config target, the fragment on top
    what: str               # one line for ci/check's report
    guest: Guest | None = None


ARCHES = {a.name: a for a in (
    Arch('x86_64', 'x86', '', 'allmodconfig',
         'allmodconfig + COMPILE_TEST: most drivers, amd, intel, riscv, iommufd, vfio, drm',
         Guest(('x86_64_defconfig', 'kvm_guest.config'), 'bzImage', 'arch/x86/boot/bzImage')),
    Arch('arm64', 'arm64', 'aarch64-linux-gnu-', 'defconfig',
         'defconfig: arm-smmu-v3, arm-smmu + qcom debug, apple-dart',
         Guest(('defconfig',), 'Image', 'arch/arm64/boot/Image', 'arm64',
               ('libcap-dev', 'uuid-dev'))),
    Arch('arm', 'arm', 'arm-linux-gnueabi-', 'multi_v7_defconfig',
         'multi_v7_defconfig: msm, tegra-smmu, omap, exynos; 32-bit size_t'),
    Arch('powerpc', 'powerpc', 'powerpc-linux-gnu-', 'corenet32_smp_defconfig',
         'corenet32_smp_defconfig: fsl_pamu (e500mc, PHYS_64BIT)'),
    Arch('s390', 's390', 's390x-linux-gnu-', 'defconfig', 'defconfig: s390-iommu'),
    Arch('riscv', 'riscv', 'riscv64-linux-gnu-', 'defconfig', 'defconfig: riscv iommu'),
)}
GUEST_ARCHES = {name: a for name, a in ARCHES.items() if a.guest}
