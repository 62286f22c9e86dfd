"""ci/boot/scan.py: which console lines are bug reports, and of what kind."""

import pytest

from boot_tree import fixture
from ci.boot import scan


@pytest.mark.parametrize('line, kind', [
    ('[   12.345678] BUG: KASAN: slab-out-of-bounds in iopt_unmap_iova+0x40/0x90', 'kasan'),
    ('[    3.1][    T1] BUG: KASAN: use-after-free in vfio_unmap_unpin+0x1/0x2', 'kasan'),
    ('[    5.0] UBSAN: shift-out-of-bounds in drivers/iommu/io-pgtable-arm.c:300:9', 'ubsan'),
    ('[    7.0] WARNING: possible circular locking dependency detected', 'lockdep'),
    ('[    7.0] WARNING: possible recursive locking detected', 'lockdep'),
    ('[    7.0] WARNING: inconsistent lock state', 'lockdep'),
    ('[    7.0] WARNING: suspicious RCU usage', 'lockdep'),
    ('[    7.0] DEBUG_LOCKS_WARN_ON(1)', 'lockdep'),
    ('[    9.0] Kernel panic - not syncing: Fatal exception', 'panic'),
    ('[    9.0] kernel BUG at drivers/vfio/vfio_iommu_type1.c:1200!', 'bug'),
    ('[    9.0] BUG: unable to handle page fault for address: ffffc90000000000', 'bug'),
    ('[    9.0] BUG: sleeping function called from invalid context at mm/gup.c:1', 'bug'),
    ('[    9.0] Oops: general protection fault, probably for non-canonical address', 'bug'),
    ('[    9.0] Unable to handle kernel paging request at virtual address 0', 'bug'),
    ('[    4.0] WARNING: CPU: 1 PID: 77 at drivers/iommu/iommu.c:2500 iommu_map+0x1/0x2', 'warn'),
    # 7.2's format, from a boot with an over-reporting virtio-iommu (test_boot_mutation.py)
    ('[   19.306401] WARNING: ../src/mm/gup.c:143 at try_grab_folio+0x1a3/0x240, '
     'CPU#0: vfio_map_test/63', 'warn'),
    ('[    4.0] WARNING: kernel/locking/mutex.c:90 at mutex_lock+0x1/0x2, CPU#1: sh/5', 'warn'),
    ('[    4.0] DMAR: [DMA Read NO_PASID] Request device [00:03.0] fault addr 0x100000000',
     'iommu-fault'),
    ('[    4.0] DMAR: DRHD: handling fault status reg 2', 'iommu-fault'),
    ('[    4.0] pci 0000:00:03.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0001 '
     'address=0x1000 flags=0x0000]', 'iommu-fault'),
    ('[    4.0] virtio_iommu virtio0: page fault from EP 8 at 0x1000 [R]', None),
    ('[    4.0] virtio_iommu virtio0: viommu fault from EP 8 at 0x1000 [R]', 'iommu-fault'),
    ('[    4.0] arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:', 'iommu-fault'),
    ('[    4.0] arm-smmu 2b400000.iommu: Unhandled context fault: fsr=0x402', 'iommu-fault'),
    ('[    4.0] foo: Translation Fault at 0x1000', 'iommu-fault'),
    ('[   30.0] INFO: task iommufd:90 blocked for more than 120 seconds.', 'hung-task'),
    # look-alikes that are not reports
    ('[    0.1] kasan: KernelAddressSanitizer initialized (generic)', None),
    ('[    0.1] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc.', None),
    ('[    0.1] DEBUG: not a BUG report prefix', None),
    ('[    0.1] Kernel command line: console=ttyS0 panic=-1', None),
    ('[    0.9] DMAR: IOMMU enabled', None),
    ('[    0.9] AMD-Vi: Interrupt remapping enabled', None),
])
def test_classify(line, kind):
    assert scan.classify(line) == kind


def test_scan_finds_each_report_with_its_line_number():
    findings = scan.scan(fixture('console-fail.log'))
    assert [(f.kind, f.line_number) for f in findings] == [('warn', 3), ('kasan', 16)]
    assert findings[1].text.startswith('BUG: KASAN: slab-use-after-free in pt_iommu_deinit')


def test_scan_of_a_clean_boot_is_empty():
    assert scan.scan(fixture('console-pass.log')) == []


def test_strip_prefix_removes_time_stamp_and_caller():
    assert scan.strip_prefix('[   1.500000][  T123] WARNING: x\n') == 'WARNING: x'
    assert scan.strip_prefix('no prefix') == 'no prefix'
