"""ci/boot/run.py: judging one boot, finding the base tree, the exit code."""

import argparse
import dataclasses
import subprocess

import pytest

from boot_tree import fixture, kernel_tree
from ci.boot import build, results, run, suites
from ci.guest import qemu
from test_boot_results import LPAE_FAIL, LPAE_PASS

# What a 7.2-like tree has (KUnit, generic_pt, the VFIO selftests), and a
# 6.12-like one (boot selftests only, no VFIO selftests).
SEVEN = suites.Expected(['io-pgtable-arm-test', 'amdv1_fmt_test', 'vtdss_fmt_test',
                         'amdv1_mock_iommu_test'], [results.V7S_SUITE],
                        ['iommufd', 'iommufd_fail_nth', 'vfio_dma_mapping_test'])
LTS = suites.Expected([], [results.LPAE_SUITE, results.V7S_SUITE],
                      ['iommufd', 'iommufd_fail_nth'])


@pytest.fixture(scope='module')
def parser():
    return results.load_parser(kernel_tree())


def fake_run(console, results_log, timed_out=False, exit_code=0):
    return qemu.Run(['qemu'], console, results_log, 100.0, timed_out, exit_code)


def test_evaluate_collects_suites_missing_and_findings(parser):
    machine = qemu.MACHINES['intel-iommu']
    boot = run.evaluate(machine, '/tree', fake_run(fixture('console-pass.log'),
                                                   fixture('results-sample.log')),
                        parser, SEVEN)
    names = [s.name for s in boot.suites]
    assert names == ['io-pgtable-arm-test', 'amdv1_fmt_test', 'io-pgtable-arm-v7s-selftest',
                     'iommufd', 'iommufd_fail_nth', 'iommufd_access_test', 'vfio']
    # KUnit is not required on an IOMMU machine, its own tests are
    assert boot.missing == ['vfio_dma_mapping_test']
    assert boot.findings == [] and boot.errors == []
    assert not boot.ok


def test_evaluate_on_the_kunit_machine_requires_every_suite(parser):
    boot = run.evaluate(qemu.MACHINES['kunit'], '/tree',
                        fake_run(fixture('console-pass.log'),
                                 fixture('results-sample.log')), parser, SEVEN)
    # the sample console has only two of the KUnit suites
    assert 'vtdss_fmt_test' in boot.missing and 'amdv1_mock_iommu_test' in boot.missing
    assert 'io-pgtable-arm-test' not in boot.missing
    assert results_names(boot) == ['io-pgtable-arm-test', 'amdv1_fmt_test',
                                   'io-pgtable-arm-v7s-selftest']


def results_names(boot):
    return [s.name for s in boot.suites]


def test_evaluate_reports_a_timeout_and_an_unfinished_init(parser):
    boot = run.evaluate(qemu.MACHINES['amd-iommu'], '/tree',
                        fake_run(fixture('console-fail.log'), '', timed_out=True),
                        parser, SEVEN)
    assert boot.errors == ['timed out after 100 s', 'guest init did not finish (no "@@@ DONE")']
    assert [f.kind for f in boot.findings] == ['warn', 'kasan']
    assert {'iommufd', 'iommufd_fail_nth'} <= set(boot.missing)


def test_vfio_is_required_on_the_iommu_machines_and_kunit_on_kunit_machines_only():
    for name in ('intel-iommu', 'amd-iommu', 'virtio-iommu'):
        required = run.required_suites(qemu.MACHINES[name], SEVEN)
        assert 'vfio' in required
        assert ('vfio_dma_mapping_test' in required) == (name != 'virtio-iommu')
    assert 'vfio' not in run.required_suites(qemu.MACHINES['kunit'], SEVEN)
    assert 'io-pgtable-arm-test' in run.required_suites(qemu.MACHINES['kunit'], SEVEN)
    assert 'io-pgtable-arm-test' not in run.required_suites(qemu.MACHINES['amd-iommu'], SEVEN)
    assert run.required_suites(qemu.MACHINES['kunit'], SEVEN)[-1] == 'io-pgtable-arm-v7s-selftest'


def test_a_tree_without_kunit_and_vfio_selftests_requires_its_boot_selftests():
    assert run.required_suites(qemu.MACHINES['kunit'], LTS) == [
        results.LPAE_SUITE, results.V7S_SUITE]
    assert run.required_suites(qemu.MACHINES['intel-iommu'], LTS) == [
        results.LPAE_SUITE, results.V7S_SUITE, 'iommufd', 'iommufd_fail_nth',
        'iommufd_access_test', 'vfio']
    assert run.required_suites(qemu.MACHINES['smmuv3'], LTS)[:2] == [
        results.LPAE_SUITE, results.V7S_SUITE]


RESULTS_LTS = '''\
@@@ BEGIN iommufd
TAP version 13
1..1
ok 1 iommufd.simple_close
@@@ END iommufd rc=0 seconds=3.0
@@@ BEGIN iommufd_fail_nth
TAP version 13
1..1
ok 1 basic_fail_nth.basic
@@@ END iommufd_fail_nth rc=0 seconds=9.0
@@@ BEGIN iommufd_access_test
TAP version 13
1..1
ok 1 4K.read-all
@@@ END iommufd_access_test rc=0 seconds=0.5
@@@ BEGIN vfio
TAP version 13
1..1
ok 1 4K.whole
@@@ END vfio rc=0 seconds=1.0
@@@ DONE
'''


def test_a_tree_with_boot_selftests_passes_on_them_and_fails_without_them(parser):
    machine = qemu.MACHINES['intel-iommu']
    boot = run.evaluate(machine, '/lts', fake_run(LPAE_PASS, RESULTS_LTS), parser, LTS)
    assert [s.name for s in boot.suites] == [results.LPAE_SUITE, results.V7S_SUITE,
                                             'iommufd', 'iommufd_fail_nth',
                                             'iommufd_access_test', 'vfio']
    assert boot.missing == [] and boot.ok
    # the LPAE selftest did not run (or printed nothing): the boot fails
    v7s_only = '[    1.810000] arm-v7s io-pgtable: self test ok\n'
    boot = run.evaluate(machine, '/lts', fake_run(v7s_only, RESULTS_LTS), parser, LTS)
    assert boot.missing == [results.LPAE_SUITE] and not boot.ok
    # a failed LPAE configuration fails the boot (and its WARN is a finding)
    boot = run.evaluate(machine, '/lts', fake_run(LPAE_FAIL + v7s_only, RESULTS_LTS),
                        parser, LTS)
    assert not boot.ok and [f.kind for f in boot.findings] == ['warn']
    assert any(p.startswith(f'{results.LPAE_SUITE}: 2 failed') for p in boot.problems())


def test_the_same_boot_judged_for_a_tree_with_the_vfio_selftests_misses_them(parser):
    boot = run.evaluate(qemu.MACHINES['intel-iommu'], '/seven',
                        fake_run(LPAE_PASS, RESULTS_LTS), parser, SEVEN)
    assert boot.missing == ['vfio_dma_mapping_test'] and not boot.ok


def test_base_given_as_a_commit_is_exported_without_touching_the_repo(tmp_path, monkeypatch):
    monkeypatch.setattr(run.guest_build, 'CACHE', tmp_path / 'cache')
    repo = tmp_path / 'repo'
    repo.mkdir()
    git = ['git', '-C', str(repo), '-c', 'user.name=t', '-c', 'user.email=t@t']
    subprocess.run(git + ['init', '-q'], check=True)
    (repo / 'Makefile').write_text('VERSION = 1\n')
    subprocess.run(git + ['add', 'Makefile'], check=True)
    subprocess.run(git + ['commit', '-q', '-m', 'base'], check=True)
    (repo / 'Makefile').write_text('VERSION = 2\n')
    subprocess.run(git + ['commit', '-q', '-a', '-m', 'patched'], check=True)
    status = subprocess.run(git + ['status', '--porcelain'], capture_output=True).stdout

    base = run.resolve_base(repo, 'HEAD~1')
    assert (base / 'Makefile').read_text() == 'VERSION = 1\n'
    assert base.parent == tmp_path / 'cache' / 'src'
    assert subprocess.run(git + ['status', '--porcelain'], capture_output=True).stdout == status
    assert run.resolve_base(repo, str(repo)) == repo   # a tree is used as it is


def test_machine_of_another_arch_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        run.main(['--tree', str(tmp_path), '--arch', 'x86_64', '--machine', 'smmuv3',
                  '--out', str(tmp_path / 'out')])
    assert 'is arm64, not x86_64' in capsys.readouterr().err


def test_a_tree_that_is_not_a_kernel_exits_2(tmp_path, capsys):
    # arm64 so that the test does not need /dev/kvm
    assert run.main(['--tree', str(tmp_path), '--arch', 'arm64', '--machine', 'smmuv3',
                     '--out', str(tmp_path / 'out')]) == 2
    assert 'not a kernel tree' in capsys.readouterr().err


def boot_all_lts(tmp_path, monkeypatch, parser, unbuilt, test=None):
    """boot_all of a 6.12-like tree on intel-iommu, with the build and
    QEMU faked: (the machines QEMU got, the boots)."""
    from test_boot_suites import SELFTEST_TREE, write
    tree = write(tmp_path / 'lts', SELFTEST_TREE)
    monkeypatch.setattr(build, 'build', lambda tree, arch, log: build.Built(
        tree, tmp_path / 'bzImage', tmp_path / 'initramfs', tmp_path, 1.0, 1.0, log, unbuilt))
    monkeypatch.setattr(run.results, 'load_parser', lambda tree: parser)
    booted = []

    def boot(machine, image, initramfs, params, logs, timeout, accel):
        booted.append(machine)
        logs.mkdir(parents=True, exist_ok=True)
        command = qemu.command(machine, image, initramfs, params, logs / 'c', logs / 'r', accel)
        (logs / 'command').write_text(' '.join(command) + '\n')
        return qemu.Run(command, LPAE_PASS, RESULTS_LTS, 10.0, False, 0)
    monkeypatch.setattr(qemu, 'boot', boot)
    args = argparse.Namespace(timeout=1, test_timeout=1, accel='tcg', test=test)
    boots, _ = run.boot_all(tree, 'x86_64', ['intel-iommu'], tmp_path / 'out', '', args)
    return booted, boots['intel-iommu']


def test_boot_all_boots_a_tree_with_the_tests_it_has(tmp_path, monkeypatch, parser):
    """The machine the guest gets runs no kernel program the tree lacks
    (citests= has no vfio_dma_mapping_test for a 6.12-like tree)."""
    booted, boot = boot_all_lts(tmp_path, monkeypatch, parser, {})
    assert booted[0].tests == [t for t in qemu.MACHINES['intel-iommu'].tests
                               if t != 'vfio_dma_mapping_test']
    command = (tmp_path / 'out/logs/x86_64-intel-iommu/command').read_text()
    assert 'citests=iommufd,iommufd_fail_nth,iommufd_access_test,vfio ' in command
    assert boot.ok, boot.problems()


def test_a_program_that_did_not_build_is_not_run_and_fails_the_boot(tmp_path, monkeypatch,
                                                                    parser):
    error = "iommufd_utils.h:10:5: error: 'IOMMU_NEW_THING' undeclared"
    booted, boot = boot_all_lts(tmp_path, monkeypatch, parser, {'iommufd': error})
    assert 'iommufd' not in booted[0].tests and 'iommufd_fail_nth' in booted[0].tests
    iommufd = next(s for s in boot.suites if s.name == 'iommufd')
    assert iommufd.errors == [f'did not build: {error}'] and not boot.ok
    assert boot.missing == []
    # the base tree's programs are the same: not a regression against it
    from ci.boot import report
    assert report.passed(boot, boot)
    assert not report.passed(boot, dataclasses.replace(boot, suites=[
        s for s in boot.suites if s.name != 'iommufd']))


def test_test_option_boots_the_machine_with_only_those_tests(tmp_path, monkeypatch, parser):
    """--test vfio: the guest runs vfio alone and nothing else is required."""
    booted, boot = boot_all_lts(tmp_path, monkeypatch, parser, {}, test=['vfio'])
    assert booted[0].tests == ['vfio']
    assert 'citests=vfio ' in (tmp_path / 'out/logs/x86_64-intel-iommu/command').read_text()
    assert boot.missing == [] and [s.name for s in boot.suites if s.name in
                                   qemu.MACHINES['intel-iommu'].tests] == ['vfio']
