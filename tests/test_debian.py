"""generator/debian.py: apt configuration, package index, private base commit."""

import pytest

from generator import debian
from generator.errors import Failure

DEB822 = '''\
Types: deb
# a comment
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main

Types: deb-src
URIs: http://src.example/debian
Suites: sid
Components: main
'''

ONE_LINE = 'deb [arch=amd64] http://old.example/debian/ bookworm main contrib\n# deb http://x y z\n'

PACKAGES = '''\
Package: linux-source-6.12
Version: 6.12.113-1~deb12u1
Filename: pool/main/l/linux/linux-source-6.12_6.12.113-1~deb12u1_all.deb
Size: 10
SHA256: aa

Package: linux-source-6.12
Version: 6.12.117-1~deb12u1
Filename: pool/main/l/linux/linux-source-6.12_6.12.117-1~deb12u1_all.deb
Size: 11
SHA256: bb

Package: linux-source-6.12
Version: 6.12.117~rc1-1
Filename: pool/x.deb
Size: 12
SHA256: cc
'''


@pytest.fixture
def apt_dir(tmp_path):
    (tmp_path / 'sources.list.d').mkdir()
    (tmp_path / 'sources.list.d/debian.sources').write_text(DEB822)
    (tmp_path / 'sources.list.d/old.list').write_text(ONE_LINE)
    return tmp_path


def test_reads_both_formats_and_skips_deb_src(apt_dir):
    sources = debian.apt_sources(apt_dir)
    assert [s.uri for s in sources] == ['http://mirror.example/debian',
                                       'http://mirror.example/debian-security',
                                       'http://old.example/debian']
    assert sources[0].suites == ('bookworm', 'bookworm-updates')


def test_sid_comes_from_the_main_archive_mirror(apt_dir):
    sources = debian.apt_sources(apt_dir)
    assert debian.mirror_for('sid', sources) == 'http://mirror.example/debian'
    assert debian.mirror_for('bookworm-security', sources) == 'http://mirror.example/debian-security'


def test_missing_security_suite_is_an_error(apt_dir):
    with pytest.raises(Failure, match='no apt source lists trixie-security'):
        debian.mirror_for('trixie-security', debian.apt_sources(apt_dir))


def test_newest_version_wins():
    pkg = debian.find_package(PACKAGES, 'linux-source-6.12')
    assert pkg.version == '6.12.117-1~deb12u1' and pkg.sha256 == 'bb'


def test_unknown_package_and_release():
    with pytest.raises(Failure, match='linux-source-9.9 is not in the package index'):
        debian.find_package(PACKAGES, 'linux-source-9.9')
    with pytest.raises(Failure, match='KVER=5.10 is not known'):
        debian.fetch_deb('5.10')


def test_machine_configuration_has_a_mirror():
    # The real apt configuration of this machine must give a mirror for the
    # default release; no host name is written in this repository.
    assert debian.mirror_for(debian.KVER_SUITES['7.2'], debian.apt_sources()).startswith('http')


def test_machine_suite_is_the_main_archive_and_its_release(apt_dir):
    assert debian.machine_suite(debian.apt_sources(apt_dir)) == (
        'http://mirror.example/debian', 'bookworm')
    with pytest.raises(Failure, match='no Debian archive mirror'):
        debian.machine_suite([debian.AptSource('http://s.example/debian-security',
                                               ('bookworm-security',), ('main',))])


def test_fetch_foreign_unpacks_once_per_deb(tmp_path, monkeypatch):
    """The package comes from the machine's suite in the other arch's index,
    is unpacked into dest, and is neither fetched nor unpacked again."""
    asked, unpacked = [], []
    deb = tmp_path / 'busybox-static_1.35_arm64.deb'
    monkeypatch.setattr(debian, 'apt_sources', lambda: [
        debian.AptSource('http://mirror.example/debian', ('bookworm',), ('main',))])
    monkeypatch.setattr(debian, 'fetch', lambda *a, **k: (asked.append(a[:4]), (None, deb))[1])

    def dpkg_deb(cmd, check):
        unpacked.append(cmd)
        (tmp_path / 'dest/bin').mkdir(parents=True)
        (tmp_path / 'dest/bin/busybox').write_text('elf')
    monkeypatch.setattr(debian.subprocess, 'run', dpkg_deb)
    for _ in range(2):
        assert debian.fetch_foreign('busybox-static', 'arm64', tmp_path / 'dest') == \
            tmp_path / 'dest'
    assert asked == [('http://mirror.example/debian', 'bookworm', 'arm64', 'busybox-static')]
    assert len(unpacked) == 1 and unpacked[0][:2] == ['dpkg-deb', '-x']
    assert (tmp_path / 'dest/bin/busybox').exists()
