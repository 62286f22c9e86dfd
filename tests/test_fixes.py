"""generator/fixes.py: Fixes: tags from the tree's history, or none."""

import pathlib

import kernel_fixture
from generator import fixes, manifest, series

REPO = pathlib.Path(__file__).resolve().parent.parent
MANIFEST = REPO / 'tests/fixtures/series/manifest.toml'
AUTHOR = 'Test Author <author@example.org>'
BAD_LINE = 'if (iova >= 0x1000)'


def _step(added=BAD_LINE, file='drivers/iommu/toy.c'):
    return manifest.Step('toy-fix', 'iommu/toy: fix', 'body', 'cocci', 'ready', (), '', (),
                         (), (), fixes=({'file': file, 'added': added},))


def _with_history(tree):
    """tree with the bad line added by a commit of its own, then another."""
    toy = tree / 'drivers/iommu/toy.c'
    text = toy.read_text()
    toy.write_text(text.replace(f'\t{BAD_LINE}\n\t\treturn 0;\n', ''))
    kernel_fixture.git(tree, 'commit', '-q', '-am', 'iommu/toy: a lookup without limits')
    toy.write_text(text)
    kernel_fixture.git(tree, 'commit', '-q', '-am', 'iommu/toy: limit the lookup to 4K')
    (tree / 'README').write_text('later\n')
    kernel_fixture.git(tree, 'add', 'README')
    kernel_fixture.git(tree, 'commit', '-q', '-m', 'later work')
    return kernel_fixture.git(tree, 'rev-parse', 'HEAD~1')


def test_a_tree_without_history_gets_no_tag(fixture_tree):
    said = []
    base = kernel_fixture.git(fixture_tree, 'rev-parse', 'HEAD')
    assert fixes.tags(fixture_tree, base, _step(), said.append) == []
    assert said == ['  fixes    toy-fix: the tree has no history, so no Fixes: tag']


def test_the_commit_that_added_the_line_is_named(fixture_tree):
    added_by = _with_history(fixture_tree)
    base = kernel_fixture.git(fixture_tree, 'rev-parse', 'HEAD')
    assert fixes.tags(fixture_tree, base, _step(), print) == [
        f'Fixes: {added_by[:12]} ("iommu/toy: limit the lookup to 4K")']


def test_a_line_no_commit_added_gives_no_tag(fixture_tree):
    _with_history(fixture_tree)
    said = []
    base = kernel_fixture.git(fixture_tree, 'rev-parse', 'HEAD')
    assert fixes.tags(fixture_tree, base, _step(added='never written'), said.append) == []
    assert 'no commit before the base adds "never written"' in said[0]


def test_the_tag_goes_above_the_sign_off(fixture_tree, tmp_path):
    added_by = _with_history(fixture_tree)
    text = MANIFEST.read_text().replace(
        'covers = ["drivers/iommu/toy.c"]\n',
        'covers = ["drivers/iommu/toy.c"]\n'
        f'fixes = [{{ file = "drivers/iommu/toy.c", added = "{BAD_LINE}" }}]\n', 1)
    custom = tmp_path / 'manifest.toml'
    custom.write_text(text)
    opts = series.Options(tree=fixture_tree, source='fixture', version=1, out=tmp_path / 'out',
                          work=tmp_path / 'work', author=AUTHOR, user_tree=True,
                          manifest=custom)
    series.generate(opts, log=lambda *_: None)
    body = kernel_fixture.git(tmp_path / 'work', 'log', '-1', '--format=%b', 'HEAD')
    assert body.endswith(f'\n\nFixes: {added_by[:12]} ("iommu/toy: limit the lookup to 4K")\n'
                         'Signed-off-by: Test Author <author@example.org>')


def test_fixes_entries_are_checked(tmp_path):
    import pytest
    from generator.errors import Failure
    bad = tmp_path / 'bad.toml'
    bad.write_text(MANIFEST.read_text().replace(
        'covers = ["drivers/iommu/toy.c"]\n',
        'covers = ["drivers/iommu/toy.c"]\nfixes = [{ file = "drivers/iommu/toy.c" }]\n', 1))
    with pytest.raises(Failure, match='fixes needs exactly file and added'):
        manifest.load(bad)


def test_the_real_fix_steps_check_that_the_line_is_gone():
    """A step's fixes line must be one the step removes, or its Fixes: tag
    would name a commit the patch does not undo: each has a check whose
    absent regex matches that line, on the file the line is in."""
    import re
    with_fixes = [s for s in manifest.load().steps if s.fixes]
    assert with_fixes
    for step in with_fixes:
        for fix in step.fixes:
            assert any(fix['file'] in check.get('files', ()) and
                       re.search(check.get('absent', '(?!)'), fix['added'])
                       for check in step.checks), step.id
