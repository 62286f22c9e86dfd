"""Where the boot harness tests find a kernel tree (for the kernel's own
kunit_parser.py and Kconfig files): $KERNEL_TREE, else Debian's 7.2 tree
as `make series` gets it (tests/debian_trees.py). Tests that need one fail
when there is none."""

import pathlib

from debian_trees import debian_tree

FIXTURES = pathlib.Path(__file__).resolve().parent / 'fixtures' / 'boot'


def kernel_tree() -> pathlib.Path:
    return debian_tree('7.2', 'KERNEL_TREE', needs='tools/testing/kunit/kunit_parser.py')


def lts_tree() -> pathlib.Path:
    """Debian's 6.12 LTS tree."""
    return debian_tree('6.12', needs='tools/testing/kunit/kunit_parser.py')


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()
