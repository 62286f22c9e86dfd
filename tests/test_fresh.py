"""ci/fresh.py's pure parts: the root's apt sources, the commands, the lines
it prints.  The debootstrap run itself is `make fresh-check` (in ci-full)."""

from ci import fresh
from generator import debian

SOURCES = debian._parse_deb822('''Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main

Types: deb
URIs: https://deb.nodesource.com/node_20.x
Suites: nodistro
Components: main
''')


def test_the_root_gets_the_debian_and_security_sources_only():
    text = fresh.root_sources(SOURCES)
    assert [s.uri for s in debian._parse_deb822(text)] == [
        'http://deb.debian.org/debian', 'http://deb.debian.org/debian-security']
    assert 'Suites: bookworm bookworm-updates\n' in text
    assert 'nodesource' not in text
    # and generator.debian finds in them what make series and make test fetch
    parsed = debian._parse_deb822(text)
    assert debian.mirror_for('bookworm-security', parsed) == 'http://deb.debian.org/debian-security'
    assert debian.mirror_for('sid', parsed) == 'http://deb.debian.org/debian'


def test_no_debian_source_is_an_error():
    import pytest
    with pytest.raises(fresh.Failure, match='no Debian archive source'):
        fresh.root_sources(SOURCES[2:])


def test_the_commands_are_the_readme_two_quoted_for_the_shell():
    series, test = fresh.commands("-m 'not slow'", 'A B <a@b.org>')
    assert series.label == 'make series' and test.label == 'make test'
    assert series.shell == "make series AUTHOR='A B <a@b.org>'"
    assert test.shell == "make test PYTEST_ARGS='-m '\"'\"'not slow'\"'\"''"


def test_the_result_line_says_exit_and_time():
    assert fresh.result_line('make test', 0, 754.4) == 'make test: exit 0, 754 s (12.6 min)'


def test_the_tarball_name_says_what_root_it_is():
    assert fresh.tarball_name('bookworm', 'amd64') == 'root-bookworm-amd64-minbase-make.tar'


def test_mounts_under_a_root_are_found_and_only_those(tmp_path):
    root = tmp_path / 'root'
    info = (f'45 27 0:40 / {root}/proc rw - proc proc rw\n'
            f'46 27 0:41 / {root}-other rw - tmpfs t rw\n'
            f'47 27 0:42 / {root} rw - tmpfs t rw\n')
    assert fresh.mounts_under(root, info) == [str(root), f'{root}/proc']
