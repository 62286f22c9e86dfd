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
and a re-run recompiles only what changed (ci/boot/build.py)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / 'tests' / 'harness'))

from ci.boot import build  # noqa: E402
import mutations  # noqa: E402

DRIVER = 'drivers/iommu/virtio-iommu.c'
FUNCTION = 'viommu_iova_to_phys_length'
MUTATION = ('double-length', 0)


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


def boot_vfio(tree: Path, out: Path) -> tuple[int, dict, str]:
    proc = subprocess.run([sys.executable, '-m', 'ci.boot', '--tree', str(tree),
                           '--arch', 'x86_64', '--machine', 'virtio-iommu',
                           '--test', 'vfio', '--out', str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=3 * 3600)
    report = out / 'boot-x86_64-virtio-iommu.json'
    assert report.exists(), proc.stdout + proc.stderr
    return proc.returncode, json.loads(report.read_text())['boot'], proc.stdout + proc.stderr


@pytest.mark.slow
def test_an_over_reported_length_in_a_driver_fails_the_boot(tmp_path, boot_tree):
    tree = boot_tree
    source = (tree / DRIVER).read_text()
    if f'{FUNCTION}(' not in source:
        pytest.skip(f'{tree} has no {FUNCTION} (not a generated series tree)')

    rc, control, log = boot_vfio(tree, tmp_path / 'control')
    vfio = [s for s in control['suites'] if s['name'] == 'vfio']
    assert rc == 0 and vfio and vfio[0]['passed'] > 0, (
        'the unmutated tree must pass first:\n' + '\n'.join(control['problems']) + log[-3000:])

    mutant = copy_of(tree, 'virtio-double-length', tmp_path / 'staging')
    mutated = mutations.mutate_function(source, FUNCTION, MUTATION)
    assert mutated != source
    (mutant / DRIVER).write_text(mutated)
    rc, boot, log = boot_vfio(mutant, tmp_path / 'mutant')
    # 1: a suite failed or the kernel complained; 2 would be a build failure
    assert rc == 1, f'exit {rc}; the mutation escaped or did not build:\n{log[-3000:]}'
    vfio = [s for s in boot['suites'] if s['name'] == 'vfio']
    complaints = [f for f in boot.get('findings', [])]
    assert (vfio and (vfio[0]['failed'] > 0 or vfio[0].get('errors'))) or complaints, (
        '\n'.join(boot['problems']))
