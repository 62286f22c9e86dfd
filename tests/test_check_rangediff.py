"""ci/check/rangediff.py: the previous version from a branch, a series dir, or its patches."""

import contextlib
import json
import subprocess

import pytest

from ci.check import rangediff

ENV = {'GIT_AUTHOR_NAME': 'T', 'GIT_AUTHOR_EMAIL': 't@x.org', 'GIT_COMMITTER_NAME': 'T',
       'GIT_COMMITTER_EMAIL': 't@x.org', 'PATH': '/usr/bin:/bin', 'HOME': '/nonexistent'}


def _git(repo, *args):
    return subprocess.run(['git', '-C', str(repo), *args], check=True, capture_output=True,
                          text=True, env=ENV).stdout.strip()


def _commit(repo, name, text, msg):
    (repo / name).write_text(text)
    _git(repo, 'add', name)
    _git(repo, 'commit', '-q', '-m', msg)
    return _git(repo, 'rev-parse', 'HEAD')


BODY = ''.join(f'int b{i};\n' for i in range(12)) + '{} b;\n'


@pytest.fixture
def versions(tmp_path):
    repo = tmp_path / 'repo'
    repo.mkdir()
    _git(repo, 'init', '-q', '-b', 'master')
    base = _commit(repo, 'a.c', 'int a;\n', 'base')
    _git(repo, 'checkout', '-q', '-b', 'series/v1')
    _commit(repo, 'a.c', 'int a;\n' + BODY.format('int'), 'iommu: add b')
    _commit(repo, 'c.c', 'int c;\n', 'iommu: add c')
    _git(repo, 'checkout', '-q', '-b', 'series/v2', base)
    _commit(repo, 'a.c', 'int a;\n' + BODY.format('long'), 'iommu: add b')
    tip = _commit(repo, 'c.c', 'int c;\n', 'iommu: add c')
    return repo, base, tip


def test_range_diff_against_a_branch(versions):
    repo, base, tip = versions
    with contextlib.ExitStack() as stack:
        old_base, old_tip, label = rangediff.previous_range(repo, 'series/v1', stack, tip)
        text = rangediff.range_diff(repo, (old_base, old_tip), (base, tip))
    assert old_base == base and label == 'series/v1'
    assert '1:  ' in text and '! 1:' in text and '    -+int b;' in text and '    ++long b;' in text
    assert '2:  ' in text and '= 2:' in text


def _series_dir(tmp_path, repo, base, tip_ref, drop_commits):
    out = tmp_path / 'v1'
    out.mkdir()
    names = _git(repo, 'format-patch', '-o', str(out), f'{base}..{tip_ref}').split()
    commits = _git(repo, 'rev-list', '--reverse', f'{base}..{tip_ref}').split()
    steps = [{'id': f's{i}', 'status': 'applied', 'commit': '9' * 40 if drop_commits else c,
              'patch': names[i - 1].rsplit('/', 1)[-1] if names else ''}
             for i, c in enumerate(commits, 1)]
    (out / 'series.json').write_text(json.dumps({'format': 1, 'version': 1,
                                                 'kernel': {'base_commit': base},
                                                 'worktree': str(repo), 'steps': steps}))
    return out


@pytest.mark.parametrize('drop_commits', [False, True])
def test_range_diff_against_a_series_directory(versions, tmp_path, drop_commits):
    repo, base, tip = versions
    prev = _series_dir(tmp_path, repo, base, 'series/v1', drop_commits)
    with contextlib.ExitStack() as stack:
        old_base, old_tip, label = rangediff.previous_range(repo, str(prev), stack, tip)
        text = rangediff.range_diff(repo, (old_base, old_tip), (base, tip))
    assert label == 'v1'
    assert '! 1:' in text and '= 2:' in text
    # the temporary worktree used for git am is gone again
    assert len(_git(repo, 'worktree', 'list').splitlines()) == 1


def test_unknown_previous_is_an_error(versions):
    repo, base, tip = versions
    with pytest.raises(Exception, match='neither'):
        with contextlib.ExitStack() as stack:
            rangediff.previous_range(repo, 'no/such/branch', stack, tip)
