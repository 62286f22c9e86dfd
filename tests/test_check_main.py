"""ci/check/main.py: command line and phase timing."""

import os
import pathlib
import subprocess
import sys
import types

import pytest

from ci.check import main

REPO = pathlib.Path(__file__).resolve().parent.parent


def test_quick_keeps_only_x86_64():
    args = main.parse_args(['--series', 'o', '--quick'])
    assert args.arch_names == ['x86_64'] and args.jobs == 2
    args = main.parse_args(['--series', 'o', '--quick', '--arches', 'arm64,x86_64'])
    assert args.arch_names == ['x86_64']


def test_arches_default_to_all_six_in_order():
    assert main.parse_args(['--series', 'o']).arch_names == \
        ['x86_64', 'arm64', 'arm', 'powerpc', 's390', 'riscv']
    assert main.parse_args(['--series', 'o', '--arches', 'arm,s390']).arch_names == ['arm', 's390']


def test_unknown_arch_is_refused(capsys):
    with pytest.raises(SystemExit):
        main.parse_args(['--series', 'o', '--arches', 'mips'])
    assert 'unknown arch mips' in capsys.readouterr().err


def test_phases_time_even_failing_phases():
    phases = main.Phases()
    with phases('one'):
        pass
    with pytest.raises(RuntimeError):
        with phases('two'):
            raise RuntimeError
    assert [name for name, _ in phases.timings] == ['one', 'two']
    assert all(sec >= 0 for _, sec in phases.timings)


def test_a_missing_series_directory_exits_2(tmp_path, capsys):
    assert main.main(['--series', str(tmp_path)]) == 2
    assert 'no series.json' in capsys.readouterr().err


def _repo(path):
    path.mkdir(parents=True)
    subprocess.run(['git', 'init', '-q', str(path)], check=True)
    return path


def test_two_trees_of_one_name_get_their_own_check_worktree(tmp_path):
    """The worktree, its build directories and its lock are named after
    check_worktree_path: two `linux` trees must not share them."""
    a = types.SimpleNamespace(worktree=_repo(tmp_path / 'alice' / 'linux'))
    b = types.SimpleNamespace(worktree=_repo(tmp_path / 'bob' / 'linux'))
    pa, pb = main.check_worktree_path(a), main.check_worktree_path(b)
    assert pa != pb
    assert pa.name.startswith('linux-') and pb.name.startswith('linux-')
    assert pa.parent == pb.parent == main.arches_mod.CACHE / 'check' / 'src'
    assert main.check_worktree_path(a) == pa                 # stable across runs


CACHES = ('from generator import debian; from ci.check import arches; '
          'from ci.guest import build; '
          'print(debian.cache_dir(), arches.CACHE, build.CACHE.parent, sep="\\n")')


@pytest.mark.parametrize('var', ['IOVA_CACHE', 'XDG_CACHE_HOME'])
def test_check_and_boot_use_the_generators_cache(tmp_path, var):
    """One owner of the cache's place: a source the generator fetched under
    $XDG_CACHE_HOME once got its check worktree under ~/.cache instead."""
    env = {k: v for k, v in os.environ.items()
           if k not in ('IOVA_CACHE', 'XDG_CACHE_HOME', 'CI_BOOT_CACHE')}
    env[var] = str(tmp_path / 'c')
    out = subprocess.run([sys.executable, '-c', CACHES], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    assert len(out) == 3 and out[0].startswith(str(tmp_path / 'c'))
    assert out[0] == out[1] == out[2]
