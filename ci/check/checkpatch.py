"""scripts/checkpatch.pl --strict on every patch, judged against a reviewed allow-list.

ERRORs always fail.  A WARNING or CHECK fails unless an entry of
ci/check/checkpatch-allow.toml matches it: same step id (fnmatch pattern),
same checkpatch type, and its `message` regex found in the message.  Every
entry must give a reason; entries that match nothing are reported as stale.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import pathlib
import re
import subprocess
import tomllib

ALLOW_FILE = pathlib.Path(__file__).resolve().parent / 'checkpatch-allow.toml'
ALLOW_KEYS = ('step', 'type', 'message', 'reason')

HEAD = re.compile(r'^(ERROR|WARNING|CHECK):([A-Z0-9_]+): (.*)$')
WHERE = re.compile(r'^#(\d+): (?:FILE: (.+?):(\d+):)?')


@dataclasses.dataclass(frozen=True)
class Finding:
    step: str
    level: str          # ERROR, WARNING or CHECK
    type: str           # checkpatch --show-types name, e.g. LONG_LINE
    message: str
    patch_line: int = 0
    file: str = ''      # the source file and line, when checkpatch names one
    line: int = 0

    def where(self) -> str:
        return f'{self.file}:{self.line}' if self.file else f'patch line {self.patch_line}'

    def __str__(self) -> str:
        return f'{self.step}: {self.level}:{self.type}: {self.message} ({self.where()})'


@dataclasses.dataclass(frozen=True)
class Allow:
    step: str
    type: str
    message: str
    reason: str

    def matches(self, f: Finding) -> bool:
        return (fnmatch.fnmatchcase(f.step, self.step) and f.type == self.type
                and re.search(self.message, f.message) is not None)


@dataclasses.dataclass
class Result:
    allowed: list[tuple[Finding, Allow]]
    failing: list[Finding]          # errors, and warnings/checks no entry allows
    stale: list[Allow]              # allow-list entries that matched nothing
    crashed: list[str]              # patches checkpatch could not judge (step: message)

    @property
    def ok(self) -> bool:
        return not self.failing and not self.crashed


def parse(step: str, output: str) -> list[Finding]:
    """The findings of one `checkpatch.pl --show-types` run (default, not --terse)."""
    findings = []
    lines = output.splitlines()
    for i, line in enumerate(lines):
        m = HEAD.match(line)
        if not m:
            continue
        w = WHERE.match(lines[i + 1]) if i + 1 < len(lines) else None
        file, src_line = (w.group(2), int(w.group(3))) if w and w.group(2) else ('', 0)
        findings.append(Finding(step, m.group(1), m.group(2), m.group(3),
                                int(w.group(1)) if w else 0, file, src_line))
    return findings


def load_allow(path: pathlib.Path = ALLOW_FILE) -> list[Allow]:
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text())
    entries = []
    for n, raw in enumerate(data.get('allow', []), 1):
        missing = [k for k in ALLOW_KEYS if not str(raw.get(k, '')).strip()]
        if missing:
            raise ValueError(f'{path.name}: entry {n} lacks {", ".join(missing)}')
        unknown = set(raw) - set(ALLOW_KEYS)
        if unknown:
            raise ValueError(f'{path.name}: entry {n} has unknown keys {sorted(unknown)}')
        re.compile(raw['message'])
        entries.append(Allow(raw['step'], raw['type'], raw['message'], raw['reason'].strip()))
    return entries


def judge(findings: list[Finding], allow: list[Allow], crashed: list[str] | None = None) -> Result:
    allowed, failing, used = [], [], set()
    for f in findings:
        entry = None if f.level == 'ERROR' else next((a for a in allow if a.matches(f)), None)
        if entry:
            allowed.append((f, entry))
            used.add(entry)
        else:
            failing.append(f)
    return Result(allowed, failing, [a for a in allow if a not in used], crashed or [])


def run(tree: pathlib.Path, patches: list[tuple[str, pathlib.Path]]) -> tuple[list[Finding], list[str]]:
    """Run the tree's checkpatch on each (step id, patch file) from inside the tree."""
    script = tree / 'scripts/checkpatch.pl'
    findings, crashed = [], []
    for step, patch in patches:
        proc = subprocess.run(['perl', str(script), '--strict', '--show-types', '--no-summary',
                               '--color=never', str(patch)],
                              cwd=tree, capture_output=True, text=True)
        found = parse(step, proc.stdout)
        # checkpatch exits 1 on any ERROR; anything else non-zero, or a failure
        # without a finding, means it did not judge the patch.
        if proc.returncode not in (0, 1) or (proc.returncode == 1 and not found):
            crashed.append(f'{step}: checkpatch exit {proc.returncode}: '
                           f'{(proc.stderr or proc.stdout).strip()[-300:]}')
        findings += found
    return findings, crashed
