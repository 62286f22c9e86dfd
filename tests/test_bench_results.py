"""ci/bench/results.py: parsing the guest's lines, the walk-count
invariant (recomputed from range and leaf, not taken from the module),
and the min/median/max reduction."""

import statistics

import pytest

from ci.bench import results

PAGE = 4096
RANGE = 8 << 20
LEAVES = (4096, 64 << 10, 2 << 20)


def kmod_text(walks_new=None, done=True, length_op=True, extra=''):
    """What iova_bench.ko prints for RANGE, computed here from the sizes;
    walks_new overrides the per-leaf walk count (and the module's own
    'expected', as a module that miscounted both would)."""
    lines = [f'[    1.0] iova_bench: start range={RANGE} reps=3 page={PAGE} '
             f'length_op={int(length_op)} pgtable_old_op=1']
    for leaf in LEAVES:
        old = RANGE // PAGE
        lines.append(f'[    1.1] iova_bench: case fmt=vtdss leaf={leaf} method=old '
                     f'op=iommu_iova_to_phys walks={old} expected={old} ns=30,10,20')
        if length_op:
            new = walks_new if walks_new is not None else RANGE // leaf
            lines.append(f'[    1.2] iova_bench: case fmt=vtdss leaf={leaf} method=new '
                         f'op=iommu_iova_to_phys_length walks={new} expected={new} ns=5,4,6')
    lines.append('iova_bench: skip fmt=vtdss leaf=1073741824 reason=larger_than_range')
    lines.append(extra)
    if done:
        lines.append('iova_bench: done cases=6 errors=0')
    return '\n'.join(lines) + '\n'


def test_parse_and_invariant_hold_for_a_correct_run():
    run = results.parse_kmod(kmod_text())
    assert (run.range, run.reps, run.page, run.length_op) == (RANGE, 3, PAGE, True)
    assert len(run.cases) == 2 * len(LEAVES)
    assert run.skips == [('vtdss', 1 << 30, 'larger_than_range')]
    results.check_invariant(run)
    for case in run.cases:
        step = PAGE if case.method == 'old' else case.leaf
        assert case.walks == RANGE // step


def test_a_wrong_walk_count_fails_even_if_the_module_agreed():
    run = results.parse_kmod(kmod_text(walks_new=7))
    with pytest.raises(results.InvariantError, match='should be'):
        results.check_invariant(run)


@pytest.mark.parametrize('text, why', [
    (kmod_text(done=False), 'did not finish'),
    (kmod_text(extra='iova_bench: error fmt=lpae leaf=4096 method=new new: iova 0x0'),
     'fmt=lpae'),
    ('iova_bench: start range=4096 reps=1 page=4096 length_op=0\niova_bench: done\n',
     'no case'),
])
def test_errors_an_unfinished_run_or_no_case_fail(text, why):
    with pytest.raises(results.InvariantError, match=why):
        results.check_invariant(results.parse_kmod(text))


def test_a_tree_with_the_new_op_must_run_the_new_method():
    text = '\n'.join(line for line in kmod_text().splitlines()
                     if 'method=new' not in line)
    with pytest.raises(results.InvariantError, match='no "new" case'):
        results.check_invariant(results.parse_kmod(text))


def test_walk_table_before_has_only_old_and_ratios_follow_the_counts():
    before = results.parse_kmod(kmod_text(length_op=False))
    after = results.parse_kmod(kmod_text())
    rows = results.walk_table(before, after)
    assert [(r['fmt'], r['leaf']) for r in rows] == [('vtdss', leaf) for leaf in LEAVES]
    for r in rows:
        assert r['before_old']['walks'] == RANGE // PAGE
        assert r['after_new']['walks'] == RANGE // r['leaf']
        assert r['walk_ratio'] == r['before_old']['walks'] / r['after_new']['walks']
        assert r['time_ratio'] == (r['before_old']['ns']['median'] /
                                   r['after_new']['ns']['median'])
        assert r['before_old']['ns'] == {'min': 10, 'median': 20, 'max': 30, 'n': 3,
                                         'q1': 15, 'q3': 25}


def test_walk_table_without_a_before_run_has_no_ratio():
    rows = results.walk_table(None, results.parse_kmod(kmod_text()))
    assert all(r['before_old'] is None and r['walk_ratio'] is None for r in rows)


def test_sections_split_the_results_port():
    text = ('@@@ BEGIN kmod\nline 1\nline 2\n@@@ END kmod rc=0 seconds=1.5\n'
            '@@@ BEGIN vfio\nbench vfio error=x\n@@@ END vfio rc=1 seconds=0.1\n'
            '@@@ BEGIN iommufd\nbench iommufd domain=mock\n')
    found = results.sections(text)
    assert found['kmod'].text == 'line 1\nline 2\n' and found['kmod'].rc == 0
    assert found['vfio'].rc == 1
    # the guest died in it: nothing it printed counts
    assert 'iommufd' not in found


def test_e2e_lines_reduce_to_stats_and_ratio():
    values = {'before': [900, 700, 800], 'after': [90, 110, 100]}

    def text(label):
        return ''.join(f'bench iommufd domain=mock-huge backing=1G-hugetlb size=1073741824 '
                       f'rep={i} map_ns={v * 2} unmap_ns={v}\n'
                       for i, v in enumerate(values[label])) + \
            'bench iommufd domain=mock backing=4K error=mmap:ENOMEM\n'
    before, b_err = results.parse_e2e(text('before'), 'iommufd')
    after, _ = results.parse_e2e(text('after'), 'iommufd')
    assert b_err == ['mock/4K: mmap:ENOMEM']
    rows = results.e2e_table(before, after)
    assert [r['case'] for r in rows] == ['mock-huge/1G-hugetlb']
    row = rows[0]
    assert row['before']['unmap_ns']['median'] == statistics.median(values['before'])
    assert row['after']['unmap_ns']['min'] == min(values['after'])
    assert row['unmap_ratio'] == (statistics.median(values['before']) /
                                  statistics.median(values['after']))
    assert row['map_ratio'] == row['unmap_ratio']


def test_vfio_lines_are_named_by_backing():
    cases, errors = results.parse_e2e(
        'bench vfio backing=4K size=4096 rep=0 map_ns=1 unmap_ns=2\n'
        'bench vfio done failures=0\n', 'vfio')
    assert list(cases) == ['4K'] and cases['4K']['unmap_ns'] == [2] and not errors


def test_merge_pools_timings_of_boots_and_keeps_their_errors():
    one = results.parse_kmod(kmod_text())
    two = results.parse_kmod(kmod_text(extra='iova_bench: error fmt=v7s leaf=4096 x'))
    merged = results.merge([one, two])
    assert merged.reps == one.reps + two.reps and merged.done
    assert len(merged.cases) == len(one.cases)
    assert merged.cases[0].ns == one.cases[0].ns + two.cases[0].ns
    assert merged.errors == ['fmt=v7s leaf=4096 x']


def test_merge_reports_boots_that_walked_differently():
    good = results.parse_kmod(kmod_text())
    odd = results.parse_kmod(kmod_text(walks_new=3))
    merged = results.merge([good, odd])
    assert any('in one boot' in e for e in merged.errors)
    unfinished = results.merge([good, results.parse_kmod(kmod_text(done=False))])
    assert not unfinished.done
