"""python3 -m ci.bench --smoke: the benchmark's whole pipeline in seconds
(host variant of the walk section, the audit of a fixture tree, the
tables and the plot), so it cannot rot; and the walk-count invariant on
what it measured. Never timings."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kernel_fixture
from ci.bench import main as bench_main
from ci.bench import results
from ci.guest import protocol

REPO = Path(__file__).resolve().parent.parent


def fake_series(tmp_path):
    series = tmp_path / 'series'
    series.mkdir()
    (series / 'series.json').write_text(json.dumps({'format': 1,
        'worktree': str(tmp_path / 'no-worktree'),
        'kernel': {'tree': str(tmp_path), 'base_commit': '0' * 40}, 'steps': []}))
    return series


@pytest.fixture(scope='module')
def smoke(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('bench-smoke')
    tree = kernel_fixture.write_tree(tmp / 'linux')
    out = tmp / 'out'
    proc = subprocess.run([sys.executable, '-m', 'ci.bench', '--series', str(fake_series(tmp)),
                           '--out', str(out), '--smoke', '--tool-kernel', str(tree)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    return proc, out


def test_smoke_run_passes_and_writes_its_outputs(smoke):
    proc, out = smoke
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads((out / 'results.json').read_text())
    assert data['smoke'] and data['failures'] == []
    assert data['sections'] == ['walks', 'tool']
    md = (out / 'bench.md').read_text()
    assert '| format | leaf | walks before (a) |' in md
    assert '## 3. The tool itself' in md
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        pytest.skip('python3-matplotlib is not installed')
    assert (out / 'bench.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


def test_smoke_walk_counts_are_one_per_page_before_and_one_per_leaf_after(smoke):
    _, out = smoke
    walks = json.loads((out / 'results.json').read_text())['walks']
    assert walks['range'] == 4 << 20 and walks['page'] == 4096
    leaves = [row['leaf'] for row in walks['rows']]
    # every leaf of the model that fits the 4 MiB range, the larger one skipped
    assert leaves == [4096, 64 << 10, 2 << 20]
    assert [s['leaf'] for s in walks['skipped']] == [1 << 30]
    for row in walks['rows']:
        assert row['before_old']['walks'] == walks['range'] // walks['page']
        assert row['after_new']['walks'] == walks['range'] // row['leaf']
        assert row['after_new']['ns']['n'] == 1


def test_smoke_times_the_audit_and_says_why_there_are_no_check_phases(smoke):
    _, out = smoke
    tool = json.loads((out / 'results.json').read_text())['tool']
    assert [c['name'] for c in tool['commands']] == ['audit']
    audit = tool['commands'][0]
    assert '--kernel' in audit['argv']
    assert isinstance(audit['wall_seconds'], float) and isinstance(audit['cpu_seconds'], float)
    assert audit['exit_code'] in (0, 1), audit['tail']   # 1: the fixture has leftovers
    assert tool['check']['phases'] == [] and 'check.json' in tool['check']['note']


def test_under_reporting_lengths_break_the_walk_count(tmp_path):
    text = bench_main.host_walks(4, 1, tmp_path, ('-DMUTATE_UNDER_REPORT',))
    with pytest.raises(results.InvariantError):
        results.check_invariant(results.parse_kmod(text))


def test_the_host_variant_and_the_module_share_the_walk_loops():
    host = (REPO / 'ci/bench/host_bench.c').read_text()
    kmod = (REPO / 'ci/bench/kmod/iova_bench.c').read_text()
    for text in (host, kmod):
        assert '#include "walk_bench.h"' in text
        assert 'DEFINE_WALK_OLD(' in text and 'DEFINE_WALK_NEW(' in text


def e2e_row(case, unmap_before, unmap_after, map_ns=5e6):
    stats = lambda v: {'min': v, 'median': v, 'max': v, 'n': 1}
    cell = lambda unmap: {'size': 1 << 30, 'map_ns': stats(map_ns), 'unmap_ns': stats(unmap)}
    return {'case': case, 'before': cell(unmap_before), 'after': cell(unmap_after)}


def test_pinning_notes_take_the_walk_share_from_the_saved_unmap_time():
    notes = bench_main.pinning_notes({'vfio': [e2e_row('1G-hugetlb', 40e6, 10e6),
                                               e2e_row('4K', 150e6, 140e6)]})
    assert len(notes) == 2
    saved_share = 100 * (40e6 - 10e6) / 40e6
    assert f'walking was {saved_share:.0f}% of the unmap before' in notes[0]
    assert 'pinning/unpinning dominates' in notes[1]


def test_bad_series_dir_is_a_usage_error(tmp_path):
    assert bench_main.main(['--series', str(tmp_path), '--out', str(tmp_path / 'o'),
                            '--smoke']) == 2


PANIC = ('[    1.28] Oops: int3: 0000 [#1] SMP NOPTI\n'
         '[    1.28] RIP: 0010:sched_clock_cpu+0x9/0x190\n'
         '[    1.29] Kernel panic - not syncing: Fatal exception in interrupt\n')


def scripted_boots(monkeypatch, boots):
    """boot_once replaced by boots, one (console, sections, finished) per call."""
    calls = []

    def boot_once(label, n, built, params, out, args, log):
        console, sections, finished = boots[len(calls)]
        logs = out / 'logs' / f'guest-{label}-{n + 1}'
        logs.mkdir(parents=True, exist_ok=True)
        (logs / 'console.log').write_text(console)
        calls.append(console)
        return ({k: protocol.Section(k, ['text'], 0, 0.1) for k in sections},
                {'label': label, 'round': n + 1, 'finished': finished, 'timed_out': False,
                 'exit_code': 0, 'sections': {k: 0 for k in sections}})
    monkeypatch.setattr(bench_main, 'boot_once', boot_once)
    return calls


def test_a_guest_that_died_before_its_first_case_is_booted_once_more(tmp_path, monkeypatch):
    calls = scripted_boots(monkeypatch, [(PANIC, [], False), ('ok\n', ['kmod'], True)])
    found, status = bench_main.boot_round('before', 3, None, None, tmp_path, None, print)
    assert len(calls) == 2 and set(found) == {'kmod'} and status['finished']
    why = status['booted_again']['why']
    assert why.startswith('bug: Oops: int3') and status['booted_again']['logs'] == \
        'logs/guest-before-4-first'
    assert (tmp_path / 'logs' / 'guest-before-4-first' / 'console.log').read_text() == PANIC
    assert (tmp_path / 'logs' / 'guest-before-4' / 'console.log').read_text() == 'ok\n'
    md = bench_main.report.markdown({'boots': [status]})
    assert 'Booted again' in md and 'before round 4: bug: Oops: int3' in md


def test_a_second_death_is_the_rounds_and_a_measuring_guest_is_not_booted_again(
        tmp_path, monkeypatch):
    calls = scripted_boots(monkeypatch, [(PANIC, [], False), (PANIC, [], False)])
    _, status = bench_main.boot_round('after', 0, None, None, tmp_path, None, print)
    assert len(calls) == 2 and not status['finished'] and status['booted_again']
    calls = scripted_boots(monkeypatch, [(PANIC, ['kmod'], False)])
    _, status = bench_main.boot_round('after', 1, None, None, tmp_path, None, print)
    assert len(calls) == 1 and 'booted_again' not in status
    assert bench_main.died_before_the_benchmark(
        {'finished': False, 'sections': {}, 'timed_out': True, 'exit_code': None},
        'no report\n') == 'timed out'
