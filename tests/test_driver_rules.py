"""The driver conversion rules (cocci/drivers/, templates/) on small cases.

Each tests/cocci/drivers/<case>.c is project-written C that names, in
"// spatch: <rule> -D name=value ..." lines, the rules to run on it in
order, as a manifest step would.  The result must equal <case>.res.  A
case whose header says "// expect: unchanged" is one the rules must leave
alone (a look-alike, a shape a template must refuse); every other case
must change.  spatch runs as generator/steps.py runs it: --in-place, with
the options of the rule's "// Options:" line.
"""

import difflib
import pathlib
import shlex
import shutil
import subprocess

import pytest

from generator import spatch

REPO = pathlib.Path(__file__).resolve().parent.parent
CASES = REPO / 'tests' / 'cocci' / 'drivers'
RULE_DIRS = (REPO / 'cocci' / 'drivers', REPO / 'templates')
NO_RULE_FIXTURE = REPO / 'tests' / 'fixtures' / 'no_rule_driver.c'


def parse_header(path):
    """[(rule path, {name: value})] from the "// spatch:" lines, and whether
    the case must stay unchanged."""
    runs, unchanged = [], False
    for line in path.read_text().splitlines():
        if line.startswith('// spatch:'):
            words = shlex.split(line[len('// spatch:'):])
            defines = {}
            for flag, value in zip(words[1::2], words[2::2]):
                assert flag == '-D', f'{path.name}: only -D may follow the rule: {line}'
                name, _, val = value.partition('=')
                defines[name] = val
            runs.append((REPO / words[0], defines))
        elif line.startswith('// expect: unchanged'):
            unchanged = True
    return runs, unchanged


def run_rules(source, runs, workdir):
    """The text of source after the runs, spatch applied in place in workdir."""
    target = workdir / source.name
    shutil.copyfile(source, target)
    for rule, defines in runs:
        cmd = ['spatch', '--very-quiet', '--sp-file', str(rule), '--in-place',
               *spatch.options(rule)]
        for name, value in defines.items():
            cmd += ['-D', f'{name}={value}']
        cmd.append(target.name)
        proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
        assert proc.returncode == 0, f'{rule.name}: {proc.stderr.strip()[-500:]}'
    return target.read_text()


def case_files():
    return sorted(CASES.glob('*.c'))


@pytest.fixture(scope='module', autouse=True)
def need_spatch():
    if not shutil.which('spatch'):
        pytest.skip('spatch is not installed (Debian package coccinelle)')


@pytest.mark.parametrize('case', case_files(), ids=lambda p: p.stem)
def test_case(case, tmp_path):
    runs, unchanged = parse_header(case)
    assert runs, f'{case.name} names no rule'
    expected_path = case.with_suffix('.res')
    assert expected_path.is_file(), f'{case.name} has no .res'
    expected = expected_path.read_text()
    if unchanged:
        assert expected == case.read_text(), f'{case.name} must stay unchanged but its .res differs'
    else:
        assert expected != case.read_text(), f'{case.name}: a .res equal to the case proves nothing'
    got = run_rules(case, runs, tmp_path)
    diff = ''.join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                        f'{case.stem}.res', 'spatch output'))
    assert got == expected, diff


def test_every_rule_has_a_case():
    used = {rule for case in case_files() for rule, _ in parse_header(case)[0]}
    rules = {p for d in RULE_DIRS for p in d.glob('*.cocci')}
    assert rules, 'no rules found'
    assert sorted(p.name for p in rules - used) == []


def test_every_rule_has_a_case_it_must_not_change():
    """A rule that changes everything it is given is not a rule: each one is
    also run on a case it has to leave alone."""
    used = {rule for case in case_files() if parse_header(case)[1]
            for rule, _ in parse_header(case)[0]}
    shapes = {p for d in RULE_DIRS for p in d.glob('*.cocci')}
    assert sorted(p.name for p in shapes - used) == []


# The generic shapes a generator may try on a driver no step covers, with
# the defines it would discover (templates/README.md).
TRIES = [
    [('cocci/drivers/io_pgtable.cocci', {})],
    [('templates/leaf.cocci', {'leaves': '*=SZ_4K'})],
    [('templates/flat.cocci', {'size': 'SZ_4K'})],
    [('templates/identity.cocci', {})],
    [('templates/interval.cocci', {})],
]


@pytest.mark.parametrize('shape', TRIES, ids=lambda t: pathlib.Path(t[0][0]).stem)
def test_no_rule_fixture_matches_no_shape(shape, tmp_path):
    """tests/fixtures/no_rule_driver.c is a driver no template converts:
    each shape, then common.cocci, must leave it as it is."""
    runs = [(REPO / rule, dict(defines, fn='hashed_iova_to_phys')) for rule, defines in shape]
    runs.append((REPO / 'templates' / 'common.cocci', {'fn': 'hashed_iova_to_phys'}))
    assert run_rules(NO_RULE_FIXTURE, runs, tmp_path) == NO_RULE_FIXTURE.read_text()


def test_no_rule_fixture_is_a_driver():
    """The shapes refuse the fixture for its lookup, not for lack of an op."""
    text = NO_RULE_FIXTURE.read_text()
    assert '.iova_to_phys\t= hashed_iova_to_phys,' in text
    assert 'static phys_addr_t hashed_iova_to_phys(struct iommu_domain *domain,' in text
