"""Parse what the benchmark guest (or the host smoke variant) printed,
check the walk-count invariant, and reduce repetitions to min/median/max.

The walk counts are checked here again, from the range and the leaf size
alone, so a module that printed a wrong "expected" would still fail.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass, field

from ci.guest import protocol

from . import spread

_FIELD = re.compile(r'(\w+)=(\S+)')


class InvariantError(Exception):
    """A traversal took a number of walks other than the one promised."""


@dataclass
class Stats:
    min: float
    median: float
    max: float
    n: int
    q1: float = 0.0      # quartiles: q1..q3 is the interquartile range
    q3: float = 0.0

    @classmethod
    def of(cls, values: list[float]) -> Stats:
        q1, _, q3 = spread.quartiles(values)
        return cls(min(values), statistics.median(values), max(values), len(values), q1, q3)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class WalkCase:
    fmt: str
    leaf: int
    method: str          # old: one lookup per page; new: one per leaf
    op: str
    walks: int
    expected: int        # as the module computed it
    ns: list[int]


@dataclass
class KmodRun:
    range: int = 0
    reps: int = 0
    page: int = 0
    length_op: bool = False
    cases: list[WalkCase] = field(default_factory=list)
    skips: list[tuple[str, int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    done: bool = False


def sections(text: str) -> dict[str, protocol.Section]:
    """The sections of the guest's results port that ended: one the guest
    died in measured nothing that counts."""
    return {name: s for name, s in protocol.sections(text).items() if s.rc is not None}


def fields(line: str) -> dict[str, str]:
    return dict(_FIELD.findall(line))


def parse_kmod(text: str, tag: str = 'iova_bench:') -> KmodRun:
    """The module's lines (dmesg timestamps and other lines are ignored)."""
    run = KmodRun()
    for line in text.splitlines():
        at = line.find(tag)
        if at < 0:
            continue
        rest = line[at + len(tag):].strip()
        kind, _, tail = rest.partition(' ')
        f = fields(tail)
        if kind == 'start':
            run.range, run.reps, run.page = int(f['range']), int(f['reps']), int(f['page'])
            run.length_op = f.get('length_op') == '1'
        elif kind == 'case':
            run.cases.append(WalkCase(f['fmt'], int(f['leaf']), f['method'], f['op'],
                                      int(f['walks']), int(f['expected']),
                                      [int(v) for v in f['ns'].split(',')]))
        elif kind == 'skip':
            run.skips.append((f['fmt'], int(f['leaf']), f.get('reason', '')))
        elif kind == 'error':
            run.errors.append(tail)
        elif kind == 'done':
            run.done = True
    return run


def merge(runs: list[KmodRun]) -> KmodRun:
    """One run of several boots of the same kernel: each case's timings
    pooled, every error kept, done only if every boot finished. Walk
    counts must agree between boots (they are checked per boot first)."""
    if not runs:
        return KmodRun()
    first = runs[0]
    merged = KmodRun(first.range, sum(r.reps for r in runs), first.page, first.length_op,
                     skips=list(first.skips), done=all(r.done for r in runs))
    index: dict[tuple[str, int, str], WalkCase] = {}
    for run in runs:
        merged.errors += run.errors
        if (run.range, run.page, run.length_op) != (first.range, first.page, first.length_op):
            merged.errors.append('boots of one kernel disagree on range, page or length op')
        for case in run.cases:
            key = (case.fmt, case.leaf, case.method)
            if key not in index:
                index[key] = WalkCase(case.fmt, case.leaf, case.method, case.op,
                                      case.walks, case.expected, [])
                merged.cases.append(index[key])
            elif index[key].walks != case.walks:
                merged.errors.append(f'{case.fmt} leaf {case.leaf} {case.method}: '
                                     f'{index[key].walks} walks in one boot, {case.walks} '
                                     'in another')
            index[key].ns += case.ns
    return merged


def expected_walks(run: KmodRun, case: WalkCase) -> int:
    """One walk per page the old way, one per leaf entry the new way."""
    step = run.page if case.method == 'old' else case.leaf
    return run.range // step


def check_invariant(run: KmodRun) -> None:
    """Raise InvariantError unless every case walked exactly as promised
    and the run finished without errors."""
    problems = list(run.errors)
    if not run.done:
        problems.append('the benchmark did not finish (no "done" line)')
    if not run.cases:
        problems.append('no case was measured')
    for case in run.cases:
        want = expected_walks(run, case)
        if case.walks != want or case.expected != want:
            problems.append(f'{case.fmt} leaf {case.leaf} {case.method}: {case.walks} walks '
                            f'(module expected {case.expected}), should be {want}')
    if run.length_op and not any(c.method == 'new' for c in run.cases):
        problems.append('the tree has iova_to_phys_length but no "new" case ran')
    if problems:
        raise InvariantError('; '.join(problems))


def walk_table(before: KmodRun | None, after: KmodRun) -> list[dict]:
    """One row per format and leaf size: (a) before, (a) and (b) after,
    walks and time, and the ratios that matter: before (a) over after (b)."""
    def find(run, *key):
        return run and next((c for c in run.cases if (c.fmt, c.leaf, c.method) == key), None)

    rows = []
    for fmt, leaf in dict.fromkeys((c.fmt, c.leaf) for c in after.cases):
        row: dict = {'fmt': fmt, 'leaf': leaf}
        for label, run, method in (('before_old', before, 'old'), ('after_old', after, 'old'),
                                   ('after_new', after, 'new')):
            case = find(run, fmt, leaf, method)
            row[label] = None if case is None else {
                'op': case.op, 'walks': case.walks, 'ns': Stats.of(case.ns).as_dict()}
        base, new = row['before_old'], row['after_new']
        if base and new:
            row['walk_ratio'] = base['walks'] / new['walks']
            row['time_ratio'] = base['ns']['median'] / max(new['ns']['median'], 1)
        else:
            row['walk_ratio'] = row['time_ratio'] = None
        rows.append(row)
    return rows


def parse_e2e(text: str, kind: str) -> tuple[dict[str, dict[str, list[int]]], list[str]]:
    """'bench <kind> ...' lines: {case name: {'map_ns': [...], 'unmap_ns': [...]}}
    and the error lines. The case name is domain/backing (iommufd) or the
    backing (vfio)."""
    cases: dict[str, dict[str, list[int]]] = {}
    errors = []
    prefix = f'bench {kind} '
    for line in text.splitlines():
        if not line.startswith(prefix):
            continue
        f = fields(line[len(prefix):])
        name = '/'.join(f[k] for k in ('domain', 'backing') if k in f)
        if 'error' in f:
            errors.append(f'{name}: {f["error"]}' if name else f['error'])
            continue
        if 'map_ns' not in f:
            continue
        case = cases.setdefault(name, {'size': int(f['size']), 'map_ns': [], 'unmap_ns': []})
        case['map_ns'].append(int(f['map_ns']))
        case['unmap_ns'].append(int(f['unmap_ns']))
    return cases, errors


def e2e_table(before: dict, after: dict, before_rounds: list[dict] | None = None,
              after_rounds: list[dict] | None = None) -> list[dict]:
    """One row per case: each side's stats and the medians' ratios; with
    the cases of each boot (before_rounds, after_rounds: parse_e2e of one
    boot each, in round order) also the change of map and unmap time with
    its spread (spread.change)."""
    rows = []
    for name in list(dict.fromkeys(list(after) + list(before))):
        row: dict = {'case': name}
        for label, run in (('before', before), ('after', after)):
            case = run.get(name)
            row[label] = None if not case else {
                'size': case['size'],
                'map_ns': Stats.of(case['map_ns']).as_dict(),
                'unmap_ns': Stats.of(case['unmap_ns']).as_dict()}
        b, a = row['before'], row['after']
        for key in ('unmap', 'map'):
            row[f'{key}_ratio'] = (b[f'{key}_ns']['median'] / max(a[f'{key}_ns']['median'], 1)
                                   if b and a else None)
        if b and a and before_rounds and after_rounds:
            for key in ('map_ns', 'unmap_ns'):
                per_round = [[r.get(name, {}).get(key, []) for r in rounds]
                             for rounds in (before_rounds, after_rounds)]
                row[key.replace('_ns', '_change')] = spread.change(*per_round).as_dict()
        rows.append(row)
    return rows
