"""The callers steps applied by the generator to copies of a base tree's
files: what each must change, and that it still applies where the code has
moved.  The loops' behaviour is tests/test_callers_stepping.py's business.

The tree is $CALLERS_BASE_TREE, else Debian's 7.2 tree as `make series` gets
it (tests/debian_trees.py).
"""

import difflib
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import anchors, cscan, manifest, steps  # noqa: E402
from debian_trees import tree_for  # noqa: E402

CALLERS = [s for s in manifest.load().steps if s.id.startswith('callers-')]
# The leading fixes go in first where they touch a callers step's file.
FIXES = [s for s in manifest.load().steps if s.id.startswith('fix-')]

# step id -> (function, regexes its converted text must match, must not match)
EXPECT = {
    'callers-iommufd-pages': ('batch_from_domain', [r'batch_add_pfn_num\(batch, PHYS_PFN\(phys - page_offset\)',
                              r'iommu_iova_to_phys_length\(domain, iova, &length\)'],
                              [r'iommu_iova_to_phys\(', r'would be nice']),
    # Trees of 6.12's shape step an iova cursor and keep one-page runs for fgsp
    'callers-vfio-unmap': ('vfio_unmap_unpin', [r'vfio_find_phys_run\(domain->domain, iova,\s+(dma->size - pos, '
                           r'|domain->fgsp \? PAGE_SIZE : end - iova,\s+)&phys\)',
                           r'WARN_ON\(!len\)'], [r'iommu_iova_to_phys\(', r'phys_addr_t phys, next']),
    'callers-vfio-replay': ('vfio_iommu_replay', [r'vfio_find_phys_run\(d->domain, iova,',
                            r'vfio_find_phys_run\(domain->domain, iova,', r'WARN_ON\(!size\)',
                            r'WARN_ON\(!unmapped\)', r'(pos|iova) \+= unmapped;',
                            r'unmapped >> PAGE_SHIFT, true\)'],
                            [r'iommu_iova_to_phys\(', r'\bp \+= PAGE_SIZE']),
    'callers-iommu-direct-mappings': ('iommu_create_device_direct_mappings',
                                      [r'iommu_iova_to_phys_length\(domain, addr,\s+&length\)',
                                       r'phys_addr == PHYS_ADDR_MAX', r'addr \+= step'],
                                      [r'addr \? addr : 1', r'ambiguous']),
    'callers-iommu-debug-pagealloc': ('__iommu_debug_update_iova',
                                      [r'iommu_iova_to_phys_length\(domain, iova \+ off, &length\)',
                                       r'phys == PHYS_ADDR_MAX', r'off \+= n;'],
                                      [r'iommu_iova_to_phys\(', r'if \(!phys\)']),
    'callers-panfrost': ('panfrost_mmu_unmap',
                         [r'if \(!bo->is_heap \|\|\n\t\t    ops->iova_to_phys_length\(ops, iova, '
                          r'&mapped_len\) != PHYS_ADDR_MAX\) \{'], [r'->iova_to_phys\(']),
    'callers-panthor': ('panthor_vm_unmap_pages',
                        [r'while \(ops->iova_to_phys_length\(ops, iova \+ offset \+ unmapped_sz,\n\t+&mapped_len\) '
                         r'== PHYS_ADDR_MAX &&\n\t+ +unmapped_sz < pgsize \* pgcount\)'],
                        [r'->iova_to_phys\(']),
    'callers-qcom-debug': ('qcom_smmu_context_fault',
                           [r'phys_soft = ops->iova_to_phys_length\(ops, cfi\.iova, &leaf_len\);',
                            r'if \(phys_soft == PHYS_ADDR_MAX\)'], [r'->iova_to_phys\(', r'!phys_soft']),
    # Variants for trees of 6.12's shape (issue 11), tested with
    # CALLERS_BASE_TREE=<a 6.12 tree>; on a 7.2 tree their probes fail.
    'callers-iommufd-pages-batch_add_pfn': ('batch_from_domain',
                                            [r'batch_add_pfn\(batch, pfn \+ i\)',
                                             r'iommu_iova_to_phys_length\(domain, iova, &length\)'],
                                            [r'iommu_iova_to_phys\(', r'would be nice']),
    'callers-iommu-direct-mappings-addr0': ('iommu_create_device_direct_mappings',
                                            [r'iommu_iova_to_phys_length\(domain, addr,\s+&length\)',
                                             r'phys_addr == PHYS_ADDR_MAX', r'addr \+= step'],
                                            [r'iommu_iova_to_phys\(']),
    'callers-iommufd-selftest': ('iommufd_test_md_check_pa',
                                 [r'iova_to_phys_length\(&mock->domain,\s+iova,\s+&io_length\)',
                                  r'io_length < page_size'], [r'->iova_to_phys\(']),
}

# Lines each step may add and remove in the file (+, -): small, exact diffs
DIFF = {'callers-panfrost': (3, 1), 'callers-panthor': (3, 1), 'callers-qcom-debug': (3, 2),
        'callers-iommufd-selftest': (9, 2), 'callers-iommu-direct-mappings': (12, 9)}

# A function of this repository's own, put above the converted one to move it
FILLER = '''
/* Moves what follows down, as another release would */
static int callers_filler(int a)
{
	return a + 1;
}
'''


def step_files(step):
    return sorted({a.spec['file'] for a in step.actions if 'file' in a.spec} |
                  {f for a in step.actions for f in a.spec.get('files', [])})


def applied(step, tmp_path, move=False):
    """(base text, converted text) of the step's file, applied to a copy."""
    base = tree_for(step, 'CALLERS_BASE_TREE')
    tree = tmp_path / 'tree'
    (file,) = step_files(step)
    dest = tree / file
    dest.parent.mkdir(parents=True)
    shutil.copyfile(base / file, dest)
    text = dest.read_text()
    if move:
        ext = anchors.locate(dest, f'function:{EXPECT[step.id][0]}')
        lines = text.split('\n')
        lines[ext.comment_start:ext.comment_start] = FILLER.split('\n')
        dest.write_text('\n'.join(lines))
    subprocess.run(['git', 'init', '-q', str(tree)], check=True)
    subprocess.run(['git', '-C', str(tree), 'add', '-A'], check=True)
    subprocess.run(['git', '-C', str(tree), '-c', 'user.name=t', '-c', 'user.email=t@t',
                    'commit', '-q', '-m', 'base'], check=True)
    # Steps of one file go on in series order: replay needs the unmap step
    for earlier in FIXES + CALLERS[:CALLERS.index(step)]:
        if step_files(earlier) == [file] and not steps.missing_requirements(earlier, base):
            steps.apply(earlier, tree)
    before = dest.read_text()
    steps.apply(step, tree)
    assert steps.run_checks(step, tree) == []
    return before, dest.read_text()


def function(text, name):
    path = pathlib.Path('/dev/null')
    ext = anchors.function_spans(cscan.mask(text), cscan.preprocessor_lines(
        cscan.mask(text)), name)
    assert len(ext) == 1, (path, name)
    start, end = ext[0]
    return text[start:end + 1]


def test_every_callers_step_is_tested():
    assert sorted(EXPECT) == sorted(s.id for s in CALLERS)


@pytest.mark.parametrize('step', CALLERS, ids=[s.id for s in CALLERS])
def test_the_step_converts_its_function(step, tmp_path):
    before, after = applied(step, tmp_path)
    name, wanted, unwanted = EXPECT[step.id]
    new = function(after, name)
    for pattern in wanted:
        assert re.search(pattern, new), f'{name} lacks /{pattern}/'
    for pattern in unwanted:
        assert not re.search(pattern, new), f'{name} still has /{pattern}/'
    if step.id in DIFF:
        diff = list(difflib.unified_diff(before.split('\n'), after.split('\n'), lineterm='', n=0))
        added = sum(1 for d in diff if d.startswith('+') and not d.startswith('+++'))
        removed = sum(1 for d in diff if d.startswith('-') and not d.startswith('---'))
        assert (added, removed) == DIFF[step.id], '\n'.join(diff)


@pytest.mark.parametrize('step', CALLERS, ids=[s.id for s in CALLERS])
def test_the_step_applies_where_the_code_moved(step, tmp_path):
    _, here = applied(step, tmp_path / 'here')
    _, moved = applied(step, tmp_path / 'moved', move=True)
    name = EXPECT[step.id][0]
    assert function(here, name) == function(moved, name)
    assert 'callers_filler' in moved
