"""ci/boot/report.py: verdict, markdown table with the before column, JSON."""

import json

from ci.boot.report import Boot, markdown, passed, regressions, to_json
from ci.boot.results import Suite
from ci.boot.scan import Finding


def passing_boot(tree='/trees/patched'):
    return Boot('x86_64', 'intel-iommu', tree, seconds=95.04, suites=[
        Suite('io-pgtable-arm-test', 1, 0, 0, 2.5),
        Suite('iommufd', 180, 0, 3, 40.25),
    ])


def test_ok_needs_passes_and_no_problem():
    boot = passing_boot()
    assert boot.ok and boot.problems() == []
    boot.suites.append(Suite('vfio', 0, 0, 5, 1.0))
    assert not boot.ok and boot.problems() == ['vfio: nothing passed']


def test_problems_lists_every_reason():
    boot = passing_boot()
    boot.suites[1].failed = 2
    boot.suites[1].errors.append('exit code 1')
    boot.missing.append('vfio')
    boot.errors.append('timed out after 1800 s')
    boot.findings.append(Finding('kasan', 812, 'BUG: KASAN: use-after-free in x'))
    assert boot.problems() == [
        'timed out after 1800 s',
        'required suite missing: vfio',
        'iommufd: 2 failed',
        'iommufd: exit code 1',
        'console line 812: kasan: BUG: KASAN: use-after-free in x',
    ]
    assert not boot.ok


def test_markdown_table_with_before_column():
    boot, base = passing_boot(), passing_boot('/trees/base')
    boot.suites[1].failed = 1
    base.suites.pop()            # the base run has no iommufd row
    boot.missing.append('vfio')
    text = markdown(boot, base)
    lines = text.splitlines()
    assert lines[0] == '## boot x86_64 intel-iommu: FAIL'
    assert '| suite | passed | failed | skipped | time (s) | before: passed | failed | skipped | time (s) |' in lines
    assert '| io-pgtable-arm-test | 1 | 0 | 0 | 2.5 | 1 | 0 | 0 | 2.5 |' in lines
    assert '| iommufd | 180 | 1 | 3 | 40.2 | - | - | - | - |' in lines
    assert '| vfio | - | - | - | - | - | - | - | - |' in lines
    assert 'boot + tests: 95.0 s (before: 95.0 s)' in lines
    assert '- iommufd: 1 failed' in lines


def test_markdown_without_base_has_five_columns_and_says_pass():
    text = markdown(passing_boot())
    assert text.startswith('## boot x86_64 intel-iommu: PASS')
    assert '| iommufd | 180 | 0 | 3 | 40.2 |' in text.splitlines()
    assert 'before' not in text and 'problems: none' in text


def test_failed_cell_carries_the_errors():
    boot = passing_boot()
    boot.suites[1].errors.append('did not finish')
    assert '| iommufd | 180 | 0 (did not finish) | 3 | 40.2 |' in markdown(boot)


def test_json_has_both_runs_and_verdicts():
    boot, base = passing_boot(), passing_boot('/trees/base')
    boot.findings.append(Finding('warn', 3, 'WARNING: CPU: 0 PID: 1 at x'))
    data = json.loads(to_json(boot, base))
    assert data['boot']['ok'] is False and data['base']['ok'] is True
    assert data['boot']['suites'][1] == {'name': 'iommufd', 'passed': 180, 'failed': 0,
                                         'skipped': 3, 'seconds': 40.25, 'errors': [],
                                         'failures': []}
    assert data['regressions'] == ['console line 3: warn: WARNING: CPU: 0 PID: 1 at x']
    assert data['passed'] is False
    assert data['boot']['findings'][0]['kind'] == 'warn'
    assert json.loads(to_json(boot))['base'] is None


def with_failures(tree, names, errors=()):
    boot = passing_boot(tree)
    suite = boot.suites[1]
    suite.failed, suite.failures, suite.errors = len(names), list(names), list(errors)
    return boot


def test_failures_the_base_has_too_are_not_regressions():
    base = with_failures('/base', ['a.x', 'b.y'], ['exit code 1'])
    boot = with_failures('/tree', ['b.y'], ['exit code 1'])
    assert not boot.ok and regressions(boot, base) == [] and passed(boot, base)
    assert 'PASS (no regression against the base' in markdown(boot, base)
    assert not passed(boot, None)      # without a base every failure counts


def test_a_new_failing_case_or_error_is_a_regression():
    base = with_failures('/base', ['a.x'], ['exit code 1'])
    boot = with_failures('/tree', ['a.x', 'c.z'], ['exit code 1'])
    assert regressions(boot, base) == ['iommufd: regressed (c.z)']
    boot = with_failures('/tree', ['a.x'], ['exit code 1', 'did not finish'])
    assert regressions(boot, base) == ['iommufd: regressed']
    assert markdown(boot, base).startswith('## boot x86_64 intel-iommu: FAIL')


def test_boot_level_problems_always_count_against_the_base():
    base = passing_boot('/base')
    boot = passing_boot('/tree')
    boot.missing.append('vfio')
    base.missing.append('vfio')
    assert regressions(boot, base) == ['required suite missing: vfio']
    assert not passed(boot, base)


def test_a_bug_report_the_base_printed_too_is_pre_existing():
    """The same lockdep splat at another address, or a KASAN report at
    another code offset, on the base kernel is not the series' regression;
    a report the base did not print is."""
    boot, base = passing_boot(), passing_boot('/trees/base')
    boot.findings = [
        Finding('lockdep', 266, 'WARNING: possible circular locking dependency detected'),
        Finding('kasan', 158, 'BUG: KASAN: wild-memory-access in do_raw_spin_lock+0x11c/0x270'),
        Finding('warn', 400, 'WARNING: mm/gup.c:143 at try_grab_folio+0x1a3/0x240, CPU#0: t/63')]
    base.findings = [
        Finding('lockdep', 270, 'WARNING: possible circular locking dependency detected'),
        Finding('kasan', 144, 'BUG: KASAN: wild-memory-access in do_raw_spin_lock+0x11d/0x270')]
    assert regressions(boot, base) == [
        'console line 400: warn: WARNING: mm/gup.c:143 at try_grab_folio+0x1a3/0x240, '
        'CPU#0: t/63']
    boot.findings.pop()
    assert regressions(boot, base) == [] and passed(boot, base) and not boot.ok
    # without a base every report fails the boot
    assert not passed(boot, None)
    # another kind of report at the same place is not the same report
    base.findings[0] = Finding('warn', 270, 'WARNING: possible circular locking dependency detected')
    assert len(regressions(boot, base)) == 1
