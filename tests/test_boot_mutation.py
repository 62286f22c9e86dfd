"""Slow: a driver template that over-reports its length must fail a boot.

The generated tree (conftest's boot_tree: $CI_BOOT_TREE, else the 7.2
series make test generates) is copied with
one bug put into virtio-iommu's converted function: its *length store
doubled (tests/harness/mutations.py, the same mutation the semantic harness
catches on the host). The copy is booted on x86_64 with virtio-iommu and
our VFIO test, whose unmaps go through vfio_unmap_unpin() and so through
that length. The unmutated tree, booted the same way, is the control: it
must pass, so that the failure is the mutation's.

The copy lives at a fixed cache path, so its object directory is reused
and a re-run recompiles only what changed (ci/guest/build.py)."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / 'tests' / 'harness'))

from ci.guest import build  # noqa: E402
import mutations  # noqa: E402

def copy_of(tree: Path, name: str, staging: Path) -> Path:
    """tree's committed files at a fixed cache path. They are unpacked
    (git archive HEAD) into staging and synced over the copy of the last
    run by content (rsync -c, without times), so only files that differ
    get a new mtime and the kernel build reuses every other object."""
    dirty = subprocess.run(['git', '-C', str(tree), 'status', '--porcelain',
                            '--untracked-files=no'],
                           capture_output=True, text=True, check=True).stdout
    assert not dirty, f'{tree} has uncommitted changes the copy would miss:\n{dirty}'
    staging.mkdir(parents=True)
    archive = subprocess.Popen(['git', '-C', str(tree), 'archive', 'HEAD'],
                               stdout=subprocess.PIPE)
    subprocess.run(['tar', '-x', '-C', str(staging)], stdin=archive.stdout, check=True)
    assert archive.wait() == 0, f'git archive HEAD of {tree} failed'
    dest = build.CACHE / 'mutants' / name
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(['rsync', '-rlc', '--delete', f'{staging}/', f'{dest}/'], check=True)
    shutil.rmtree(staging)
    return dest


MUTANTS = {
    # name: (file, function or None for the file's one *length store, test)
    'virtio-iommu': ('drivers/iommu/virtio-iommu.c', 'viommu_iova_to_phys_length', 'vfio'),
    'generic_pt': ('drivers/iommu/generic_pt/iommu_pt.h', None, 'iommufd_access_test'),
}
MUTATION = ('double-length', 0)


def mutated(source: str, function: str | None) -> str:
    if function:
        return mutations.mutate_function(source, function, MUTATION)
    stores = re.findall(mutations.LENGTH_STORE, source)
    assert len(stores) == 1, f'expected one *length store, found {stores}'
    return mutations.mutator(MUTATION)(source)


def boot(tree: Path, out: Path, tests: list[str]) -> tuple[int, dict, str]:
    proc = subprocess.run([sys.executable, '-m', 'ci.boot', '--tree', str(tree),
                           '--arch', 'x86_64', '--machine', 'virtio-iommu', '--out', str(out)]
                          + [a for t in tests for a in ('--test', t)], cwd=REPO,
                          capture_output=True, text=True, timeout=3 * 3600)
    report = out / 'boot-x86_64-virtio-iommu.json'
    assert report.exists(), proc.stdout + proc.stderr
    return proc.returncode, json.loads(report.read_text())['boot'], proc.stdout + proc.stderr


def suite(boot_report: dict, name: str) -> dict | None:
    return next((s for s in boot_report['suites'] if s['name'] == name), None)


@pytest.fixture(scope='module')
def control(boot_tree, tmp_path_factory):
    """The unmutated tree passes every test the mutants are judged by."""
    tests = sorted({test for _, _, test in MUTANTS.values()})
    rc, report, log = boot(boot_tree, tmp_path_factory.mktemp('control'), tests)
    assert rc == 0, ('the unmutated tree must pass first:\n' +
                     '\n'.join(report['problems']) + log[-3000:])
    for test in tests:
        assert suite(report, test) and suite(report, test)['passed'] > 0, test
    return report


@pytest.mark.slow
@pytest.mark.full
@pytest.mark.parametrize('name', sorted(MUTANTS))
def test_an_over_reported_length_fails_the_boot(name, boot_tree, control, tmp_path, figures):
    path, function, test = MUTANTS[name]
    if not (boot_tree / path).exists():
        pytest.skip(f'{boot_tree} has no {path}')
    source = (boot_tree / path).read_text()
    if 'iova_to_phys_length(' not in source:
        pytest.skip(f'{boot_tree}/{path} has no iova_to_phys_length (not a generated tree)')
    mutant = copy_of(boot_tree, f'{name}-double-length', tmp_path / 'staging')
    changed = mutated(source, function)
    assert changed != source
    (mutant / path).write_text(changed)
    rc, report, log = boot(mutant, tmp_path / 'mutant', [test])
    # 1: a suite failed or the kernel complained; 2 would be a build failure
    assert rc == 1, f'exit {rc}; the mutation escaped or did not build:\n{log[-3000:]}'
    failed = suite(report, test)
    figures(f'boot of the {name} mutant, {test}: '
            + (f'{failed["passed"]} passed, {failed["failed"]} failed' if failed else 'not run')
            + f', {len(report["findings"])} console reports, exit {rc}'
            + (f' (control: {suite(control, test)["passed"]} passed, '
               f'{suite(control, test)["failed"]} failed)'))
    assert (failed and (failed['failed'] > 0 or failed.get('errors'))) or report['findings'], (
        '\n'.join(report['problems']))
