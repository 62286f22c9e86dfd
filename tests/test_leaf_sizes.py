"""generator/leaf_sizes.py: a new driver's leaf sizes read from its code.

Four made-up drivers (tests/fixtures/unseen/drivers): a two-level 4K table,
1M sections or 4K small pages under a spinlock, a flat table, and 2M/64K/4K
leaves with pgsize_bitmap set in domain_alloc_paging.  Each is converted by
new_drivers.plan() and run in the host harness (tests/harness/mains/unseen.c):
phys and length for every leaf size, PHYS_ADDR_MAX for holes.  The base
functions, run the same way, must fail the length checks of the leaves
larger than the smallest page (negative control).
"""

import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

import kernel_fixture
from generator import leaf_sizes, new_drivers, series, steps

REPO = pathlib.Path(__file__).resolve().parent.parent
DRIVERS = REPO / 'tests' / 'fixtures' / 'unseen' / 'drivers'
sys.path.insert(0, str(REPO / 'tests' / 'harness'))

import run as harness  # noqa: E402
from cases import Case  # noqa: E402

# file stem -> (function, leaf sizes the harness checks, sizes larger than the smallest)
FIXTURES = {
    'twolevel': ('tl_iova_to_phys', ['4K'], []),
    'sectsmall': ('ss_iova_to_phys', ['4K', '1M'], ['1M']),
    'flat': ('flat_iova_to_phys', ['4K'], []),
    'blocks': ('blk_iova_to_phys', ['4K', '64K', '2M'], ['64K', '2M']),
}


def _files() -> dict[str, str]:
    files = dict(kernel_fixture.FILES)
    for stem in FIXTURES:
        files[f'drivers/iommu/{stem}.c'] = (DRIVERS / f'{stem}.c').read_text()
    return files


def test_inference_reads_each_branch():
    found = {stem: [(leaf.key, leaf.size) for leaf in
                    leaf_sizes.infer(DRIVERS / f'{stem}.c', fn)]
             for stem, (fn, _, _) in FIXTURES.items()}
    assert found == {
        'twolevel': [('SZ_4K', 'SZ_4K')],
        'sectsmall': [('SS_SECT_MASK', 'SZ_1M'), ('0xfff', 'SZ_4K')],
        'flat': [('FLAT_OFFSET_MASK', 'SZ_4K')],
        'blocks': [('BLK_2M_MASK', 'SZ_2M'), ('0xffff', 'SZ_64K'), ('0xfff', 'SZ_4K')],
    }
    leaf = leaf_sizes.infer(DRIVERS / 'sectsmall.c', 'ss_iova_to_phys')[0]
    assert leaf.describe() == 'SZ_1M from line 33: (iova & SS_SECT_MASK)'


def test_a_mask_outside_the_bitmap_is_not_a_leaf(tmp_path):
    path = tmp_path / 'x.c'
    path.write_text((DRIVERS / 'sectsmall.c').read_text()
                    .replace('SZ_4K | SZ_1M', 'SZ_4K'))
    assert [leaf.size for leaf in leaf_sizes.infer(path, 'ss_iova_to_phys')] == ['SZ_4K']


@pytest.fixture(scope='module')
def trees(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('unseen-drivers')
    base = kernel_fixture.write_tree(tmp / 'base', _files())
    converted = kernel_fixture.write_tree(tmp / 'converted', _files())
    from generator.inventory import Entry
    entries = [Entry(f'drivers/iommu/{stem}.c', 0, 'implementer', fn, 'iommu_domain_ops',
                     'spatch') for stem, (fn, _, _) in FIXTURES.items()]
    planned = new_drivers.plan(converted, entries, log=lambda *_: None)
    for step in planned:
        steps.apply(step, converted)
    return base, converted, {s.covers[0].split(':')[1]: s for s in planned}


def _case(stem: str) -> Case:
    fn, sizes, _ = FIXTURES[stem]
    return Case(stem, [f'drivers/iommu/{stem}.c'], fn, sizes, main='unseen',
                roots=['unseen_map', 'unseen_alloc'])


@pytest.mark.parametrize('stem', sorted(FIXTURES))
def test_converted_driver_gives_every_leaf_and_hole(trees, stem):
    _, converted, _ = trees
    result = harness.run_case(converted, _case(stem))
    assert not result.error and result.mode == 'converted', result.error
    for size in FIXTURES[stem][1]:
        assert result.ids(size), f'no check of {size}'
    assert len(result.ids('hole')) >= 3
    assert not result.failed(), [(i, result.checks[i][1]) for i in result.failed()]


@pytest.mark.parametrize('stem', ['sectsmall', 'blocks'])
def test_base_driver_fails_the_larger_leaves(trees, stem):
    base, _, _ = trees
    result = harness.run_case(base, _case(stem))
    assert result.mode == 'legacy' and not result.error, result.error
    for size in FIXTURES[stem][2]:
        assert result.failed([i for i in result.ids(size) if i.endswith('/length')])


def test_commit_message_says_what_was_inferred(trees):
    _, _, planned = trees
    body = planned['ss_iova_to_phys'].body
    assert all(len(line) <= 72 for line in body.splitlines()), body
    text = ' '.join(body.split())
    assert 'SZ_1M where line 33 adds (iova & SS_SECT_MASK)' in text
    assert 'Any other leaf reports SZ_4K' in text
    assert planned['ss_iova_to_phys'].actions[0].spec['define']['leaves'] \
        == 'SS_SECT_MASK=SZ_1M,0xfff=SZ_4K,*=SZ_4K'
    plain = planned['tl_iova_to_phys'].body
    assert all(len(line) <= 72 for line in plain.splitlines()), plain
