"""ci/check/gitrepo.py: our own detached worktree and per-commit facts, on a tiny repo."""

import subprocess

import pytest

from ci.check import gitrepo

ENV = {'GIT_AUTHOR_NAME': 'T', 'GIT_AUTHOR_EMAIL': 't@x.org', 'GIT_COMMITTER_NAME': 'T',
       'GIT_COMMITTER_EMAIL': 't@x.org', 'PATH': '/usr/bin:/bin', 'HOME': '/nonexistent'}


def _git(repo, *args):
    return subprocess.run(['git', '-C', str(repo), *args], check=True, capture_output=True,
                          text=True, env=ENV).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    r = tmp_path / 'repo'
    r.mkdir()
    _git(r, 'init', '-q', '-b', 'main')
    (r / 'a.c').write_text('int a;\n')
    _git(r, 'add', '.')
    _git(r, 'commit', '-q', '-m', 'base')
    (r / 'a.c').write_text('int a;\nint b;\n')
    (r / 'new.h').write_text('#define X 1\n')
    _git(r, 'add', '.')
    _git(r, 'commit', '-q', '-m', 'one')
    return r


def test_worktree_is_detached_reused_and_cleaned(repo, tmp_path):
    base = _git(repo, 'rev-parse', 'HEAD~1')
    tip = _git(repo, 'rev-parse', 'HEAD')
    wt = tmp_path / 'check' / 'src'
    gitrepo.ensure_worktree(repo, wt, base)
    assert (wt / 'a.c').read_text() == 'int a;\n'
    (wt / 'a.c').write_text('left over by an interrupted run\n')
    gitrepo.checkout(wt, tip)
    assert (wt / 'a.c').read_text() == 'int a;\nint b;\n'
    gitrepo.ensure_worktree(repo, wt, base)          # reused, moved back
    assert not (wt / 'new.h').exists()
    assert _git(repo, 'rev-parse', '--abbrev-ref', 'HEAD') == 'main'   # the user's checkout
    assert _git(wt, 'rev-parse', '--abbrev-ref', 'HEAD') == 'HEAD'     # detached


def test_a_foreign_directory_is_not_taken_over(repo, tmp_path):
    other = tmp_path / 'other'
    other.mkdir()
    (other / 'notes.txt').write_text('mine\n')
    with pytest.raises(gitrepo.GitError, match='not a worktree'):
        gitrepo.ensure_worktree(repo, other, 'HEAD')
    assert (other / 'notes.txt').read_text() == 'mine\n'


def test_an_empty_directory_left_by_a_killed_worktree_add_is_used(repo, tmp_path):
    wt = tmp_path / 'check' / 'src'
    wt.mkdir(parents=True)
    gitrepo.ensure_worktree(repo, wt, 'HEAD')
    assert gitrepo.common_dir(wt) == gitrepo.common_dir(repo)
    assert (wt / 'new.h').exists()


def test_a_worktree_of_a_repository_that_is_gone_is_made_again(repo, tmp_path):
    wt = tmp_path / 'check' / 'src'
    gitrepo.ensure_worktree(repo, wt, 'HEAD~1')
    # The cache's source was extracted again: same path, a new .git.
    subprocess.run(['rm', '-rf', str(repo / '.git')], check=True)
    _git(repo, 'init', '-q', '-b', 'main')
    _git(repo, 'add', '.')
    _git(repo, 'commit', '-q', '-m', 'extracted again')
    assert gitrepo.orphaned(wt)
    gitrepo.ensure_worktree(repo, wt, 'HEAD')
    assert not gitrepo.orphaned(wt)
    assert gitrepo.common_dir(wt) == gitrepo.common_dir(repo)
    assert (wt / 'new.h').exists()


def test_a_worktree_whose_entry_now_names_another_checkout_is_made_again(repo, tmp_path):
    """Extracted again, and a later `worktree add` of the same basename took the
    entry our .git file names: git run in our directory would move the other
    checkout's HEAD.  Ours is made again; theirs is left as it was."""
    wt = tmp_path / 'check' / 'src'
    gitrepo.ensure_worktree(repo, wt, 'HEAD~1')
    subprocess.run(['rm', '-rf', str(repo / '.git')], check=True)
    _git(repo, 'init', '-q', '-b', 'main')
    _git(repo, 'add', '.')
    _git(repo, 'commit', '-q', '-m', 'extracted again')
    theirs = tmp_path / 'work' / 'src'                     # the same basename
    _git(repo, 'worktree', 'add', '-q', '--detach', str(theirs), 'HEAD')
    theirs_head = _git(theirs, 'rev-parse', 'HEAD')
    assert (wt / '.git').read_text() == (theirs / '.git').read_text()
    assert gitrepo.orphaned(wt) and not gitrepo.orphaned(theirs)
    gitrepo.ensure_worktree(repo, wt, 'HEAD')
    assert not gitrepo.orphaned(wt) and not gitrepo.orphaned(theirs)
    assert (wt / '.git').read_text() != (theirs / '.git').read_text()
    assert _git(theirs, 'rev-parse', 'HEAD') == theirs_head
    assert (wt / 'new.h').exists()


def test_a_worktree_of_another_live_repository_is_not_taken_over(repo, tmp_path):
    other = tmp_path / 'other'
    other.mkdir()
    _git(other, 'init', '-q', '-b', 'main')
    (other / 'x').write_text('x\n')
    _git(other, 'add', '.')
    _git(other, 'commit', '-q', '-m', 'x')
    wt = tmp_path / 'theirs'
    _git(other, 'worktree', 'add', '-q', '--detach', str(wt), 'HEAD')
    assert not gitrepo.orphaned(wt)
    with pytest.raises(gitrepo.GitError, match='not a worktree'):
        gitrepo.ensure_worktree(repo, wt, 'HEAD')
    assert (wt / 'x').exists()


def test_changed_added_and_diff(repo):
    assert gitrepo.changed_files(repo, 'HEAD~1', 'HEAD') == ['a.c', 'new.h']
    assert '+int b;' in gitrepo.diff_u0(repo, 'HEAD~1', 'HEAD', ['a.c'])
    assert gitrepo.diff_u0(repo, 'HEAD~1', 'HEAD', []) == ''
    assert gitrepo.changed_files(repo, 'HEAD~1', 'HEAD', '--diff-filter=A') == ['new.h']
    (repo / 'new.h').unlink()
    _git(repo, 'commit', '-q', '-a', '-m', 'two')
    assert gitrepo.changed_files(repo, 'HEAD~2', 'HEAD') == ['a.c']
    assert gitrepo.touched_files(repo, 'HEAD~2', 'HEAD') == ['a.c', 'new.h']
    assert gitrepo.show(repo, 'HEAD~1', 'new.h') == '#define X 1\n'
    assert gitrepo.exists(repo, 'HEAD~1') and not gitrepo.exists(repo, '1' * 40)
    assert gitrepo.exists(repo, 'HEAD~1', 'new.h') and not gitrepo.exists(repo, 'HEAD', 'new.h')
