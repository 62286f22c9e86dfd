"""KUnit on the generated 7.2 tree, with the base tree as negative control.

ci/kunit.py builds one x86_64 kernel with the tree's tools/testing/kunit
(io-pgtable-arm, the v7s boot selftest, every generic_pt format) and judges
the KTAP with the tree's own kunit_parser.  Both runs share one checkout
and one build directory under the cache, so the second is incremental.

Marked full (two kernel builds and runs, about 33 min on 2 cores): `make ci-full`
runs it, `make test` does not.
"""

import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
from ci import kunit  # noqa: E402
from ci.boot import results  # noqa: E402

from generator import debian  # noqa: E402

# The test the series adds to generic_pt's KUnit: phys, length and
# alignment for every format.  It must run on the series, not on the base.
NEW_CASE = 'amdv1_iommu_test.test_iova_to_phys_length'

pytestmark = [pytest.mark.slow, pytest.mark.full]


def _git(tree, *args):
    return subprocess.run(['git', '-C', str(tree), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture(scope='module')
def checkout(series_7_2):
    """A detached work tree of the series repository, for KUnit only."""
    repo = pathlib.Path(series_7_2['kernel']['tree'])
    path = debian.cache_dir() / 'kunit' / 'src'
    if (path / '.git').exists():
        _git(path, 'checkout', '-q', '-f', '--detach', series_7_2['kernel']['base_commit'])
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        _git(repo, 'worktree', 'prune')
        _git(repo, 'worktree', 'add', '-q', '--force', '--detach', str(path),
             series_7_2['kernel']['base_commit'])
    return path


def _run(tree: pathlib.Path, commit: str, log_name: str,
         figures) -> tuple[int, list, tuple, list]:
    _git(tree, 'checkout', '-q', '-f', '--detach', commit)
    build = debian.cache_dir() / 'kunit' / 'build'
    build.mkdir(parents=True, exist_ok=True)
    log = build / log_name
    rc, seconds = kunit.run(tree, build, log, jobs=2, timeout=3600, kvm=False)
    console = log.read_text(errors='replace')
    status, suites = results.kunit_run(results.load_parser(tree), console)
    v7s = kunit.v7s_selftest(console)
    problems = kunit.decide(status, suites, v7s, kunit.required(tree), [NEW_CASE])
    figures(f'{log_name}: kunit.py exit {rc} in {seconds:.0f} s\n{kunit.format_counts(suites)}'
            f'\nv7s selftest: {v7s[0]}')
    return rc, suites, v7s, problems


def test_base_tree_lacks_the_new_test(checkout, series_7_2, figures):
    """Negative control: the base passes its own suites, and the length test
    the series adds does not exist there."""
    rc, suites, v7s, problems = _run(checkout, series_7_2['kernel']['base_commit'],
                                     'kunit-base.log', figures)
    assert problems == [f'{NEW_CASE}: required test case did not run'], problems
    assert suites and v7s[0] == 'pass'


def test_generated_tree_passes_every_suite(checkout, series_7_2, figures):
    applied = [s['commit'] for s in series_7_2['steps'] if s['status'] == 'applied']
    rc, suites, v7s, problems = _run(checkout, applied[-1], 'kunit-series.log', figures)
    assert problems == [] and rc == 0, problems
    assert sum(s.passed for s in suites) > 200
