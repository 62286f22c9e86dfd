"""One boot of a benchmark kernel on ci/boot's intel-iommu QEMU machine.

The machine (q35, emulated VT-d, the edu PCI device VFIO binds to) and
its accelerator options are ci/boot's; the kernel parameters and the init
are the benchmark's. The base and the generated kernel boot the same
command line, one after the other, in the same run.

The default accelerator is TCG, as in ci/boot: this machine's KVM is
kvm-pvm, on which a stock kernel hangs in its decompressor. Under TCG the
guest's nanoseconds are emulated-CPU nanoseconds: compare the columns of
one run with each other, not with native figures.
"""
from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ci.boot import qemu as boot_qemu

MACHINE = boot_qemu.MACHINES['intel-iommu']
# One 1G page for the 1G-hugetlb cases, 2M pages for 1 GiB of 2M-hugetlb.
MEMORY = '5G'


@dataclass
class Params:
    sections: tuple[str, ...]   # kmod, vfio, iommufd
    range_mb: int               # traversed by the module
    size_mb: int                # mapped by the end-to-end programs
    reps: int


@dataclass
class Run:
    command: list[str]
    results: str
    console: str
    seconds: float
    timed_out: bool
    exit_code: int | None


def hugepages(size_mb: int) -> str:
    return (f'hugepagesz=1G hugepages=1 hugepagesz=2M '
            f'hugepages={max(1, size_mb // 2)}')


def command(image: Path, initramfs: Path, params: Params, console_log: Path,
            results_log: Path, accel: str = 'tcg') -> list[str]:
    append = ' '.join(filter(None, [
        f'console={MACHINE.console}', 'panic=-1', MACHINE.cmdline,
        hugepages(params.size_mb),
        f'benchsections={",".join(params.sections)}',
        f'benchrange={params.range_mb}', f'benchsize={params.size_mb}',
        f'benchreps={params.reps}']))
    return MACHINE.qemu + boot_qemu.ACCEL[MACHINE.arch, accel] + MACHINE.iommu + [
        '-smp', '2', '-m', MEMORY, '-nographic', '-no-reboot',
        '-kernel', str(image), '-initrd', str(initramfs), '-append', append,
        '-serial', f'file:{console_log}', '-monitor', 'none',
        '-device', 'virtio-serial-pci',
        '-chardev', f'file,id=results,path={results_log}',
        '-device', 'virtconsole,chardev=results',
        '-device', 'edu',
    ]


def boot(image: Path, initramfs: Path, params: Params, out: Path,
         timeout: int, accel: str = 'tcg') -> Run:
    """Boot until the guest powers off or the timeout passes. QEMU is not
    niced: the figures are wall-clock times inside the guest."""
    out.mkdir(parents=True, exist_ok=True)
    console_log, results_log = out / 'console.log', out / 'results.log'
    for log in (console_log, results_log):
        log.unlink(missing_ok=True)
    cmd = command(image, initramfs, params, console_log, results_log, accel)
    (out / 'command').write_text(' '.join(cmd) + '\n')
    started = time.monotonic()
    timed_out = False
    with open(out / 'qemu.log', 'w') as qemu_log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=qemu_log,
                                stderr=subprocess.STDOUT)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            proc.kill()
            proc.wait()
    read = lambda p: p.read_text(errors='replace') if p.exists() else ''
    return Run(cmd, read(results_log), read(console_log),
               round(time.monotonic() - started, 1), timed_out,
               None if timed_out else proc.returncode)
