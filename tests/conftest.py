"""Shared pytest set-up: import path, fixture trees, the closing count line."""

import pathlib
import sys
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / 'tests'))

import kernel_fixture  # noqa: E402

_counts = {}
_figures = []


@pytest.fixture
def fixture_tree(tmp_path):
    return kernel_fixture.write_tree(tmp_path / 'linux')


def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: builds or boots a kernel (minutes)')
    # make test leaves these to make ci-full: each is a whole kernel build
    # and a TCG boot or KUnit run (12 to 33 min on 2 cores), and together
    # they took make test past CI's 90 minutes.
    config.addinivalue_line('markers', 'full: a whole-kernel build and boot or KUnit run; '
                            'make ci-full runs it, make test does not')


@pytest.fixture(scope='session')
def figures():
    """figures(text): a measured figure (KUnit counts, timings) that the
    run prints at its end, where pytest's capture would otherwise hide it."""
    return _figures.append


_START = time.monotonic()
# A test (its fixtures included) longer than this is named as it ends, so a
# run that CI's time limit cuts short still says where the time went.
_SLOW_SECONDS = 60


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start = time.monotonic()
    yield
    took = time.monotonic() - start
    if took >= _SLOW_SECONDS:
        reporter = item.config.pluginmanager.get_plugin('terminalreporter')
        if reporter:
            reporter.write_line(f'\n[{took:.0f} s, at {time.monotonic() - _START:.0f} s] '
                                f'{item.nodeid}')


def pytest_terminal_summary(terminalreporter):
    if _figures:
        terminalreporter.write_sep('-', 'figures')
        for text in _figures:
            terminalreporter.write_line(text)
    stats = terminalreporter.stats
    _counts.update(passed=len(stats.get('passed', [])),
                   failed=len(stats.get('failed', [])) + len(stats.get('error', [])),
                   skipped=len(stats.get('skipped', [])))


def pytest_unconfigure(config):
    # DEVELOPERS.md: every test run ends with "N passed, N failed".
    if _counts:
        print(f'{_counts["passed"]} passed, {_counts["failed"]} failed'
              f' ({_counts["skipped"]} skipped)')


def _series(tmp_path_factory, kver: str, reuse_var: str, branch: str) -> dict:
    """Generate the series on Debian's linux-source-<kver> once per test
    session, on a branch of its own (not the one `make series` makes).
    <reuse_var>=<dir with series.json> reuses a series generated earlier,
    for quick local iterations; CI always generates afresh."""
    import json
    import os
    from generator import debian, kernel_tree, runlock, series

    given = os.environ.get(reuse_var)
    if given:
        return json.loads((pathlib.Path(given) / 'series.json').read_text())
    tree = debian.source_tree(kver, log=lambda *_: None)
    out = tmp_path_factory.mktemp(f'series-{kver}')
    work = kernel_tree.work_path(debian.cache_dir(), tree, branch)
    opts = series.Options(tree=tree, source=f'Debian linux-source-{kver}', version=1, out=out,
                          work=work, author='Series Test <series-test@example.org>',
                          user_tree=False, branch=branch)
    # A make series on the same tree at the same time: wait for it.
    with runlock.hold(debian.cache_dir(), [str(tree), str(work)], wait=True):
        result = series.generate(opts, log=print)
    applied = sum(s['status'] == 'applied' for s in result['steps'])
    _figures.append(f'series on {result["kernel"]["release"]}: {applied} patches, '
                    f'generated in {result["seconds"]:.0f} s')
    return result


@pytest.fixture(scope='session')
def series_7_2(tmp_path_factory):
    """The 7.2 series (IOVA_SERIES reuses one)."""
    return _series(tmp_path_factory, '7.2', 'IOVA_SERIES', 'test/iova_to_phys_length/v1')


@pytest.fixture(scope='session')
def series_6_12(tmp_path_factory):
    """The 6.12 LTS series, no generic_pt (IOVA_SERIES_6_12 reuses one)."""
    return _series(tmp_path_factory, '6.12', 'IOVA_SERIES_6_12',
                   'test-6.12/iova_to_phys_length/v1')


@pytest.fixture(scope='session')
def series_env(series_7_2):
    """IOVA_TREE / IOVA_BASE_TREE for the tests that read them: the
    generated 7.2 tree and its base, unless the caller set them."""
    import os
    import subprocess
    tree = pathlib.Path(series_7_2['kernel']['tree'])
    base = tree
    if subprocess.run(['git', '-C', str(tree), 'rev-parse', 'HEAD'], capture_output=True,
                      text=True).stdout.strip() != series_7_2['kernel']['base_commit']:
        pytest.fail(f'{tree} is not at the series base commit')
    os.environ.setdefault('IOVA_TREE', series_7_2['worktree'])
    os.environ.setdefault('IOVA_BASE_TREE', str(base))
    return os.environ['IOVA_TREE'], os.environ['IOVA_BASE_TREE']


@pytest.fixture(scope='session')
def base_audit(series_env):
    """`make audit`'s findings on the base tree (IOVA_BASE_TREE), found
    once for the tests that compare them with other methods."""
    from generator import audit
    return audit.find(pathlib.Path(series_env[1]))


@pytest.fixture(scope='session')
def boot_tree(request):
    """The kernel tree the slow boot tests build and boot: $CI_BOOT_TREE,
    else the generated 7.2 tree. `-m 'not slow'` leaves them out."""
    import os
    given = os.environ.get('CI_BOOT_TREE')
    if given:
        return pathlib.Path(given)
    return pathlib.Path(request.getfixturevalue('series_7_2')['worktree'])


@pytest.fixture(scope='session')
def boot_base(request):
    """boot_tree's base for the before columns: $CI_BOOT_BASE (a tree or a
    commit of boot_tree), else the series' base commit; None (every
    failure counts) for a $CI_BOOT_TREE without $CI_BOOT_BASE."""
    import os
    if os.environ.get('CI_BOOT_TREE'):
        return os.environ.get('CI_BOOT_BASE')
    return request.getfixturevalue('series_7_2')['kernel']['base_commit']
