"""The leading fix fix-panthor-unmap-probe, run: panthor_vm_unmap_pages()
cut out of the base tree and out of a copy with the step applied
(tests/harness/extract.py), compiled around a model io-pgtable
(tests/fixes/panthor_main.c).  After a short unmap in any chunk but the
first, the base probes the wrong addresses and leaves pages mapped; the
fixed function unmaps the whole range.

The tree is $CALLERS_BASE_TREE, else Debian's 7.2 tree as the generator
gets it (tests/debian_trees.py).
"""

import pathlib
import shutil
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / 'tests' / 'harness'))

import extract  # noqa: E402
import run as harness  # noqa: E402
from generator import manifest, steps  # noqa: E402
from debian_trees import tree_for  # noqa: E402

FILE = 'drivers/gpu/drm/panthor/panthor_mmu.c'
HEADER = 'include/linux/io-pgtable.h'
STEP = manifest.load().step('fix-panthor-unmap-probe')


def _fixed_tree(base, tmp_path):
    tree = tmp_path / 'fixed'
    for rel in (FILE, HEADER):
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(base / rel, tree / rel)
    for args in (['init', '-q'], ['add', '-A'],
                 ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'base']):
        subprocess.run(['git', '-C', str(tree), *args], check=True)
    steps.apply(STEP, tree)
    assert steps.run_checks(STEP, tree) == []
    return tree


def _run(tree, tmp_path, name):
    source = extract.Source([(rel, (tree / rel).read_text()) for rel in (HEADER, FILE)])
    text = source.extract(['panthor_vm_unmap_pages'],
                          ['tag:panthor_vm', 'tag:panthor_device',
                           'panthor_vm_declare_unusable'])
    src = tmp_path / f'{name}.extracted.c'
    src.write_text(text)
    exe = tmp_path / f'{name}.exe'
    built = subprocess.run(['gcc', *harness.CFLAGS, '-I', str(REPO / 'tests/harness/include'),
                            f'-DHARNESS_EXTRACTED="{src}"',
                            str(REPO / 'tests/fixes/panthor_main.c'), '-o', str(exe)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    return subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)


@pytest.fixture
def base_tree():
    return tree_for(STEP, 'CALLERS_BASE_TREE', needs=FILE)


def test_the_fixed_function_unmaps_the_whole_range(base_tree, tmp_path):
    ran = _run(_fixed_tree(base_tree, tmp_path), tmp_path, 'fixed')
    assert ran.returncode == 0, ran.stdout
    assert 'ok every page of the range unmapped' in ran.stdout.splitlines()


def test_the_base_function_leaves_pages_mapped(base_tree, tmp_path):
    """The negative control: the model shows the bug the step fixes."""
    ran = _run(base_tree, tmp_path, 'base')
    assert ran.returncode != 0
    assert 'not ok page 0x203000 # still mapped' in ran.stdout.splitlines()
