"""ci/guest/protocol.py: the results port's sections, read back."""

from boot_tree import fixture
from ci.guest import protocol


def test_sections_split_at_markers():
    found = protocol.sections(fixture('results-sample.log'))
    assert list(found) == ['kunit/io-pgtable-arm-test', 'kunit/amdv1_fmt_test',
                           'iommufd', 'iommufd_access_test', 'vfio', 'iommufd_fail_nth',
                           'dmesg']
    assert (found['iommufd'].rc, found['iommufd'].seconds) == (0, 12.34)
    assert found['iommufd'].lines[0] == 'TAP version 13'
    assert found['iommufd'].lines[-1].startswith('# Totals:')
    # its END never came: the next BEGIN closes nothing
    assert found['iommufd_fail_nth'].rc is None
    assert protocol.finished(fixture('results-sample.log'))
    assert not protocol.finished('@@@ BEGIN iommufd\n')


def test_a_benchmark_section_reads_the_same_way():
    found = protocol.sections('@@@ BEGIN kmod\nline 1\r\nline 2\n'
                              '@@@ END kmod rc=3 seconds=0.5\n@@@ BEGIN vfio\nx\n')
    assert found['kmod'].text == 'line 1\nline 2\n' and found['kmod'].rc == 3
    assert found['vfio'].rc is None and not protocol.finished('@@@ DONE?\n')
