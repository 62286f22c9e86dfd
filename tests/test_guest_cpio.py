"""ci/guest/cpio.py: the newc archive, read back by the cpio tool when it
is installed and by a strict reader of the format here."""

import shutil
import stat
import subprocess

import pytest

from ci.guest import cpio


def read_newc(data):
    """(name, mode, rdevmajor, rdevminor, body) per record, checking the
    magic, the 4-byte alignment and the trailer."""
    out, pos = [], 0
    while True:
        assert data[pos:pos + 6] == b'070701', f'bad magic at {pos}'
        fields = [int(data[pos + 6 + 8 * i:pos + 14 + 8 * i], 16) for i in range(13)]
        namesize, filesize = fields[11], fields[6]
        name_start = pos + 110
        name = data[name_start:name_start + namesize - 1].decode()
        assert data[name_start + namesize - 1] == 0
        body_start = name_start + namesize
        body_start += -body_start % 4
        body = data[body_start:body_start + filesize]
        pos = body_start + filesize
        pos += -pos % 4
        if name == 'TRAILER!!!':
            assert pos == len(data)
            return out
        out.append((name, fields[1], fields[9], fields[10], body))


def sample(tmp_path):
    program = tmp_path / 'prog'
    program.write_bytes(b'\x7fELF' + b'x' * 13)   # odd size: needs padding
    return cpio.archive([
        cpio.directory('bin'),
        cpio.directory('dev'),
        cpio.chardev('dev/console', 5, 1),
        cpio.file('bin/busybox', program),
        cpio.symlink('bin/sh', 'busybox'),
    ])


def test_records_read_back(tmp_path):
    records = read_newc(sample(tmp_path))
    assert [r[0] for r in records] == ['bin', 'dev', 'dev/console', 'bin/busybox', 'bin/sh']
    kinds = [stat.S_IFMT(r[1]) for r in records]
    assert kinds == [stat.S_IFDIR, stat.S_IFDIR, stat.S_IFCHR, stat.S_IFREG, stat.S_IFLNK]
    assert records[2][2:4] == (5, 1)
    assert records[3][4] == b'\x7fELF' + b'x' * 13 and records[3][1] & 0o777 == 0o755
    assert records[4][4] == b'busybox'


@pytest.mark.skipif(not shutil.which('cpio'), reason='cpio tool not installed')
def test_cpio_tool_lists_the_archive(tmp_path):
    listing = subprocess.run(['cpio', '-t', '-v'], input=sample(tmp_path),
                             capture_output=True, check=True).stdout.decode()
    names = [line.split()[-1] if '->' not in line else line.split()[-3]
             for line in listing.splitlines()]
    assert names == ['bin', 'dev', 'dev/console', 'bin/busybox', 'bin/sh']
    assert listing.splitlines()[2].startswith('crw-------')
