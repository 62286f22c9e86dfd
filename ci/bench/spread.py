"""How far apart two sets of timings are, and whether that is more than
their spread: the before/after ratio of an end-to-end case with a
bootstrap interval and the ratio of each boot pair.

The guests run under TCG on a shared host, so one boot can be slower than
the next by as much as the series could change a 4K unmap. The benchmark
boots the two kernels in turn (before, after, before, ...); a round is one
boot of each. The ratio is after over before: above 1 is slower after.

- ratio: median of every "after" repetition over median of every
  "before" one;
- interval: the 2.5th and 97.5th percentiles of that ratio over
  resamples in two stages: draw the rounds with replacement, then each
  drawn boot's repetitions with replacement. Drift between boots is most
  of the noise here, and only drawing the rounds puts it in the interval;
  drawing repetitions alone would call a slow boot a slowdown;
- rounds: the same ratio for each round alone, whose range shows the
  drift between boots directly.

"within the spread" means the interval holds 1. Standard library only;
the resampling is seeded, so a report is the same on every run.
"""
from __future__ import annotations

import random
import statistics
from dataclasses import asdict, dataclass

RESAMPLES = 2000
SEED = 17


@dataclass
class Change:
    ratio: float                 # after / before, medians of every repetition
    low: float                   # bootstrap interval, 95%
    high: float
    rounds: list[float]          # after / before of each round alone
    n_before: int
    n_after: int

    @property
    def verdict(self) -> str:
        if self.low > 1:
            return 'slower beyond the spread'
        if self.high < 1:
            return 'faster beyond the spread'
        return 'within the spread'

    def as_dict(self) -> dict:
        return {**asdict(self), 'verdict': self.verdict}


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """(first quartile, median, third quartile); one value is all three."""
    if not values:
        raise ValueError('no values')
    if len(values) == 1:
        return values[0], values[0], values[0]
    return tuple(statistics.quantiles(values, n=4, method='inclusive'))


def _ratio(before: list[float], after: list[float]) -> float:
    return statistics.median(after) / max(statistics.median(before), 1e-9)


def _percentile(sorted_values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks, p in [0, 1]."""
    at = p * (len(sorted_values) - 1)
    lo = int(at)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (at - lo)


def change(before_rounds: list[list[float]], after_rounds: list[list[float]],
           resamples: int = RESAMPLES, seed: int = SEED) -> Change:
    """The change from before to after; each argument holds the
    repetitions of one boot per round, the two in the same round order.
    Rounds missing a side (a boot that failed) are left out of the
    per-round ratios, not of the pooled one."""
    before = [v for r in before_rounds for v in r]
    after = [v for r in after_rounds for v in r]
    if not before or not after:
        raise ValueError('a side has no values')
    if len(before_rounds) != len(after_rounds):
        raise ValueError(f'{len(before_rounds)} rounds before, {len(after_rounds)} after')
    rng = random.Random(seed)
    pairs = list(zip(before_rounds, after_rounds))
    draw = lambda boot: [rng.choice(boot) for _ in boot]
    draws = []
    while len(draws) < resamples:
        picked = [rng.choice(pairs) for _ in pairs]
        b = [v for boot, _ in picked for v in draw(boot)]
        a = [v for _, boot in picked for v in draw(boot)]
        if b and a:         # all picked rounds lost a side: draw again
            draws.append(_ratio(b, a))
    draws.sort()
    rounds = [_ratio(b, a) for b, a in pairs if b and a]
    return Change(_ratio(before, after), _percentile(draws, 0.025), _percentile(draws, 0.975),
                  rounds, len(before), len(after))
