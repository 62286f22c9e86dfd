"""Git for ci.check: the series facts, and a detached worktree of our own to build in.

The generator's worktree and branch are only read.  Builds check commits out
one after the other in ~/.cache/iova-to-phys-length/check/src/<tree name>-<key>, a
detached worktree of the same repository, so the series commits are there; the
key is a hash of the repository's path, so two trees of one name never share it.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys


class GitError(Exception):
    pass


def git(repo: pathlib.Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(['git', '-C', str(repo), *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise GitError(f'git {" ".join(args)} in {repo}: {proc.stderr.strip()[-400:]}')
    return proc.stdout


def common_dir(repo: pathlib.Path) -> pathlib.Path:
    return pathlib.Path(git(repo, 'rev-parse', '--path-format=absolute',
                            '--git-common-dir').strip())


def orphaned(path: pathlib.Path) -> bool:
    """path is a worktree whose repository no longer knows it.

    Its .git file names a gitdir that is gone, or one whose back-link (the
    gitdir file in it) names another checkout.  The kernel source in the cache
    is extracted again (a new .git) when its package changes, and the worktree
    we made in the old one is left pointing at nothing, or at the entry a
    later `git worktree add` of the same name made.  Git commands run there
    would act on that other checkout's HEAD and index.  It holds only a
    checkout of commits, so it can go.
    """
    dotgit = path / '.git'
    if not dotgit.is_file():
        return False
    line = dotgit.read_text(errors='replace').strip()
    if not line.startswith('gitdir:'):
        return False
    gitdir = pathlib.Path(line.removeprefix('gitdir:').strip())
    gitdir = gitdir if gitdir.is_absolute() else path / gitdir
    try:
        back = pathlib.Path((gitdir / 'gitdir').read_text(errors='replace').strip())
    except OSError:
        return True
    return back.resolve() != dotgit.resolve()


def ensure_worktree(repo: pathlib.Path, path: pathlib.Path, commit: str) -> None:
    """A detached worktree of repo's repository at path (made once, then reused)."""
    if path.exists() and orphaned(path):
        print(f'check: {path} was a worktree of a repository that is gone; made again',
              file=sys.stderr)
        shutil.rmtree(path)
    # An empty directory is what a `git worktree add` killed before it wrote
    # .git leaves; git adds into it, and nothing in it can be lost.
    if path.exists() and not (path.is_dir() and not any(path.iterdir())):
        try:
            same = common_dir(path) == common_dir(repo)
        except GitError:
            same = False
        if not same:
            raise GitError(f'{path} exists and is not a worktree of {common_dir(repo)}; '
                           'remove it')
        checkout(path, commit)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    git(repo, 'worktree', 'prune')
    git(repo, 'worktree', 'add', '--detach', '-f', str(path), commit)


def checkout(worktree: pathlib.Path, commit: str) -> None:
    """Check commit out, dropping anything an interrupted run left in the files."""
    if git(worktree, 'status', '--porcelain', '--untracked-files=no').strip():
        git(worktree, 'reset', '-q', '--hard')
    git(worktree, 'checkout', '-q', '--detach', commit)


def changed_files(repo: pathlib.Path, a: str, b: str, *options: str) -> list[str]:
    """The files a..b changes; options narrow them (--diff-filter=A: those it adds)."""
    out = git(repo, 'diff', '--no-renames', '--name-only', *options, a, b)
    return [line for line in out.splitlines() if line]


def touched_files(repo: pathlib.Path, a: str, b: str) -> list[str]:
    """Every file some commit of a..b changes (also those a later commit changes back)."""
    out = git(repo, 'log', '--no-renames', '--name-only', '--format=', f'{a}..{b}')
    return sorted({line for line in out.splitlines() if line})


def diff_u0(repo: pathlib.Path, a: str, b: str, files: list[str]) -> str:
    if not files:
        return ''
    return git(repo, 'diff', '--no-renames', '-U0', '--no-color', a, b, '--', *files)


def show(repo: pathlib.Path, commit: str, path: str) -> str:
    return git(repo, 'show', f'{commit}:{path}')


def exists(repo: pathlib.Path, rev: str, path: str = '') -> bool:
    """rev is a commit of repo; with a path, one that has that file."""
    what = f'{rev}:{path}' if path else f'{rev}^{{commit}}'
    return subprocess.run(['git', '-C', str(repo), 'cat-file', '-e', what],
                          capture_output=True).returncode == 0
