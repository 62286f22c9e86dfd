"""Kernel config fragments of the boot harness and the check that they took.

Kconfig silently drops a symbol whose dependencies are not met, so after
merging the fragments every requested value is compared with the final
.config and any difference is an error.

One set of fragments serves every release: a symbol that no Kconfig file
of the tree defines (CONFIG_GENERIC_PT on 6.12, CONFIG_IOMMU_IO_PGTABLE_
LPAE_SELFTEST on 7.2) cannot be set there and is not required; the harness
logs it. A symbol the tree defines is required as before.
"""
from __future__ import annotations

import re
from pathlib import Path

from ci.check.arches import kconfig_symbols

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


def defined_only(wanted: dict[str, str], tree: Path) -> tuple[dict[str, str], list[str]]:
    """The wanted values of the symbols the tree's Kconfig defines, and the
    names (CONFIG_X) of the wanted symbols it does not define."""
    defined = kconfig_symbols(Path(tree))
    undefined = sorted(f'CONFIG_{s}' for s in wanted if f'CONFIG_{s}' not in defined)
    return {s: v for s, v in wanted.items() if f'CONFIG_{s}' in defined}, undefined


def required(arch: str, tree: Path) -> tuple[dict[str, str], list[str]]:
    """What the arch's fragments request that the tree can have, and the
    names of the rest (defined_only)."""
    return defined_only(requested(arch), tree)


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
