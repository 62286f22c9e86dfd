"""The benchmark's markdown tables and its plot, from results.json data."""
from __future__ import annotations

from pathlib import Path


def size_name(n: int) -> str:
    for unit, shift in (('G', 30), ('M', 20), ('K', 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f'{n >> shift}{unit}'
    return str(n)


def _ns(cell: dict | None, key: str = 'ns') -> str:
    """'median (min-max)' in microseconds."""
    if not cell:
        return 'n/a'
    s = cell[key]
    return f'{s["median"] / 1e3:,.1f} ({s["min"] / 1e3:,.1f}-{s["max"] / 1e3:,.1f})'


def _ms(stats: dict) -> str:
    """'median (q1-q3; min-max)' in milliseconds; results without quartiles
    (older results.json) show min-max only."""
    ms = lambda key: f'{stats[key] / 1e6:,.2f}'
    if 'q1' not in stats:
        return f'{ms("median")} ({ms("min")}-{ms("max")})'
    return f'{ms("median")} ({ms("q1")}-{ms("q3")}; {ms("min")}-{ms("max")})'


def change_text(change: dict) -> str:
    """'1.08 (95% interval 0.92-1.27, per round 0.85-1.31): within the
    spread' for a spread.Change as a dict."""
    rounds = change['rounds']
    per_round = (f', per round {min(rounds):.2f}-{max(rounds):.2f}' if len(rounds) > 1 else '')
    return (f'{change["ratio"]:.2f} (95% interval {change["low"]:.2f}-{change["high"]:.2f}'
            f'{per_round}): {change["verdict"]}')


def headline_4k(e2e: dict) -> str | None:
    """The sentence on VFIO type1 4K unmap, where the walks cannot save
    anything: whether the generated kernel is slower there."""
    row = next((r for r in e2e.get('vfio', []) if r['case'] == '4K'), None)
    if not row or not row.get('unmap_change'):
        return None
    c = row['unmap_change']
    return (f'**VFIO type1 unmap of {size_name(row["after"]["size"])} in 4K pages, after/before: '
            f'{change_text(c)}** ({c["n_before"]} + {c["n_after"]} repetitions in '
            f'{len(c["rounds"])} rounds of one boot of each kernel; map, the control, '
            f'{change_text(row["map_change"])}).')


def _ratio(x: float | None) -> str:
    return 'n/a' if x is None else f'{x:,.1f}x'


def walks_markdown(rows: list[dict], range_bytes: int, reps: int) -> list[str]:
    lines = [f'Traversal of a {size_name(range_bytes)} IOVA range mapped with one leaf size; '
             f'time per traversal in microseconds, median (min-max) of {reps} repetitions. '
             '(a) one lookup per 4K page, (b) iova_to_phys_length stepping by the length.',
             '',
             '| format | leaf | walks before (a) | walks after (b) | walk ratio '
             '| us before (a) | us after (a) | us after (b) | time ratio (a before / b after) |',
             '|---|---|---:|---:|---:|---:|---:|---:|---:|']
    for r in rows:
        walks = lambda c: 'n/a' if not c else f'{c["walks"]:,}'
        lines.append(f'| {r["fmt"]} | {size_name(r["leaf"])} | {walks(r["before_old"])} '
                     f'| {walks(r["after_new"])} | {_ratio(r["walk_ratio"])} '
                     f'| {_ns(r["before_old"])} | {_ns(r["after_old"])} '
                     f'| {_ns(r["after_new"])} | {_ratio(r["time_ratio"])} |')
    return lines


def e2e_markdown(title: str, rows: list[dict]) -> list[str]:
    n = max((r[k]['unmap_ns']['n'] for r in rows for k in ('before', 'after') if r[k]),
            default=0)
    lines = [f'{title}: milliseconds, median (interquartile range; min-max) of {n} '
             'repetitions. Unmap ratio: before over after, the speed-up; after/before: '
             'the change, with its 95% interval.', '',
             '| case | size | map before | map after | unmap before | unmap after '
             '| unmap ratio | unmap after/before |',
             '|---|---|---:|---:|---:|---:|---:|---|']
    for r in rows:
        b, a = r['before'], r['after']
        size = size_name((a or b)['size'])
        c = r.get('unmap_change')
        change = (f'{c["ratio"]:.2f} ({c["low"]:.2f}-{c["high"]:.2f}) {c["verdict"]}'
                  if c else 'n/a')
        times = ' | '.join(_ms(side[key]) if side else 'n/a'
                           for key in ('map_ns', 'unmap_ns') for side in (b, a))
        lines.append(f'| {r["case"]} | {size} | {times} | {_ratio(r["unmap_ratio"])} | {change} |')
    return lines


SERIES_TARGET_SECONDS = 60


def tool_markdown(tool: dict) -> list[str]:
    lines = ['| command | wall s | CPU s | exit | load avg at start |',
             '|---|---:|---:|---:|---:|']
    for c in tool.get('commands', []):
        lines.append(f'| {c["name"]} | {c["wall_seconds"]:.1f} | {c["cpu_seconds"]:.1f} '
                     f'| {c["exit_code"]} | {c.get("load", 0):.1f} |')
    series = [c for c in tool.get('commands', []) if c['name'].startswith('series')]
    if series:
        met = all(c['wall_seconds'] <= SERIES_TARGET_SECONDS for c in series)
        lines += ['', f'Target for make series: <= {SERIES_TARGET_SECONDS} s wall on 2 cores: '
                  f'{"met" if met else "not met"} on this run. The CPU column is the work '
                  'itself (user + system of every process waited for); wall time depends on '
                  'what else the 2 cores were doing (load average column).']
    check = tool.get('check') or {}
    if check.get('phases'):
        lines += ['', f'make check phases ({check["source"]}'
                  f'{", --quick" if check.get("quick") else ""}):', '',
                  '| phase | seconds |', '|---|---:|']
        lines += [f'| {p["phase"]} | {p["seconds"]:.1f} |' for p in check['phases']]
    elif check:
        lines += ['', f'make check phases: {check.get("note")}']
    return lines


def markdown(data: dict) -> str:
    lines = ['# iova_to_phys_length benchmark', '']
    walks = data.get('walks')
    if walks:
        lines += ['## 1. Page-table walks per traversal (in-kernel)', '']
        lines += walks_markdown(walks['rows'], walks['range'], walks['reps'])
        if walks.get('note'):
            lines += ['', walks['note']]
        lines.append('')
    e2e = data.get('e2e')
    if e2e:
        lines += ['## 2. End to end, base kernel vs generated kernel', '']
        headline = headline_4k(e2e)
        if headline:
            lines += [headline, '']
        for kind, title in (('vfio', 'VFIO type1 map/unmap (intel-iommu, vtdss)'),
                            ('iommufd', 'iommufd IOAS map/unmap (mock domains)')):
            if e2e.get(kind):
                lines += e2e_markdown(title, e2e[kind]) + ['']
        for note in e2e.get('notes', []):
            lines += [note, '']
        if e2e.get('errors'):
            lines += ['Errors: ' + '; '.join(e2e['errors']), '']
    tool = data.get('tool')
    if tool:
        lines += ['## 3. The tool itself', ''] + tool_markdown(tool) + ['']
    again = [b for b in data.get('boots', []) if b.get('booted_again')]
    if again:
        lines += ['Booted again (the first boot died before its first case, so took no '
                  'figure): ' + '; '.join(
                      f'{b["label"]} round {b["round"]}: {b["booted_again"]["why"]} '
                      f'({b["booted_again"]["logs"]})' for b in again), '']
    builds = data.get('kernel_builds')
    if builds:
        lines += ['Benchmark kernel builds (make -j2 bzImage modules, nice 10, ccache): ' +
                  ', '.join(f'{k} {v["kernel_seconds"]:.0f} s wall / '
                            f'{v["kernel_cpu_seconds"] or 0:.0f} s CPU'
                            for k, v in builds.items()), '']
    return '\n'.join(lines)


def plot(rows: list[dict], path: Path) -> str | None:
    """Walks and median time against leaf size, before (a) vs after (b),
    one colour per format. Returns why no plot was made, or None."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        return 'no plot: python3-matplotlib is not installed'
    fig, (ax_walks, ax_time) = plt.subplots(1, 2, figsize=(12, 4.8))
    formats = list(dict.fromkeys(r['fmt'] for r in rows))
    colors = plt.rcParams['axes.prop_cycle'].by_key()['color']
    leaves = sorted({r['leaf'] for r in rows})
    for i, fmt in enumerate(formats):
        mine = sorted((r for r in rows if r['fmt'] == fmt), key=lambda r: r['leaf'])
        color = colors[i % len(colors)]
        for key, style, label in (('before_old', '--', 'before (a)'),
                                  ('after_new', '-', 'after (b)')):
            pts = [(r['leaf'], r[key]) for r in mine if r[key]]
            if not pts:
                continue
            xs = [p[0] for p in pts]
            ax_walks.plot(xs, [p[1]['walks'] for p in pts], style, marker='o',
                          color=color, label=f'{fmt} {label}')
            ax_time.plot(xs, [p[1]['ns']['median'] / 1e3 for p in pts], style, marker='o',
                         color=color, label=f'{fmt} {label}')
    for ax, ylabel in ((ax_walks, 'page-table walks per traversal'),
                       (ax_time, 'time per traversal (us, median)')):
        ax.set_xscale('log', base=2)
        ax.set_yscale('log')
        ax.set_xticks(leaves, [size_name(n) for n in leaves])
        ax.set_xlabel('leaf size')
        ax.set_ylabel(ylabel)
        ax.grid(True, which='major', alpha=0.3)
    ax_time.legend(fontsize=7, ncol=2)
    fig.suptitle('Traversing a mapped IOVA range: iova_to_phys per page (before, dashed) '
                 'vs iova_to_phys_length per leaf (after, solid)', fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None
