"""The user's kernel tree: checks, and the private work tree we write in.

The user's tree is only read.  The series is built in a `git worktree`
outside it, on a branch of its own; re-running replaces that branch only.
"""

import hashlib
import os
import pathlib
import re
import shutil
import subprocess

from generator.errors import Failure


def git(tree: pathlib.Path, *args: str, check: bool = True, env: dict | None = None,
        input: str | None = None) -> str:
    proc = subprocess.run(['git', '-C', str(tree), *args], capture_output=True, text=True,
                          env=env, input=input)
    if check and proc.returncode != 0:
        raise Failure(f'git {" ".join(args[:2])} failed in {tree}: '
                      f'{(proc.stderr or proc.stdout).strip().splitlines()[-1:]}')
    return proc.stdout.strip()


def kernelrelease(tree: pathlib.Path) -> str:
    """VERSION.PATCHLEVEL.SUBLEVEL plus EXTRAVERSION, from the top Makefile."""
    text = (tree / 'Makefile').read_text(errors='replace')[:4096]
    fields = dict(re.findall(r'^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)[ \t]*=[ \t]*(\S*)',
                             text, re.M))
    return '{}.{}.{}{}'.format(fields['VERSION'], fields['PATCHLEVEL'], fields.get('SUBLEVEL', '0'),
                               fields.get('EXTRAVERSION', ''))


def check_kernel(tree: pathlib.Path) -> None:
    makefile = tree / 'Makefile'
    if not tree.is_dir():
        raise Failure(f'{tree}: no such directory')
    if not makefile.is_file() or not re.search(r'^PATCHLEVEL\s*=', makefile.read_text(
            errors='replace')[:4096], re.M) or not (tree / 'include/linux/iommu.h').is_file():
        raise Failure(f'{tree}: not a Linux kernel tree (no top Makefile with PATCHLEVEL '
                      'or no include/linux/iommu.h)')


def check_repository(tree: pathlib.Path) -> None:
    """A git KERNEL= the series can be based on: not bare, its HEAD there
    (a shallow clone may lack it), and no detached HEAD on local commits
    (a bisect or rebase left half way: the base would be a commit reviewers
    do not have).  A tree without git passes: it gets a private copy."""
    if not tree.is_dir():
        return
    if git(tree, 'rev-parse', '--is-bare-repository', check=False) == 'true':
        raise Failure(f'{tree}: a bare git repository has no files to convert; give a '
                      'checked-out tree (git clone, or git worktree add)')
    if not (tree / '.git').exists():
        return
    head = git(tree, 'rev-parse', '--verify', '-q', 'HEAD^{commit}', check=False)
    if git(tree, 'rev-parse', '--is-shallow-repository', check=False) == 'true' and (
            not head or subprocess.run(['git', '-C', str(tree), 'cat-file', '-e',
                                        'HEAD^{tree}'], capture_output=True).returncode):
        raise Failure(f'{tree}: a shallow clone without its HEAD commit: no base for the series;'
                      ' fetch it (git fetch --deepen=1) or clone again')
    if head and not git(tree, 'symbolic-ref', '-q', 'HEAD', check=False):
        local = git(tree, 'rev-list', '--count', 'HEAD', '--not', '--remotes', '--tags',
                    check=False)
        if local.isdigit() and int(local) > 0:
            tag = git(tree, 'describe', '--tags', '--abbrev=0', 'HEAD', check=False)
            after = f'after {tag}' if tag else 'on no tag or remote branch'
            commits = 'commit' if local == '1' else 'commits'
            raise Failure(f'{tree}: detached HEAD {head[:12]} is {local} local {commits} {after}: '
                          f'the series would be based on {head[:12]}, not on '
                          f'{tag or "a release"}; check out a branch to base it there, '
                          f'or {"git checkout " + tag if tag else "the release"}')


def check_git(tree: pathlib.Path) -> None:
    top = git(tree, 'rev-parse', '--show-toplevel', check=False)
    if not top or pathlib.Path(top).resolve() != tree.resolve():
        raise Failure(f'{tree}: not the top of a git repository; give a kernel git tree '
                      '(or KVER= for a Debian linux-source release)')
    if not git(tree, 'rev-parse', '--verify', '-q', 'HEAD', check=False):
        raise Failure(f'{tree}: the repository has no commit to base the series on')


def check_clean(tree: pathlib.Path) -> None:
    dirty = git(tree, 'status', '--porcelain', '--untracked-files=no')
    if dirty:
        first = dirty.splitlines()[0][3:]
        raise Failure(f'{tree}: uncommitted changes ({len(dirty.splitlines())} files, '
                      f'first {first}); commit or stash them first')


def check_not_converted(tree: pathlib.Path) -> None:
    """Refuse a tree whose HEAD has files that declare or set the iova_to_phys_length op.

    Declarations and initialisers only: a comment naming the op (a driver
    that mentions it) does not make a tree converted.
    """
    found = git(tree, 'grep', '-l', '-E',
                r'\(\s*\*\s*iova_to_phys_length\s*\)|\.iova_to_phys_length\s*=',
                'HEAD', '--', 'include/linux', 'drivers/iommu', check=False)
    files = [line.split(':', 1)[1] for line in found.split()]
    if files:
        raise Failure(f'{tree}: already converted: iova_to_phys_length is in {len(files)} files '
                      f'({", ".join(files[:4])}{", ..." if len(files) > 4 else ""}); '
                      'nothing to generate')


def work_path(cache: pathlib.Path, tree: pathlib.Path, branch: str) -> pathlib.Path:
    key = hashlib.sha256(str(tree.resolve()).encode()).hexdigest()[:8]
    return cache / 'work' / f'{tree.resolve().name}-{key}' / branch.replace('/', '-')


def make_worktree(tree: pathlib.Path, branch: str, path: pathlib.Path) -> str:
    """A clean work tree at path on branch, reset to tree's HEAD; returns HEAD's id.

    An existing work tree of ours is reset in place rather than removed and
    checked out again: a kernel tree is 90,000 files, and a reset rewrites
    only those the last series changed.
    """
    current = git(tree, 'symbolic-ref', '-q', '--short', 'HEAD', check=False)
    if current == branch:
        raise Failure(f'{tree}: {branch} is the checked-out branch; refusing to replace it')
    base = git(tree, 'rev-parse', 'HEAD')
    listed = git(tree, 'worktree', 'list', '--porcelain').splitlines()
    if f'worktree {path}' in listed and (path / '.git').exists():
        git(path, 'checkout', '-q', '-f', '-B', branch, base)
        git(path, 'clean', '-q', '-f', '-d', '-x')
        return base
    if path.exists():
        # Left over from a private copy that was made again: ours, by its place.
        shutil.rmtree(path)
    git(tree, 'worktree', 'prune')
    path.parent.mkdir(parents=True, exist_ok=True)
    git(tree, 'worktree', 'add', '-q', '--force', '-B', branch, str(path), base)
    return base

def commit_all(tree: pathlib.Path, message: str, who: str) -> None:
    """Make tree a git repository with one commit holding every file.

    Author, committer and dates are fixed so the commit id depends on the
    content only.  Debian's linux-source ships the kernel's top-level
    .gitignore, which ignores dot files and some shipped sources: add with
    -f so the base really is the whole tree, and stage later changes by
    explicit path.
    """
    env = dict(os.environ, GIT_AUTHOR_NAME=who, GIT_AUTHOR_EMAIL='nobody@localhost',
               GIT_COMMITTER_NAME=who, GIT_COMMITTER_EMAIL='nobody@localhost',
               GIT_AUTHOR_DATE='2000-01-01T00:00:00Z', GIT_COMMITTER_DATE='2000-01-01T00:00:00Z')
    git(tree, 'init', '-q', '-b', 'base')
    git(tree, 'add', '-A', '-f')
    git(tree, 'commit', '-q', '--no-verify', '-m', message, env=env)


def private_copy(tree: pathlib.Path, cache: pathlib.Path) -> pathlib.Path:
    """A git copy of a tree that has no git, with one base commit."""
    key = hashlib.sha256(str(tree.resolve()).encode()).hexdigest()[:8]
    dest = cache / 'src' / f'{tree.resolve().name}-{key}'
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(tree, dest, symlinks=True)
    commit_all(dest, f'{tree.resolve().name} as found', 'iova_to_phys_length generator')
    return dest
