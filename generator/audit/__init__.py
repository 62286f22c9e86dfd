"""Audit a kernel tree for what is left of the iova_to_phys op.

    python3 -m generator audit --kernel TREE [--mode report|org|context|patch]

Kinds of finding (cocci/audit/iova_to_phys.cocci describes 1-4):
  0  the op member, or its kernel-doc, still in struct iommu_domain_ops or
     struct io_pgtable_ops (token pass)
  1  .iova_to_phys initialisers and assignments of the op
  2  calls through the op, or other reads of it
  3  loops calling iommu_iova_to_phys() with a fixed step (low confidence)
  4  iova_to_phys_length implementations returning 0 on an error path

The parts: rule (spatch on the files that contain the token, one file per
group so that `--jobs` spreads them), tokens (what spatch does not parse:
#define bodies, macro-named functions, the op members), findings (the kinds,
merged from both methods; each finding says which method found it) and
report (the output formats).  Field accesses of the op that no finding
explains are listed as notes to check by hand, so nothing spatch fails to
parse goes unseen.

The exit status is 1 when kinds 0, 1, 2 or 4 exist, else 0; kind 3 (the
kept wrapper's fixed-stride callers) never fails the audit.
"""

import pathlib
import resource
import sys
import time

from generator import inventory
from generator.audit import report, rule, tokens
from generator.audit.findings import Audit, Finding, Kind, Note, merge

__all__ = ['Audit', 'Finding', 'Kind', 'Note', 'candidate_files', 'find', 'main']


def candidate_files(tree: pathlib.Path) -> list[str]:
    """Sources that mention the token at all, as part of a longer name too."""
    return inventory.git_grep(tree, (tokens.TOKEN,), whole_word=False)


def find(tree: pathlib.Path | str, jobs: int = 2,
         files: list[str] | None = None) -> Audit:
    """Audit a tree: the findings as data (for the inventory to compare)."""
    start = time.monotonic()
    tree = pathlib.Path(tree).resolve()
    if files is None:
        files = candidate_files(tree)
    out, warnings = rule.run(tree, files, 'report', jobs)
    from_tokens, notes = tokens.token_pass(tree, files)
    findings = merge(rule.parse(out), from_tokens)
    explained = {(f.file, f.line) for f in findings}
    notes = sorted({n for n in notes if (n.file, n.line) not in explained})
    return Audit(findings, notes, files, warnings, time.monotonic() - start)


def main(tree: pathlib.Path, mode: str = 'report', jobs: int = 2) -> int:
    """Print the audit of a git tree in one mode; 1 when a failing kind exists."""
    start = time.monotonic()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    audit = find(tree, jobs=jobs)
    patched = None
    if mode in ('context', 'patch'):
        out, more = rule.run(tree, audit.files, mode, jobs)
        audit.warnings += more
        print(out, end='' if out.endswith('\n') or not out else '\n')
        if mode == 'patch':
            patched = report.patched_lines(out)
    for w in audit.warnings:
        print(f'audit: spatch: {w}', file=sys.stderr)
    for line in report.findings(audit, mode, patched) + [''] + report.summary(audit, tree, mode):
        print(line)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = used.ru_utime + used.ru_stime - children.ru_utime - children.ru_stime
    print(f'wall time {time.monotonic() - start:.1f}s (spatch and git CPU {cpu:.1f}s)')
    return 1 if audit.failed() else 0
