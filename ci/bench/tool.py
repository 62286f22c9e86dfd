"""Section 3: how long the project's own tools take.

 - `make series` on a fresh work tree, twice: the first run creates the
   work tree (cold), the second resets it in place (warm);
 - the audit over the whole tree;
 - each phase of `make check`, from the series' check.json when a check
   already ran, else from a `python3 -m ci.check --quick` run.

Each command's wall time and CPU time (user + system of everything it
waited for, spatch and git included) are recorded.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AUTHOR = 'Bench <bench@example.org>'
# The series version of the timing runs: their own branch, never the
# branch `make series` makes (v1) or the tests' (test/...).
VERSION = 90


@dataclass
class Timed:
    name: str
    argv: list[str]
    wall_seconds: float
    cpu_seconds: float
    exit_code: int
    tail: str
    load: float      # 1-minute load average when it started: the machine is shared

    def as_dict(self) -> dict:
        return asdict(self)


def run_timed(name: str, argv: list[str], log: Path, cwd: Path = REPO) -> Timed:
    """Run argv to completion, output to log; wall and children's CPU time."""
    log.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with open(log, 'w') as out:
        proc = subprocess.run(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tail = '\n'.join(log.read_text(errors='replace').splitlines()[-3:])
    return Timed(name, argv, round(wall, 1), round(cpu, 1), proc.returncode, tail,
                 round(load, 1))


def series_argv(kernel_args: list[str], out: Path, work: Path) -> list[str]:
    return [sys.executable, '-m', 'generator', 'series', *kernel_args,
            '--version', str(VERSION), '--out', str(out), '--work', str(work),
            '--author', AUTHOR]


def remove_worktree(work: Path) -> None:
    """Drop the timing runs' work tree and branch from the kernel repo."""
    if not (work / '.git').exists():
        return
    common = subprocess.run(['git', '-C', str(work), 'rev-parse', '--git-common-dir'],
                            capture_output=True, text=True).stdout.strip()
    branch = subprocess.run(['git', '-C', str(work), 'symbolic-ref', '--short', 'HEAD'],
                            capture_output=True, text=True).stdout.strip()
    subprocess.run(['git', '--git-dir', common, 'worktree', 'remove', '--force', str(work)],
                   capture_output=True)
    if branch.endswith(f'/v{VERSION}'):
        subprocess.run(['git', '--git-dir', common, 'branch', '-D', branch],
                       capture_output=True)


def check_phases(series: Path, run_check: bool, log: Path,
                 report: Path | None = None) -> dict:
    """The phase timings of make check on this series: from its report
    (or the one given), or from a --quick run when asked to run one."""
    report = report or series / 'check.json'
    ran = None
    if not report.exists() and run_check:
        ran = run_timed('make check --quick',
                        [sys.executable, '-m', 'ci.check', '--series', str(series),
                         '--quick'], log)
    if not report.exists():
        return {'source': None, 'phases': [],
                'note': f'no {report}' + (f' (ci.check exited {ran.exit_code})' if ran
                                          else ': run make check first')}
    data = json.loads(report.read_text())
    return {'source': str(report), 'quick': data.get('quick'),
            'phases': [{'phase': name, 'seconds': sec}
                       for name, sec in data.get('timings', [])],
            'ran': ran.as_dict() if ran else None}


def measure(out: Path, series: Path, kernel_args: list[str], smoke: bool,
            run_check: bool, log=print, check_report: Path | None = None) -> dict:
    """Section 3. In smoke mode only the audit runs (on the tree the
    kernel arguments name) and an existing check report is read."""
    result: dict = {'kernel_args': kernel_args, 'commands': []}
    if not smoke:
        work = out / 'tool-work'
        remove_worktree(work)
        try:
            for slug, name in (('cold', 'series (cold: new work tree)'),
                               ('warm', 'series (warm: reset in place)')):
                log(f'ci.bench: timing {name}')
                timed = run_timed(name, series_argv(kernel_args, out / 'tool-series', work),
                                  out / 'logs' / f'tool-series-{slug}.log')
                result['commands'].append(timed.as_dict())
        finally:
            remove_worktree(work)
    log('ci.bench: timing the audit')
    audit = [sys.executable, '-m', 'generator', 'audit', *kernel_args]
    result['commands'].append(run_timed('audit', audit, out / 'logs' / 'tool-audit.log').as_dict())
    result['check'] = check_phases(series, run_check and not smoke,
                                   out / 'logs' / 'tool-check.log', check_report)
    return result
