"""ci/bench/guest.py and init.sh: the benchmark boots the intel-iommu
machine with its own parameters, and the init runs what they name."""

import subprocess
from pathlib import Path

from ci.bench import guest, kernel
from ci.guest import qemu


def test_command_is_the_intel_iommu_machine_with_the_bench_parameters(tmp_path):
    params = guest.Params(('kmod', 'vfio', 'iommufd'), 1024, 1024, 7)
    cmd = qemu.command(guest.MACHINE, Path('/k/bzImage'), Path('/k/initrd'),
                       guest.kernel_params(params), tmp_path / 'console.log',
                       tmp_path / 'results.log', memory=guest.MEMORY)
    machine = qemu.MACHINES['intel-iommu']
    assert cmd[:len(machine.qemu)] == machine.qemu
    accel = qemu.ACCEL['x86_64', 'tcg']
    assert cmd[len(machine.qemu):len(machine.qemu) + len(accel)] == accel
    assert 'intel-iommu,intremap=on,caching-mode=on' in cmd
    assert cmd[cmd.index('-device', cmd.index('virtconsole,chardev=results')) + 1] == 'edu'
    append = cmd[cmd.index('-append') + 1].split()
    assert 'intel_iommu=on' in append
    assert 'benchsections=kmod,vfio,iommufd' in append
    assert {'benchrange=1024', 'benchsize=1024', 'benchreps=7'} <= set(append)
    # one 1G page, and 1 GiB of 2M pages for the 2M-hugetlb case
    assert append[append.index('hugepagesz=1G') + 1] == 'hugepages=1'
    assert append[append.index('hugepagesz=2M') + 1] == f'hugepages={1024 // 2}'


def test_init_is_valid_sh_and_handles_every_section():
    script = kernel.HERE / 'init.sh'
    subprocess.run(['sh', '-n', str(script)], check=True)
    text = script.read_text()
    for section in ('kmod)', 'vfio)', 'iommufd)'):
        assert section in text
    assert 'insmod /bench/iova_bench.ko range_mb=' in text
    assert '. /lib/guest.sh' in text and text.rstrip().endswith('guest_done')
