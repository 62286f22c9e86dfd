"""One boot's verdict, its markdown table and its JSON."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .results import Suite
from .scan import Finding


@dataclass
class Boot:
    arch: str
    machine: str
    tree: str
    suites: list[Suite] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # required suites not seen
    errors: list[str] = field(default_factory=list)   # boot-level problems
    seconds: float | None = None                       # QEMU wall time

    @property
    def ok(self) -> bool:
        return (not self.findings and not self.missing and not self.errors
            and all(s.ok for s in self.suites))

    def problems(self) -> list[str]:
        """Why the boot is not ok, one line each."""
        out = list(self.errors)
        out += [f'required suite missing: {name}' for name in self.missing]
        for suite in self.suites:
            if suite.failed:
                out.append(f'{suite.name}: {suite.failed} failed')
            out += [f'{suite.name}: {e}' for e in suite.errors]
            if not suite.failed and not suite.errors and not suite.passed:
                out.append(f'{suite.name}: nothing passed')
        out += [f'console line {f.line_number}: {f.kind}: {f.text}'
            for f in self.findings]
        return out


def _seconds(value: float | None) -> str:
    return '-' if value is None else f'{value:.1f}'


def _cells(suite: Suite | None) -> list[str]:
    if suite is None:
        return ['-', '-', '-', '-']
    failed = str(suite.failed)
    if suite.errors:
        failed += ' (' + '; '.join(suite.errors) + ')'
    return [str(suite.passed), failed, str(suite.skipped),
        _seconds(suite.seconds)]


def markdown(boot: Boot, base: Boot | None = None) -> str:
    """A table per boot: the tree's results, and the base tree's beside
    them when there is a base run."""
    title = f'## boot {boot.arch} {boot.machine}: ' + \
        ('PASS' if boot.ok else 'FAIL')
    header = ['suite', 'passed', 'failed', 'skipped', 'time (s)']
    if base:
        header += ['before: passed', 'failed', 'skipped', 'time (s)']
    rows = [header, ['---'] * len(header)]
    names = [s.name for s in boot.suites]
    names += [n for n in boot.missing if n not in names]
    if base:
        names += [s.name for s in base.suites if s.name not in names]
    ours = {s.name: s for s in boot.suites}
    theirs = {s.name: s for s in base.suites} if base else {}
    for name in names:
        row = [name] + _cells(ours.get(name))
        if base:
            row += _cells(theirs.get(name))
        rows.append(row)
    lines = [title, '', f'tree: `{boot.tree}`']
    if base:
        lines.append(f'before (base): `{base.tree}`')
    lines.append(f'boot + tests: {_seconds(boot.seconds)} s' +
        (f' (before: {_seconds(base.seconds)} s)' if base else ''))
    lines.append('')
    lines += ['| ' + ' | '.join(r) + ' |' for r in rows]
    problems = boot.problems()
    lines += ['', 'problems:' if problems else 'problems: none']
    lines += [f'- {p}' for p in problems]
    if base and not base.ok:
        lines += ['', 'problems of the base run:']
        lines += [f'- {p}' for p in base.problems()]
    return '\n'.join(lines) + '\n'


def to_json(boot: Boot, base: Boot | None = None) -> str:
    def one(b: Boot) -> dict:
        d = asdict(b)
        d['ok'] = b.ok
        d['problems'] = b.problems()
        return d
    return json.dumps({'boot': one(boot), 'base': one(base) if base else None},
              indent=1) + '\n'
