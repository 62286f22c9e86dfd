"""A release the generator has not seen, end to end on a fixture tree: two
new drivers of different shapes, a new looping caller and new callers it
cannot convert.  No hand edit: each driver gets its own commit with leaf
sizes from its code, the loops are converted, the rest is kept and listed;
every patch passes the kernel's checkpatch.pl --strict (of the Debian
tree, tests/debian_trees.py)."""

import json
import pathlib
import subprocess

import pytest

import kernel_fixture
from debian_trees import debian_tree
from generator import series

REPO = pathlib.Path(__file__).resolve().parent.parent
UNSEEN = REPO / 'tests/fixtures/unseen'
MANIFEST = REPO / 'tests/fixtures/series/manifest.toml'
AUTHOR = 'Test Author <author@example.org>'


@pytest.fixture(scope='module')
def generated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('unseen-series')
    files = dict(kernel_fixture.FILES)
    files['drivers/iommu/sectsmall-iommu.c'] = (UNSEEN / 'drivers/sectsmall.c').read_text()
    files['drivers/iommu/blocks-iommu.c'] = (UNSEEN / 'drivers/blocks.c').read_text()
    files['drivers/misc/run_shapes.c'] = (UNSEEN / 'run_shapes.c').read_text()
    files['drivers/misc/other_callers.c'] = (UNSEEN / 'other_callers.c').read_text()
    tree = kernel_fixture.write_tree(tmp / 'linux', files)
    lines = []
    summary = series.generate(series.Options(
        tree=tree, source='fixture', version=1, out=tmp / 'out', work=tmp / 'work',
        author=AUTHOR, user_tree=True, manifest=MANIFEST), log=lines.append)
    return summary, lines, tmp


def test_each_new_driver_in_its_own_commit_with_leaf_sizes(generated):
    summary, lines, tmp = generated
    steps = {s['id']: s for s in summary['steps']}
    for drv in ('sectsmall', 'blocks'):
        step = steps[f'new-{drv}']
        assert step['status'] == 'applied' and step['files'] == [f'drivers/iommu/{drv}-iommu.c']
    work = tmp / 'work'
    assert '*length = SZ_1M;' in (work / 'drivers/iommu/sectsmall-iommu.c').read_text()
    blocks = (work / 'drivers/iommu/blocks-iommu.c').read_text()
    assert '*length = SZ_2M;' in blocks and '*length = SZ_64K;' in blocks
    body = kernel_fixture.git(work, 'log', '-1', '--format=%B', steps['new-blocks']['commit'])
    assert 'SZ_2M where line 32 adds (iova & BLK_2M_MASK)' in ' '.join(body.split())


def test_the_loops_are_converted_and_the_rest_listed(generated):
    summary, lines, tmp = generated
    assert summary['steps'][-1]['id'] == 'new-caller-misc-run-shapes'
    kept = [line for line in lines if line.startswith('kept: ')]
    assert [k.split(':')[1].strip() for k in kept] == ['drivers/misc/other_callers.c'] * 3
    data = json.loads((tmp / 'out/series.json').read_text())
    assert {u['function'] for u in data['unconverted']} == {'other_is_mapped',
                                                            'other_unmap_walk'}
    cover = sorted((tmp / 'out').glob('v1-0000-*.patch'))[0].read_text()
    assert 'Not converted in this version' in cover


def test_every_patch_passes_checkpatch_strict(generated):
    _, _, tmp = generated
    script = debian_tree('7.2', 'KERNEL_TREE', needs='scripts/checkpatch.pl')
    script = script / 'scripts/checkpatch.pl'
    patches = sorted(p for p in (tmp / 'out').glob('v1-*.patch') if '-0000-' not in p.name)
    assert len(patches) >= 5
    for patch in patches:
        if 'toy' in patch.name or 'iova_to_phys_length-for-the-test' in patch.name:
            continue    # the fixture manifest's own steps, not generated messages
        proc = subprocess.run(['perl', str(script), '--strict', '--no-tree', '--show-types',
                               str(patch)], capture_output=True, text=True)
        assert ' 0 errors, 0 warnings, 0 checks' in proc.stdout, patch.name + proc.stdout
