"""ci/check/main.py: command line and phase timing."""

import pytest

from ci.check import main


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
