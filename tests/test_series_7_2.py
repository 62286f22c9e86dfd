"""Integration: the series generated on Debian's linux-source-7.2.

The tree is fetched once (cached under $IOVA_CACHE, as `make series` does) and the
series generated once per session (tests/conftest.py: series_7_2).  Each
manifest step is one test: applied steps must be a commit of the branch,
pending steps are reported as skipped, never as passed.
"""

import pathlib
import subprocess

import pytest

from generator import inventory, manifest, steps

MANIFEST = manifest.load()


def _git(tree, *args):
    return subprocess.run(['git', '-C', str(tree), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.mark.parametrize('step_id', [s.id for s in MANIFEST.steps])
def test_step(series_7_2, step_id):
    result = next(s for s in series_7_2['steps'] if s['id'] == step_id)
    if result['status'] == 'pending':
        pytest.skip(f'step {step_id} is pending in the manifest')
    if result['status'] == 'absent':
        # A step for trees of another shape (issue 11: 6.12 LTS); the base
        # tree must really fail its probe.  tests/test_series_6_12.py checks
        # that every step applies to one of the two trees.
        step = MANIFEST.step(step_id)
        assert step.absent_reason and steps.missing_requirements(
            step, pathlib.Path(series_7_2['kernel']['tree']))
        return
    assert result['status'] == 'applied', f'{step_id}: {result["status"]} {result["reason"]}'
    work = pathlib.Path(series_7_2['worktree'])
    subject = _git(work, 'log', '-1', '--format=%s', result['commit'])
    assert subject == MANIFEST.step(step_id).subject
    assert _git(work, 'diff', '--name-only', f'{result["commit"]}~1', result['commit']).split() \
        == result['files']


def test_one_commit_per_applied_step(series_7_2):
    work = pathlib.Path(series_7_2['worktree'])
    applied = [s for s in series_7_2['steps'] if s['status'] == 'applied']
    commits = _git(work, 'rev-list', '--reverse', f'{series_7_2["kernel"]["base_commit"]}..HEAD')
    assert commits.split() == [s['commit'] for s in applied]


def test_patches_apply_on_the_base(series_7_2, tmp_path):
    out = pathlib.Path(series_7_2['out'])
    patches = sorted(out.glob('v1-*.patch'))[1:]
    tree = pathlib.Path(series_7_2['kernel']['tree'])
    check = tmp_path / 'am'
    _git(tree, 'worktree', 'add', '-q', '--detach', str(check), series_7_2['kernel']['base_commit'])
    try:
        _git(check, '-c', 'user.name=am', '-c', 'user.email=am@example.org', 'am', '-q',
             *map(str, patches))
        assert _git(check, 'diff', 'HEAD', series_7_2['branch']) == ''
    finally:
        _git(tree, 'worktree', 'remove', '--force', str(check))


def test_final_tree_passes_each_steps_checks(series_7_2):
    work = pathlib.Path(series_7_2['worktree'])
    applied = {s['id'] for s in series_7_2['steps'] if s['status'] == 'applied'}
    problems = []
    for step in MANIFEST.steps:
        if step.id in applied:
            problems += steps.run_checks(step, work)
    assert problems == []


def test_no_leftover_op_once_every_step_is_ready(series_7_2):
    pending = [s['id'] for s in series_7_2['steps'] if s['status'] == 'pending']
    if pending:
        pytest.skip(f'{len(pending)} steps pending: {", ".join(pending[:5])}')
    left = [e for e in inventory.take(pathlib.Path(series_7_2['worktree']))
            if e.kind in ('implementer', 'op-call', 'macro-implementer')]
    assert left == []


def test_every_patch_is_checkpatch_clean(series_7_2):
    """The quick part of `make check`: the base tree's checkpatch.pl --strict
    on every patch; an ERROR fails, a WARNING or CHECK unless the reviewed
    ci/check/checkpatch-allow.toml allows it."""
    from ci.check import checkpatch
    out = pathlib.Path(series_7_2['out'])
    patches = [(s['id'], out / s['patch']) for s in series_7_2['steps'] if s['status'] == 'applied']
    findings, crashed = checkpatch.run(pathlib.Path(series_7_2['kernel']['tree']), patches)
    result = checkpatch.judge(findings, checkpatch.load_allow(), crashed)
    assert result.ok, '\n'.join([f'{f.step}: {f.level}:{f.type}: {f.message} ({f.where()})'
                                 for f in result.failing] + result.crashed)


@pytest.mark.slow
def test_every_commit_builds_on_x86_64(series_7_2, figures):
    """The quick part of `make check` (ci.check --quick): every commit of
    the series, x86_64 allmodconfig with COMPILE_TEST, rebuilds the objects
    it touches without an error or a W=1 warning the base build lacks."""
    import json
    from ci.check import main
    out = pathlib.Path(series_7_2['out'])
    rc = main.main(['--series', str(out), '--quick'])
    assert (out / 'check.json').exists(), f'ci.check exited {rc}, no report'
    data = json.loads((out / 'check.json').read_text())
    run = data['arch_runs']['x86_64']
    cells = run['cells']
    ok = [step for step, cell in cells.items() if cell['status'] == 'ok']
    figures(f'x86_64 bisect builds: {len(ok)} of {len(cells)} commits built '
            f'(the rest touch no file x86_64 compiles) in {run["timings"]["total"]:.0f} s')
    bad = {step: cell['status'] for step, cell in cells.items()
           if cell['status'] not in ('ok', 'not built')}
    applied = [s['id'] for s in series_7_2['steps'] if s['status'] == 'applied']
    assert rc == 0 and run['status'] == 'ok' and not bad, (run['error'], bad)
    assert sorted(cells) == sorted(applied)
    # what only other arches compile (arm64's smmu-v3, arm's msm, ...) is
    # make check's; everything else must have been built here
    assert {'core', 'generic_pt', 'callers-iommufd-pages', 'callers-vfio-unmap',
            'remove-iova_to_phys-op'} <= set(ok)
    assert len(ok) >= 25
