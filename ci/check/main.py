"""make check: checkpatch, bisect builds on six arches, coverage, range-diff, recipients.

    python3 -m ci.check --series OUT [--arches x86_64,arm64,...] [--quick]
                        [--prev DIR|BRANCH] [--jobs 2]

OUT is a series directory (series.json, patches) from `make series`.  Results
go to OUT/report.md, OUT/report.html, OUT/check.json and OUT/logs/.  Exit
status 0 when everything passes, 1 when something fails, 2 when the check
could not run.  --quick is the `make test` subset: checkpatch and the x86_64
bisect builds (no coverage, recipients or other arches).

Builds run under nice -n 10 with -j<jobs>, one arch at a time, with
CC="ccache <cross>gcc"; set CC="distcc gcc" (or CCACHE_PREFIX=distcc) and
DISTCC_HOSTS to spread them: the launcher words of $CC are kept, and the
compiler gets each arch's cross prefix.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import pathlib
import sys
import time

from ci.arches import ARCHES
from ci.check import (arches as arches_mod, bisect, boots, checkpatch, coverage, gitrepo,
                      rangediff, recipients, report, series as series_mod)
from ci.check.progress import Progress


def parse_args(argv):
    ap = argparse.ArgumentParser(prog='python3 -m ci.check', description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--series', type=pathlib.Path, required=True,
                    help='series directory holding series.json')
    ap.add_argument('--arches', default=','.join(ARCHES),
                    help='comma-separated, from: ' + ', '.join(ARCHES))
    ap.add_argument('--quick', action='store_true',
                    help='checkpatch and x86_64 bisect builds only')
    ap.add_argument('--prev', help='previous version: series directory or branch')
    ap.add_argument('--jobs', type=int, default=2)
    args = ap.parse_args(argv)
    names = [a for a in args.arches.split(',') if a]
    unknown = [a for a in names if a not in ARCHES]
    if unknown:
        ap.error(f'unknown arch {unknown[0]}; known: {", ".join(ARCHES)}')
    if args.quick:
        names = [a for a in names if a in arches_mod.QUICK] or list(arches_mod.QUICK)
    args.arch_names = names
    return args


class Phases:
    def __init__(self):
        self.timings: list[tuple[str, float]] = []

    @contextlib.contextmanager
    def __call__(self, name: str):
        t = time.monotonic()
        try:
            yield
        finally:
            self.timings.append((name, round(time.monotonic() - t, 1)))


def check_worktree_path(s: series_mod.Series) -> pathlib.Path:
    """check/src/<tree>-<hash of its repository's path>: the tree's name for
    the reader, the hash so that two trees of one name (two users' `linux`,
    the cache's source and a copy of it) never share a worktree, a build
    directory or a lock, all of which are named after this."""
    common = gitrepo.common_dir(s.worktree)
    key = hashlib.sha256(str(common).encode()).hexdigest()[:8]
    return arches_mod.CACHE / 'check' / 'src' / f'{common.parent.name}-{key}'


def run_checkpatch(srctree, s, data):
    patches = [(c.step, s.out / c.patch) for c in s.commits if c.patch]
    found, crashed = checkpatch.run(srctree, patches)
    result = checkpatch.judge(found, checkpatch.load_allow(), crashed)
    data['checkpatch'] = {
        'patches': len(patches),
        'failing': [str(f) for f in result.failing],
        'allowed': [f'{f} -- allowed: {a.reason}' for f, a in result.allowed],
        'stale': [f'step={a.step} type={a.type} message={a.message!r}' for a in result.stale],
        'crashed': result.crashed,
    }


def collect_coverage(tracker, repo, s):
    for i, c in enumerate(s.commits):
        parent = s.parent(i)
        files = [f for f in gitrepo.changed_files(repo, parent, c.commit)
                 if f.endswith(coverage.C_FILES)]
        for file, lines in coverage.added_lines(gitrepo.diff_u0(repo, parent, c.commit,
                                                                 files)).items():
            tracker.add(c.step, file, gitrepo.show(repo, c.commit, file), lines)


def coverage_report(tracker, srctree, ran):
    covered, total = tracker.counts()
    uncovered = []
    for step, file, line, text in tracker.uncovered():
        symbols = coverage.kconfig_path(srctree, file)
        values = {a: arches_mod.symbol_values(arches_mod.build_dir(ARCHES[a], srctree),
                                              symbols) for a in ran}
        reason = coverage.explain(tracker.texts[(step, file)], file, line,
                                  tracker.users.get((step, file), {}), symbols, values)
        uncovered.append({'step': step, 'file': file, 'line': line, 'text': text,
                          'reason': reason})
    return {'enabled': True, 'arches': ran, 'covered': covered, 'total': total,
            'uncovered': uncovered}


def main(argv=None) -> int:
    args = parse_args(argv)
    phases = Phases()
    progress = Progress()
    started = time.monotonic()
    try:
        s = series_mod.load(args.series.resolve())
    except (series_mod.SeriesError, ValueError) as e:
        print(f'check: {e}', file=sys.stderr)
        return 2
    repo = s.worktree if s.worktree.exists() else s.tree
    srctree = check_worktree_path(s)
    data = start_data(s, args)
    with hold_build_dirs(srctree, progress):
        try:
            run_phases(args, s, repo, srctree, data, phases, progress)
        except (gitrepo.GitError, series_mod.SeriesError, RuntimeError, ValueError) as e:
            progress.close()
            print(f'check: {e}', file=sys.stderr)
            return 2
        finally:
            with contextlib.suppress(gitrepo.GitError):
                gitrepo.checkout(srctree, s.base)
    progress.close()
    phases.timings.append(('total', round(time.monotonic() - started, 1)))
    data['timings'] = phases.timings
    data['boots'] = boots.collect(s.out)
    (s.out / 'check.json').write_text(json.dumps(data, indent=1) + '\n')
    (s.out / 'report.md').write_text(report.markdown(data))
    (s.out / 'report.html').write_text(report.to_html(data))
    problems = report.problems(data)
    print('timings:')
    for phase, sec in phases.timings:
        print(f'  {phase:<28} {sec:8.1f} s')
    for p in problems[:20]:
        print(f'  problem: {p}')
    if len(problems) > 20:
        print(f'  ... {len(problems) - 20} more in the report')
    print(f'check: {"PASS" if not problems else "FAIL"}: {s.out / "report.md"} '
          f'({s.out / "report.html"})')
    return 1 if problems else 0


def hold_build_dirs(srctree: pathlib.Path, progress):
    """One check per source tree at a time: they share its worktree and build
    directories; a 7.2 and a 6.12 check run side by side.  The lock file, open:
    closing it lets the next one in."""
    lock_path = arches_mod.CACHE / 'check' / f'.lock-{srctree.name}'
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = open(lock_path, 'w')
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        progress.log('check: another make check holds the build directories; waiting')
        fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def start_data(s: series_mod.Series, args) -> dict:
    """check.json before the phases fill it: the series and the arches asked for."""
    return {'series': {'name': s.out.name if not s.branch else s.branch.split('/')[0],
                       'version': s.version, 'base': s.base, 'branch': s.branch,
                       'out': str(s.out),
                       'commits': [dataclasses.asdict(c) for c in s.commits],
                       'skipped': list(s.skipped)},
            'arches': args.arch_names, 'quick': args.quick,
            'arch_info': {a: ARCHES[a].what for a in args.arch_names},
            'arch_runs': {}}


def run_phases(args, s, repo, srctree, data: dict, phases: Phases, progress) -> None:
    """checkpatch, recipients, range-diff, then the bisect builds with coverage; into data."""
    with phases('worktree'):
        progress.set(f'worktree {srctree} at {s.base[:12]}')
        gitrepo.ensure_worktree(repo, srctree, s.base)
    with phases('checkpatch'):
        progress.set(f'checkpatch --strict on {len(s.commits)} patches')
        run_checkpatch(srctree, s, data)
    if not args.quick:
        with phases('recipients'):
            progress.set('get_maintainer.pl')
            data['recipients'] = recipients.write_all(
                srctree, s.out, [c.patch for c in s.commits if c.patch], s.cover)
    if args.prev:
        with phases('range-diff'):
            progress.set(f'range-diff against {args.prev}')
            data['range_diff'] = write_range_diff(repo, args.prev, s)
    tracker = coverage.Tracker()
    if not args.quick:
        with phases('coverage: changed lines'):
            collect_coverage(tracker, repo, s)
    ran = []
    for name in args.arch_names:
        run = run_arch(ARCHES[name], s, srctree, args, tracker, progress)
        data['arch_runs'][name] = dataclasses.asdict(run)
        phases.timings += [(f'{name}: {phase}', sec) for phase, sec in run.timings.items()
                           if phase != 'total']
        if run.status != 'error':
            ran.append(name)
    if not args.quick:
        with phases('coverage: report'):
            data['coverage'] = coverage_report(tracker, srctree, ran)


def write_range_diff(repo, prev: str, s) -> dict:
    """OUT/range-diff-<prev>-v<N>.txt; what check.json records of it."""
    with contextlib.ExitStack() as stack:
        base, tip, label = rangediff.previous_range(repo, prev, stack, s.tip)
        text = rangediff.range_diff(repo, (base, tip), (s.base, s.tip))
    name = f'range-diff-{label.replace("/", "_")}-v{s.version}.txt'
    (s.out / name).write_text(text)
    return {'file': name, 'against': label}


def run_arch(arch, s, srctree, args, tracker, progress) -> bisect.ArchRun:
    """The bisect builds of one arch, measuring coverage after each commit (not --quick)."""
    def on_commit(i, c, builder, index):
        wanted = tracker.wanted(c.step)
        if wanted:
            covered, tried = coverage.measure(srctree, builder.build, index, wanted,
                                              builder.build / 'ci-check-coverage', builder.env)
            tracker.record(c.step, arch.name, covered, tried)

    run = bisect.run_arch(arch, s, srctree, dict(os.environ), args.jobs, progress,
                          on_commit=None if args.quick else on_commit, log=progress.log)
    others = ', '.join(f'{k} {v:.0f} s' for k, v in run.timings.items() if k != 'total')
    progress.log(f'{arch.name}: {run.status} in {run.timings.get("total", 0):.0f} s ({others})'
                 + (f': {run.error.splitlines()[0]}' if run.error else ''))
    return run
