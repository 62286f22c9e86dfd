"""ci/bench/spread.py: the after/before ratio of an end-to-end case, its
bootstrap interval, the ratio of each round, and the verdict against the
spread; then how results, main and report carry it to the 4K headline.
The timings are made up here, so every expected figure is computed from
them, not taken from a run."""

import statistics

import pytest

from ci.bench import main as bench_main
from ci.bench import report, results, spread


def test_quartiles_are_the_inclusive_ones_and_one_value_is_all_three():
    assert spread.quartiles([1, 2, 3, 4, 5]) == (2, 3, 4)
    assert spread.quartiles([10, 20, 30]) == (15, 20, 25)
    assert spread.quartiles([7]) == (7, 7, 7)
    with pytest.raises(ValueError):
        spread.quartiles([])


def test_stats_carry_the_quartiles():
    stats = results.Stats.of([40, 10, 30, 20, 50]).as_dict()
    assert (stats['q1'], stats['median'], stats['q3']) == (20, 30, 40)
    assert (stats['min'], stats['max'], stats['n']) == (10, 50, 5)


def test_the_same_timings_are_within_the_spread():
    rounds = [[100, 110, 90, 105], [95, 100, 115, 102], [98, 101, 99, 120]]
    c = spread.change(rounds, rounds)
    assert c.ratio == 1
    assert c.low <= 1 <= c.high and c.low < c.high
    assert c.rounds == [1, 1, 1]
    assert c.verdict == 'within the spread'
    assert (c.n_before, c.n_after) == (12, 12)


def test_a_real_slowdown_is_beyond_the_spread():
    before = [[100, 101, 99, 100], [102, 98, 100, 101]]
    after = [[v * 1.5 for v in r] for r in before]
    c = spread.change(before, after)
    pooled = (statistics.median([v for r in after for v in r]) /
              statistics.median([v for r in before for v in r]))
    assert c.ratio == pytest.approx(pooled) == pytest.approx(1.5)
    assert 1 < c.low <= c.ratio <= c.high
    assert c.rounds == [pytest.approx(1.5)] * 2
    assert c.verdict == 'slower beyond the spread'
    faster = spread.change(after, before)
    assert faster.high < 1 and faster.verdict == 'faster beyond the spread'


def test_drift_between_boots_widens_the_interval_over_one():
    """Two of three rounds booted the after kernel slow and the before one
    fast, one the other way round: each boot's repetitions agree closely,
    so only the drawing of rounds puts that drift into the interval, and
    the verdict must not call it a slowdown."""
    before = [[100, 104, 96, 102], [200, 208, 192, 204], [100, 103, 97, 101]]
    after = [[200, 208, 192, 204], [105, 109, 101, 107], [210, 216, 204, 212]]
    c = spread.change(before, after)
    assert c.low <= 1 <= c.high
    assert c.verdict == 'within the spread'
    assert min(c.rounds) < 1 < max(c.rounds)


def test_a_round_missing_a_side_is_left_out_of_the_rounds_only():
    before = [[100, 100], [100, 100], [100]]
    after = [[120, 120], [], [130]]
    c = spread.change(before, after)
    assert c.rounds == [pytest.approx(1.2), pytest.approx(1.3)]
    assert (c.n_before, c.n_after) == (5, 3)
    assert c.ratio == pytest.approx(120 / 100)


def test_the_interval_is_seeded_and_a_side_without_values_is_an_error():
    before = [[100, 140, 90, 130], [95, 160, 100, 120]]
    after = [[110, 100, 150, 95], [130, 90, 105, 170]]
    assert spread.change(before, after) == spread.change(before, after)
    with pytest.raises(ValueError, match='no values'):
        spread.change([[], []], after)
    with pytest.raises(ValueError, match='2 rounds before, 1 after'):
        spread.change(before, after[:1])


def vfio_boot(unmap: list[int], map_ns: int = 500) -> str:
    """What one boot's vfio bench prints for the 4K case."""
    return ''.join(f'bench vfio backing=4K size=1073741824 rep={i} map_ns={map_ns + i} '
                   f'unmap_ns={v}\n' for i, v in enumerate(unmap))


def test_e2e_section_pairs_the_boots_into_rounds_and_names_the_4k_change():
    before = [vfio_boot([100, 102, 98]), vfio_boot([200, 204, 196])]
    after = [vfio_boot([150, 153, 147]), vfio_boot([300, 306, 294])]
    section = bench_main.e2e_section(before, after)
    row = next(r for r in section['vfio'] if r['case'] == '4K')
    assert row['unmap_change']['rounds'] == [pytest.approx(1.5), pytest.approx(1.5)]
    assert row['map_change']['rounds'] == [1, 1]
    assert row['unmap_change']['n_before'] == 6
    assert row['before']['unmap_ns']['n'] == 6
    headline = report.headline_4k(section)
    assert headline.startswith('**VFIO type1 unmap of 1G in 4K pages, after/before: 1.50 (')
    assert 'per round 1.50-1.50' in headline and '3 + 3' not in headline
    assert '6 + 6 repetitions in 2 rounds' in headline
    text = report.markdown({'e2e': section})
    assert headline in text
    assert '| unmap after/before |' in text
    note = bench_main.pinning_notes(section)[0]
    assert 'unmap after/before 1.50' in note and 'map, which walks nothing, 1.00' in note


def test_change_text_and_no_headline_without_rounds():
    c = {'ratio': 1.08, 'low': 0.92, 'high': 1.27, 'rounds': [0.85, 1.31],
         'verdict': 'within the spread'}
    assert report.change_text(c) == ('1.08 (95% interval 0.92-1.27, per round 0.85-1.31): '
                                     'within the spread')
    assert 'per round' not in report.change_text({**c, 'rounds': [1.08]})
    pooled, _ = results.parse_e2e(vfio_boot([100, 101]), 'vfio')
    rows = results.e2e_table(pooled, pooled)
    assert 'unmap_change' not in rows[0]
    assert report.headline_4k({'vfio': rows}) is None
