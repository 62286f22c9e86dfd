"""ci/boot/run.py: judging one boot, finding the base tree, the exit code."""

import subprocess

import pytest

from boot_tree import fixture, kernel_tree
from ci.boot import build, qemu, run


@pytest.fixture(scope='module')
def parser():
    from ci.boot import results
    return results.load_parser(kernel_tree())


def fake_run(console, results_log, timed_out=False, exit_code=0):
    return qemu.Run(['qemu'], console, results_log, 100.0, timed_out, exit_code)


def test_evaluate_collects_suites_missing_and_findings(parser):
    machine = qemu.MACHINES['intel-iommu']
    boot = run.evaluate(machine, '/tree', fake_run(fixture('console-pass.log'),
                                                   fixture('results-sample.log')), parser)
    names = [s.name for s in boot.suites]
    assert names == ['io-pgtable-arm-test', 'amdv1_fmt_test', 'io-pgtable-arm-v7s-selftest',
                     'iommufd', 'iommufd_fail_nth', 'vfio']
    # KUnit is not required on an IOMMU machine, its own tests are
    assert boot.missing == ['vfio_dma_mapping_test']
    assert boot.findings == [] and boot.errors == []
    assert not boot.ok


def test_evaluate_on_the_kunit_machine_requires_every_suite(parser):
    boot = run.evaluate(qemu.MACHINES['kunit'], '/tree',
                        fake_run(fixture('console-pass.log'),
                                 fixture('results-sample.log')), parser)
    # the sample console has only two of the KUnit suites
    assert 'vtdss_fmt_test' in boot.missing and 'amdv1_mock_iommu_test' in boot.missing
    assert 'io-pgtable-arm-test' not in boot.missing
    assert results_names(boot) == ['io-pgtable-arm-test', 'amdv1_fmt_test',
                                   'io-pgtable-arm-v7s-selftest']


def results_names(boot):
    return [s.name for s in boot.suites]


def test_evaluate_reports_a_timeout_and_an_unfinished_init(parser):
    boot = run.evaluate(qemu.MACHINES['amd-iommu'], '/tree',
                        fake_run(fixture('console-fail.log'), '', timed_out=True), parser)
    assert boot.errors == ['timed out after 100 s', 'guest init did not finish (no "@@@ DONE")']
    assert [f.kind for f in boot.findings] == ['warn', 'kasan']
    assert {'iommufd', 'iommufd_fail_nth'} <= set(boot.missing)


def test_vfio_is_required_on_intel_only_and_kunit_on_kunit_machines_only():
    assert 'vfio' in run.required_suites(qemu.MACHINES['intel-iommu'])
    assert 'vfio' not in run.required_suites(qemu.MACHINES['virtio-iommu'])
    assert 'io-pgtable-arm-test' in run.required_suites(qemu.MACHINES['kunit'])
    assert 'io-pgtable-arm-test' not in run.required_suites(qemu.MACHINES['amd-iommu'])
    assert run.required_suites(qemu.MACHINES['kunit'])[-1] == 'io-pgtable-arm-v7s-selftest'


def test_base_given_as_a_commit_is_exported_without_touching_the_repo(tmp_path, monkeypatch):
    monkeypatch.setattr(build, 'CACHE', tmp_path / 'cache')
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
