"""The generated series as series.json describes it (generator/series.py writes it)."""

from __future__ import annotations

import dataclasses
import json
import pathlib


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


class SeriesError(Exception):
    pass


def load(out: pathlib.Path) -> Series:
    path = out / 'series.json'
    if not path.is_file():
        raise SeriesError(f'{path}: no series.json (run make series first, or give OUT=)')
    data = json.loads(path.read_text())
    try:
        base = data['kernel']['base_commit']
        worktree = pathlib.Path(data['worktree'])
        steps = data['steps']
    except (KeyError, TypeError) as e:
        raise SeriesError(f'{path}: missing {e}') from None
    commits, skipped = [], []
    for s in steps:
        if s.get('status') == 'applied':
            if not s.get('commit'):
                raise SeriesError(f'{path}: step {s.get("id")} is applied but has no commit')
            commits.append(Commit(s['id'], s.get('subject', ''), s['commit'], s.get('patch', ''),
                                  tuple(s.get('files', []))))
        else:
            skipped.append((s.get('id', '?'), s.get('status', '?')))
    covers = sorted(out.glob('v*-0000-cover-letter.patch'))
    tree = pathlib.Path(data['kernel'].get('tree') or worktree)
    return Series(out, int(data.get('version', 1)), base, tree, worktree,
                  data.get('branch', ''), tuple(commits), tuple(skipped),
                  covers[0].name if covers else '')
