"""One boot's verdict, its markdown table and its JSON."""
from __future__ import annotations

import json
import re
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


def suite_regressed(suite: Suite, before: Suite | None) -> bool:
    """Worse than the base run: a case failing that did not fail there, an
    error it did not have, or nothing passing where something did."""
    if suite.ok:
        return False
    if before is None:
        return True
    return (bool(set(suite.failures) - set(before.failures))
            or bool(set(suite.errors) - set(before.errors))
            or suite.failed > before.failed
            or (suite.passed == 0 and before.passed > 0))


# Code offsets, addresses and ids differ between two builds of the same
# report ("do_raw_spin_lock+0x11c/0x270", "ff110001400820a8", "kworker/u8:1/26").
_VOLATILE = re.compile(r'\+0x[0-9a-f]+/0x[0-9a-f]+|\b(0x)?[0-9a-f]{8,}\b|\d+')


def finding_key(finding: Finding) -> tuple[str, str]:
    """What two runs' reports must share to be the same report."""
    return finding.kind, _VOLATILE.sub('#', finding.text)


def pre_existing(boot: Boot, base: Boot) -> list[Finding]:
    """The bug reports of the boot that the base kernel's boot printed too."""
    before = {finding_key(f) for f in base.findings}
    return [f for f in boot.findings if finding_key(f) in before]


def regressions(boot: Boot, base: Boot) -> list[str]:
    """What fails the tree against its base: every boot-level problem
    (missing suite, unfinished boot), every bug report the base kernel
    did not print too, and every suite that regressed; failures the base
    run has too are pre-existing."""
    out = list(boot.errors)
    out += [f'required suite missing: {name}' for name in boot.missing]
    old = pre_existing(boot, base)
    out += [f'console line {f.line_number}: {f.kind}: {f.text}' for f in boot.findings
            if f not in old]
    before = {s.name: s for s in base.suites}
    for suite in boot.suites:
        if suite_regressed(suite, before.get(suite.name)):
            new = sorted(set(suite.failures) -
                         set(before[suite.name].failures if suite.name in before else []))
            out.append(f'{suite.name}: regressed' + (f' ({", ".join(new)})' if new else ''))
    return out


def passed(boot: Boot, base: Boot | None) -> bool:
    """Without a base every failure counts; with one, only regressions."""
    return boot.ok if base is None else not regressions(boot, base)


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
    if boot.ok:
        verdict = 'PASS'
    elif base is not None and passed(boot, base):
        verdict = 'PASS (no regression against the base; pre-existing failures below)'
    else:
        verdict = 'FAIL'
    title = f'## boot {boot.arch} {boot.machine}: {verdict}'
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
    if base:
        regressed = regressions(boot, base)
        lines += ['', 'regressions against the base:' if regressed else
                  'regressions against the base: none']
        lines += [f'- {r}' for r in regressed]
    if base and not base.ok:
        lines += ['', 'problems of the base run:']
        lines += [f'- {p}' for p in base.problems()]
    return '\n'.join(lines) + '\n'


def to_json(boot: Boot, base: Boot | None = None) -> str:
    def one(b: Boot) -> dict:
        d = asdict(b)
        for suite in d['suites']:
            del suite['cases']   # every case that ran: for --require-case, not the report
        d['ok'] = b.ok
        d['problems'] = b.problems()
        return d
    return json.dumps({'boot': one(boot), 'base': one(base) if base else None,
                       'regressions': regressions(boot, base) if base else None,
                       'passed': passed(boot, base)}, indent=1) + '\n'
