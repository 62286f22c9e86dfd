"""ci/guest/qemu.py: the QEMU command line of each machine, with the test
guest's kernel parameters (ci/boot/run.py) and the benchmark's."""

import dataclasses
from pathlib import Path

import pytest

from ci.boot import run
from ci.guest import qemu


def cmd(name, accel='tcg'):
    machine = qemu.MACHINES[name]
    return qemu.command(machine, Path('/k/bzImage'), Path('/k/ramfs'),
                        run.kernel_params(machine, 300),
                        Path('/o/console.log'), Path('/o/results.log'), accel)


def append(command):
    return command[command.index('-append') + 1].split()


def first_pci_device(command):
    return min(i for i, a in enumerate(command)
               if a in ('virtio-serial-pci', 'edu'))


def test_intel_iommu_machine_under_kvm_and_tcg():
    c = cmd('intel-iommu', 'kvm')
    assert c[:7] == ['qemu-system-x86_64', '-machine', 'q35',
                     '-accel', 'kvm,kernel-irqchip=split', '-cpu', 'host']
    assert cmd('intel-iommu', 'tcg')[3:7] == ['-accel', 'tcg,thread=multi',
                                              '-cpu', 'max,la57=off']
    c = cmd('intel-iommu')
    iommu = c.index('intel-iommu,intremap=on,caching-mode=on')
    assert iommu < first_pci_device(c)   # QEMU wants the IOMMU before PCI devices
    params = append(c)
    assert 'intel_iommu=on' in params and 'console=ttyS0' in params
    assert 'citests=iommufd,iommufd_fail_nth,iommufd_access_test,vfio,vfio_dma_mapping_test' in params
    assert 'hugepagesz=1G' in params and 'citimeout=300' in params
    assert c[c.index('-serial') + 1] == 'file:/o/console.log'
    assert 'file,id=results,path=/o/results.log' in c


@pytest.mark.parametrize('name, device', [('amd-iommu', 'amd-iommu'),
                                          ('virtio-iommu', 'virtio-iommu-pci')])
def test_x86_machines_without_interrupt_remapping_allow_vfio_anyway(name, device):
    """VFIO and iommufd refuse a group without MSI isolation (-EPERM)
    unless told to allow it; these machines run the VFIO tests too."""
    c = cmd(name)
    assert c.index(device) < first_pci_device(c)
    params = append(c)
    # the kernel's VFIO selftest stalls on virtio-iommu under TCG (qemu.py)
    tests = 'iommufd,iommufd_fail_nth,iommufd_access_test,vfio'
    assert f'citests={tests}' + (',vfio_dma_mapping_test' if name == 'amd-iommu' else '') \
        in params
    assert {'vfio_iommu_type1.allow_unsafe_interrupts=1',
            'iommufd.allow_unsafe_interrupts=1'} <= set(params)
    assert 'allow_unsafe_interrupts' not in ' '.join(append(cmd('intel-iommu')))


def test_arm64_machines():
    smmu = cmd('smmuv3')
    assert smmu[:3] == ['qemu-system-aarch64', '-M', 'virt,iommu=smmuv3']
    assert 'tcg,thread=multi' in smmu and 'console=ttyAMA0' in append(smmu)
    with pytest.raises(KeyError):
        cmd('smmuv3', 'kvm')
    assert 'virtio-iommu-pci' in cmd('virtio-iommu-arm64')
    for name, citests in (
            ('smmuv3', 'iommufd,iommufd_fail_nth,iommufd_access_test,vfio,vfio_dma_mapping_test'),
            ('virtio-iommu-arm64', 'iommufd,iommufd_fail_nth,iommufd_access_test,vfio')):
        params = append(cmd(name))
        assert f'citests={citests}' in params
        assert 'vfio_iommu_type1.allow_unsafe_interrupts=1' in params


def test_default_machines_belong_to_their_arch():
    for arch, names in qemu.DEFAULT_MACHINES.items():
        assert names and all(qemu.MACHINES[n].arch == arch for n in names)


def test_kunit_runs_from_init_and_only_on_the_machines_without_an_iommu():
    assert 'kunit.autorun=0' in append(cmd('intel-iommu'))
    kunit = cmd('kunit')
    assert 'kunit.autorun=0' in append(kunit)
    assert not any('iommu' in a for a in kunit if not a.startswith(('iommu.', 'console')))
    assert 'citests=kunit' in append(kunit)
    assert 'kunit' not in ' '.join(append(cmd('amd-iommu'))).replace('kunit.autorun', '')


def test_the_harness_parameters_follow_the_machine_own_and_memory_is_the_callers():
    machine = qemu.MACHINES['amd-iommu']
    c = qemu.command(machine, Path('/k'), Path('/r'), ['a=1', 'b=2'], Path('/c'), Path('/r.log'),
                     memory='5G')
    assert append(c) == ['console=ttyS0', 'panic=-1'] + machine.cmdline.split() + ['a=1', 'b=2']
    assert c[c.index('-m') + 1] == '5G'
    assert c[c.index('-smp') + 1] == '2'


def test_boot_runs_the_command_niced_and_keeps_it_with_the_logs(tmp_path):
    """A machine whose QEMU is `true`: the boot ends at once with exit 0."""
    machine = dataclasses.replace(qemu.MACHINES['kunit'], qemu=['true'])
    (tmp_path / 'out').mkdir()
    (tmp_path / 'out' / 'console.log').write_text('an earlier boot')
    ran = qemu.boot(machine, Path('/k'), Path('/r'), ['x=1'], tmp_path / 'out', 30)
    assert (ran.exit_code, ran.timed_out, ran.console, ran.results) == (0, False, '', '')
    assert (tmp_path / 'out' / 'command').read_text() == ' '.join(ran.command) + '\n'
    assert ran.command[0] == 'true' and 'x=1' in append(ran.command)
    slow = dataclasses.replace(machine, qemu=['sh', '-c', 'sleep 5', 'sh'])
    assert qemu.boot(slow, Path('/k'), Path('/r'), [], tmp_path / 'slow', 1).timed_out
