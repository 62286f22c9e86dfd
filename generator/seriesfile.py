"""series.json, the summary of a series directory: its one reader and writer.

generator/series.py stores it after a run, ci/check/scratch.py for its
scratch series; PREV=, make check, make bench and the Makefile (through
`python3 -m generator show FIELD`) load it.  FORMAT names the layout: a file
of another format is refused in one line that says to regenerate it, not
misread.  A file without the field is format 1: the field came with no other
change, and a v1 posted before it must still serve as PREV=.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib

from generator.errors import Failure

FORMAT = 1
NAME = 'series.json'


class Unreadable(Failure, ValueError):
    """A missing, broken or other-format series.json: one line naming the file."""


# Field order is the file's key order: what readers and diffs of two runs see.
@dataclasses.dataclass
class Kernel:
    release: str = ''
    tree: str = ''              # the tree read (user's, Debian's, a private copy)
    source: str = ''            # how the generator got it
    base_commit: str = ''


@dataclasses.dataclass
class Step:
    id: str
    subject: str = ''
    produced_by: str = ''
    status: str = 'pending'     # applied | pending | absent
    files: list[str] = dataclasses.field(default_factory=list)
    commit: str = ''
    patch: str = ''             # file name in the series directory ('' if none)
    reason: str = ''
    covers: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(kw_only=True)
class Summary:
    series: str = ''
    version: int = 1
    kernel: Kernel
    branch: str = ''
    worktree: str
    out: str = ''
    spatch: str | None = None
    steps: list[Step]
    inventory: list[dict] | None = None      # inventory.Entry.as_dict() + handled_by, kept
    unconverted: list[dict] | None = None    # new_callers.Unconverted.as_dict()
    seconds: float | None = None
    review: dict | None = None               # versions.summary()
    b4: dict | None = None                   # b4prep.prepare()

    def applied(self) -> list[Step]:
        return [s for s in self.steps if s.status == 'applied']


def as_dict(summary: Summary) -> dict:
    """The file's content; the optional parts a writer left out (None) are absent."""
    fields = dataclasses.asdict(summary)
    return {'format': FORMAT, **{k: v for k, v in fields.items() if v is not None}}


def store(out: pathlib.Path, summary: Summary) -> pathlib.Path:
    path = out / NAME
    path.write_text(json.dumps(as_dict(summary), indent=1) + '\n')
    return path


def read(out: pathlib.Path) -> dict:
    """The file as stored, format checked: what `show` prints fields of."""
    path = out / NAME
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise Unreadable(f'{path}: no {NAME} (run make series first, or give OUT=)') from None
    except (OSError, ValueError) as err:
        raise Unreadable(f'{path}: unreadable ({err})') from None
    found = data.get('format', 1) if isinstance(data, dict) else 'no object'
    if found != FORMAT:
        raise Unreadable(f'{path}: format {found}; this generator reads format {FORMAT}: '
                         f'regenerate it with make series')
    return data


def load(out: pathlib.Path) -> Summary:
    data = read(out)
    path = out / NAME
    try:
        summary = Summary(**{k: v for k, v in data.items() if k != 'format'})
        summary.kernel = Kernel(**summary.kernel)
        summary.steps = [Step(**s) for s in summary.steps]
    except TypeError as err:
        raise Unreadable(f'{path}: {err}') from None
    if not summary.kernel.base_commit:
        raise Unreadable(f'{path}: missing kernel.base_commit')
    return summary


def field(out: pathlib.Path, name: str) -> str:
    """The value of a dotted field (worktree, kernel.base_commit), for the Makefile."""
    value = read(out)
    for part in name.split('.'):
        if not isinstance(value, dict) or part not in value:
            raise Unreadable(f'{out / NAME}: no field {name}')
        value = value[part]
    return value if isinstance(value, str) else json.dumps(value)
