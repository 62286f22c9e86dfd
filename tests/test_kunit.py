"""ci/kunit.py: KTAP parsing, the v7s selftest verdict and the pass/fail decision.

The KTAP cases parse with the kernel's own tools/testing/kunit/kunit_parser.py,
taken from $KUNIT_KERNEL_TREE or from Debian's 7.2 tree as `make series` gets
it; they fail when neither can be had.  The rest needs no kernel.
"""

import pytest

from ci import kunit
from ci.boot import results
from debian_trees import debian_tree  # noqa: E402


def _kernel_tree():
    return debian_tree('7.2', 'KUNIT_KERNEL_TREE', needs='tools/testing/kunit/kunit_parser.py')


@pytest.fixture(scope='module')
def parser():
    return results.load_parser(_kernel_tree())


def ts(lines: str) -> list[str]:
    """Console lines as the kernel prints them, with a timestamp prefix."""
    return [f'[    1.{i:06d}] {line}\n' for i, line in enumerate(lines.strip('\n').split('\n'))]


def suite_ktap(name: str, cases: list[str], number: int) -> str:
    """One suite in KTAP; a case is "name" (ok), "!name" (not ok) or "~name" (skip)."""
    out = ['    KTAP version 1', f'    # Subtest: {name}', f'    1..{len(cases)}']
    for i, case in enumerate(cases, 1):
        if case.startswith('!'):
            out.append(f'    not ok {i} {case[1:]}')
        elif case.startswith('~'):
            out.append(f'    ok {i} {case[1:]} # SKIP not here')
        else:
            out.append(f'    ok {i} {case}')
    failed = any(c.startswith('!') for c in cases)
    out.append(f'{"not ok" if failed else "ok"} {number} {name}')
    return '\n'.join(out)


def run_ktap(suites: dict[str, list[str]]) -> str:
    body = [suite_ktap(name, cases, i) for i, (name, cases) in enumerate(suites.items(), 1)]
    return '\n'.join(['KTAP version 1', f'1..{len(suites)}', *body])


V7S_OK = 'arm-v7s io-pgtable: self test ok'

PARAMETERISED = '''
KTAP version 1
1..1
    KTAP version 1
    # Subtest: amdv1_iommu_test
    1..2
        KTAP version 1
        # Subtest: test_map_simple
        ok 1 amdv1_cfg_0
        ok 2 amdv1_cfg_1
    # test_map_simple: pass:2 fail:0 skip:0 total:2
    ok 1 test_map_simple
    ok 2 test_iova_to_phys_length
# amdv1_iommu_test: pass:2 fail:0 skip:0 total:2
ok 1 amdv1_iommu_test
'''


def test_parse_counts_parameterised_cases(parser):
    status, suites = results.kunit_run(parser, ''.join(ts('boot noise\n' + PARAMETERISED)))
    assert status == 'SUCCESS'
    assert [s.name for s in suites] == ['amdv1_iommu_test']
    suite = suites[0]
    assert (suite.passed, suite.failed, suite.skipped) == (3, 0, 0)
    assert 'test_map_simple.amdv1_cfg_1' in suite.cases
    assert 'test_iova_to_phys_length' in suite.cases


def test_parse_failed_case_fails_its_suite(parser):
    log = run_ktap({'io-pgtable-arm-test': ['arm_lpae_do_selftests'],
                    'x86_64_iommu_test': ['test_map_simple', '!test_iova_to_phys_length']})
    status, suites = results.kunit_run(parser, ''.join(ts(log)))
    assert status == 'FAILURE'
    by_name = {s.name: s for s in suites}
    assert by_name['x86_64_iommu_test'].failed == 1
    assert by_name['io-pgtable-arm-test'].failed == 0
    problems = kunit.decide(status, suites, ('pass', V7S_OK), ['io-pgtable-arm-test'])
    assert any(p.startswith('x86_64_iommu_test:') for p in problems)


def test_parse_truncated_run_is_not_success(parser):
    # The kernel died inside the second case: the plan promised two.
    log = '\n'.join(['KTAP version 1', '1..1', '    KTAP version 1',
                     '    # Subtest: vtdss_iommu_test', '    1..2',
                     '    ok 1 test_map_simple'])
    status, suites = results.kunit_run(parser, ''.join(ts(log)))
    assert status != 'SUCCESS'
    assert kunit.decide(status, suites, ('pass', V7S_OK), [])


def test_parse_without_ktap(parser):
    status, suites = results.kunit_run(parser, ''.join(ts('Linux version 7.2\nreboot: System halted')))
    assert status == 'FAILURE_TO_PARSE_TESTS'
    assert suites == []


def test_v7s_pass_needs_the_ok_line():
    assert kunit.v7s_selftest(''.join(ts(V7S_OK)))[0] == 'pass'
    assert kunit.v7s_selftest(''.join(ts('io scheduler mq-deadline registered')))[0] == 'missing'


@pytest.mark.parametrize('line', [
    'selftest: test failed',
    'WARNING: CPU: 0 PID: 1 at drivers/iommu/io-pgtable-arm-v7s.c:888 arm_v7s_do_selftests',
    'arm-v7s io-pgtable: selftest: failed to allocate io pgtable ops',
])
def test_v7s_failure_lines_win(line):
    verdict, why = kunit.v7s_selftest(''.join(ts(f'{line}\n{V7S_OK}')))
    assert verdict == 'fail'
    assert line in why


def test_v7s_twice_is_suspicious():
    assert kunit.v7s_selftest(''.join(ts(f'{V7S_OK}\n{V7S_OK}')))[0] == 'fail'


def _suite(name: str, passed: int = 3, failed: int = 0, skipped: int = 0,
           cases: tuple[str, ...] = ('test_map_simple',)) -> results.Suite:
    return results.Suite(name, passed, failed, skipped, cases=list(cases))


def test_decide_passes_a_clean_run():
    suites = [_suite('a'), _suite('b', cases=('test_iova_to_phys_length',))]
    assert kunit.decide('SUCCESS', suites, ('pass', V7S_OK), ['a', 'b'],
                        ['b.test_iova_to_phys_length']) == []


def test_decide_wants_every_required_suite_to_run_something():
    suites = [_suite('a'), _suite('b', passed=0, skipped=4)]
    problems = kunit.decide('SUCCESS', suites, ('pass', V7S_OK), ['a', 'b', 'c'])
    assert problems == ['b: required suite passed no test (4 skipped)',
                        'c: required suite did not run']


def test_decide_wants_required_cases():
    problems = kunit.decide('SUCCESS', [_suite('a')], ('pass', V7S_OK), ['a'],
                            ['a.test_iova_to_phys_length'])
    assert problems == ['a.test_iova_to_phys_length: required test case did not run']


def test_decide_fails_on_v7s_and_overall_status():
    problems = kunit.decide('TEST_CRASHED', [_suite('a')], ('missing', 'no line'), ['a'])
    assert problems == ['KTAP result: TEST_CRASHED', 'v7s selftest: missing: no line']


def test_main_parse_only_end_to_end(parser, tmp_path, capsys):
    tree = _kernel_tree()
    suites = {name: ['test_map_simple'] for name in kunit.required(tree)}
    suites['amdv1_iommu_test'].append('test_iova_to_phys_length')
    log = tmp_path / 'console.log'
    log.write_text(''.join(ts(V7S_OK + '\n' + run_ktap(suites))))
    argv = ['--kernel', str(tree), '--build-dir', str(tmp_path / 'build'), '--log', str(log),
            '--parse-only', '--require-case', 'amdv1_iommu_test.test_iova_to_phys_length']
    assert kunit.main(argv) == 0
    out = capsys.readouterr().out
    required = kunit.required(tree)
    assert len(required) == 11 and 'io-pgtable-arm-test' in required
    assert f'{len(required)} suites, {len(required) + 1} passed, 0 failed' in out

    # The same run on a tree without the new case: the negative control.
    suites['amdv1_iommu_test'].remove('test_iova_to_phys_length')
    log.write_text(''.join(ts(V7S_OK + '\n' + run_ktap(suites))))
    assert kunit.main(argv) == 1
    assert 'FAIL: amdv1_iommu_test.test_iova_to_phys_length' in capsys.readouterr().out


def test_build_dir_inside_the_tree_is_refused(tmp_path):
    (tmp_path / 'tools/testing/kunit').mkdir(parents=True)
    with pytest.raises(SystemExit) as refused:
        kunit.main(['--kernel', str(tmp_path), '--build-dir', str(tmp_path / 'build'),
                    '--parse-only'])
    assert refused.value.code == 2   # argparse's usage error, before anything runs


def test_kunit_command_flags(tmp_path):
    cmd = kunit.kunit_command(tmp_path, tmp_path / 'b', jobs=2, timeout=60, ccache=True)
    assert '--arch=x86_64' in cmd and '--raw_output=all' in cmd
    kunitconfigs = [cmd[i + 1] for i, c in enumerate(cmd) if c == '--kunitconfig']
    assert kunitconfigs == [str(tmp_path / 'drivers/iommu/generic_pt'), str(kunit.KUNITCONFIG)]
    assert 'CONFIG_IOMMU_IO_PGTABLE_ARMV7S_SELFTEST=y' in kunit.KUNITCONFIG.read_text()
    # kunit.py passes "-accel kvm" itself; a second accelerator option breaks QEMU
    assert not any('kvm' in c for c in cmd)
    assert '--qemu_args=-cpu max' in cmd
    wrapped = kunit.without_kvm(['qemu', '-accel', 'kvm'])
    assert wrapped[:3] == ['unshare', '--mount', '--']
    assert wrapped[-3:] == ['qemu', '-accel', 'kvm']
    assert '/dev/null /dev/kvm' in wrapped[5]
    assert cmd[cmd.index('--make_options') + 1] == 'CC=ccache gcc'
    plain = kunit.kunit_command(tmp_path, tmp_path / 'b', jobs=2, timeout=60, ccache=False)
    assert not any('ccache' in c for c in plain)
