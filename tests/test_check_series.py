"""ci/check/series.py: reading series.json as the generator writes it."""

import json

import pytest

from ci.check import series


def _write(tmp_path, **over):
    data = {'format': 1, 'series': 'iova_to_phys_length', 'version': 2,
            'kernel': {'release': '7.2.13', 'tree': '/k', 'base_commit': 'b' * 40},
            'branch': 'iova_to_phys_length/v2', 'worktree': '/w', 'out': str(tmp_path),
            'steps': [
                {'id': 'core', 'subject': 'iommu: core', 'status': 'applied', 'files': ['a.c'],
                 'commit': '1' * 40, 'patch': 'v2-0001-iommu-core.patch'},
                {'id': 'drv', 'subject': 'iommu/x: drv', 'status': 'pending', 'files': [],
                 'commit': '', 'patch': ''},
                {'id': 'gone', 'subject': 'iommu/y', 'status': 'absent', 'files': [],
                 'commit': '', 'patch': ''},
                {'id': 'callers', 'subject': 'vfio: callers', 'status': 'applied',
                 'files': ['b.c'], 'commit': '2' * 40, 'patch': 'v2-0002-vfio-callers.patch'}]}
    data.update(over)
    (tmp_path / 'series.json').write_text(json.dumps(data))
    (tmp_path / 'v2-0000-cover-letter.patch').write_text('')


def test_load_keeps_applied_commits_in_order(tmp_path):
    _write(tmp_path)
    s = series.load(tmp_path)
    assert [c.step for c in s.commits] == ['core', 'callers']
    assert s.skipped == (('drv', 'pending'), ('gone', 'absent'))
    assert (s.base, s.tip, s.version, s.cover) == ('b' * 40, '2' * 40, 2,
                                                   'v2-0000-cover-letter.patch')
    assert s.parent(0) == 'b' * 40 and s.parent(1) == '1' * 40
    assert str(s.worktree) == '/w' and str(s.tree) == '/k'


def test_missing_or_broken_series_json_is_an_error(tmp_path):
    with pytest.raises(series.SeriesError, match='no series.json'):
        series.load(tmp_path)
    _write(tmp_path, kernel={})
    with pytest.raises(series.SeriesError, match='base_commit'):
        series.load(tmp_path)


def test_an_applied_step_without_commit_is_an_error(tmp_path):
    _write(tmp_path, steps=[{'id': 'core', 'status': 'applied', 'commit': ''}])
    with pytest.raises(series.SeriesError, match='core'):
        series.load(tmp_path)


def test_a_series_json_of_another_format_is_refused_in_one_line(tmp_path):
    _write(tmp_path, format=2)
    with pytest.raises(series.SeriesError, match='format 2.*regenerate it') as err:
        series.load(tmp_path)
    assert '\n' not in str(err.value)


def test_a_series_json_without_format_field_is_format_1(tmp_path):
    _write(tmp_path)
    data = json.loads((tmp_path / 'series.json').read_text())
    del data['format']
    (tmp_path / 'series.json').write_text(json.dumps(data))
    assert [c.step for c in series.load(tmp_path).commits] == ['core', 'callers']
