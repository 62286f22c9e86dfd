"""Ctrl-C (SIGINT to the process group) or SIGTERM in the middle of a run:
it stops at once with one line, leaves no git lock and no half-written OUT
(generator/interrupt.py, generator/outdir.py), and the next run succeeds."""

import os
import pathlib
import signal
import time

import pytest

import generator_run as gr
from generator import outdir
from generator.kernel_tree import git


def _git_locks(tree: pathlib.Path) -> list[str]:
    common = pathlib.Path(git(tree, 'rev-parse', '--absolute-git-dir'))
    return sorted(str(p) for p in common.rglob('*.lock'))


def _interrupt(tree, out, cache, tmp_path, sig, group):
    run = gr.start(tree, out, cache, gr.slow_spatch(tmp_path / 'bin', 2))
    gr.wait_for_line(run, 'applied  core')      # in the middle: one commit made, one to go
    time.sleep(0.5)
    sent = time.monotonic()
    if group:
        os.killpg(run.pid, sig)
    else:
        run.send_signal(sig)
    _, err = run.communicate(timeout=30)
    return run.returncode, err, time.monotonic() - sent


@pytest.mark.parametrize('sig,group', [(signal.SIGINT, True), (signal.SIGTERM, False)],
                         ids=['ctrl-c', 'sigterm'])
def test_an_interrupted_run_stops_at_once_and_leaves_nothing(fixture_tree, tmp_path, sig, group):
    cache, out = tmp_path / 'cache', tmp_path / 'out'
    rc, err, seconds = _interrupt(fixture_tree, out, cache, tmp_path, sig, group)
    assert rc == 128 + sig
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f'interrupted ({sig.name})'), err
    assert seconds < 5
    assert not out.exists()
    assert not list(tmp_path.glob('.out.*')), 'a staging OUT was left'
    assert _git_locks(fixture_tree) == []
    # the next run succeeds and makes the whole series
    again = gr.run(fixture_tree, out, cache)
    assert again.returncode == 0, again.stderr
    assert len(list(out.glob('v1-*.patch'))) == 3 and (out / 'series.json').is_file()


def test_an_interrupted_rerun_leaves_the_previous_out_as_it_was(fixture_tree, tmp_path):
    cache, out = tmp_path / 'cache', tmp_path / 'out'
    assert gr.run(fixture_tree, out, cache).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    rc, err, _ = _interrupt(fixture_tree, out, cache, tmp_path, signal.SIGINT, True)
    assert rc == 130, err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_killed_run_s_leftovers_do_not_stop_the_next(fixture_tree, tmp_path):
    """SIGKILL runs no clean-up: the next run removes what it left."""
    cache, out = tmp_path / 'cache', tmp_path / 'out'
    run = gr.start(fixture_tree, out, cache, gr.slow_spatch(tmp_path / 'bin', 2))
    gr.wait_for_line(run, 'applied  core')
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    work = next((cache / 'work').glob('*/*'))
    gitdir = pathlib.Path(git(work, 'rev-parse', '--absolute-git-dir'))
    (gitdir / 'index.lock').write_text('')      # as a git killed mid-commit leaves it
    (tmp_path / '.out.part-999999').mkdir()     # as a run killed mid-write leaves it
    again = gr.run(fixture_tree, out, cache)
    assert again.returncode == 0, again.stderr
    assert not (tmp_path / '.out.part-999999').exists()
    assert len(list(out.glob('v1-*.patch'))) == 3


def test_publish_keeps_what_the_new_series_does_not_replace(tmp_path):
    out = tmp_path / 'out'
    out.mkdir()
    for name in ('v1-0001-old.patch', 'v2-0001-other.patch', 'check.json', 'notes.txt'):
        (out / name).write_text('old')
    stage = outdir.staging(out)
    (stage / 'v1-0001-new.patch').write_text('new')
    outdir.publish(stage, out, lambda p: p.name.startswith('v1-') or p.name == 'check.json')
    assert sorted(p.name for p in out.iterdir()) == [
        'notes.txt', 'v1-0001-new.patch', 'v2-0001-other.patch']
    assert not stage.exists() and not list(tmp_path.glob('.out.*'))
