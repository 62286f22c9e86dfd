"""The guest's one result format, shared by every test guest.

The guest init (init.sh of ci/boot or ci/bench, with guest.sh's functions)
writes each part of its run to the results port, the first virtio console,
between two markers:

    @@@ BEGIN <name>
    ...what the part printed...
    @@@ END <name> rc=<exit code> seconds=<run time>

and "@@@ DONE" once it is through, just before it powers off.  A section
whose END never came (the guest died or was killed in it) has rc None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BEGIN = re.compile(r'^@@@ BEGIN (\S+)$')
END = re.compile(r'^@@@ END (\S+) rc=(-?\d+) seconds=([0-9.]+)$')
DONE = '@@@ DONE'


@dataclass
class Section:
    name: str
    lines: list[str]
    rc: int | None = None       # None: the END marker never came
    seconds: float | None = None

    @property
    def text(self) -> str:
        return ''.join(line + '\n' for line in self.lines)


def sections(results_log: str) -> dict[str, Section]:
    """Split the results port output at the BEGIN/END markers."""
    found: dict[str, Section] = {}
    current: Section | None = None
    for line in results_log.splitlines():
        line = line.rstrip('\r')
        begin = BEGIN.match(line)
        end = END.match(line)
        if begin:
            current = Section(begin.group(1), [])
            found[current.name] = current
        elif end and current and end.group(1) == current.name:
            current.rc = int(end.group(2))
            current.seconds = float(end.group(3))
            current = None
        elif current:
            current.lines.append(line)
    return found


def finished(results_log: str) -> bool:
    """The guest init got to its last step."""
    return any(line.rstrip('\r') == DONE for line in results_log.splitlines())
