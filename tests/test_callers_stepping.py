"""The callers steps' leaf-stepping loops against the per-page loops they
replace (tests/callers/stepping.py, tests/callers/scenarios.py).

The loops are cut out of a base kernel tree and out of copies of its files
with the callers steps applied by the generator, compiled on the host around
a fake domain of 2K, 4K, 64K and 2M leaves and holes, and run under 4K, 16K
and 64K pages.  The base tree is $CALLERS_BASE_TREE, else Debian's
linux-source-7.2 as `make series` gets it; without one the tests fail.
"""

import pathlib
import random
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / 'callers'))

import scenarios  # noqa: E402
import stepping  # noqa: E402
from debian_trees import debian_tree  # noqa: E402



@pytest.fixture(scope='module')
def trees(tmp_path_factory):
    base = debian_tree('7.2', 'CALLERS_BASE_TREE')
    for program in stepping.PROGRAMS.values():
        if not (base / program.file).is_file():
            pytest.fail(f'{base}: no {program.file}')
    work = tmp_path_factory.mktemp('callers')
    return base, stepping.convert(base, work / 'converted'), work


def problems(checks):
    return [p for check in checks for p in check.problems]


def test_the_steps_convert_the_loops(trees):
    base, converted, _ = trees
    for program, name in (('iommufd', 'batch_from_domain'),
                          ('iommufd', 'raw_pages_from_domain'),
                          ('vfio', 'vfio_unmap_unpin'), ('vfio', 'vfio_iommu_replay'),
                          ('direct', 'iommu_create_device_direct_mappings'),
                          ('debug', '__iommu_debug_update_iova')):
        old = stepping.function_text(base, stepping.PROGRAMS[program], name)
        new = stepping.function_text(converted, stepping.PROGRAMS[program], name)
        assert 'iommu_iova_to_phys(' in old
        assert 'iommu_iova_to_phys(' not in new, name
        assert 'iommu_iova_to_phys_length(' in new or 'vfio_find_phys_run(' in new, name


def test_iommufd_readers_give_the_per_page_result(trees):
    cases = scenarios.iommufd_cases()
    checks = scenarios.run_iommufd(*trees, cases)
    assert len(checks) == len(cases) == 72
    assert {c.page_shift for c in cases} == {12, 14, 16}
    assert any(c.page_offset for c in cases) and any(c.hole_pages for c in cases)
    assert problems(checks) == []


def test_vfio_unmap_and_replay_give_the_per_page_result(trees):
    checks = scenarios.run_vfio(*trees)
    assert len(checks) == 3
    assert problems(checks) == []


def test_direct_mappings_give_the_per_page_result(trees):
    assert problems(scenarios.run_direct(*trees)) == []


def _walks(exe, script, prefix):
    line = next(x for x in stepping.run(exe, script) if x.startswith(prefix))
    return int(stepping.fields(line)['lookups'], 16), line


def test_large_leaves_take_one_walk_each(trees):
    """1031 pages in 2M leaves (4K pages): the old loops walk per page, the
    new ones per leaf (plus the run check of VFIO)."""
    base, converted, work = trees
    pfns = ' '.join(f'{0x40000 + i:x}' for i in range(1031))
    iommufd = (f'domain {scenarios.SZ_4K | scenarios.SZ_2M:x}\n'
               'area 200000 606fff 0 0 406 0\n'
               f'fill {pfns}\nbatch 0 406 10\n')
    vfio = f'domain 201000\ndma 200000 7f0000000000 1 {pfns}\nunmap 0\n'
    direct = 'domain 201000\nmap 0 0 600000\nregion 0 800000 0\ncreate\n'
    for program, script, prefix, old_walks, new_walks in (
            ('iommufd', iommufd, 'batch', 1031, 3 + 7),
            ('vfio', vfio, 'unmap', 1031, 4 + 7),
            ('direct', direct, 'create', 2048, 3 + 512)):
        old, line = _walks(stepping.build(base, stepping.PROGRAMS[program], work), script,
                           prefix)
        new, new_line = _walks(stepping.build(converted, stepping.PROGRAMS[program], work),
                               script, prefix)
        assert old == old_walks, line
        assert new <= new_walks, new_line
        line, new_line = stepping.fields(line), stepping.fields(new_line)
        line.pop('lookups'), new_line.pop('lookups')
        assert line == new_line


# No domain yet, so replay pins both dmas: dma 0 is 1031 contiguous pages, in
# two 2M leaves and seven 4K ones; the second iommu_map() (dma 1) fails and
# the unwind unmaps and unpins dma 0.
UNWIND = ('dma 200000 7f0000000000 0 ' + ' '.join(f'{0x40000 + i:x}' for i in range(1031))
          + '\ndma 800000 7f0000800000 0 1 2 3\n')


def test_replay_unwind_steps_past_what_it_unmapped(trees):
    """The unwind moves on by the run it unmapped: 9 walks for dma 0's run
    and 3 for dma 1's holes, where the per-page loop walks the run, then
    each of its pages again as a hole."""
    base, converted, work = trees
    program = stepping.PROGRAMS['vfio']
    script = UNWIND + 'replay 201000 1\n'
    old, line = _walks(stepping.build(base, program, work), script, 'replay')
    new, new_line = _walks(stepping.build(converted, program, work), script, 'replay')
    assert 'unpin=200000:40000+407' in new_line, new_line
    assert old >= 2 * 1031, line
    assert new <= 9 + 3, new_line
    line, new_line = stepping.fields(line), stepping.fields(new_line)
    line.pop('lookups'), new_line.pop('lookups')
    assert line == new_line


def test_replay_unwind_survives_a_failed_unmap(trees):
    """iommu_unmap() of the unwind unmaps nothing: the run stays mapped, so
    it stays pinned, with a warning, and the unwind ends (the per-page loop
    found the same run again, unpinned it again, and never ended)."""
    _, converted, work = trees
    exe = stepping.build(converted, stepping.PROGRAMS['vfio'], work)
    (line,) = [x for x in stepping.run(exe, UNWIND + 'replay 201000 1 0\n', alarm=5)
               if x.startswith('replay')]
    f = stepping.fields(line)
    assert 'map=200000+407000>40000000' in line, line
    assert int(f['warns'], 16) >= 1, line
    unpins = f.get('unpin', '').split()
    assert not [u for u in unpins if u.startswith('200000:')], line
    assert scenarios._leaves(line)[0][:2] == (0x200000, 0x200000), line
    assert int(f['lookups'], 16) <= 9 + 3, line


def test_debug_pagealloc_gives_the_per_page_result(trees):
    checks = scenarios.run_debug(*trees)
    assert len(checks) == 3
    assert problems(checks) == []


def _debug_lines(tree, work, script):
    return stepping.run(stepping.build(tree, stepping.PROGRAMS['debug'], work), script)


def test_debug_pagealloc_looks_up_each_leaf_once(trees):
    """Three 2M leaves: the unmap refcounts each of their 4K pages with one
    lookup per leaf, where the per-page loop looked up each page."""
    base, converted, work = trees
    script = 'domain 201000\nmap 200000 40000000 600000\nunmap 200000 600000\n'
    old, new = _debug_lines(base, work, script), _debug_lines(converted, work, script)
    assert len(scenarios._refs(new[1])) == 0x600, new[1][:100]
    assert int(stepping.fields(old[2])['lookups'], 16) == 0x600
    assert int(stepping.fields(new[2])['lookups'], 16) == 3
    assert scenarios._refs(new[2]) == {} and 'warns=0' in new[2], new[2]


def test_debug_pagealloc_counts_a_page_at_physical_address_0(trees):
    """A range mapped at physical address 0 is counted at map and uncounted
    at unmap, page 0 included, with no warning (the per-page loop took page
    0 for a hole, and the map refused the range with a warning)."""
    _, converted, work = trees
    lines = _debug_lines(converted, work, 'domain 201000\nmap 0 0 3000\nunmap 0 3000\n')
    assert scenarios._refs(lines[1]) == {0: 1, 0x1000: 1, 0x2000: 1}, lines[1]
    assert scenarios._refs(lines[2]) == {}, lines[2]
    assert all('warns=0' in line for line in lines), lines


# A planted bug in a converted function must make the checks fail:
# (program, function, text, replacement, why)
MUTATIONS = (
    ('iommufd', 'batch_from_domain', 'last_index - start_index + 1',
     'last_index - start_index + 2', 'clamp to last_index off by one'),
    ('iommufd', 'domain_leaf_npages', '(iova & (length - 1))', '0',
     'leaf counted from its start, not from the IOVA'),
    ('iommufd', 'domain_leaf_npages', 'page_offset + leaf_left',
     'page_offset + leaf_left + 1', 'a leaf ending on a page boundary counts one more page'),
    ('iommufd', 'raw_pages_from_domain', 'last_index - start_index + 1',
     'last_index - start_index + 2', 'raw clamp off by one'),
    ('iommufd', 'iopt_area_unpin_domain', '\t\t\t\tstart_index = start + 1;\n', '',
     'unfill does not step over a hole: livelock'),
    ('vfio', 'vfio_find_phys_run', 'round_up(min(leaf_left, size - len), PAGE_SIZE)',
     'min(leaf_left, size - len)', 'sub-page leaf not rounded up: pins leak'),
    ('vfio', 'vfio_find_phys_run', 'size - len)', 'size - len + PAGE_SIZE)',
     'run clamp to the vfio_dma off by one page'),
    ('direct', 'iommu_create_device_direct_mappings', 'step = min_t(u64, step, end - addr);',
     '', 'leaf step not clamped to the region end'),
    ('debug', '__iommu_debug_update_iova', '((iova + off) & (length - 1))', '0',
     'debug refcount: leaf counted from its start, not from the IOVA'),
    ('debug', '__iommu_debug_update_iova', 'size - off)', 'size - off + page_size)',
     'debug refcount: one page past the end of the range'),
)


@pytest.mark.parametrize('program,function,text,bug,why', MUTATIONS,
                         ids=[m[4] for m in MUTATIONS])
def test_a_planted_bug_fails(trees, program, function, text, bug, why):
    base, converted, work = trees
    source = stepping.function_text(converted, stepping.PROGRAMS[program], function)
    assert text in source, f'{function} no longer has {text!r}: update the mutation'
    replace = {function: source.replace(text, bug, 1)}
    if program == 'iommufd':
        runs = [lambda c=c: scenarios.run_iommufd(base, converted, work, [c], replace=replace)
                for c in scenarios.iommufd_cases()]
    elif program == 'vfio':
        runs = [lambda s=s: scenarios.run_vfio(base, converted, work, [s], replace=replace)
                for s in range(-1, 40)]
    elif program == 'debug':
        runs = [lambda s=s: scenarios.run_debug(base, converted, work, [s], replace=replace)
                for s in range(0, 40)]
    else:
        runs = [lambda s=s: scenarios.run_direct(base, converted, work, [s], replace=replace)
                for s in range(-1, 60)]
    # The first scenario that shows the bug is enough
    checks = []
    for run in runs:
        checks = run()
        if problems(checks):
            break
    assert problems(checks), f'{why}: not caught'


def test_scenarios_are_the_same_every_run():
    a, b = scenarios.iommufd_cases(), scenarios.iommufd_cases()
    assert [(c.name, c.pfns, c.iova) for c in a] == [(c.name, c.pfns, c.iova) for c in b]
    script = scenarios.vfio_script(random.Random('x'), 12, True)
    assert script == scenarios.vfio_script(random.Random('x'), 12, True)
