"""One run per tree at a time.

Two runs on one kernel tree (two terminals, two CI jobs, make series while
make test generates) share its git repository, its branch and its work
tree: each would reset, commit and format-patch under the other.  A run
takes an exclusive fcntl.flock on a lock file per tree (under the cache,
never in the tree) for as long as it runs.  The kernel drops a flock when
its process dies, however it dies, so a lock left by a killed run never
blocks: only a live holder does.  The lock file says who holds it (pid and
command line) for the one-line "busy" error.

The lock files' descriptors are not inherited (O_CLOEXEC): a spatch or git
left running by a killed run does not keep its tree locked.
"""

import contextlib
import fcntl
import hashlib
import os
import pathlib
import sys
import time

from generator.errors import Failure
from generator.kernel_tree import git


class Busy(Failure):
    """Another live run holds a tree this run needs."""


def lock_file(cache: pathlib.Path, key: str) -> pathlib.Path:
    """The lock file of key (a tree's path, or a name) under the cache."""
    name = pathlib.PurePath(key).name or 'root'
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return cache / 'locks' / f'{name}-{digest}.lock'


def command_line() -> str:
    """This process's command line, as ps shows it."""
    try:
        raw = pathlib.Path('/proc/self/cmdline').read_bytes()
        return ' '.join(part.decode(errors='replace') for part in raw.split(b'\0') if part)
    except OSError:
        return ' '.join([sys.executable, *sys.argv])


def _holder(fd: int) -> str:
    # The holder writes its line right after it takes the lock: read again
    # briefly if we came in between.
    for _ in range(20):
        text = os.pread(fd, 4096, 0).decode(errors='replace').strip()
        if text:
            return text
        time.sleep(0.05)
    return 'pid ? (command unknown)'


@contextlib.contextmanager
def hold(cache: pathlib.Path, keys: list[str], wait: bool = False, what: str = 'tree',
         log=print):
    """Hold the locks of keys (in the order given) for the with-block.

    wait=False: a key another run holds raises Busy at once, naming that run.
    wait=True: wait for it, saying once whom we wait for.
    """
    (cache / 'locks').mkdir(parents=True, exist_ok=True)
    fds = []
    try:
        for key in keys:
            path = lock_file(cache, key)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            fds.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                if not wait:
                    raise Busy(f'{key}: busy: another run holds this {what} ({holder}); '
                               'wait for it to end, or pass --wait (make WAIT=1)') from None
                log(f'waiting for the other run on {key} ({holder})')
                sys.stdout.flush()
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f'pid {os.getpid()}: {command_line()}\n'.encode(), 0)
        yield
    finally:
        for fd in reversed(fds):
            os.close(fd)


def clear_stale_git_locks(tree: pathlib.Path, work: pathlib.Path, branch: str) -> list[str]:
    """Remove the git lock files a killed run can leave in our work tree
    and on our branch (index.lock, HEAD.lock, the branch's ref lock).

    Call it holding the locks of tree and work: no live run of ours can be
    using them then, and these files are ours alone (never the user's
    index or the user's branches).
    """
    candidates = []
    common = _git_path(tree, '--git-common-dir')
    if common:
        candidates.append(common / 'refs' / 'heads' / f'{branch}.lock')
    if (work / '.git').exists():
        gitdir = _git_path(work, '--git-dir')
        if gitdir and gitdir != common:
            candidates += [gitdir / 'index.lock', gitdir / 'HEAD.lock']
    removed = []
    for path in candidates:
        if path.exists():
            path.unlink()
            removed.append(str(path))
    return removed


def _git_path(tree: pathlib.Path, which: str) -> pathlib.Path | None:
    found = git(tree, 'rev-parse', which, check=False)    # '' outside a repository
    return (tree / found).resolve() if found else None
