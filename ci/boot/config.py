"""Kernel config fragments of the boot harness and the check that they took.

Kconfig silently drops a symbol whose dependencies are not met, so after
merging the fragments every requested value is compared with the final
.config and any difference is an error.
"""
from __future__ import annotations

import re
from pathlib import Path

FRAGMENT_DIR = Path(__file__).resolve().parent

_SET = re.compile(r'^CONFIG_([A-Za-z0-9_]+)=(.*)$')
_UNSET = re.compile(r'^# CONFIG_([A-Za-z0-9_]+) is not set$')


def fragments(arch: str) -> list[Path]:
    """Fragment files applied, in order, on top of the arch defconfig."""
    return [FRAGMENT_DIR / 'common.config', FRAGMENT_DIR / f'{arch}.config']


def parse(text: str) -> dict[str, str]:
    """Map symbol (without CONFIG_) to its value; "is not set" becomes 'n'."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        match = _SET.match(line)
        if match:
            values[match.group(1)] = match.group(2)
            continue
        match = _UNSET.match(line)
        if match:
            values[match.group(1)] = 'n'
    return values


def requested(arch: str) -> dict[str, str]:
    """Every value the fragments ask for; a later fragment wins."""
    wanted: dict[str, str] = {}
    for path in fragments(arch):
        wanted.update(parse(path.read_text()))
    return wanted


def mismatches(wanted: dict[str, str], final: dict[str, str]) -> list[str]:
    """One message per requested symbol whose final value differs.

    A symbol absent from .config is 'n' (that is how Kconfig writes
    symbols whose dependencies are unmet).
    """
    errors = []
    for symbol, value in sorted(wanted.items()):
        got = final.get(symbol, 'n')
        if got != value:
            errors.append(f'CONFIG_{symbol}: requested {value}, got {got}')
    return errors
