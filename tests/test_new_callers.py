"""generator/new_callers.py: new wrapper callers are converted by the generic
contiguous-run rule or kept and reported, never a hard error unless strict.

The run shapes (tests/fixtures/unseen/run_shapes.c) are also built on the
host, as written and as converted, and run on fake domains of 4K, 64K, 2M
and 1G leaves with holes, split runs and runs ending mid-leaf
(tests/callers/run_shapes_main.c): the results must be the same, with one
walk per leaf.
"""

import json
import pathlib
import re
import subprocess
import sys

import pytest

import kernel_fixture
from generator import new_callers, series
from generator.errors import Failure

REPO = pathlib.Path(__file__).resolve().parent.parent
UNSEEN = REPO / 'tests' / 'fixtures' / 'unseen'
MANIFEST = REPO / 'tests/fixtures/series/manifest.toml'
AUTHOR = 'Test Author <author@example.org>'
RUNS = ('run_for', 'run_while', 'run_do', 'run_overflow')
sys.path.insert(0, str(REPO / 'tests' / 'harness'))
sys.path.insert(0, str(REPO / 'tests' / 'callers'))


def unseen_files() -> dict[str, str]:
    return {'drivers/misc/run_shapes.c': (UNSEEN / 'run_shapes.c').read_text(),
            'drivers/misc/other_callers.c': (UNSEEN / 'other_callers.c').read_text()}


@pytest.fixture
def unseen_tree(tmp_path):
    return kernel_fixture.write_tree(tmp_path / 'linux', dict(kernel_fixture.FILES,
                                                              **unseen_files()))


def _options(tree, tmp_path, **kw):
    args = dict(tree=tree, source='fixture', version=1, out=tmp_path / 'out',
                work=tmp_path / 'work', author=AUTHOR, user_tree=True, manifest=MANIFEST)
    args.update(kw)
    return series.Options(**args)


def test_the_rule_converts_the_run_shapes_and_refuses_the_rest(unseen_tree):
    why = new_callers.try_convert(unseen_tree, 'drivers/misc/run_shapes.c', list(RUNS))
    assert why == {fn: '' for fn in RUNS}
    why = new_callers.try_convert(unseen_tree, 'drivers/misc/other_callers.c',
                                  ['other_is_mapped', 'other_unmap_walk'])
    assert 'no lookup in a loop' in why['other_is_mapped']
    assert 'calls iommu_unmap()' in why['other_unmap_walk']


def test_a_name_the_helper_needs_is_refused(tmp_path):
    files = {'drivers/misc/run_shapes.c': (UNSEEN / 'run_shapes.c').read_text()
             + '\nint iova_leaf;\n'}
    tree = kernel_fixture.write_tree(tmp_path / 'linux', dict(kernel_fixture.FILES, **files))
    why = new_callers.try_convert(tree, 'drivers/misc/run_shapes.c', ['run_for'])
    assert why == {'run_for': 'the file already uses the name iova_leaf'}


def test_series_converts_the_loops_and_keeps_the_others(unseen_tree, tmp_path):
    lines = []
    summary = series.generate(_options(unseen_tree, tmp_path), log=lines.append)
    step = next(s for s in summary['steps'] if s['id'] == 'new-caller-misc-run-shapes')
    assert step['status'] == 'applied'
    assert step['covers'] == sorted(f'drivers/misc/run_shapes.c:{fn}' for fn in RUNS)
    converted = (tmp_path / 'work/drivers/misc/run_shapes.c').read_text()
    assert not re.search(r'iommu_iova_to_phys\(\w', converted)
    assert converted.count('struct iova_leaf iova_leaf = {};') == 4
    assert converted.index('static phys_addr_t iova_leaf_to_phys(') < converted.index('run_for(')
    assert (tmp_path / 'work/drivers/misc/other_callers.c').read_text() \
        == (UNSEEN / 'other_callers.c').read_text()
    kept = [line for line in lines if line.startswith('kept: ')]
    assert len(kept) == 3      # one line per call
    assert any(re.fullmatch(r'kept: drivers/misc/other_callers.c:7 other_is_mapped: .*', k)
               for k in kept)
    data = json.loads((tmp_path / 'out/series.json').read_text())
    by_fn = {(u['function'], u['line']): u for u in data['unconverted']}
    assert set(by_fn) == {('other_is_mapped', 7), ('other_unmap_walk', 16),
                          ('other_unmap_walk', 18)}
    assert by_fn[('other_is_mapped', 7)]['loops'] is False
    assert by_fn[('other_unmap_walk', 16)]['loops'] is True
    assert by_fn[('other_unmap_walk', 16)]['audit_kind'] in (3, None)
    inv = {(e['function'], e['line']): e for e in data['inventory']}
    assert inv[('other_is_mapped', 7)]['kept'].startswith('a single lookup')
    assert inv[('run_for', 18)]['handled_by'] == 'new-caller-misc-run-shapes'
    cover = sorted((tmp_path / 'out').glob('v1-0000-*.patch'))[0].read_text()
    section = ' '.join(cover[cover.index('Not converted in this version'):].split())
    assert 'drivers/misc/other_callers.c:7 other_is_mapped(): a single lookup' in section
    assert 'other_unmap_walk(): not the contiguous-run idiom: calls' in section
    log = kernel_fixture.git(tmp_path / 'work', 'log', '-1', '--format=%B',
                             step['commit'])
    assert all(len(line) <= 72 for line in log.splitlines()), log


def test_strict_stops_at_the_caller_it_would_keep(unseen_tree, tmp_path):
    with pytest.raises(Failure, match=r'no step converts drivers/misc/other_callers.c:7 '
                                      r'wrapper-call other_is_mapped'):
        series.generate(_options(unseen_tree, tmp_path, strict=True), log=lambda *_: None)


def test_an_uncovered_op_call_is_still_an_error(tmp_path):
    files = dict(kernel_fixture.FILES)
    files['drivers/misc/opcall.c'] = (
        '#include <linux/iommu.h>\n\nphys_addr_t opcall(struct iommu_domain *d, '
        'dma_addr_t iova)\n{\n\treturn d->ops->iova_to_phys(d, iova);\n}\n')
    tree = kernel_fixture.write_tree(tmp_path / 'linux', files)
    with pytest.raises(Failure, match=r'no step converts drivers/misc/opcall.c:5 op-call'):
        series.generate(_options(tree, tmp_path), log=lambda *_: None)


def test_make_strict_passes_the_flag():
    out = subprocess.run(['make', '-n', 'series', 'STRICT=1', 'KERNEL=/nonexistent'],
                         cwd=REPO, capture_output=True, text=True).stdout
    assert re.search(r'-m generator series --kernel "/nonexistent" .*--strict', out)
    out = subprocess.run(['make', '-n', 'series', 'KERNEL=/nonexistent'],
                         cwd=REPO, capture_output=True, text=True).stdout
    assert '-m generator series' in out and '--strict' not in out


# ---------------------------------------------------------------- host harness

def _build(tree: pathlib.Path, tmp: pathlib.Path, tag: str) -> pathlib.Path:
    import extract
    import stepping
    rel = 'drivers/misc/run_shapes.c'
    text = extract.Source([(rel, (tree / rel).read_text())]).extract(list(RUNS))
    src = tmp / f'{tag}.extracted.c'
    src.write_text(text)
    exe = tmp / f'{tag}.exe'
    here = REPO / 'tests' / 'callers'
    subprocess.run(['gcc', *stepping.CFLAGS, f'-DCALLERS_EXTRACTED="{src}"', '-I',
                    str(here / 'include'), str(here / 'run_shapes_main.c'),
                    str(here / 'fake_domain.c'), '-o', str(exe)], check=True)
    return exe


def _run(exe: pathlib.Path) -> list[tuple[str, int]]:
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True,
                         timeout=300).stdout
    rows = []
    for line in out.splitlines():
        head, _, walks = line.rpartition(' walks=')
        rows.append((head, int(walks)))
    return rows


@pytest.fixture(scope='module')
def harness_rows(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('run-shapes')
    base = kernel_fixture.write_tree(tmp / 'linux', dict(kernel_fixture.FILES, **unseen_files()))
    converted = tmp / 'converted'
    subprocess.run(['cp', '-a', str(base), str(converted)], check=True)
    rel = 'drivers/misc/run_shapes.c'
    from generator import steps
    plan, kept = new_callers.plan(converted, [
        e for e in __import__('generator.inventory', fromlist=['take']).take(converted)
        if e.file == rel], log=lambda *_: None)
    assert not kept and len(plan) == 1
    steps.apply(plan[0], converted)
    return _run(_build(base, tmp, 'base')), _run(_build(converted, tmp, 'converted'))


def test_converted_runs_give_the_results_of_the_per_page_loops(harness_rows):
    base, converted = harness_rows
    assert len(base) == len(converted) > 300
    assert [head for head, _ in converted] == [head for head, _ in base]
    # the harness exercised every size, shape and function
    heads = ' '.join(head for head, _ in base)
    for what in ('1000/', '10000/', '200000/', '40000000/', '/hole', '/split', '/top',
                 'run_for', 'run_while', 'run_do ', 'run_do16', 'run_overflow', '-> -2 '):
        assert what in heads


def test_converted_runs_walk_once_per_leaf(harness_rows):
    base, converted = harness_rows
    for (head, before), (_, after) in zip(base, converted):
        assert after <= min(before, 5), head     # at most the 4 leaves and a miss
    big = [(b, c) for (h, b), (_, c) in zip(base, converted) if h.startswith('40000000/whole')]
    assert sum(b for b, _ in big) > 1000 * sum(c for _, c in big)
