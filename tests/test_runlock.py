"""generator/runlock.py: one run per tree; the second exits at once saying
who runs, or waits with --wait; a killed run's lock never blocks."""

import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

import generator_run as gr
from generator import runlock
from generator.kernel_tree import git


def test_a_held_lock_is_busy_and_names_the_holder(tmp_path):
    with runlock.hold(tmp_path, ['/some/tree']):
        with pytest.raises(runlock.Busy) as err:
            with runlock.hold(tmp_path, ['/some/tree']):
                pass
    line = str(err.value)
    assert f'pid {os.getpid()}' in line and 'busy' in line and '--wait' in line
    assert '\n' not in line
    with runlock.hold(tmp_path, ['/some/tree']):    # released at the end of the block
        pass


def test_different_trees_do_not_block_each_other(tmp_path):
    with runlock.hold(tmp_path, ['/tree/a']):
        with runlock.hold(tmp_path, ['/tree/b']):
            pass


def test_the_lock_file_is_under_the_cache_not_in_the_tree(tmp_path):
    path = runlock.lock_file(tmp_path, '/src/linux')
    assert path.parent == tmp_path / 'locks' and path.name.startswith('linux-')
    assert runlock.lock_file(tmp_path, '/a/linux') != runlock.lock_file(tmp_path, '/b/linux')


def test_a_killed_holder_never_blocks(tmp_path):
    code = ('import sys, time; sys.path.insert(0, sys.argv[1]); from generator import runlock\n'
            'import pathlib\n'
            'with runlock.hold(pathlib.Path(sys.argv[2]), ["/k"]):\n'
            '    print("held", flush=True); time.sleep(60)\n')
    holder = subprocess.Popen([sys.executable, '-c', code, str(gr.REPO), str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == 'held'
    with pytest.raises(runlock.Busy, match=f'pid {holder.pid}'):
        with runlock.hold(tmp_path, ['/k']):
            pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    with runlock.hold(tmp_path, ['/k']):
        assert time.monotonic() - started < 1


def test_stale_git_locks_of_our_work_tree_are_removed(fixture_tree, tmp_path):
    work = tmp_path / 'work'
    git(fixture_tree, 'worktree', 'add', '-q', '-b', 'ours/v1', str(work))
    gitdir = pathlib.Path(git(work, 'rev-parse', '--absolute-git-dir'))
    common = pathlib.Path(git(fixture_tree, 'rev-parse', '--absolute-git-dir'))
    for stale in (gitdir / 'index.lock', common / 'refs/heads/ours/v1.lock'):
        stale.write_text('')
    (common / 'index.lock').write_text('')      # the user's own index: not ours
    removed = runlock.clear_stale_git_locks(fixture_tree, work, 'ours/v1')
    assert sorted(removed) == sorted([str(gitdir / 'index.lock'),
                                      str(common / 'refs/heads/ours/v1.lock')])
    assert (common / 'index.lock').exists()


def _commits(tree, branch):
    return git(tree, 'log', '--reverse', '--format=%s', f'HEAD..{branch}').splitlines()


def test_two_runs_on_one_tree_give_one_series_and_one_busy_line(fixture_tree, tmp_path):
    cache = tmp_path / 'cache'
    first = gr.start(fixture_tree, tmp_path / 'out1', cache, gr.slow_spatch(tmp_path / 'bin'))
    gr.wait_for_line(first, 'work tree:')
    started = time.monotonic()
    second = gr.run(fixture_tree, tmp_path / 'out2', cache)
    assert time.monotonic() - started < 10, 'the second run waited'
    line = gr.one_line_error(second, 'busy', f'pid {first.pid}', 'generator series',
                             str(fixture_tree))
    assert line.startswith('error: ')
    assert not (tmp_path / 'out2').exists()
    first.communicate(timeout=300)
    assert first.returncode == 0, first.stderr
    assert _commits(fixture_tree, 'toy_series/v1') == [
        'iommu: add iova_to_phys_length for the test', 'iommu/toy: return PHYS_ADDR_MAX on error']
    assert len(list((tmp_path / 'out1').glob('v1-*.patch'))) == 3


def test_wait_waits_for_the_other_run_then_makes_its_series(fixture_tree, tmp_path):
    cache = tmp_path / 'cache'
    first = gr.start(fixture_tree, tmp_path / 'out1', cache, gr.slow_spatch(tmp_path / 'bin'))
    gr.wait_for_line(first, 'work tree:')
    second = gr.start(fixture_tree, tmp_path / 'out2', cache, None, '--wait')
    assert 'waiting for the other run' in second.stdout.readline()
    assert first.wait(timeout=300) == 0
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert _commits(fixture_tree, 'toy_series/v1') == [
        'iommu: add iova_to_phys_length for the test', 'iommu/toy: return PHYS_ADDR_MAX on error']
    assert len(list((tmp_path / 'out2').glob('v1-*.patch'))) == 3
