"""generator/local_steps.py: LOCAL=steps.toml adds the user's [[step]] and
[[kept]] entries, validated as the manifest's, each step placed by before."""

import json
import pathlib
import re
import subprocess

import pytest

import kernel_fixture
from generator import local_steps, manifest, series
from generator.errors import Failure

REPO = pathlib.Path(__file__).resolve().parent.parent
LOCAL = REPO / 'tests/fixtures/local/steps.toml'
MANIFEST = REPO / 'tests/fixtures/series/manifest.toml'
UNSEEN = REPO / 'tests/fixtures/unseen'
AUTHOR = 'Test Author <author@example.org>'


def _tree(tmp_path):
    files = dict(kernel_fixture.FILES)
    files['drivers/misc/other_callers.c'] = (UNSEEN / 'other_callers.c').read_text()
    return kernel_fixture.write_tree(tmp_path / 'linux', files)


def test_local_steps_are_placed_and_applied(tmp_path):
    lines = []
    summary = series.generate(series.Options(
        tree=_tree(tmp_path), source='fixture', version=1, out=tmp_path / 'out',
        work=tmp_path / 'work', author=AUTHOR, user_tree=True, manifest=MANIFEST,
        local=LOCAL), log=lines.append)
    assert [s['id'] for s in summary['steps']][:3] == ['core', 'mine', 'toy']
    subjects = kernel_fixture.git(tmp_path / 'work', 'log', '--reverse', '--format=%s',
                                  'main..HEAD').splitlines()
    assert subjects[1] == 'misc/other: test a mapping as a boolean'
    text = (tmp_path / 'work/drivers/misc/other_callers.c').read_text()
    assert 'return !!iommu_iova_to_phys(domain, iova);' in text
    data = json.loads((tmp_path / 'out/series.json').read_text())
    assert data['unconverted'] == []
    kept = {e['function']: e['kept'] for e in data['inventory'] if e['kept']}
    assert kept['other_unmap_walk'] == 'unmaps as it goes; converted by hand next cycle'
    assert not [line for line in lines if line.startswith('kept: ')]


def _local(tmp_path, text):
    path = tmp_path / 'steps.toml'
    path.write_text(text)
    (tmp_path / 'x.cocci').write_text('@@\n@@\n- foo();\n')
    return path


STEP = '''[[step]]
id = "{id}"
{before}
subject = "x: y"
body = "z"
produced_by = "cocci"
[[step.apply]]
cocci = "{cocci}"
files = ["a.c"]
'''


@pytest.mark.parametrize('text, error', [
    (STEP.format(id='a', before='', cocci='x.cocci'), r'step a needs before = "<step id>"'),
    (STEP.format(id='a', before='before = "nope"', cocci='x.cocci'),
     r'before = "nope" names no step'),
    (STEP.format(id='toy', before='before = "core"', cocci='x.cocci'),
     r'step id toy is already in the manifest'),
    (STEP.format(id='a', before='before = "core"', cocci='missing.cocci'),
     r'missing.cocci does not exist'),
    ('[[kept]]\ncovers = ["a.c"]\n', r'a \[\[kept\]\] entry needs covers and a reason'),
    ('[[stpe]]\nid = "a"\n', r"unknown tables \['stpe'\]"),
    ('[[step]\n', r'local steps .*steps.toml: '),
])
def test_bad_local_files_are_one_line_errors(tmp_path, text, error):
    with pytest.raises(Failure, match=error) as err:
        local_steps.merge(manifest.load(MANIFEST), _local(tmp_path, text))
    assert '\n' not in str(err.value)


def test_a_local_rule_path_is_relative_to_the_local_file(tmp_path):
    merged = local_steps.merge(manifest.load(MANIFEST), _local(
        tmp_path, STEP.format(id='a', before='before = "core"', cocci='x.cocci')))
    assert [s.id for s in merged.steps][:2] == ['a', 'core']
    assert merged.step('a').actions[0].spec['cocci'] == str((tmp_path / 'x.cocci').resolve())


def test_make_local_passes_the_file():
    out = subprocess.run(['make', '-n', 'series', 'LOCAL=my steps.toml', 'KERNEL=/x'],
                         cwd=REPO, capture_output=True, text=True).stdout
    assert re.search(r'--local "my steps.toml"', out)
