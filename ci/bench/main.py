"""python3 -m ci.bench: run the three sections, write results.json,
bench.md and bench.png, print the tables. Exit 0 when every section ran
and every walk count held, 1 otherwise, 2 on a bad series or a build
failure."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ci.boot import scan
from ci.guest import protocol
from ci.guest.build import BuildError, Built
from generator import seriesfile

from . import guest, kernel, report, results, tool

HERE = Path(__file__).resolve().parent
SECTIONS = ('walks', 'e2e', 'tool')
LABELS = ('before', 'after')


def host_walks(range_mb: int, reps: int, workdir: Path, cflags: tuple[str, ...] = ()) -> str:
    """Build and run the host smoke variant; its output."""
    binary = workdir / 'host_bench'
    subprocess.run(['gcc', '-O2', '-Wall', '-Wextra', '-Werror', *cflags,
                    '-I', str(HERE / 'kmod'), '-o', str(binary), str(HERE / 'host_bench.c')],
                   check=True)
    proc = subprocess.run([str(binary), str(range_mb), str(reps)], capture_output=True,
                          text=True)
    return proc.stdout


def walks_section(before: results.KmodRun | None, after: results.KmodRun,
                  note: str = '') -> dict:
    """Check both runs' walk counts (raises InvariantError) and tabulate."""
    for run in (before, after):
        if run is not None:
            results.check_invariant(run)
    return {'range': after.range, 'reps': after.reps, 'page': after.page,
            'rows': results.walk_table(before, after), 'note': note,
            'skipped': [{'fmt': f, 'leaf': leaf, 'reason': why}
                        for f, leaf, why in after.skips]}


def e2e_section(before_texts: list[str], after_texts: list[str]) -> dict:
    """Tables of the end-to-end cases from what each boot printed, one
    text per boot in round order, before and after."""
    section: dict = {'errors': []}
    for kind in ('vfio', 'iommufd'):
        b, b_err = results.parse_e2e(''.join(before_texts), kind)
        a, a_err = results.parse_e2e(''.join(after_texts), kind)
        rounds = [[results.parse_e2e(text, kind)[0] for text in texts]
                  for texts in (before_texts, after_texts)]
        section[kind] = results.e2e_table(b, a, *rounds)
        section['errors'] += [f'{kind} before: {e}' for e in b_err]
        section['errors'] += [f'{kind} after: {e}' for e in a_err]
    return section


def pinning_notes(e2e: dict) -> list[str]:
    """Where the unmap time goes, from the measurements themselves: pinning
    and unpinning are the same code before and after, so the unmap time
    the generated kernel saves is the walking it no longer does; the map
    (pinning, no walk at all) is the control for drift between boots."""
    notes = []
    for kind in ('vfio', 'iommufd'):
        for r in e2e.get(kind, []):
            b, a = r['before'], r['after']
            if not b or not a:
                continue
            unmap_b, unmap_a = b['unmap_ns']['median'], a['unmap_ns']['median']
            map_b, map_a = b['map_ns']['median'], a['map_ns']['median']
            saved = unmap_b - unmap_a
            what = (f'{kind} {r["case"]}: unmap {unmap_b / 1e6:.2f} -> {unmap_a / 1e6:.2f} ms, '
                    f'map (pinning, no walk) {map_b / 1e6:.2f} -> {map_a / 1e6:.2f} ms: ')
            if saved > 0.5 * unmap_b:
                what += (f'walking was {100 * saved / unmap_b:.0f}% of the unmap before; '
                         f'the rest, and the map, is pinning and unpinning.')
            else:
                what += ('the leaves are as small as the pages here, so both kernels walk '
                         'alike and pinning/unpinning dominates')
                unmap, map_ = r.get('unmap_change'), r.get('map_change')
                if unmap and map_:
                    what += (f'; unmap after/before {report.change_text(unmap)}, and map, '
                             f'which walks nothing, {report.change_text(map_)}.')
                else:
                    what += '.'
            notes.append(what)
    return notes


def boot_once(label: str, n: int, built: Built, params: guest.Params, out: Path,
              args, log) -> tuple[dict[str, protocol.Section], dict]:
    log(f'ci.bench: booting the {label} kernel, round {n + 1}, under {args.accel}')
    load = os.getloadavg()[0]
    run = guest.boot(built.image, built.initramfs, params,
                     out / 'logs' / f'guest-{label}-{n + 1}', args.timeout, args.accel)
    found = results.sections(run.results)
    status = {'label': label, 'round': n + 1, 'tree': str(built.tree), 'accel': args.accel,
              'seconds': run.seconds, 'load': round(load, 1), 'timed_out': run.timed_out,
              'exit_code': run.exit_code, 'finished': protocol.finished(run.results),
              'sections': {name: s.rc for name, s in found.items()},
              'env': found['env'].text.strip().splitlines() if 'env' in found else []}
    log(f'ci.bench: {label} round {n + 1}: {status["sections"]} in {run.seconds:.0f} s')
    return found, status


def build_and_boot(args, series: seriesfile.Summary, out: Path, log):
    """Build the base and the generated kernel, then boot them in turn
    (before, after, before, after, ...) so that drift of the shared host
    hits both alike. (build figures, per-label list of section dicts,
    boot statuses)."""
    from ci.boot import run as boot_run
    worktree = Path(series.worktree)
    base = boot_run.resolve_base(worktree, series.kernel.base_commit)
    sections = (('kmod',) if 'walks' in args.sections else ()) + \
        (('vfio', 'iommufd') if 'e2e' in args.sections else ())
    params = guest.Params(sections, args.range_mb, args.size_mb, args.reps)
    builds, built = {}, {}
    for label, tree in zip(LABELS, (base, worktree)):
        log(f'ci.bench: building the {label} kernel from {tree}')
        built[label] = kernel.build(tree, out / 'logs' / f'build-{label}.log')
        builds[label] = {'tree': str(tree), 'kernel_seconds': built[label].kernel_seconds,
                         'kernel_cpu_seconds': built[label].kernel_cpu_seconds}
        log(f'ci.bench: {label} kernel built in {built[label].kernel_seconds:.0f} s wall, '
            f'{built[label].kernel_cpu_seconds or 0:.0f} s CPU')
    found: dict[str, list] = {label: [] for label in LABELS}
    statuses = []
    for n in range(args.rounds):
        for label in LABELS:
            sections_found, status = boot_round(label, n, built[label], params, out, args, log)
            found[label].append(sections_found)
            statuses.append(status)
    return builds, found, statuses


def died_before_the_benchmark(status: dict, console: str) -> str | None:
    """Why a guest that produced no section at all stopped: the first bug
    report on its console (or the timeout).  None if it measured something."""
    if status['finished'] or status['sections']:
        return None
    findings = scan.scan(console)
    if findings:
        return f'{findings[0].kind}: {findings[0].text}'
    return 'timed out' if status['timed_out'] else f'exit code {status["exit_code"]}'


def boot_round(label: str, n: int, built: Built, params: guest.Params, out: Path,
               args, log) -> tuple[dict[str, protocol.Section], dict]:
    """One boot of a round, booted once more if it died before its first case.

    Such a death took no figure, so booting again biases nothing; it is not
    rare under TCG with two vCPUs (the unmodified base kernel hit an int3 in
    sched_clock_cpu while a static key was being patched).  The first boot's
    logs are kept next to the second's and bench.md says why; a second death
    is the round's failure."""
    found, status = boot_once(label, n, built, params, out, args, log)
    logs = out / 'logs' / f'guest-{label}-{n + 1}'
    why = died_before_the_benchmark(status, (logs / 'console.log').read_text(errors='replace')
                                    if (logs / 'console.log').exists() else '')
    if why is None:
        return found, status
    first = logs.with_name(logs.name + '-first')
    shutil.rmtree(first, ignore_errors=True)
    logs.rename(first)
    log(f'ci.bench: {label} round {n + 1} died before its first case ({why}); booting it again')
    found, status = boot_once(label, n, built, params, out, args, log)
    status['booted_again'] = {'why': why, 'logs': str(first.relative_to(out))}
    return found, status


def kernel_sections(args, series: seriesfile.Summary, out: Path, data: dict, failures: list[str],
                    log) -> None:
    """Sections 1 and 2 from the boots of both kernels."""
    data['kernel_builds'], found, data['boots'] = build_and_boot(args, series, out, log)
    for status in data['boots']:
        if not status['finished']:
            failures.append(f'the {status["label"]} guest, round {status["round"]}, '
                            f'did not finish')
    text = lambda label, name: [f[name].text if name in f else '' for f in found[label]]
    if 'walks' in args.sections:
        runs = {label: [results.parse_kmod(t) for t in text(label, 'kmod')]
                for label in LABELS}
        try:
            for label in LABELS:
                for run in runs[label]:
                    results.check_invariant(run)
            before, after = (results.merge(runs[label]) for label in LABELS)
            if not after.length_op:
                failures.append('the generated kernel has no iommu_iova_to_phys_length()')
            data['walks'] = walks_section(before, after, (
                '(a) before: the base kernel; (a) and (b) after: the generated kernel '
                '(where it has dropped the old op, (a) is the new op called once per page). '
                'io-pgtable formats are called through io_pgtable_ops, generic_pt ones '
                f'through iommu_iova_to_phys[_length](). {args.rounds} boots of each kernel, '
                f'alternating, {args.reps} repetitions each. QEMU {args.accel.upper()}: '
                'compare columns with each other, not with native figures.'))
        except results.InvariantError as err:
            failures.append(f'walk count: {err}')
    if 'e2e' in args.sections:
        per_boot = {label: [v + i for v, i in zip(text(label, 'vfio'), text(label, 'iommufd'))]
                    for label in LABELS}
        data['e2e'] = e2e_section(per_boot['before'], per_boot['after'])
        data['e2e']['notes'] = pinning_notes(data['e2e'])
        failures += data['e2e']['errors']


def parse_args(argv):
    ap = argparse.ArgumentParser(prog='python3 -m ci.bench', description=__doc__)
    ap.add_argument('--series', required=True, type=Path,
                    help='series directory with series.json (worktree, kernel.base_commit)')
    ap.add_argument('--out', required=True, type=Path, help='output directory')
    ap.add_argument('--smoke', action='store_true',
                    help='seconds, not hours: host variant of section 1 (4 MiB, 1 repetition), '
                         'section 3 audit only, no kernel build')
    ap.add_argument('--sections', default=None,
                    help=f'comma separated subset of {",".join(SECTIONS)}')
    ap.add_argument('--reps', type=int, default=None,
                    help='repetitions per boot (default 4; smoke 1)')
    ap.add_argument('--rounds', type=int, default=5,
                    help='boots of each kernel, alternating before/after (default 5)')
    ap.add_argument('--range-mb', type=int, default=None,
                    help='IOVA range each walk case traverses (default 1024; smoke 4)')
    ap.add_argument('--size-mb', type=int, default=1024, help='end-to-end mapping size')
    ap.add_argument('--kver', default='7.2', help='release for section 3 (generator --kver)')
    ap.add_argument('--tool-kernel', type=Path,
                    help='tree for section 3 instead of --kver (generator --kernel)')
    ap.add_argument('--no-check-run', action='store_true',
                    help='section 3: only read an existing check.json, never run ci.check')
    ap.add_argument('--check-report', type=Path,
                    help='section 3: the check.json to read (default <series>/check.json)')
    ap.add_argument('--timeout', type=int, default=3600, help='seconds per boot')
    ap.add_argument('--accel', default='tcg', choices=('tcg', 'kvm'),
                    help='QEMU accelerator (default tcg: kvm-pvm cannot boot a stock kernel)')
    args = ap.parse_args(argv)
    default_sections = ('walks', 'tool') if args.smoke else SECTIONS
    args.sections = tuple(args.sections.split(',')) if args.sections else default_sections
    for s in args.sections:
        if s not in SECTIONS:
            ap.error(f'unknown section {s}')
    if args.reps is None:
        args.reps = 1 if args.smoke else 4
    if args.range_mb is None:
        args.range_mb = 4 if args.smoke else 1024
    if args.rounds < 1:
        ap.error('--rounds must be at least 1')
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    log = lambda msg: print(msg, flush=True)
    series_dir = args.series.resolve()
    try:
        series = seriesfile.load(series_dir)    # raises a ValueError, seriesfile.Unreadable
    except (OSError, ValueError) as err:
        print(f'ci.bench: {err}', file=sys.stderr)
        return 2
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    data: dict = {'series': {'dir': str(series_dir), 'worktree': series.worktree,
                             'base_commit': series.kernel.base_commit},
                  'smoke': args.smoke, 'sections': list(args.sections),
                  'params': {'reps': args.reps, 'rounds': args.rounds,
                             'range_mb': args.range_mb, 'size_mb': args.size_mb,
                             'accel': args.accel}}
    failures: list[str] = []

    if args.smoke and 'walks' in args.sections:
        with tempfile.TemporaryDirectory() as tmp:
            text = host_walks(args.range_mb, args.reps, Path(tmp))
        (out / 'host-walks.log').write_text(text)
        run = results.parse_kmod(text)
        try:
            data['walks'] = walks_section(run, run, 'Host smoke variant: a model radix table '
                                          '(ci/bench/host_bench.c); (a) and (b) from one run.')
        except results.InvariantError as err:
            failures.append(f'walk count: {err}')
    elif not args.smoke and {'walks', 'e2e'} & set(args.sections):
        try:
            kernel_sections(args, series, out, data, failures, log)
        except BuildError as err:
            print(f'ci.bench: {err}', file=sys.stderr)
            return 2

    if 'tool' in args.sections:
        kernel_args = (['--kernel', str(args.tool_kernel)] if args.tool_kernel
                       else ['--kver', args.kver])
        data['tool'] = tool.measure(out, series_dir, kernel_args, args.smoke,
                                    not args.no_check_run, log, args.check_report)

    data['seconds'] = round(time.monotonic() - started, 1)
    data['failures'] = failures
    (out / 'results.json').write_text(json.dumps(data, indent=1) + '\n')
    text = report.markdown(data)
    if data.get('walks'):
        why = report.plot(data['walks']['rows'], out / 'bench.png')
        text += '\n' + (why or f'Plot: {out / "bench.png"}') + '\n'
    (out / 'bench.md').write_text(text)
    print(text)
    for failure in failures:
        print(f'ci.bench: FAIL: {failure}', file=sys.stderr)
    return 1 if failures else 0
