"""Semantic proof of each driver's iova_to_phys_length (issue 5).

For every own-page-table driver and io-pgtable format, tests/harness/
compiles the function taken from a kernel tree with a test main that builds
page tables of each leaf size the hardware has and checks phys (with the
sub-page offset), *length, and PHYS_ADDR_MAX for holes.

    IOVA_TREE=/path/to/converted/linux IOVA_BASE_TREE=/path/to/base/linux \\
        python3 -m pytest tests/test_driver_semantics.py

IOVA_TREE is the converted tree (the generator's output); IOVA_BASE_TREE
is the unconverted tree, the negative control: the contract must fail
there, or the harness proves nothing.  A driver whose step is not ready in
generator/series.toml has its phys checked on IOVA_TREE and its length and
error checks skipped as pending, naming the missing rule.
"""

import fnmatch
import os
import re
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "harness"))

import run as harness  # noqa: E402
from mutations import (ERROR_VALUE, LENGTH_STORE, VALUE_RETURN,  # noqa: E402
                       mutator)
from cases import CASES  # noqa: E402

# The generated 7.2 tree and its base (tests/conftest.py), unless
# IOVA_TREE / IOVA_BASE_TREE are set.
pytestmark = pytest.mark.usefixtures('series_env')

MANIFEST = REPO / "generator" / "series.toml"
LENGTH_KINDS = ("length", "length-block", "length-aligned")


def _tree(var):
    path = os.environ.get(var)
    if not path:
        pytest.skip("%s is not set: point it at a kernel tree" % var)
    if not (Path(path) / "drivers" / "iommu").is_dir():
        pytest.skip("%s=%s is not a kernel tree" % (var, path))
    return path


_results = {}


def result(tree, case, mutation=None):
    """Harness result for case in tree, built once per session."""
    problem = harness.toolchain_problem(case.cflags)
    if problem:  # make test installs the toolchain (generator/deps.py)
        pytest.fail(problem)
    key = (tree, case.name, mutation)
    if key not in _results:
        mutate = mutator(mutation) if mutation else None
        _results[key] = harness.run_case(tree, case, mutate)
    return _results[key]


def ready_step(case):
    """The id of a ready manifest step that converts case, or None."""
    data = tomllib.loads(MANIFEST.read_text())
    for step in data.get("step", []):
        if step.get("status", "ready") != "ready":
            continue
        if step.get("id") == case.step:
            return step["id"]
        for pattern in step.get("covers", []):
            pfile, _, pfunc = pattern.partition(":")
            if fnmatch.fnmatchcase(case.driver, pfile) and (
                    not pfunc or fnmatch.fnmatchcase(case.function, pfunc)):
                return step["id"]
    return None


def pending_reason(case):
    return ("pending: no ready step in generator/series.toml converts "
            "%s:%s (its rule in cocci/drivers/ or templates/ is not in the "
            "manifest yet)" % (case.driver, case.function))


def converted(tree, case):
    """Run case on the converted tree; skip if its rule is pending."""
    r = result(tree, case)
    assert not r.error, r.error
    if r.mode == "legacy":
        step = ready_step(case)
        if step:
            pytest.fail("step %s converts %s, but %s has no %s_length" % (
                step, case.function, tree, case.function))
        pytest.skip(pending_reason(case))
    return r


def describe(r, ids):
    return "\n".join("not ok %s # %s" % (i, r.checks[i][1])
                     for i in r.failed(ids))


def kind(check_id):
    return check_id.rsplit("/", 1)[-1]


def phys_ids(r, case, *parts):
    """The phys checks of parts; while the function is legacy, where it is
    known to drop the sub-page offset only those at offset 0, and none of
    the leaves it is known to get wrong (case.base_wrong_phys)."""
    ids = [i for i in r.ids(*parts) if kind(i) == "phys"]
    if r.mode == "legacy" and case.base_drops_offset:
        ids = [i for i in ids if "+0x0" in i.split("/")]
    if r.mode == "legacy":
        ids = [i for i in ids if not set(case.base_wrong_phys) & set(i.split("/"))]
    return ids


LEAVES = [(c, s) for c in CASES for s in c.sizes]
LEAF_IDS = ["%s-%s" % (c.name, s) for c, s in LEAVES]


@pytest.mark.parametrize("case,size", LEAVES, ids=LEAF_IDS)
def test_phys(case, size):
    """iova -> phys (sub-page offset included) for each leaf size; checked
    on the base function too while a rule is pending."""
    r = result(_tree("IOVA_TREE"), case)
    assert not r.error, r.error
    ids = phys_ids(r, case, size)
    assert ids, "no %s phys check reported by %s" % (size, case.name)
    assert not r.failed(ids), describe(r, ids)


@pytest.mark.parametrize("case,size", LEAVES, ids=LEAF_IDS)
def test_length(case, size):
    """*length is exactly the leaf size, and the block it names translates
    linearly."""
    r = converted(_tree("IOVA_TREE"), case)
    ids = [i for i in r.ids(size) if kind(i) in LENGTH_KINDS]
    assert ids, "no %s length check reported by %s" % (size, case.name)
    assert not r.failed(ids), describe(r, ids)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hole(case):
    """No translation gives PHYS_ADDR_MAX."""
    r = converted(_tree("IOVA_TREE"), case)
    ids = [i for i in r.ids("hole") if kind(i) == "error"]
    assert ids, "no hole checked by %s" % case.name
    assert not r.failed(ids), describe(r, ids)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_all_checks_pass(case):
    """Nothing else the main checks (odd positions, copies) fails either."""
    r = converted(_tree("IOVA_TREE"), case)
    assert not r.failed(), describe(r, list(r.checks))
    assert r.returncode == 0, r.output[-2000:]


# ------------------------------------------------------------ negative control

@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_base_tree_fails(case):
    """On the unconverted tree the harness must fail: holes give 0, not
    PHYS_ADDR_MAX (and large leaves get the fallback's small length).  Its
    phys checks must pass there, which shows that the test mains build the
    tables the driver reads."""
    r = result(_tree("IOVA_BASE_TREE"), case)
    assert not r.error, r.error
    assert r.mode == "legacy", "IOVA_BASE_TREE already has %s_length" % (
        case.function)
    ids = phys_ids(r, case)
    assert ids and not r.failed(ids), describe(r, ids)
    holes = [i for i in r.ids("hole") if kind(i) == "error"]
    assert holes and r.failed(holes) == holes, (
        "the base function returned PHYS_ADDR_MAX for a hole?\n" +
        "\n".join(i for i in holes if r.checks[i][0]))
    assert r.returncode != 0


def occurrences(tree, case, pattern):
    """How often pattern occurs in the converted function of case."""
    source = harness.load_source(tree, case)
    return len(re.findall(pattern, source.get(harness.converted_name(case)).text))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_over_reported_length_is_caught(case):
    """Doubling the length at any single *length store, or at any single
    return, of the converted function must fail a length check: every
    branch that reports a length is exercised."""
    tree = _tree("IOVA_TREE")
    converted(tree, case)
    mutations = [("double-length", k) for k in
                 range(occurrences(tree, case, LENGTH_STORE))]
    mutations += [("double-at-return", k) for k in
                  range(occurrences(tree, case, VALUE_RETURN))]
    assert mutations, "%s_length neither stores *length nor returns a value" % (
        case.function)
    escaped = []
    for mutation in mutations:
        r = result(tree, case, mutation)
        assert not r.error, "%s: %s" % (mutation, r.error)
        if not r.failed([i for i in r.checks if kind(i) in LENGTH_KINDS]):
            escaped.append("%s #%d" % mutation)
    assert not escaped, "%s went unnoticed in %s" % (
        ", ".join(escaped), case.function + "_length")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_error_as_zero_is_caught(case):
    """Turning any single PHYS_ADDR_MAX of the converted function back into
    0 must fail a hole check: every error path is exercised."""
    tree = _tree("IOVA_TREE")
    converted(tree, case)
    n = occurrences(tree, case, ERROR_VALUE)
    if not n:
        pytest.skip("%s_length has no PHYS_ADDR_MAX of its own (it passes "
                    "the walk's result on)" % case.function)
    escaped = []
    for k in range(n):
        r = result(tree, case, ("zero-error", k))
        assert not r.error, r.error
        holes = [i for i in r.ids("hole") if kind(i) == "error"]
        if not r.failed(holes):
            escaped.append(k)
    assert not escaped, "PHYS_ADDR_MAX number %s of %s is never checked" % (
        escaped, case.function + "_length")
