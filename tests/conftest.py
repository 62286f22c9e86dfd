"""Shared pytest set-up: import path, fixture trees, the closing count line."""

import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / 'tests'))

import kernel_fixture  # noqa: E402

_counts = {}


@pytest.fixture
def fixture_tree(tmp_path):
    return kernel_fixture.write_tree(tmp_path / 'linux')


def pytest_terminal_summary(terminalreporter):
    stats = terminalreporter.stats
    _counts.update(passed=len(stats.get('passed', [])),
                   failed=len(stats.get('failed', [])) + len(stats.get('error', [])),
                   skipped=len(stats.get('skipped', [])))


def pytest_unconfigure(config):
    # DEVELOPERS.md: every test run ends with "N passed, N failed".
    if _counts:
        print(f'{_counts["passed"]} passed, {_counts["failed"]} failed'
              f' ({_counts["skipped"]} skipped)')
