"""The emulated machines, the QEMU command line and one boot of a guest.

Every guest (ci/boot's test guests, ci/bench's benchmark guests) boots
the same way: the machine's QEMU options and accelerator, 2 vCPUs, the
kernel console to a file, the results port (the first virtio console,
protocol.py) to another file, the edu PCI device for VFIO, and the kernel
parameters of its harness after the machine's own.
"""
from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .build import run_group

# The kernel's iommufd selftests, and ours (iommufd_access_test.c: reading
# a mapping back through batch_from_domain, for trees whose own selftests
# do not build)
USER_TESTS = ['iommufd', 'iommufd_fail_nth', 'iommufd_access_test']
VFIO_TESTS = ['vfio', 'vfio_dma_mapping_test']
# The kernel's VFIO selftest maps a 1G hugetlb page through iommufd, which
# through virtio-iommu under TCG outlasts the kselftest harness' fixed 30 s
# (the guest spins in __viommu_sync_req: RCU stall reports), and the killed
# case's child keeps the group: EBUSY for every later case. Its timeout
# cannot be raised from outside as for iommufd (selftests_timeout_shim.h:
# the VFIO library's files would each define the harness' globals). Our
# vfio_map_test maps 4K, 2M and 1G through type1 there in seconds.
VIRTIO_VFIO_TESTS = ['vfio']
# Without interrupt remapping (amd-iommu here, virtio-iommu always) VFIO
# refuses the group, "No interrupt remapping support" (-EPERM from
# VFIO_SET_IOMMU, vfio_iommu_type1_attach_group; iommufd likewise). The
# guest runs nothing but the tests, so the tests may allow it.
UNSAFE_INTERRUPTS = ('vfio_iommu_type1.allow_unsafe_interrupts=1 '
                     'iommufd.allow_unsafe_interrupts=1')


@dataclass(frozen=True)
class Machine:
    name: str
    arch: str
    qemu: list[str]           # binary and machine options
    iommu: list[str]          # options that add the IOMMU, before any PCI device
    cmdline: str              # kernel parameters for this IOMMU
    tests: list[str]          # user-space tests the guest init runs
    console: str              # kernel console device
    # The built-in KUnit suites run only on the machines without an IOMMU,
    # so that DMA through one cannot disturb them ("assumes kunit is
    # running isolated", kunit_iommu_pt.h; why the generic_pt suites are
    # not built at all: common.config).
    kunit: bool = False


_X86 = ['qemu-system-x86_64', '-machine', 'q35']
_ARM64 = ['qemu-system-aarch64', '-cpu', 'max']

# How each arch runs under each accelerator. KVM needs a split irqchip for
# the intel-iommu interrupt remapping; TCG emulates the irqchip anyway.
ACCEL = {
    ('x86_64', 'kvm'): ['-accel', 'kvm,kernel-irqchip=split', '-cpu', 'host'],
    # No LA57: with 5-level paging a KASAN kernel can take an interrupt
    # while identify_cpu() has cleared the CPU's feature bits, and
    # pgtable_l5_enabled() then turns every direct-map address "wild":
    # "BUG: KASAN: wild-memory-access in do_raw_spin_lock" from
    # handle_edge_irq at 0.05 s, on the base kernel as on the series.
    ('x86_64', 'tcg'): ['-accel', 'tcg,thread=multi', '-cpu', 'max,la57=off'],
    ('arm64', 'tcg'): ['-accel', 'tcg,thread=multi'],
}

MACHINES = {m.name: m for m in [
    Machine('kunit', 'x86_64', _X86, [], '', ['kunit'], 'ttyS0', kunit=True),
    Machine('intel-iommu', 'x86_64', _X86,
        ['-device', 'intel-iommu,intremap=on,caching-mode=on'],
        'intel_iommu=on', USER_TESTS + VFIO_TESTS, 'ttyS0'),
    # QEMU's amd-iommu remaps no interrupts unless asked, and the kernel then
    # panics: "timer doesn't work through Interrupt-remapped IO-APIC". The
    # harness tests DMA remapping, so interrupt remapping stays off.
    Machine('amd-iommu', 'x86_64', _X86, ['-device', 'amd-iommu'],
        'amd_iommu=on intremap=off ' + UNSAFE_INTERRUPTS, USER_TESTS + VFIO_TESTS,
        'ttyS0'),
    # virtio-iommu's VFIO unmaps go through viommu_iova_to_phys_length, a
    # driver template of the series (the other two are generic_pt formats).
    Machine('virtio-iommu', 'x86_64', _X86, ['-device', 'virtio-iommu-pci'],
        UNSAFE_INTERRUPTS, USER_TESTS + VIRTIO_VFIO_TESTS, 'ttyS0'),
    Machine('kunit-arm64', 'arm64', _ARM64[:1] + ['-M', 'virt'] + _ARM64[1:],
        [], '', ['kunit'], 'ttyAMA0', kunit=True),
    # virt's default GICv2 has no ITS, so no MSI isolation either
    Machine('smmuv3', 'arm64', _ARM64[:1] + ['-M', 'virt,iommu=smmuv3'] + _ARM64[1:],
        [], UNSAFE_INTERRUPTS, USER_TESTS + VFIO_TESTS, 'ttyAMA0'),
    Machine('virtio-iommu-arm64', 'arm64', _ARM64[:1] + ['-M', 'virt'] + _ARM64[1:],
        ['-device', 'virtio-iommu-pci'], UNSAFE_INTERRUPTS, USER_TESTS + VIRTIO_VFIO_TESTS,
        'ttyAMA0'),
]}

DEFAULT_MACHINES = {
    'x86_64': ['kunit', 'intel-iommu', 'amd-iommu', 'virtio-iommu'],
    'arm64': ['kunit-arm64', 'smmuv3', 'virtio-iommu-arm64'],
}


@dataclass
class Run:
    command: list[str]
    console: str
    results: str
    seconds: float
    timed_out: bool
    exit_code: int | None


def command(machine: Machine, image: Path, initramfs: Path, params: list[str],
            console_log: Path, results_log: Path, accel: str = 'tcg',
            memory: str = '4G') -> list[str]:
    """The machine with the kernel, the initramfs and the harness' kernel
    parameters (params) after the machine's own."""
    append = ' '.join(filter(None, [f'console={machine.console}', 'panic=-1',
                                    machine.cmdline] + params))
    return machine.qemu + ACCEL[machine.arch, accel] + machine.iommu + [
        '-smp', '2', '-m', memory, '-nographic', '-no-reboot',
        '-kernel', str(image), '-initrd', str(initramfs), '-append', append,
        '-serial', f'file:{console_log}', '-monitor', 'none',
        '-device', 'virtio-serial-pci',
        '-chardev', f'file,id=results,path={results_log}',
        '-device', 'virtconsole,chardev=results',
        # the device the VFIO tests bind to vfio-pci
        '-device', 'edu',
    ]


def boot(machine: Machine, image: Path, initramfs: Path, params: list[str], out: Path,
         timeout: int, accel: str = 'tcg', memory: str = '4G', nice: bool = True) -> Run:
    """Boot until the guest powers off, panics (-no-reboot turns the
    panic=-1 reboot into an exit) or the timeout passes; the logs and the
    command line go to out. nice=False for a guest whose wall-clock
    figures are the point (the benchmark)."""
    out.mkdir(parents=True, exist_ok=True)
    console_log, results_log = out / 'console.log', out / 'results.log'
    for log in (console_log, results_log):
        log.unlink(missing_ok=True)
    cmd = command(machine, image, initramfs, params, console_log, results_log, accel, memory)
    (out / 'command').write_text(' '.join(cmd) + '\n')
    started = time.monotonic()
    with open(out / 'qemu.log', 'w') as qemu_log:
        code = run_group((['nice', '-n', '10'] if nice else []) + cmd, timeout,
                         stdin=subprocess.DEVNULL, stdout=qemu_log, stderr=subprocess.STDOUT)
    read = lambda p: p.read_text(errors='replace') if p.exists() else ''
    return Run(cmd, read(console_log), read(results_log),
               round(time.monotonic() - started, 1), code is None, code)
