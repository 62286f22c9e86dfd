"""`git range-diff` between the previous version of the series and this one.

--prev is a series directory (its series.json names its base and commits) or
a branch/commit range end.  When a previous directory's commits are gone from
the repository, its patches are applied with git am onto its base in a
temporary worktree.  The output is saved as range-diff-v<prev>-v<this>.txt
for the cover letter's "Changes in vN".
"""

from __future__ import annotations

import pathlib
import subprocess
import tempfile

from ci.check import gitrepo, series as series_mod
from generator import seriesfile


def previous_range(repo: pathlib.Path, prev: str, stack, against: str) -> tuple[str, str, str]:
    """(base, tip, label) of the previous version; stack keeps temporary worktrees.

    A branch's base is where it meets `against` (this version's tip).
    """
    path = pathlib.Path(prev)
    if (path / seriesfile.NAME).is_file():
        old = series_mod.load(path)
        label = f'v{old.version}'
        if all(gitrepo.exists(repo, c.commit) for c in old.commits):
            return old.base, old.tip, label
        patches = [path / c.patch for c in old.commits if c.patch]
        tmp = pathlib.Path(stack.enter_context(tempfile.TemporaryDirectory(prefix='check-prev-')))
        work = tmp / 'prev'
        gitrepo.git(repo, 'worktree', 'add', '--detach', str(work), old.base)
        stack.callback(lambda: subprocess.run(['git', '-C', str(repo), 'worktree', 'remove',
                                               '--force', str(work)], capture_output=True))
        gitrepo.git(work, '-c', 'user.name=ci.check', '-c', 'user.email=ci.check@localhost',
                    'am', '-q', *map(str, patches))
        return old.base, gitrepo.git(work, 'rev-parse', 'HEAD').strip(), label
    if not gitrepo.exists(repo, prev):
        raise gitrepo.GitError(f'--prev {prev}: neither a series directory nor a commit')
    base = gitrepo.git(repo, 'merge-base', prev, against).strip()
    return base, gitrepo.git(repo, 'rev-parse', prev).strip(), prev


def range_diff(repo: pathlib.Path, old: tuple[str, str], new: tuple[str, str]) -> str:
    return gitrepo.git(repo, 'range-diff', '--no-color', f'{old[0]}..{old[1]}',
                       f'{new[0]}..{new[1]}')
