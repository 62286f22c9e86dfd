"""The audit's output: findings as report or org lines, patch-mode marks, the summary."""

import pathlib
import re

from generator.audit.findings import Audit, Finding, Kind
from generator.audit.tokens import TOKEN

PATCH_LIMITS = ('patch mode cannot convert implementations (kind 1), calls whose result is '
                'stored or compared with a value, macro bodies, or loops (kind 3)')


def patched_lines(diff: str) -> set[tuple[str, int]]:
    """(file, old line) of every line a unified diff removes."""
    lines = set()
    file, old = '', 0
    for text in diff.splitlines():
        if text.startswith('--- '):
            file = re.sub(r'^a/', '', text[4:].split('\t')[0].strip())
        elif text.startswith('@@'):
            m = re.match(r'@@ -(\d+)', text)
            old = int(m.group(1)) if m else 0
        elif text.startswith('+++'):
            continue
        elif text.startswith('-'):
            lines.add((file, old))
            old += 1
        elif text.startswith(' '):
            old += 1
    return lines


def is_patched(finding: Finding, patched: set[tuple[str, int]]) -> bool:
    """Whether a patch-mode diff rewrites the finding's line (for a result
    still 0 from its initialiser, the initialiser's line)."""
    m = re.search(r'still 0 from line (\d+)', finding.reason)
    return (finding.file, int(m.group(1)) if m else finding.line) in patched


def findings(audit: Audit, mode: str, patched: set[tuple[str, int]] | None) -> list[str]:
    """One line per finding (an org TODO in org mode), then the notes."""
    out = []
    for f in audit.findings:
        where = f'{f.file}:{f.line}'
        text = f'kind {f.kind:d} [{f.method}] {f.function}: {f.reason}'
        if patched is not None and f.kind.fails:
            text += ('  -- patched' if is_patched(f, patched)
                     else '  -- not patched: needs review')
        if mode == 'org':
            out.append(f'* TODO [[view:{f.file}::face=ovl-face1::linb={f.line}][{where}: {text}]]')
        else:
            out.append(f'{where}: {text}')
    return out + [f'{n.file}:{n.line}: note: {n.text}' for n in audit.notes]


def summary(audit: Audit, tree: pathlib.Path, mode: str) -> list[str]:
    """The counts after the findings."""
    out = [f'{len(audit.files)} files with "{TOKEN}" in {tree}']
    out += [f'kind {kind:d}: {audit.count(kind):3d}  {kind.title}' for kind in Kind]
    out.append(f'notes:  {len(audit.notes):3d}  uses no finding explains (check by hand)')
    return out + ([PATCH_LIMITS] if mode == 'patch' else [])
