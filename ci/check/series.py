"""The generated series as ci.check sees it: the applied commits of series.json
(generator/seriesfile.py reads it) and the cover letter beside it."""

from __future__ import annotations

import dataclasses
import pathlib

from generator import seriesfile


@dataclasses.dataclass(frozen=True)
class Commit:
    step: str           # the manifest step id
    subject: str
    commit: str
    patch: str          # file name in the series directory ('' if none)
    files: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Series:
    out: pathlib.Path           # the directory holding series.json and the patches
    version: int
    base: str                   # kernel.base_commit
    tree: pathlib.Path          # kernel.tree, else the worktree
    worktree: pathlib.Path
    branch: str
    commits: tuple[Commit, ...]
    skipped: tuple[tuple[str, str], ...]     # (step id, status) of pending/absent steps
    cover: str                  # cover letter file name ('' if none)

    @property
    def tip(self) -> str:
        return self.commits[-1].commit if self.commits else self.base

    def parent(self, index: int) -> str:
        return self.commits[index - 1].commit if index else self.base


SeriesError = seriesfile.Unreadable


def load(out: pathlib.Path) -> Series:
    data = seriesfile.load(out)
    commits, skipped = [], []
    for s in data.steps:
        if s.status == 'applied':
            if not s.commit:
                raise SeriesError(f'{out / seriesfile.NAME}: step {s.id} is applied but has '
                                  f'no commit')
            commits.append(Commit(s.id, s.subject, s.commit, s.patch, tuple(s.files)))
        else:
            skipped.append((s.id, s.status))
    covers = sorted(out.glob('v*-0000-cover-letter.patch'))
    worktree = pathlib.Path(data.worktree)
    return Series(out, int(data.version), data.kernel.base_commit,
                  pathlib.Path(data.kernel.tree or worktree), worktree, data.branch,
                  tuple(commits), tuple(skipped), covers[0].name if covers else '')
