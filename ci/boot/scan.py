"""Find kernel bug reports in a console log and say what kind each is.

Every report fails the boot. The kinds are checked in order and the first
match wins, because the same line can look like several: a KASAN report
starts with "BUG:", a lockdep report with "WARNING:" but without the
"CPU: n PID: n" (or, since 7.x, "<file>:<line> at") of a WARN().
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# printk time stamp and an optional caller id, e.g. "[   1.234567][    T1] "
_PREFIX = re.compile(r'^\s*(\[\s*\d+\.\d+\])?(\[\s*[TC]\d+\])?\s*')

KINDS: list[tuple[str, re.Pattern[str]]] = [
    ('kasan', re.compile(r'BUG: KASAN: |KASAN: .* in ')),
    ('ubsan', re.compile(r'UBSAN: ')),
    ('lockdep', re.compile(
        r'WARNING: (?!CPU: )(?!at )(?!\S+:\d+ at ).*(lock|RCU|recursion)'
        r'|INFO: (possible|inconsistent) .*lock'
        r'|DEBUG_LOCKS_WARN_ON'
        r'|BUG: (MAX_LOCK_DEPTH|lock held|held lock|bad unlock)')),
    ('panic', re.compile(r'Kernel panic - not syncing')),
    ('bug', re.compile(
        r'\bBUG: |kernel BUG at |Oops: |general protection fault'
        r'|Unable to handle kernel|Internal error: ')),
    # WARN() up to 6.x: "WARNING: CPU: 0 PID: 1 at <func>"; since 7.x
    # (kernel/panic.c __warn): "WARNING: <file>:<line> at <func>, CPU#0: <comm>/<pid>"
    ('warn', re.compile(r'WARNING: CPU: \d+ PID: \d+ at |WARNING: at '
                        r'|WARNING: \S+:\d+ at .*, CPU#\d+: ')),
    ('iommu-fault', re.compile(
        r'translation fault'
        r'|IO_PAGE_FAULT'                                  # amd
        r'|DMAR: \[(DMA Read|DMA Write|INTR-REMAP)'        # intel
        r'|DMAR: DRHD: handling fault'
        r'|viommu.* fault from EP'                         # virtio-iommu
        r'|arm-smmu-v3 .*event 0x[0-9a-f]+ received'       # smmu-v3
        r'|Unhandled context fault', re.IGNORECASE)),
    ('hung-task', re.compile(r'INFO: task .* blocked for more than'
                 r'|rcu: INFO: rcu_\w+ detected stalls'
                 r'|soft lockup - CPU#')),
]


@dataclass
class Finding:
    kind: str
    line_number: int  # 1-based, in the scanned log
    text: str


def strip_prefix(line: str) -> str:
    return _PREFIX.sub('', line.rstrip('\r\n'), count=1)


def classify(line: str) -> str | None:
    """The kind of report this console line opens, or None."""
    text = strip_prefix(line)
    for kind, pattern in KINDS:
        if pattern.search(text):
            return kind
    return None


def scan(log: str) -> list[Finding]:
    """Every report-opening line of the log, in order."""
    findings = []
    for number, line in enumerate(log.splitlines(), 1):
        kind = classify(line)
        if kind:
            findings.append(Finding(kind, number, strip_prefix(line)))
    return findings
