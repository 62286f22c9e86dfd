"""generator/noticed.py: the cover letter's "Noticed, not fixed here"."""

import pathlib

import pytest

from generator import manifest, noticed, series
from generator.errors import Failure

REPO = pathlib.Path(__file__).resolve().parent.parent
MANIFEST = REPO / 'tests/fixtures/series/manifest.toml'
AUTHOR = 'Test Author <author@example.org>'
NOTICED = '''
[[noticed]]
file = "drivers/iommu/toy.c"
function = "toy_iova_to_phys"
text = """
reads past its table for an IOVA at or above 4G, which the conversion
keeps as it is, since nothing in the tree passes one."""

[[noticed]]
file = "drivers/iommu/gone.c"
function = "gone_lookup"
text = "a driver this tree does not have"
'''


def _manifest(tmp_path, extra=NOTICED):
    path = tmp_path / 'manifest.toml'
    path.write_text(MANIFEST.read_text() + extra)
    return path


def test_section_lists_the_entries_of_files_the_tree_has(fixture_tree, tmp_path):
    m = manifest.load(_manifest(tmp_path))
    text = noticed.section(m, fixture_tree)
    assert text == (
        'Noticed, not fixed here\n'
        '=======================\n'
        '- drivers/iommu/toy.c, toy_iova_to_phys(): reads past its table for an\n'
        '  IOVA at or above 4G, which the conversion keeps as it is, since\n'
        '  nothing in the tree passes one.\n\n')
    assert 'gone' not in text


def test_no_entry_no_section(fixture_tree, tmp_path):
    assert noticed.section(manifest.load(MANIFEST), fixture_tree) == ''


def test_the_cover_letter_has_the_section_after_the_design(fixture_tree, tmp_path):
    opts = series.Options(tree=fixture_tree, source='fixture', version=1, out=tmp_path / 'out',
                          work=tmp_path / 'work', author=AUTHOR, user_tree=True,
                          manifest=_manifest(tmp_path))
    series.generate(opts, log=lambda *_: None)
    cover = next((tmp_path / 'out').glob('v1-0000-*.patch')).read_text()
    design = cover.index('Drivers (patch 2):')
    section = cover.index('Noticed, not fixed here\n=======================\n- drivers/iommu/toy.c')
    assert design < section < cover.index('This version was generated')


def test_an_entry_needs_file_function_and_text(tmp_path):
    with pytest.raises(Failure, match=r'\[\[noticed\]\] entry needs file, function and text'):
        manifest.load(_manifest(tmp_path, '\n[[noticed]]\nfile = "a.c"\nfunction = "f"\n'))


def test_the_real_manifest_notices_what_issue_17_found():
    files = {n.file for n in manifest.load().noticed}
    assert {'drivers/iommu/msm_iommu.c', 'drivers/iommu/exynos-iommu.c',
            'drivers/iommu/mtk_iommu_v1.c'} <= files
