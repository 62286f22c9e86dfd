"""ci/boot/results.py: KTAP from the console and kselftest TAP from the
results port, parsed with the kernel's kunit_parser."""

import subprocess
import sys
from pathlib import Path

import pytest

from boot_tree import fixture, kernel_tree, lts_tree
from ci.boot import results
from ci.guest import protocol

V7S_OK = results.V7S_OK


@pytest.fixture(scope='module')
def parser():
    return results.load_parser(kernel_tree())


def by_name(suites):
    return {s.name: s for s in suites}


def test_kunit_suites_of_a_passing_boot(parser):
    suites = by_name(results.kunit_suites(parser, fixture('console-pass.log')))
    assert list(suites) == ['io-pgtable-arm-test', 'amdv1_fmt_test']
    lpae, amdv1 = suites['io-pgtable-arm-test'], suites['amdv1_fmt_test']
    assert (lpae.passed, lpae.failed, lpae.skipped, lpae.errors) == (1, 0, 0, [])
    assert (amdv1.passed, amdv1.failed, amdv1.skipped, amdv1.errors) == (2, 0, 1, [])
    assert lpae.seconds == 2.5      # "# Subtest:" at 2.000101, "ok 1" at 4.500001
    assert amdv1.seconds == 0.5
    assert lpae.ok and amdv1.ok


def test_kunit_failure_and_a_suite_cut_short(parser):
    suites = by_name(results.kunit_suites(parser, fixture('console-fail.log')))
    lpae = suites['io-pgtable-arm-test']
    assert (lpae.passed, lpae.failed) == (0, 1) and not lpae.ok
    assert lpae.failures == ['arm_lpae_do_selftests']
    # vtdss_iommu_test planned 4 cases; the console stops after one.
    vtdss = suites['vtdss_iommu_test']
    assert vtdss.passed == 1 and vtdss.errors and not vtdss.ok


def test_no_ktap_at_all_gives_no_suites(parser):
    assert results.kunit_suites(parser, '[    1.0] Run /init as init process\n') == []


def test_tap_suites(parser):
    found = protocol.sections(fixture('results-sample.log'))
    iommufd = results.tap_suite(parser, found['iommufd'])
    assert (iommufd.passed, iommufd.failed, iommufd.skipped) == (2, 0, 1)
    assert iommufd.seconds == 12.34 and iommufd.ok

    vfio = results.tap_suite(parser, found['vfio'])
    assert (vfio.passed, vfio.failed) == (1, 1)
    assert vfio.failures == ['4K.pieces']
    assert 'exit code 1' in vfio.errors and not vfio.ok

    nth = results.tap_suite(parser, found['iommufd_fail_nth'])
    assert nth.passed == 2 and 'did not finish' in nth.errors
    assert any('crashed' in e for e in nth.errors)   # 2 of the 4 planned are missing


def test_tap_suite_with_no_tap_output(parser):
    section = protocol.Section('vfio', ['Bail out! /dev/vfio/vfio: No such file'], 1, 0.1)
    suite = results.tap_suite(parser, section)
    assert not suite.ok and suite.passed == 0


def test_exit_code_4_is_kselftest_skip_not_an_error(parser):
    section = protocol.Section('x', ['TAP version 13', '1..1', 'ok 1 a # SKIP no device'], 4, 1.0)
    suite = results.tap_suite(parser, section)
    assert suite.errors == [] and suite.skipped == 1
    assert not suite.ok   # but nothing passed, so it does not count as a pass


def test_v7s_selftest_line():
    assert results.v7s_suite(fixture('console-pass.log')).passed == 1
    failed = results.v7s_suite(fixture('console-fail.log'))
    # __FAIL's WARN: its text, and the WARNING line of the same report
    assert (failed.passed, failed.failed) == (0, 2) and not failed.ok
    assert failed.failures[0] == 'selftest: test failed'
    assert results.v7s_suite('[ 1.0] nothing here\n') is None


@pytest.mark.parametrize('line', [
    'selftest: test failed',
    'WARNING: CPU: 0 PID: 1 at drivers/iommu/io-pgtable-arm-v7s.c:888 arm_v7s_do_selftests',
    'arm-v7s io-pgtable: selftest: failed to allocate io pgtable ops',
])
def test_v7s_failure_lines_fail_it_even_with_the_ok_line(line):
    suite = results.v7s_suite(f'[    1.0] {line}\n[    1.1] {V7S_OK}\n')
    assert suite.failures == [line] and not suite.ok


def test_v7s_is_not_lpae_and_twice_is_an_error():
    # 6.12's LPAE boot selftest WARNs this; it is not the v7s one
    assert results.v7s_suite('[ 1.0] selftest: test failed for fmt idx 0\n') is None
    twice = results.v7s_suite(f'[ 1.0] {V7S_OK}\n[ 2.0] {V7S_OK}\n')
    assert twice.errors and not twice.ok


def test_kunit_suites_from_their_debugfs_results(parser):
    found = protocol.sections(fixture('results-sample.log'))
    lpae = results.kunit_section_suite(parser, found['kunit/io-pgtable-arm-test'])
    assert (lpae.name, lpae.passed, lpae.failed, lpae.seconds) == \
        ('io-pgtable-arm-test', 1, 0, 2.5) and lpae.ok
    amdv1 = results.kunit_section_suite(parser, found['kunit/amdv1_fmt_test'])
    assert (amdv1.passed, amdv1.failed, amdv1.failures) == (1, 1, ['test_bitops'])
    empty = results.kunit_section_suite(parser, protocol.Section('kunit/x', [], 0, 0.1))
    assert empty.errors and not empty.ok


# The LPAE boot selftest of trees without its KUnit suite (6.12), as its
# printk lines appear on the console. Written for these tests.
LPAE_PASS = '''\
[    1.500000] arm-lpae io-pgtable: selftest: pgsize_bitmap 0x40201000, IAS 32
[    1.600000] arm-lpae io-pgtable: selftest: pgsize_bitmap 0x40201000, IAS 48
[    1.700000] arm-lpae io-pgtable: selftest: pgsize_bitmap 0x02004000, IAS 32
[    1.800000] arm-lpae io-pgtable: selftest: completed with 3 PASS 0 FAIL
[    1.810000] arm-v7s io-pgtable: self test ok
'''

LPAE_FAIL = '''\
[    1.500000][    T1] arm-lpae io-pgtable: selftest: pgsize_bitmap 0x40201000, IAS 32
[    1.550000][    T1] ------------[ cut here ]------------
[    1.550001][    T1] selftest: test failed for fmt idx 1
[    1.550002][    T1] WARNING: CPU: 0 PID: 1 at drivers/iommu/io-pgtable-arm.c:1340 arm_lpae_run_tests+0x1/0x2
[    1.560000][    T1] arm-lpae io-pgtable: cfg: pgsize_bitmap 0x40201000, ias 32-bit
[    1.600000][    T1] arm-lpae io-pgtable: selftest: pgsize_bitmap 0x02004000, IAS 36
[    1.610000][    T1] arm-lpae io-pgtable: selftest: failed to allocate io pgtable ops
[    1.700000][    T1] arm-lpae io-pgtable: selftest: pgsize_bitmap 0x20010000, IAS 40
[    1.800000][    T1] arm-lpae io-pgtable: selftest: completed with 1 PASS 2 FAIL
'''


def test_lpae_selftest_that_passes():
    suite = results.lpae_selftest_suite(LPAE_PASS)
    assert (suite.name, suite.passed, suite.failed, suite.errors) == \
        (results.LPAE_SUITE, 3, 0, [])
    assert suite.ok


def test_lpae_selftest_failures_are_named_after_their_configuration():
    suite = results.lpae_selftest_suite(LPAE_FAIL)
    assert (suite.passed, suite.failed, suite.errors) == (1, 2, [])
    assert suite.failures == [
        'pgsize_bitmap 0x40201000, IAS 32: test failed for fmt idx 1',
        'pgsize_bitmap 0x02004000, IAS 36: failed to allocate io pgtable ops']
    assert not suite.ok


def test_lpae_selftest_absent_cut_short_repeated_or_miscounted():
    assert results.lpae_selftest_suite('[ 1.0] arm-v7s io-pgtable: self test ok\n') is None
    # the v7s selftest's WARN text is not the LPAE one
    assert results.lpae_selftest_suite('selftest: test failed for line 42\n') is None
    lines = LPAE_PASS.splitlines(keepends=True)
    cut = results.lpae_selftest_suite(''.join(lines[:2]))
    assert cut.errors == ['no summary line after 2 configurations'] and not cut.ok
    cut = results.lpae_selftest_suite(LPAE_FAIL.split('[    1.600000]')[0])
    assert (cut.passed, cut.failed) == (0, 1) and cut.errors
    twice = results.lpae_selftest_suite(LPAE_PASS + lines[3])
    assert twice.errors == ['2 summary lines'] and not twice.ok
    short = results.lpae_selftest_suite(''.join(lines[1:]))
    assert short.errors == ['summary says 3 PASS 0 FAIL, the log shows 2 configurations, '
                            '0 failed'] and not short.ok
    hidden = results.lpae_selftest_suite(LPAE_FAIL.replace('1 PASS 2 FAIL', '2 PASS 1 FAIL'))
    assert hidden.errors and not hidden.ok


def test_lpae_kunit_suite_diagnostics_are_not_the_boot_selftest():
    # 7.2's KUnit suite prints its configurations as KTAP diagnostics
    assert results.lpae_selftest_suite(fixture('console-pass.log')) is None


def test_a_6_12_parser_takes_the_lines_alone_and_stays_quiet():
    """6.12's kunit_parser.parse_run_tests has no Printer argument and prints
    through its module's printer (one process loads one tree's parser, so
    this runs in its own)."""
    lts = lts_tree()
    code = '''
import sys
from pathlib import Path
from ci.boot import results
from ci.guest import protocol
parser = results.load_parser(Path(sys.argv[1]))
assert not hasattr(parser, 'Printer')
section = protocol.sections(sys.argv[2])['iommufd_access_test']
suite = results.tap_suite(parser, section)
print(suite.name, suite.passed, suite.failed, suite.failures)
'''
    log = ('@@@ BEGIN iommufd_access_test\nTAP version 13\n1..2\nok 1 4K.read-all\n'
           'not ok 2 4K.pin # ACCESS_PAGES: Invalid exchange\n'
           '@@@ END iommufd_access_test rc=1 seconds=1.0\n')
    repo = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, '-c', code, str(lts), log], cwd=repo,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["iommufd_access_test 1 1 ['4K.pin']"]
