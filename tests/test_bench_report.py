"""ci/bench/report.py: size names, the tables and the plot."""

import pytest

from ci.bench import report


def row(fmt, leaf, before=True):
    cell = lambda walks, ns: {'op': 'x', 'walks': walks,
                              'ns': {'min': ns, 'median': ns, 'max': ns, 'n': 1}}
    return {'fmt': fmt, 'leaf': leaf,
            'before_old': cell(1024, 4000) if before else None,
            'after_old': cell(1024, 4100), 'after_new': cell((4 << 20) // leaf, 100),
            'walk_ratio': 1024 / ((4 << 20) // leaf) if before else None,
            'time_ratio': 40.0 if before else None}


@pytest.mark.parametrize('n, name', [(4096, '4K'), (64 << 10, '64K'), (1 << 20, '1M'),
                                     (2 << 20, '2M'), (16 << 20, '16M'), (1 << 30, '1G'),
                                     (1000, '1000')])
def test_size_name(n, name):
    assert report.size_name(n) == name


def test_walks_table_has_a_row_per_format_and_leaf_and_na_without_before():
    lines = report.walks_markdown([row('lpae', 4096), row('v7s', 64 << 10, before=False)],
                                  4 << 20, 1)
    body = [line for line in lines if line.startswith('| lpae') or line.startswith('| v7s')]
    assert len(body) == 2
    assert '| lpae | 4K | 1,024 | 1,024 | 1.0x |' in body[0]
    assert body[1].startswith('| v7s | 64K | n/a | 64 | n/a |')


def test_markdown_sections_follow_the_data():
    data = {'walks': {'rows': [row('vtdss', 2 << 20)], 'range': 4 << 20, 'reps': 1},
            'tool': {'commands': [{'name': 'audit', 'wall_seconds': 1.0, 'cpu_seconds': 0.5,
                                   'exit_code': 1}],
                     'check': {'phases': [{'phase': 'checkpatch', 'seconds': 2.0}],
                               'source': '/s/check.json', 'quick': True}}}
    text = report.markdown(data)
    assert '## 1. Page-table walks' in text and '## 2.' not in text
    assert '| audit | 1.0 | 0.5 | 1 |' in text and '| checkpatch | 2.0 |' in text
    assert 'Target for make series' not in text


def test_series_target_is_judged_on_wall_time():
    cmd = lambda name, wall: {'name': name, 'wall_seconds': wall, 'cpu_seconds': 1.0,
                              'exit_code': 0, 'load': 2.0}
    fast = report.tool_markdown({'commands': [cmd('series (cold)', 50.0),
                                              cmd('series (warm)', 20.0)]})
    slow = report.tool_markdown({'commands': [cmd('series (cold)', 61.0),
                                              cmd('series (warm)', 20.0)]})
    assert any(': met on this run' in line for line in fast)
    assert any(': not met on this run' in line for line in slow)


def test_plot_writes_a_png(tmp_path):
    pytest.importorskip('matplotlib')
    rows = [row(fmt, leaf) for fmt in ('lpae', 'amdv1') for leaf in (4096, 2 << 20)]
    assert report.plot(rows, tmp_path / 'p.png') is None
    assert (tmp_path / 'p.png').read_bytes()[:4] == b'\x89PNG'
