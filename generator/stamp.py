"""The one date a regeneration uses, so the same input gives the same commits and patches.

SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else the
later of the base commit's date and the generator's own last commit: the
inputs' date, not the run's.
"""

from __future__ import annotations

import os

from generator.errors import Failure
from generator.kernel_tree import git
from generator.manifest import REPO


def epoch(work: pathlib.Path, base: str) -> int:
    given = os.environ.get('SOURCE_DATE_EPOCH')
    if given:
        if not given.isdigit():
            raise Failure(f'SOURCE_DATE_EPOCH={given!r}: expected seconds since 1970')
        return int(given)
    dates = [int(git(work, 'log', '-1', '--format=%ct', base))]
    own = git(REPO, 'log', '-1', '--format=%ct', 'HEAD', check=False) if (REPO / '.git').exists() else ''
    if own.isdigit():
        dates.append(int(own))
    return max(dates)


def git_date(when: int, offset: int = 0) -> str:
    """A date for GIT_AUTHOR_DATE/GIT_COMMITTER_DATE: when + offset seconds, UTC."""
    return f'{when + offset} +0000'
