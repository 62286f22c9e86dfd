"""Where the boot harness tests find a kernel tree (for the kernel's own
kunit_parser.py and Kconfig files): $KERNEL_TREE, else the Debian 7.2 base
tree in the project cache. Tests that need one skip when there is none."""

import os
import pathlib

import pytest

BASE = pathlib.Path.home() / '.cache/iova-to-phys-length/src/linux-source-7.2_7.2.13-1'
FIXTURES = pathlib.Path(__file__).resolve().parent / 'fixtures' / 'boot'


def kernel_tree() -> pathlib.Path:
    tree = pathlib.Path(os.environ.get('KERNEL_TREE', BASE))
    if not (tree / 'tools/testing/kunit/kunit_parser.py').exists():
        pytest.skip(f'no kernel tree with tools/testing/kunit at {tree} (set KERNEL_TREE)')
    return tree


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()
