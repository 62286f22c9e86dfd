"""Write an initramfs as a "newc" cpio archive (the format the kernel
unpacks, see Documentation/driver-api/early-userspace/buffer-format.rst),
so device nodes can be made without root and without the cpio tool."""
from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Entry:
    name: str          # path inside the archive, without a leading '/'
    mode: int          # file type and permission bits (stat.S_IF* | 0o755)
    data: bytes = b''  # file contents, or the target of a symlink
    rdev: tuple[int, int] = (0, 0)  # major, minor of a device node


def _pad(length: int) -> bytes:
    return b'\0' * (-length % 4)


def _record(ino: int, entry: Entry) -> bytes:
    name = entry.name.encode() + b'\0'
    fields = [
        ino, entry.mode, 0, 0,           # ino, mode, uid, gid
        1, 0, len(entry.data),           # nlink, mtime, filesize
        0, 0,                            # dev major, minor
        entry.rdev[0], entry.rdev[1],    # rdev major, minor
        len(name), 0,                    # namesize, check
    ]
    header = b'070701' + b''.join(b'%08X' % f for f in fields)
    out = header + name
    out += _pad(len(out))
    out += entry.data + _pad(len(entry.data))
    return out


def archive(entries: list[Entry]) -> bytes:
    """The archive bytes, parent directories first as the kernel needs."""
    out = b''.join(_record(i + 1, e) for i, e in enumerate(entries))
    return out + _record(0, Entry('TRAILER!!!', 0))


def directory(name: str) -> Entry:
    return Entry(name, stat.S_IFDIR | 0o755)


def file(name: str, source: Path, mode: int = 0o755) -> Entry:
    return Entry(name, stat.S_IFREG | mode, source.read_bytes())


def symlink(name: str, target: str) -> Entry:
    return Entry(name, stat.S_IFLNK | 0o777, target.encode())


def chardev(name: str, major: int, minor: int) -> Entry:
    return Entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))
