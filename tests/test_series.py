"""generator/series.py end to end on a fixture tree and a fixture manifest."""

import json
import pathlib
import subprocess

import pytest

import kernel_fixture
from generator import series
from generator.errors import Failure

REPO = pathlib.Path(__file__).resolve().parent.parent
MANIFEST = REPO / 'tests/fixtures/series/manifest.toml'
AUTHOR = 'Test Author <author@example.org>'


def _options(tree, tmp_path, **kw):
    args = dict(tree=tree, source='fixture', version=1, out=tmp_path / 'out',
                work=tmp_path / 'work', author=AUTHOR, user_tree=True, manifest=MANIFEST)
    args.update(kw)
    return series.Options(**args)


def _quiet(*_):
    pass


def test_one_commit_per_applied_step(fixture_tree, tmp_path):
    summary = series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    status = {s['id']: s['status'] for s in summary['steps']}
    assert status == {'core': 'applied', 'toy': 'applied', 'later': 'pending', 'gone': 'absent'}
    log = kernel_fixture.git(tmp_path / 'work', 'log', '--format=%s%n%b%n--', 'main..HEAD')
    assert log.count('Signed-off-by: Test Author <author@example.org>') == 2
    subjects = kernel_fixture.git(tmp_path / 'work', 'log', '--format=%s', 'main..HEAD')
    assert subjects.splitlines() == ['iommu/toy: return PHYS_ADDR_MAX on error',
                                     'iommu: add iova_to_phys_length for the test']


def test_changes_land_where_the_anchors_are(fixture_tree, tmp_path):
    series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    work = tmp_path / 'work'
    iommu_c = (work / 'drivers/iommu/iommu.c').read_text()
    assert iommu_c.index('EXPORT_SYMBOL_GPL(iommu_iova_to_phys);') \
        < iommu_c.index('phys_addr_t iommu_iova_to_phys_length(')
    assert '/* overlay:' not in iommu_c
    header = (work / 'include/linux/iommu.h').read_text().splitlines()
    at = header.index(' * @iova_to_phys: translate iova to physical address')
    assert header[at + 1] == ' * @iova_to_phys_length: translate iova, and say how far it maps'
    assert 'return PHYS_ADDR_MAX;' in (work / 'drivers/iommu/toy.c').read_text()


def test_patches_apply_with_git_am(fixture_tree, tmp_path):
    summary = series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    out = tmp_path / 'out'
    patches = sorted(out.glob('v1-*.patch'))
    assert [p.name[:8] for p in patches] == ['v1-0000-', 'v1-0001-', 'v1-0002-']
    cover = patches[0].read_text()
    assert 'Subject: [PATCH v1 0/2] toy: a test series' in cover
    assert 'Core layer (patch 1):\nThe core function.\n\nDrivers (patch 2):\n' in cover
    assert f'base-commit: {summary["kernel"]["base_commit"]}' in cover
    clone = tmp_path / 'clone'
    subprocess.run(['git', 'clone', '-q', str(fixture_tree), str(clone)], check=True)
    kernel_fixture.git(clone, 'am', '-q', *[str(p) for p in patches[1:]])
    assert kernel_fixture.git(clone, 'rev-list', '--count', 'origin/main..HEAD') == '2'
    assert (clone / 'drivers/iommu/toy.c').read_text() \
        == (tmp_path / 'work/drivers/iommu/toy.c').read_text()


def test_series_json_maps_inventory(fixture_tree, tmp_path):
    series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    data = json.loads((tmp_path / 'out/series.json').read_text())
    where = {(e['file'], e['function']): (e['handled_by'], e['kept']) for e in data['inventory']}
    assert where[('drivers/iommu/toy.c', 'toy_iova_to_phys')] == ('toy', None)
    assert where[('drivers/iommu/mac.c', 'MAC_COMMON_OPS')] == ('later', None)
    assert where[('drivers/misc/user.c', 'user_lookup')] == (None, 'needs only the physical address')
    toy = next(s for s in data['steps'] if s['id'] == 'toy')
    assert toy['files'] == ['drivers/iommu/toy.c'] and toy['produced_by'] == 'cocci'
    assert toy['patch'].startswith('v1-0002-')


def test_user_tree_is_left_alone_and_rerun_replaces_branch(fixture_tree, tmp_path):
    head = kernel_fixture.git(fixture_tree, 'rev-parse', 'HEAD')
    series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    first = kernel_fixture.git(fixture_tree, 'rev-parse', 'toy_series/v1')
    series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    assert kernel_fixture.git(fixture_tree, 'rev-parse', 'HEAD') == head
    assert kernel_fixture.git(fixture_tree, 'symbolic-ref', '--short', 'HEAD') == 'main'
    assert kernel_fixture.git(fixture_tree, 'status', '--porcelain') == ''
    assert kernel_fixture.git(fixture_tree, 'rev-list', '--count',
                              'main..toy_series/v1') == '2'
    assert first  # the branch existed after the first run, and was replaced


def test_rerun_drops_the_results_of_the_replaced_commits(fixture_tree, tmp_path):
    """make check/boot/bench results in OUT describe the old commits; a
    regenerated series must not carry them. Other files are kept."""
    series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    out = tmp_path / 'out'
    for name in ('report.md', 'report.html', 'check.json', 'range-diff-v0-v1.txt', 'notes.txt'):
        (out / name).write_text('old\n')
    for name in ('logs/x86_64', 'boot/logs', 'bench'):
        (out / name).mkdir(parents=True)
    series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith('.patch')) == [
        'notes.txt', 'series.json']


def test_uncovered_implementer_stops_generation(fixture_tree, tmp_path):
    (fixture_tree / 'drivers/iommu/new.c').write_text(
        kernel_fixture.TOY_C.replace('toy_', 'new_'))
    kernel_fixture.git(fixture_tree, 'add', '-A')
    kernel_fixture.git(fixture_tree, 'commit', '-q', '-m', 'a new driver')
    with pytest.raises(Failure, match=r'no rule matches drivers/iommu/new.c:new_iova_to_phys'):
        series.generate(_options(fixture_tree, tmp_path), log=_quiet)


def test_rule_that_no_longer_applies_names_step_and_file(fixture_tree, tmp_path):
    toy = fixture_tree / 'drivers/iommu/toy.c'
    toy.write_text(toy.read_text().replace('return 0;', 'return ~0ULL;'))
    kernel_fixture.git(fixture_tree, 'commit', '-q', '-am', 'toy changed upstream')
    with pytest.raises(Failure, match=r'step toy: .*toy_errors.cocci no longer applies to '
                                      r'drivers/iommu/toy.c'):
        series.generate(_options(fixture_tree, tmp_path), log=_quiet)


def test_bad_input(fixture_tree, tmp_path):
    (fixture_tree / 'drivers/iommu/toy.c').write_text('dirty\n')
    with pytest.raises(Failure, match='uncommitted changes'):
        series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    kernel_fixture.git(fixture_tree, 'checkout', '-q', '--', '.')
    (fixture_tree / 'drivers/iommu/iommu.c').write_text(
        'static const struct iommu_domain_ops x = { .iova_to_phys_length = f };\n')
    kernel_fixture.git(fixture_tree, 'commit', '-q', '-am', 'converted already')
    with pytest.raises(Failure, match='already converted'):
        series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    with pytest.raises(Failure, match='not a Linux kernel tree'):
        series.generate(_options(tmp_path, tmp_path), log=_quiet)


def test_refuses_to_replace_the_checked_out_branch(fixture_tree, tmp_path):
    kernel_fixture.git(fixture_tree, 'checkout', '-q', '-b', 'toy_series/v1')
    with pytest.raises(Failure, match='checked-out branch'):
        series.generate(_options(fixture_tree, tmp_path), log=_quiet)


def test_author_must_be_real(fixture_tree, tmp_path):
    with pytest.raises(Failure, match='expected "Name <email>"'):
        series.generate(_options(fixture_tree, tmp_path, author='nobody'), log=_quiet)


NEW_DRIVER_C = '''\
#include <linux/iommu.h>

#define NEW_PAGE_SIZE SZ_4K

static phys_addr_t new_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	phys_addr_t phys = 0;

	if (iova < 0x100000)
		phys = 0x80000000ULL + (iova & (NEW_PAGE_SIZE - 1));
	return phys;
}

static const struct iommu_domain_ops new_ops = {
	.iova_to_phys = new_iova_to_phys,
};

static void new_init(struct iommu_domain *domain)
{
	domain->pgsize_bitmap = NEW_PAGE_SIZE;
}
'''


def test_new_driver_gets_its_own_commit_from_a_template(fixture_tree, tmp_path):
    (fixture_tree / 'drivers/iommu/new-iommu.c').write_text(NEW_DRIVER_C)
    kernel_fixture.git(fixture_tree, 'add', '-A')
    kernel_fixture.git(fixture_tree, 'commit', '-q', '-m', 'a new driver')
    summary = series.generate(_options(fixture_tree, tmp_path), log=_quiet)
    new = next(s for s in summary['steps'] if s['id'] == 'new-new')
    assert new['status'] == 'applied' and new['produced_by'] == 'template'
    assert new['subject'] == 'iommu/new: implement iova_to_phys_length'
    assert [s['id'] for s in summary['steps']][-1] == 'new-new'    # no new_drivers_before
    text = (tmp_path / 'work/drivers/iommu/new-iommu.c').read_text()
    assert 'static phys_addr_t new_iova_to_phys_length(struct iommu_domain *domain,' in text
    assert '*length = SZ_4K;' in text
    assert 'phys_addr_t phys = PHYS_ADDR_MAX;' in text
    assert '.iova_to_phys_length = new_iova_to_phys_length,' in text
    body = kernel_fixture.git(tmp_path / 'work', 'log', '-1', '--format=%b', new['commit'])
    assert 'SZ_4K, the smallest page size' in body


def test_new_driver_no_template_matches_stops_generation(fixture_tree, tmp_path):
    driver = (REPO / 'tests/fixtures/no_rule_driver.c').read_text()
    driver += '\nstatic void hashed_init(struct iommu_domain *d)\n{\n\td->pgsize_bitmap = SZ_4K;\n}\n'
    (fixture_tree / 'drivers/iommu/hashed.c').write_text('#include <linux/iommu.h>\n' + driver)
    kernel_fixture.git(fixture_tree, 'add', '-A')
    kernel_fixture.git(fixture_tree, 'commit', '-q', '-m', 'a driver no shape fits')
    with pytest.raises(Failure, match=r'no rule matches drivers/iommu/hashed.c:hashed_iova_to_phys:'
                                      r' no template in templates/ converts it'):
        series.generate(_options(fixture_tree, tmp_path), log=_quiet)


def test_edit_with_empty_text_deletes_the_line(fixture_tree):
    from generator import manifest, steps
    step = manifest.Step('del', 's', 'b', 'overlay', 'ready', (), '', (), (manifest.Action(
        'edit', {'edit': 'x', 'file': 'include/linux/iommu.h', 'within': 'struct:iommu_domain_ops',
                 'replace_line': r'^\t\s+dma_addr_t iova\);$', 'text': ''}),), ())
    before = (fixture_tree / 'include/linux/iommu.h').read_text().split('\n')
    steps.apply(step, fixture_tree)
    after = (fixture_tree / 'include/linux/iommu.h').read_text().split('\n')
    assert len(after) == len(before) - 1
    assert [line for line in before if line not in after] == ['\t\t\t\t    dma_addr_t iova);']


def test_design_group_starts_at_next_applied_step_when_its_first_is_absent():
    from generator import manifest
    groups = ({'first': 'a', 'title': 'A', 'text': 'ta'}, {'first': 'b', 'title': 'B'})
    m = manifest.Manifest('s', 't', MANIFEST, '1', (), (), {}, groups)
    results = [series.StepResult('a', 'x', 'cocci', 'applied'),
               series.StepResult('b', 'x', 'cocci', 'absent'),
               series.StepResult('c', 'x', 'cocci', 'applied'),
               series.StepResult('d', 'x', 'cocci', 'applied')]
    assert series._design(m, results) == 'A (patch 1):\nta\n\nB (patches 2-3):'


def test_empty_overlay_removes_the_definition_and_a_blank_line(fixture_tree, tmp_path):
    from generator import manifest, steps
    empty = tmp_path / 'empty.c'
    empty.write_text('/* overlay: removes the definition */\n')
    (fixture_tree / 'drivers/iommu/iommu.c').write_text(
        'int a;\n\n/* doc of f */\nint f(void)\n{\n\treturn 0;\n}\nEXPORT_SYMBOL(f);\n\nint b;\n')
    step = manifest.Step('rm', 's', 'b', 'overlay', 'ready', (), '', (), (manifest.Action(
        'overlay', {'overlay': str(empty), 'file': 'drivers/iommu/iommu.c',
                    'replace': 'function:f'}),), ())
    steps.apply(step, fixture_tree)
    assert (fixture_tree / 'drivers/iommu/iommu.c').read_text() == 'int a;\n\nint b;\n'


def _manifest_with(tmp_path, old, new):
    text = MANIFEST.read_text()
    assert old in text
    path = tmp_path / 'manifest.toml'
    path.write_text(text.replace(old, new))
    return path


TOY_STEP = '[[step]]\nid = "toy"\n'
TOY_PROBE = 'requires = ["drivers/iommu/toy.c"]\ncovers = ["drivers/iommu/toy.c"]\n'
TOY_OLD_SHAPE = '''[[step]]
id = "toy-old-shape"
subject = "iommu/toy: the same for a tree where toy.c looks different"
body = "Selected by its content probe, not by a version."
produced_by = "cocci"
requires_match = { file = "drivers/iommu/toy.c", regex = '^\\s+return iova \\| 0x8' }
absent_reason = "toy.c adds its base, it does not or it in"
covers = ["drivers/iommu/toy.c"]

[[step.apply]]
cocci = "tests/fixtures/series/toy_errors.cocci"
files = ["drivers/iommu/toy.c"]

'''


def test_requires_match_probe_picks_the_step_that_fits_the_tree(fixture_tree, tmp_path):
    # toy-old-shape comes first and covers toy.c too, but its probe fails
    # on this tree: it is absent, saying why, and toy converts toy.c.
    # toy gets a probe of its own, in the list form, that this tree passes.
    manifest = _manifest_with(tmp_path, TOY_STEP, TOY_OLD_SHAPE + TOY_STEP)
    text = manifest.read_text().replace(TOY_PROBE, TOY_PROBE + (
        "requires_match = [{ file = 'drivers/iommu/toy.c', regex = '^\\s+return iova \\+ 0x8' }]\n"))
    manifest.write_text(text)
    summary = series.generate(_options(fixture_tree, tmp_path, manifest=manifest), log=_quiet)
    steps = {s['id']: s for s in summary['steps']}
    assert steps['toy-old-shape']['status'] == 'absent'
    assert steps['toy-old-shape']['reason'] == (
        "toy.c adds its base, it does not or it in (drivers/iommu/toy.c matching "
        "/^\\s+return iova \\| 0x8/ missing)")
    assert steps['toy']['status'] == 'applied'
    assert steps['toy']['covers'] == ['drivers/iommu/toy.c:toy_iova_to_phys']
    where = {e['function']: e['handled_by'] for e in summary['inventory']}
    assert where['toy_iova_to_phys'] == 'toy'


def test_entry_only_an_absent_step_covers_stops_generation(fixture_tree, tmp_path):
    manifest = _manifest_with(tmp_path, TOY_PROBE, TOY_PROBE + 'requires_match = '
                              "{ file = \"drivers/iommu/toy.c\", regex = 'no_such_code' }\n")
    with pytest.raises(Failure, match=r'step toy: the tree lacks drivers/iommu/toy.c matching '
                                      r'/no_such_code/ yet has drivers/iommu/toy.c:'
                                      r'toy_iova_to_phys for it to convert'):
        series.generate(_options(fixture_tree, tmp_path, manifest=manifest), log=_quiet)


def test_requires_match_is_checked_when_loading(tmp_path):
    from generator import manifest
    for probe, message in (("{ file = 'a.c' }", 'needs exactly file and regex'),
                           ("{ file = 'a.c', regex = '(' }", 'requires_match regex')):
        path = _manifest_with(tmp_path, TOY_PROBE, TOY_PROBE + f'requires_match = {probe}\n')
        with pytest.raises(Failure, match=message):
            manifest.load(path)


def test_probes_read_the_tree_before_the_series(fixture_tree, tmp_path):
    # "after-toy" probes for what step toy writes: the base tree lacks it,
    # so the step is absent although toy.c has it by the time it would run.
    after = ('\n[[step]]\nid = "after-toy"\nsubject = "iommu/toy: x"\nbody = "b"\n'
             'produced_by = "cocci"\nrequires_match = { file = "drivers/iommu/toy.c", '
             "regex = 'PHYS_ADDR_MAX' }\nabsent_reason = \"not in the base tree\"\n\n"
             '[[step.apply]]\ncocci = "tests/fixtures/series/toy_errors.cocci"\n'
             'files = ["drivers/iommu/toy.c"]\n')
    manifest = tmp_path / 'manifest.toml'
    manifest.write_text(MANIFEST.read_text() + after)
    summary = series.generate(_options(fixture_tree, tmp_path, manifest=manifest), log=_quiet)
    steps = {s['id']: s for s in summary['steps']}
    assert steps['toy']['status'] == 'applied'
    assert 'PHYS_ADDR_MAX' in (tmp_path / 'work/drivers/iommu/toy.c').read_text()
    assert steps['after-toy']['status'] == 'absent'
    assert steps['after-toy']['reason'].startswith('not in the base tree (drivers/iommu/toy.c')


def test_design_group_items_follow_the_steps_applied():
    from generator import manifest
    groups = ({'first': 'a', 'title': 'A', 'text': '- always',
               'item': [{'when': ['b'], 'text': '- only with b\n'},
                        {'when': ['x', 'c'], 'text': '- with x or c'}]},)
    m = manifest.Manifest('s', 't', MANIFEST, '1', (), (), {}, groups)
    results = [series.StepResult('a', 'x', 'cocci', 'applied'),
               series.StepResult('b', 'x', 'cocci', 'absent'),
               series.StepResult('c', 'x', 'cocci', 'applied')]
    assert series._design(m, results) == 'A (patches 1-2):\n- always\n- with x or c'
    results[1].status = 'applied'
    assert series._design(m, results) == 'A (patches 1-3):\n- always\n- only with b\n- with x or c'


def _bare_identity_repo(tmp_path, monkeypatch):
    """A git tree on a machine with no git identity (a fresh root)."""
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    monkeypatch.setenv('GIT_CONFIG_NOSYSTEM', '1')
    for var in ('GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME',
                'GIT_COMMITTER_EMAIL', 'EMAIL'):
        monkeypatch.delenv(var, raising=False)
    tree = tmp_path / 'tree'
    subprocess.run(['git', 'init', '-q', str(tree)], check=True)
    return tree


def test_author_without_identity_is_a_placeholder_said_out_loud(tmp_path, monkeypatch):
    tree = _bare_identity_repo(tmp_path, monkeypatch)
    said = []
    assert series.author_of(tree, None, said.append) == series.PLACEHOLDER_AUTHOR
    assert len(said) == 1 and 'AUTHOR=' in said[0] and 'before posting' in said[0]


def test_author_from_git_config_and_from_override(tmp_path, monkeypatch):
    tree = _bare_identity_repo(tmp_path, monkeypatch)
    subprocess.run(['git', '-C', str(tree), 'config', 'user.name', 'A Dev'], check=True)
    subprocess.run(['git', '-C', str(tree), 'config', 'user.email', 'a@dev.org'], check=True)
    said = []
    assert series.author_of(tree, None, said.append) == ('A Dev', 'a@dev.org')
    assert series.author_of(tree, 'B Dev <b@dev.org>', said.append) == ('B Dev', 'b@dev.org')
    assert said == []
    with pytest.raises(Failure):
        series.author_of(tree, 'no email here', said.append)
