"""generator/seriesfile.py: series.json's one reader and writer, and `generator show`."""

import json
import pathlib
import subprocess
import sys

import pytest

from generator import seriesfile

REPO = pathlib.Path(__file__).resolve().parent.parent


def _summary(out, **over):
    fields = dict(series='iova_to_phys_length', version=2,
                  kernel=seriesfile.Kernel('7.2.13', '/k', 'Debian linux-source-7.2', 'b' * 40),
                  branch='iova_to_phys_length/v2', worktree='/w', out=str(out), spatch='1.1.1',
                  steps=[seriesfile.Step('core', 'iommu: core', 'overlay', 'applied', ['a.c'],
                                         '1' * 40, 'v2-0001-iommu-core.patch'),
                         seriesfile.Step('drv', 'iommu/x: drv', 'cocci', 'absent',
                                         reason='x missing')],
                  inventory=[], unconverted=[], seconds=1.5)
    fields.update(over)
    return seriesfile.Summary(**fields)


def test_store_writes_the_format_first_then_the_keys_readers_rely_on(tmp_path):
    seriesfile.store(tmp_path, _summary(tmp_path))
    data = json.loads((tmp_path / 'series.json').read_text())
    assert list(data) == ['format', 'series', 'version', 'kernel', 'branch', 'worktree', 'out',
                          'spatch', 'steps', 'inventory', 'unconverted', 'seconds']
    assert data['format'] == seriesfile.FORMAT
    assert list(data['kernel']) == ['release', 'tree', 'source', 'base_commit']
    assert list(data['steps'][0]) == ['id', 'subject', 'produced_by', 'status', 'files',
                                      'commit', 'patch', 'reason', 'covers']


def test_load_gives_back_what_store_wrote(tmp_path):
    summary = _summary(tmp_path, b4={'change_id': 'c'}, review={'v1': 'x'})
    seriesfile.store(tmp_path, summary)
    again = seriesfile.load(tmp_path)
    assert again == summary
    assert [s.id for s in again.applied()] == ['core']


def test_a_writer_leaves_out_the_parts_it_has_not(tmp_path):
    seriesfile.store(tmp_path, seriesfile.Summary(kernel=seriesfile.Kernel(base_commit='b'),
                                                  worktree='/w', steps=[]))
    data = json.loads((tmp_path / 'series.json').read_text())
    assert 'spatch' not in data and 'b4' not in data and 'inventory' not in data
    assert seriesfile.load(tmp_path).steps == []


@pytest.mark.parametrize('content, message', [
    (None, 'no series.json'),
    ('{"format": 1, "kernel"', 'unreadable'),
    ('[]', 'format no object.*regenerate it with make series'),
    ('{"format": 99, "kernel": {"base_commit": "b"}, "worktree": "/w", "steps": []}',
     'format 99'),
    ('{"format": 1, "kernel": {}, "worktree": "/w", "steps": []}', 'kernel.base_commit'),
    ('{"format": 1, "kernel": {"base_commit": "b"}, "steps": []}', 'worktree'),
])
def test_a_missing_broken_or_other_format_file_is_one_line_naming_it(tmp_path, content,
                                                                       message):
    if content is not None:
        (tmp_path / 'series.json').write_text(content)
    with pytest.raises(seriesfile.Unreadable, match=message) as err:
        seriesfile.load(tmp_path)
    assert str(err.value).startswith(str(tmp_path / 'series.json')) and '\n' not in str(err.value)


def test_a_file_from_before_the_format_field_is_format_1(tmp_path):
    """A v1 posted before the field existed still serves as PREV=."""
    (tmp_path / 'series.json').write_text(
        '{"kernel": {"base_commit": "b"}, "worktree": "/w", "steps": []}')
    assert seriesfile.read(tmp_path)['worktree'] == '/w'
    assert seriesfile.load(tmp_path).steps == []


def test_show_prints_a_dotted_field_for_the_makefile(tmp_path):
    seriesfile.store(tmp_path, _summary(tmp_path))
    show = [sys.executable, '-m', 'generator', 'show']
    run = subprocess.run(show + ['kernel.base_commit', '--series', str(tmp_path)], cwd=REPO,
                         capture_output=True, text=True)
    assert (run.returncode, run.stdout) == (0, 'b' * 40 + '\n')
    assert seriesfile.field(tmp_path, 'worktree') == '/w'
    run = subprocess.run(show + ['kernel.nothing', '--series', str(tmp_path)], cwd=REPO,
                         capture_output=True, text=True)
    assert run.returncode == 1 and 'no field kernel.nothing' in run.stderr


def test_the_makefile_reads_series_json_through_show(tmp_path):
    seriesfile.store(tmp_path, _summary(tmp_path))
    run = subprocess.run(['make', '-n', 'boot', f'OUT={tmp_path}'], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert '-m generator show worktree' in run.stdout
    assert '-m generator show kernel.base_commit' in run.stdout
