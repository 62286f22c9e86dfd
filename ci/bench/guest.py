"""One boot of a benchmark kernel: ci/boot's intel-iommu machine (q35,
emulated VT-d, the edu PCI device VFIO binds to) with the benchmark's
kernel parameters and memory, through ci/guest's QEMU harness. The base
and the generated kernel boot the same command line, one after the
other, in the same run.

The default accelerator is TCG, as in ci/boot: this machine's KVM is
kvm-pvm, on which a stock kernel hangs in its decompressor. Under TCG the
guest's nanoseconds are emulated-CPU nanoseconds: compare the columns of
one run with each other, not with native figures. QEMU is not niced: the
figures are wall-clock times inside the guest.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ci.guest import qemu

MACHINE = qemu.MACHINES['intel-iommu']
# One 1G page for the 1G-hugetlb cases, 2M pages for 1 GiB of 2M-hugetlb.
MEMORY = '5G'


@dataclass
class Params:
    sections: tuple[str, ...]   # kmod, vfio, iommufd
    range_mb: int               # traversed by the module
    size_mb: int                # mapped by the end-to-end programs
    reps: int


def kernel_params(params: Params) -> list[str]:
    """Huge pages for the hugetlb cases and what init.sh is to run."""
    return [f'hugepagesz=1G hugepages=1 hugepagesz=2M hugepages={max(1, params.size_mb // 2)}',
            f'benchsections={",".join(params.sections)}',
            f'benchrange={params.range_mb}', f'benchsize={params.size_mb}',
            f'benchreps={params.reps}']


def boot(image: Path, initramfs: Path, params: Params, out: Path,
         timeout: int, accel: str = 'tcg') -> qemu.Run:
    return qemu.boot(MACHINE, image, initramfs, kernel_params(params), out, timeout,
                     accel, memory=MEMORY, nice=False)
