"""Ctrl-C and SIGTERM: stop at once, say so in one line, leave nothing behind.

The first SIGINT or SIGTERM raises Interrupted wherever the run is; the
code on the way out (with-blocks, finally) removes the staging OUT and the
run's git locks.  Later signals (make passing on the same Ctrl-C, a second
Ctrl-C) are noted, not raised, so that clean-up is not itself interrupted.
"""

import signal
import sys

received: list[int] = []


class Interrupted(KeyboardInterrupt):
    """The run got SIGINT or SIGTERM."""


def _handler(signum, frame):
    received.append(signum)
    if len(received) == 1:
        raise Interrupted(signal.Signals(signum).name)


def install() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _handler)


def message() -> tuple[str, int]:
    """The one line for the user, and the exit status (128 + signal)."""
    signum = received[0] if received else signal.SIGINT
    name = signal.Signals(signum).name
    return (f'interrupted ({name}): stopped; OUT is left as it was before the run, '
            'and the next run starts clean', 128 + signum)


def run(main, prog: str) -> int:
    """main() of a ci program under install(): a signal stops it with one
    line and 128 + the signal; what it started is killed on the way out
    (ci/guest's builds and guests)."""
    install()
    try:
        return main()
    except Interrupted:
        signum = received[0]
        print(f'{prog}: interrupted ({signal.Signals(signum).name}): stopped, and the builds '
              'and guests it started were killed', file=sys.stderr)
        return 128 + signum
