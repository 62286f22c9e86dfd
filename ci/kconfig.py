"""Kernel config fragments: reading them, and checking that they took.

Kconfig silently drops a symbol whose dependencies are not met, so after
the fragments are applied every requested value is compared with the final
.config and any difference is an error (ci/check's builds, the guests'
kernels of ci/guest).

One set of fragments serves every release: a symbol that no Kconfig file
of the tree defines (CONFIG_GENERIC_PT on 6.12, CONFIG_IOMMU_IO_PGTABLE_
LPAE_SELFTEST on 7.2) cannot be set there and is not required; the caller
logs it. A symbol the tree defines is required as before.
"""
from __future__ import annotations

import re
from pathlib import Path

_SET = re.compile(r'^(CONFIG_\w+)=(.*)$')
_UNSET = re.compile(r'^# (CONFIG_\w+) is not set$')


def parse(text: str) -> dict[str, str]:
    """CONFIG_X -> 'y'/'m'/'n'/value for each setting of a fragment or a
    .config ("is not set" is 'n'; the last setting wins)."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        match = _SET.match(line) or _UNSET.match(line)
        if match:
            values[match.group(1)] = match.group(2) if match.re is _SET else 'n'
    return values


def optional(text: str) -> set[str]:
    """Symbols a fragment marks "# optional: CONFIG_X (why)": requested, but
    a tree whose Kconfig cannot select them on this arch is not an error
    (6.12's MTK_IOMMU_V1 "depends on ARM")."""
    return set(re.findall(r'^# optional: (CONFIG_\w+)', text, re.M))


def requested(fragments: list[Path]) -> dict[str, str]:
    """Every value the fragments ask for; a later fragment wins."""
    wanted: dict[str, str] = {}
    for path in fragments:
        wanted.update(parse(path.read_text()))
    return wanted


def symbols(tree: Path) -> set[str]:
    """CONFIG_ names that some Kconfig file of the tree defines."""
    names = set()
    for path in Path(tree).rglob('Kconfig*'):
        if path.is_file():
            names.update('CONFIG_' + m for m in re.findall(
                r'^\s*(?:menu)?config\s+(\w+)', path.read_text(errors='replace'), re.M))
    return names


def defined_only(wanted: dict[str, str], defined: set[str] | Path
                 ) -> tuple[dict[str, str], list[str]]:
    """The wanted values of the symbols the tree defines (defined: its
    symbols(), or the tree), and the names of the others."""
    if isinstance(defined, Path):
        defined = symbols(defined)
    return ({s: v for s, v in wanted.items() if s in defined},
            sorted(s for s in wanted if s not in defined))


def mismatches(wanted: dict[str, str], final: dict[str, str]) -> list[str]:
    """One message per requested setting the final .config does not have
    (a symbol absent from .config is 'n': that is how Kconfig writes
    symbols whose dependencies are unmet)."""
    bad = []
    for sym, value in sorted(wanted.items()):
        got = final.get(sym, 'n')
        if got != value:
            has = f'{sym}={got}' if got != 'n' else 'it unset'
            bad.append(f'{sym}={value} requested, .config has {has}')
    return bad
