"""python3 -m ci.bench: run the three sections, write results.json,
bench.md and bench.png, print the tables. Exit 0 when every section ran
and every walk count held, 1 otherwise, 2 on a build failure."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import guest, kernel, report, results, tool

HERE = Path(__file__).resolve().parent
SECTIONS = ('walks', 'e2e', 'tool')


def load_series(series: Path) -> dict:
    data = json.loads((series / 'series.json').read_text())
    for key in ('worktree', 'kernel'):
        if key not in data:
            raise ValueError(f'{series}/series.json has no "{key}"')
    return data


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


def e2e_section(before_text: str, after_text: str) -> dict:
    section: dict = {'errors': []}
    for kind in ('vfio', 'iommufd'):
        b, b_err = results.parse_e2e(before_text, kind)
        a, a_err = results.parse_e2e(after_text, kind)
        section[kind] = results.e2e_table(b, a)
        section['errors'] += [f'{kind} before: {e}' for e in b_err]
        section['errors'] += [f'{kind} after: {e}' for e in a_err]
    return section


def pinning_notes(e2e: dict, walks: dict | None) -> list[str]:
    """Where the unmap time goes: the walk share, estimated from the
    in-kernel per-walk cost of the format the machine uses (vtdss for
    intel-iommu's second stage, amdv1 for the mock domains)."""
    notes = []
    if not walks:
        return notes
    per_walk = {}
    for r in walks['rows']:
        if r['before_old'] and r['leaf'] == 4096:
            per_walk[r['fmt']] = r['before_old']['ns']['median'] / r['before_old']['walks']
    for kind, fmt in (('vfio', 'vtdss'), ('iommufd', 'amdv1')):
        for r in e2e.get(kind, []):
            b = r['before']
            if not b or fmt not in per_walk:
                continue
            walk_ns = b['size'] / 4096 * per_walk[fmt]
            unmap = b['unmap_ns']['median']
            notes.append(
                f'{kind} {r["case"]}: {b["size"] // 4096:,} per-page walks at about '
                f'{per_walk[fmt]:.0f} ns ({fmt}, section 1) are about {walk_ns / 1e6:.1f} ms of '
                f'the {unmap / 1e6:.1f} ms unmap before ({100 * walk_ns / max(unmap, 1):.0f}%); '
                f'the map (pinning) takes {b["map_ns"]["median"] / 1e6:.1f} ms.')
    return notes


def boot_tree(label: str, built: kernel.Built, params: guest.Params, out: Path,
              timeout: int, accel: str, log) -> tuple[guest.Run, dict]:
    log(f'ci.bench: booting the {label} kernel ({built.tree}) under {accel}')
    run = guest.boot(built.image, built.initramfs, params, out / 'logs' / f'guest-{label}',
                     timeout, accel)
    found = results.sections(run.results)
    status = {'accel': accel, 'seconds': run.seconds, 'timed_out': run.timed_out, 'exit_code': run.exit_code,
              'finished': '@@@ DONE' in run.results,
              'sections': {name: rc for name, (_, rc) in found.items()},
              'env': found.get('env', ('', 0))[0].strip().splitlines()}
    log(f'ci.bench: {label}: {status["sections"]} in {run.seconds:.0f} s')
    return run, status


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
    ap.add_argument('--reps', type=int, default=None, help='repetitions (default 7; smoke 1)')
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
        args.reps = 1 if args.smoke else 7
    if args.range_mb is None:
        args.range_mb = 4 if args.smoke else 1024
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    log = lambda msg: print(msg, flush=True)
    series_dir = args.series.resolve()
    try:
        series = load_series(series_dir)
    except (OSError, ValueError) as err:
        print(f'ci.bench: {err}', file=sys.stderr)
        return 2
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    data: dict = {'series': {'dir': str(series_dir), 'worktree': series['worktree'],
                             'base_commit': series['kernel'].get('base_commit')},
                  'smoke': args.smoke, 'sections': list(args.sections),
                  'params': {'reps': args.reps, 'range_mb': args.range_mb,
                             'size_mb': args.size_mb}}
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
            data['kernel_builds'], boots = boot_both(args, series, out, log)
        except kernel.BuildError as err:
            print(f'ci.bench: {err}', file=sys.stderr)
            return 2
        data['boots'] = {k: v[1] for k, v in boots.items()}
        for label, (_, status) in boots.items():
            if not status['finished']:
                failures.append(f'the {label} guest did not finish ({status})')
        texts = {label: results.sections(run.results) for label, (run, _) in boots.items()}
        if 'walks' in args.sections:
            before = results.parse_kmod(texts['before'].get('kmod', ('', 0))[0])
            after = results.parse_kmod(texts['after'].get('kmod', ('', 0))[0])
            note = ('(a) before: the base kernel; (a) and (b) after: the generated kernel. '
                    'io-pgtable formats through io_pgtable_ops, generic_pt through '
                    'iommu_iova_to_phys[_length]().')
            if not after.length_op:
                failures.append('the generated kernel has no iommu_iova_to_phys_length()')
            try:
                data['walks'] = walks_section(before, after, note)
            except results.InvariantError as err:
                failures.append(f'walk count: {err}')
        if 'e2e' in args.sections:
            text = lambda label: ''.join(texts[label].get(k, ('', 0))[0]
                                         for k in ('vfio', 'iommufd'))
            data['e2e'] = e2e_section(text('before'), text('after'))
            data['e2e']['notes'] = pinning_notes(data['e2e'], data.get('walks'))
            failures += data['e2e']['errors']

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


def boot_both(args, series: dict, out: Path, log):
    """Build the base and the generated kernel, boot each once with the
    same parameters; (build figures, boots)."""
    from ci.boot import run as boot_run
    worktree = Path(series['worktree'])
    base = boot_run.resolve_base(worktree, series['kernel']['base_commit'])
    sections = tuple(s for s, wanted in (('kmod', 'walks' in args.sections),
                                         ('vfio', 'e2e' in args.sections),
                                         ('iommufd', 'e2e' in args.sections)) if wanted)
    params = guest.Params(sections, args.range_mb, args.size_mb, args.reps)
    builds, built = {}, {}
    for label, tree in (('before', base), ('after', worktree)):
        log(f'ci.bench: building the {label} kernel from {tree}')
        built[label] = kernel.build(tree, out / 'logs' / f'build-{label}.log')
        builds[label] = {'tree': str(tree), 'kernel_seconds': built[label].kernel_seconds,
                         'kernel_cpu_seconds': built[label].kernel_cpu_seconds}
        log(f'ci.bench: {label} kernel built in {built[label].kernel_seconds:.0f} s wall, '
            f'{built[label].kernel_cpu_seconds or 0:.0f} s CPU')
    boots = {label: boot_tree(label, built[label], params, out, args.timeout, args.accel, log)
             for label in ('before', 'after')}
    return builds, boots
