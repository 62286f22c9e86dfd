"""The [[kept]] entries of the manifest: the callers that keep
iommu_iova_to_phys(), checked against the tree with spatch.

- Each entry names callers the inventory (cocci/inventory) finds, except the
  remoteproc one, which is a comment: spatch finds no call there.
- cocci/callers/wrapper-in-loop.cocci tells single lookups from lookups in a
  loop: an entry whose reason says it "steps by" something is a loop, every
  other one makes single lookups.
- Every wrapper call in a loop is converted by a callers step or kept with a
  reason why it steps on purpose.

The tree is $CALLERS_BASE_TREE, else Debian's 7.2 tree as `make series`
gets it (tests/debian_trees.py).  A kept pattern that names no caller there
must name one in another tree the manifest serves ($CALLERS_OTHER_TREES,
colon-separated, else Debian's trees of the other releases): 6.12 has iommu_dma_unmap_page() where 7.2 has
iommu_dma_unmap_phys().
"""

import os
import pathlib
import re
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import cscan, inventory, manifest, spatch  # noqa: E402
from debian_trees import debian_tree, other_trees  # noqa: E402

LOOP_RULE = REPO / 'cocci' / 'callers' / 'wrapper-in-loop.cocci'
COMMENT_ONLY = 'drivers/remoteproc/remoteproc_core.c'


@pytest.fixture(scope='module')
def tree():
    return debian_tree('7.2', 'CALLERS_BASE_TREE')


@pytest.fixture(scope='module')
def wrapper_calls(tree):
    """file:function -> lines of its iommu_iova_to_phys() calls."""
    calls = {}
    for e in inventory.take(tree):
        if e.kind == 'wrapper-call':
            calls.setdefault(e.key(), []).append(e.line)
    return calls


@pytest.fixture(scope='module')
def loops(tree, wrapper_calls):
    """file:function of each wrapper call inside a loop."""
    files = sorted({key.split(':')[0] for key in wrapper_calls})
    out = spatch.run(LOOP_RULE, [pathlib.Path(f) for f in files], cwd=tree)
    return {f'{file}:{fn}' for file, _, fn in re.findall(r'^LOOP (\S+) (\d+) (\S+)$', out, re.M)}


def _wrapper_calls(tree):
    return {e.key() for e in inventory.take(tree) if e.kind == 'wrapper-call'}


@pytest.fixture(scope='module')
def other_wrapper_calls(tree):
    """file:function of the wrapper calls of the other trees."""
    given = os.environ.get('CALLERS_OTHER_TREES')
    others = [pathlib.Path(t) for t in given.split(':') if t] if given else other_trees('7.2')
    for other in others:
        if not (other / 'drivers/iommu/iommu.c').is_file():
            pytest.fail(f'{other}: not a kernel tree (from $CALLERS_OTHER_TREES)')
    return set().union(*(_wrapper_calls(t) for t in others if t.resolve() != tree.resolve()))


def kept_entries():
    return manifest.load().kept


def test_the_loop_rule_finds_loops_of_every_kind(loops):
    # for (debug-pagealloc), while (iommufd), do-while (dma-iommu unlink),
    # and a call in a while condition (vfio replay)
    assert {'drivers/iommu/iommu-debug-pagealloc.c:__iommu_debug_update_iova',
            'drivers/iommu/iommufd/pages.c:batch_from_domain',
            'drivers/iommu/dma-iommu.c:iommu_dma_iova_unlink_range_slow',
            'drivers/vfio/vfio_iommu_type1.c:vfio_iommu_replay'} <= loops
    assert 'drivers/iommu/dma-iommu.c:iommu_dma_unmap_phys' not in loops


def test_every_kept_entry_names_real_callers(tree, wrapper_calls, other_wrapper_calls):
    for kept in kept_entries():
        assert kept.reason and '\n' not in kept.reason
        for pattern in kept.covers:
            found = [key for key in wrapper_calls if manifest._matches([pattern], *key.split(':'))]
            if pattern == COMMENT_ONLY:
                text = (tree / pattern).read_text()
                assert not found and 'iommu_iova_to_phys' in text
                assert 'iommu_iova_to_phys' not in cscan.mask(text), 'not only a comment'
                continue
            found += [key for key in other_wrapper_calls
                      if manifest._matches([pattern], *key.split(':'))]
            assert found, f'{pattern}: no iommu_iova_to_phys() call there'


def test_kept_reasons_match_the_loops(wrapper_calls, loops):
    for kept in kept_entries():
        keys = [key for key in wrapper_calls if manifest._matches(kept.covers, *key.split(':'))]
        stepping = kept.reason.startswith('steps by')
        for key in keys:
            assert (key in loops) == stepping, \
                f'{key}: {"not " if stepping else ""}in a loop, yet kept as "{kept.reason}"'


def test_every_loop_is_converted_or_kept_on_purpose(loops):
    loaded = manifest.load()
    callers = [s for s in loaded.steps if s.id.startswith('callers-')]
    for key in sorted(loops):
        file, function = key.split(':')
        step = next((s.id for s in callers if s.covers_entry(file, function)), None)
        reason = manifest.kept_reason(loaded, file, function)
        assert step or (reason or '').startswith('steps by'), f'{key}: neither converted nor kept'


def test_every_wrapper_caller_is_converted_or_kept(wrapper_calls):
    loaded = manifest.load()
    for key in wrapper_calls:
        file, function = key.split(':')
        if key == 'drivers/iommu/iommu.c:iommu_iova_to_phys':
            continue    # the wrapper itself: the core step's
        assert any(s.covers_entry(file, function) for s in loaded.steps) or \
            manifest.kept_reason(loaded, file, function), f'{key}: not covered'
