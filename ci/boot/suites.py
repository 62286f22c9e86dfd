"""What a boot of a kernel tree must report, read from the tree's files.

The harness judges 7.2 (generic_pt KUnit suites, the LPAE KUnit suite, the
kernel's VFIO selftests) and 6.12 (none of these; LPAE has a boot selftest
instead) with the same code: every decision here looks at what the tree
contains, never at its version. A suite the tree has must show up in the
boot, or the boot fails; the config fragments enable it (a fragment
symbol the tree does not define is not required, see build.py), so a
suite whose switch the fragments miss fails loudly as missing rather than
being skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import results


class LayoutError(Exception):
    """The tree has a test this module cannot name: update the rules."""


# Boot selftests, reported on the console of every boot: the suite name
# results.py gives them, the file they are in and the Kconfig guard that
# tells the test is there.
BOOT_SELFTESTS = [
    (results.LPAE_SUITE, 'drivers/iommu/io-pgtable-arm.c',
     'CONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST'),
    (results.V7S_SUITE, 'drivers/iommu/io-pgtable-arm-v7s.c',
     'CONFIG_IOMMU_IO_PGTABLE_ARMV7S_SELFTEST'),
]

# The kernel's user-space test programs the harness runs, by the source
# that has to be in the tree for them to be built.
KERNEL_PROGRAMS = {
    'iommufd': 'tools/testing/selftests/iommu/iommufd.c',
    'iommufd_fail_nth': 'tools/testing/selftests/iommu/iommufd_fail_nth.c',
    'vfio_dma_mapping_test': 'tools/testing/selftests/vfio/vfio_dma_mapping_test.c',
}

_SUITE = re.compile(r'\bstruct\s+kunit_suite\s+\w+\s*=\s*\{')
_SUITE_NAME = re.compile(r'\bstruct\s+kunit_suite\s+\w+\s*=\s*\{\s*\.name\s*=\s*"([^"]+)"')
_PT_SUITE_NAME = re.compile(r'\.name\s*=\s*__stringify\(NS\((\w+)\)\)')
_PT_FORMAT = re.compile(r'^iommu_pt_fmt-\$\(CONFIG_\w+\)\s*\+=\s*(\w+)', re.M)
_PT_FMT = re.compile(r'^#define\s+PT_FMT\s+(\w+)', re.M)
_PT_FMT_VARIANT = re.compile(r'^#define\s+PT_FMT_VARIANT\s+(\w+)', re.M)


@dataclass(frozen=True)
class Expected:
    kunit: list[str]        # KUnit suites, required on the kunit machines
    selftests: list[str]    # boot selftests, required on every machine
    programs: list[str]     # the kernel's test programs the tree has


def _read(path: Path) -> str:
    return path.read_text(errors='replace')


def io_pgtable_kunit(tree: Path) -> list[str]:
    """KUnit suites of the io-pgtable formats (7.2: io-pgtable-arm-test;
    6.12: none), by the .name of each kunit_suite."""
    names = []
    for path in sorted((tree / 'drivers/iommu').glob('io-pgtable*.c')):
        text = _read(path)
        found = _SUITE_NAME.findall(text)
        if len(found) != len(_SUITE.findall(text)):
            raise LayoutError(f'{path}: a kunit_suite without a literal .name first')
        names += found
    return names


def pt_prefix(source: str) -> str | None:
    """NS() prefix of a generic_pt format file, without the trailing _:
    PT_FMT, then _PT_FMT_VARIANT if there is one (fmt/iommu_template.h)."""
    fmt = _PT_FMT.search(source)
    if not fmt:
        return None
    variant = _PT_FMT_VARIANT.search(source)
    return fmt.group(1) + (f'_{variant.group(1)}' if variant else '')


def generic_pt_kunit(tree: Path) -> list[str]:
    """The generic_pt KUnit suites: each kunit_*.h header names a suite
    NS(<kind>), and every format in fmt/Makefile builds each kind, named
    with the format's prefix. A tree without generic_pt has none."""
    pt = tree / 'drivers/iommu/generic_pt'
    kinds = [k for h in sorted(pt.glob('kunit_*.h')) for k in _PT_SUITE_NAME.findall(_read(h))]
    if not kinds:
        return []
    makefile = pt / 'fmt/Makefile'
    stems = _PT_FORMAT.findall(_read(makefile)) if makefile.exists() else []
    if not stems:
        raise LayoutError(f'{makefile}: no iommu_pt_fmt formats for the KUnit suites {kinds}')
    names = []
    for stem in stems:
        source = pt / 'fmt' / f'iommu_{stem}.c'
        prefix = pt_prefix(_read(source)) if source.exists() else None
        if not prefix:
            raise LayoutError(f'{source}: no #define PT_FMT')
        names += [f'{prefix}_{kind}' for kind in kinds]
    return names


def boot_selftests(tree: Path) -> list[str]:
    """The io-pgtable boot selftests the tree has."""
    return [suite for suite, name, guard in BOOT_SELFTESTS
            if (tree / name).exists() and guard in _read(tree / name)]


def programs(tree: Path) -> list[str]:
    """The kernel's test programs whose source the tree has."""
    return [name for name, source in KERNEL_PROGRAMS.items() if (tree / source).exists()]


def expected(tree: Path, generic_pt_kunit_built: bool = True) -> Expected:
    """What a boot must report; the generic_pt suites only where the
    config builds them (CONFIG_IOMMU_PT_KUNIT_TEST, see common.config)."""
    tree = Path(tree)
    pt = generic_pt_kunit(tree) if generic_pt_kunit_built else []
    return Expected(io_pgtable_kunit(tree) + pt, boot_selftests(tree), programs(tree))


def machine_tests(tests: list[str], expect: Expected) -> list[str]:
    """A machine's test list without the kernel programs the tree lacks
    (6.12 has no tools/testing/selftests/vfio: its VFIO test is ours)."""
    return [t for t in tests if t not in KERNEL_PROGRAMS or t in expect.programs]
