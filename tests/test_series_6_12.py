"""Integration: the series generated on Debian's linux-source-6.12 (LTS).

6.12 has no generic_pt: AMD, Intel and the iommufd mock domain implement
iova_to_phys themselves, AMD has its own io-pgtable formats, and the LPAE
selftests live in io-pgtable-arm.c.  The manifest selects the steps for it
by probing the tree (requires, requires_match), never by its version.  The
series is generated once per session (tests/conftest.py: series_6_12).
"""

import pathlib
import subprocess

import pytest

from generator import audit, inventory, manifest, steps

MANIFEST = manifest.load()


def _git(tree, *args):
    return subprocess.run(['git', '-C', str(tree), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.mark.parametrize('step_id', [s.id for s in MANIFEST.steps])
def test_step_is_applied_or_absent_with_a_reason(series_6_12, step_id):
    result = next(s for s in series_6_12['steps'] if s['id'] == step_id)
    step = MANIFEST.step(step_id)
    if result['status'] == 'pending':
        pytest.skip(f'step {step_id} is pending in the manifest')
    if result['status'] == 'absent':
        # The reason is the manifest's, and the base tree really fails the probe.
        missing = steps.missing_requirements(step, pathlib.Path(series_6_12['kernel']['tree']))
        assert step.absent_reason and missing
        assert result['reason'] == f'{step.absent_reason} ({missing[0]} missing)'
        assert result['covers'] == []
        return
    assert result['status'] == 'applied', f'{step_id}: {result["status"]} {result["reason"]}'
    work = pathlib.Path(series_6_12['worktree'])
    assert _git(work, 'log', '-1', '--format=%s', result['commit']) == step.subject
    assert _git(work, 'diff', '--name-only', f'{result["commit"]}~1', result['commit']).split() \
        == result['files']


def test_generic_pt_is_absent_and_says_why(series_6_12):
    result = next(s for s in series_6_12['steps'] if s['id'] == 'generic_pt')
    assert result['status'] == 'absent'
    assert 'no generic_pt' in result['reason']


def test_one_commit_per_applied_step(series_6_12):
    work = pathlib.Path(series_6_12['worktree'])
    applied = [s for s in series_6_12['steps'] if s['status'] == 'applied']
    commits = _git(work, 'rev-list', '--reverse', f'{series_6_12["kernel"]["base_commit"]}..HEAD')
    assert commits.split() == [s['commit'] for s in applied]
    assert len(applied) == len(sorted(pathlib.Path(series_6_12['out']).glob('v1-*.patch'))) - 1


def test_patches_apply_on_the_base(series_6_12, tmp_path):
    patches = sorted(pathlib.Path(series_6_12['out']).glob('v1-*.patch'))[1:]
    tree = pathlib.Path(series_6_12['kernel']['tree'])
    check = tmp_path / 'am'
    _git(tree, 'worktree', 'add', '-q', '--detach', str(check),
         series_6_12['kernel']['base_commit'])
    try:
        _git(check, '-c', 'user.name=am', '-c', 'user.email=am@example.org', 'am', '-q',
             *map(str, patches))
        assert _git(check, 'diff', 'HEAD', series_6_12['branch']) == ''
    finally:
        _git(tree, 'worktree', 'remove', '--force', str(check))


def test_inventory_is_covered_by_manifest_steps_and_kept_entries(series_6_12):
    # Every entry of the base tree is converted by a step of the manifest
    # (not by a template tried on an unknown driver) or kept on purpose.
    ids = {s.id for s in MANIFEST.steps}
    uncovered = [e for e in series_6_12['inventory']
                 if not e['kept'] and e['handled_by'] not in ids]
    assert series_6_12['inventory'] and uncovered == []
    applied = {s['id'] for s in series_6_12['steps'] if s['status'] == 'applied'}
    assert {e['handled_by'] for e in series_6_12['inventory'] if e['handled_by']} <= applied


def test_final_tree_passes_each_applied_steps_checks(series_6_12):
    work = pathlib.Path(series_6_12['worktree'])
    applied = {s['id'] for s in series_6_12['steps'] if s['status'] == 'applied'}
    problems = []
    for step in MANIFEST.steps:
        if step.id in applied:
            problems += steps.run_checks(step, work)
    assert problems == []


def test_audit_finds_nothing_left(series_6_12):
    pending = [s['id'] for s in series_6_12['steps'] if s['status'] == 'pending']
    if pending:
        pytest.skip(f'{len(pending)} steps pending: {", ".join(pending[:5])}')
    work = pathlib.Path(series_6_12['worktree'])
    found = audit.find(work)
    failing = [f for f in found.findings if f.kind.fails]
    assert found.files and failing == []
    left = [e for e in inventory.take(work)
            if e.kind in ('implementer', 'op-call', 'macro-implementer')]
    assert left == []


def test_every_step_applies_to_one_of_the_trees(series_7_2, series_6_12):
    """A probe that fails everywhere would hide a step: each ready step is
    applied on 7.2 or on 6.12."""
    applied = {s['id'] for series in (series_7_2, series_6_12)
               for s in series['steps'] if s['status'] == 'applied'}
    ready = [s.id for s in MANIFEST.steps if s.status == 'ready']
    assert [i for i in ready if i not in applied] == []
