"""ci/bench/tool.py: timing commands, the series runs' own branch and
work tree, and the make check phases read from a report."""

import json
import subprocess
import sys

from ci.bench import tool


def test_run_timed_records_exit_code_output_tail_and_cpu(tmp_path):
    busy = 'import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n' \
           'print("one")\nprint("two")\nraise SystemExit(3)'
    timed = tool.run_timed('busy', [sys.executable, '-c', busy], tmp_path / 'logs' / 'busy.log')
    assert timed.exit_code == 3
    assert timed.tail.splitlines()[-2:] == ['one', 'two']
    # the child's CPU time is counted (structure: it is there, not how much)
    assert timed.cpu_seconds > 0 and timed.wall_seconds > 0
    assert (tmp_path / 'logs' / 'busy.log').read_text().startswith('one')


def test_series_runs_use_their_own_version_and_work_tree(tmp_path):
    argv = tool.series_argv(['--kver', '7.2'], tmp_path / 's', tmp_path / 'w')
    assert argv[1:4] == ['-m', 'generator', 'series']
    assert argv[argv.index('--version') + 1] == str(tool.VERSION) != '1'
    assert argv[argv.index('--work') + 1] == str(tmp_path / 'w')
    assert argv[argv.index('--author') + 1] == tool.AUTHOR


def git(*args, cwd):
    return subprocess.run(['git', *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def test_remove_worktree_drops_only_the_bench_branch(tmp_path):
    repo = tmp_path / 'repo'
    repo.mkdir()
    git('init', '-q', '-b', 'main', cwd=repo)
    git('-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-q', '--allow-empty', '-m', 'x',
        cwd=repo)
    bench, other = tmp_path / 'bench', tmp_path / 'other'
    git('worktree', 'add', '-q', '-b', f'series/v{tool.VERSION}', str(bench), cwd=repo)
    git('worktree', 'add', '-q', '-b', 'series/v1', str(other), cwd=repo)
    tool.remove_worktree(bench)
    tool.remove_worktree(other)
    tool.remove_worktree(tmp_path / 'missing')
    branches = git('branch', '--format=%(refname:short)', cwd=repo).split()
    assert f'series/v{tool.VERSION}' not in branches and 'series/v1' in branches
    assert not bench.exists()


def test_check_phases_come_from_the_report(tmp_path):
    (tmp_path / 'check.json').write_text(json.dumps(
        {'quick': True, 'timings': [['worktree', 1.5], ['checkpatch', 20.0], ['total', 30.0]]}))
    phases = tool.check_phases(tmp_path, run_check=False, log=tmp_path / 'check.log')
    assert [p['phase'] for p in phases['phases']] == ['worktree', 'checkpatch', 'total']
    assert phases['quick'] is True and phases['ran'] is None


def test_without_a_report_and_without_a_run_it_says_so(tmp_path):
    phases = tool.check_phases(tmp_path, run_check=False, log=tmp_path / 'check.log')
    assert phases['phases'] == [] and 'run make check first' in phases['note']


def test_a_given_report_is_read_instead_of_the_series_one(tmp_path):
    other = tmp_path / 'elsewhere.json'
    other.write_text(json.dumps({'quick': False, 'timings': [['total', 5.0]]}))
    phases = tool.check_phases(tmp_path, run_check=False, log=tmp_path / 'l', report=other)
    assert phases['source'] == str(other) and phases['phases'][0]['phase'] == 'total'
