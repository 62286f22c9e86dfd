"""The Makefile: every target that needs Debian packages installs them first.

Read from `make -n <target>`: the install step must be among the commands
make would run.  A phony deps-* target behind a plain pattern rule prints
nothing there (make does no implicit-rule search for phony targets), which
is how make series and make test once installed nothing.
"""

import pathlib
import re
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
MAKEFILE = REPO / 'Makefile'


def deps_targets(makefile: pathlib.Path) -> dict[str, str]:
    """target -> the deps job it lists as a prerequisite."""
    found = {}
    for target, prereqs in re.findall(r'^([a-z][\w-]*):(?!=)([^\n]*)', makefile.read_text(), re.M):
        job = re.search(r'\bdeps-(\w+)', prereqs)
        if job and not target.startswith('deps-'):
            found[target] = job.group(1)
    return found


def dry_run(makefile: pathlib.Path, target: str) -> str:
    proc = subprocess.run(['make', '-n', '-f', str(makefile), target, 'OUT=/nonexistent'],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    return proc.stdout


def install_step_missing(makefile: pathlib.Path) -> list[str]:
    """The targets of makefile whose `make -n` shows no install step."""
    return [target for target, job in deps_targets(makefile).items()
            if not re.search(rf'-m generator deps {job}$', dry_run(makefile, target), re.M)]


def test_the_targets_that_need_packages_are_found():
    targets = deps_targets(MAKEFILE)
    assert {'series': 'series', 'test': 'test', 'check': 'check', 'boot': 'boot'}.items() \
        <= targets.items()


@pytest.mark.parametrize('target', sorted(deps_targets(MAKEFILE)))
def test_make_n_shows_the_install_step(target):
    job = deps_targets(MAKEFILE)[target]
    out = dry_run(MAKEFILE, target)
    assert re.search(rf'-m generator deps {job}$', out, re.M), f'make -n {target}:\n{out}'
    # installed before the target's own command (the last) runs
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if f'generator deps {job}' in line)
    assert at < len(lines) - 1, f'make -n {target}: the install step comes last:\n{out}'


def test_a_phony_pattern_rule_is_caught(tmp_path):
    """The check itself fails on the Makefile that installed nothing."""
    old = tmp_path / 'Makefile'
    old.write_text('PYTHON ?= /usr/bin/python3\n.PHONY: series deps-series\n'
                   'deps-%:\n\t@$(PYTHON) -m generator deps $*\n'
                   'series: deps-series\n\t$(PYTHON) -m generator series\n')
    assert install_step_missing(old) == ['series']


def test_make_test_leaves_the_full_tests_to_ci_full():
    """The whole-kernel boots and KUnit runs (marker full) took make test past
    CI's 90 minutes: make test deselects them, make ci-full runs them."""
    assert re.search(r"pytest .*-m 'not full'.* tests$", dry_run(MAKEFILE, 'test'), re.M)
    full = subprocess.run(['make', '-n', '-f', str(MAKEFILE), 'ci-full', 'OUT=/nonexistent'],
                          cwd=REPO, capture_output=True, text=True, timeout=60).stdout
    assert re.search(r'pytest .*-m full tests$', full, re.M), full
