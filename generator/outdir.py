"""The OUT directory: checked before the run, written whole or not at all.

A run writes its patches and series.json into a staging directory beside
OUT and renames it into place at the end, so an interrupted run leaves the
previous OUT as it was (or none), never half a series.  What the other
targets wrote into OUT that does not describe the replaced commits (other
versions' patches, the user's own files) is carried over.
"""

import os
import pathlib
import shutil
import signal

from generator.errors import Failure

STAGING = '.{name}.part-{pid}'
OLD = '.{name}.old-{pid}'


def check(out: pathlib.Path, tree: pathlib.Path, *more_trees: pathlib.Path) -> None:
    """OUT must be outside the kernel trees and in a place we can write."""
    out = out.resolve()
    for t in (tree, *more_trees):
        t = t.resolve()
        if out == t or t in out.parents:
            raise Failure(f'OUT={out} is inside the kernel tree {t}: give a directory outside it')
    existing = next(p for p in (out, *out.parents) if p.exists())
    if not existing.is_dir():
        raise Failure(f'OUT={out}: {existing} is not a directory')
    if not os.access(existing, os.W_OK | os.X_OK) or (
            existing == out and not os.access(out.parent, os.W_OK | os.X_OK)):
        raise Failure(f'OUT={out}: {existing if existing != out else out.parent} '
                      'is not writable')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_stale(out: pathlib.Path) -> None:
    """Remove the staging directories of dead runs beside out; put back an
    OUT a run died between moving it away and renaming the new one in."""
    parent = out.parent
    if not parent.is_dir():
        return
    for kind in (STAGING, OLD):
        prefix = kind.format(name=out.name, pid='')
        for path in parent.glob(prefix + '*'):
            pid = path.name[len(prefix):]
            if pid.isdigit() and not _alive(int(pid)):
                if kind == OLD and not out.exists():
                    path.rename(out)
                else:
                    shutil.rmtree(path, ignore_errors=True)


def staging(out: pathlib.Path) -> pathlib.Path:
    path = out.parent / STAGING.format(name=out.name, pid=os.getpid())
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def publish(stage: pathlib.Path, out: pathlib.Path, replaced) -> None:
    """Make stage the new out.  replaced(path of old out) says which of
    the old entries the new series replaces; the others are copied over."""
    if out.is_dir():
        for entry in out.iterdir():
            if replaced(entry) or (stage / entry.name).exists():
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, stage / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, stage / entry.name, follow_symlinks=False)
    old = out.parent / OLD.format(name=out.name, pid=os.getpid())
    # The two renames go together: a signal between them would leave no OUT.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        if out.exists():
            out.rename(old)
        stage.rename(out)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
