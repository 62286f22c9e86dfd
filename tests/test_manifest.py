"""generator/manifest.py: the real manifest loads; bad ones fail clearly."""

import dataclasses
import importlib.util
import subprocess

import pytest

from generator import manifest, spatch
from generator.errors import Failure


def _write(tmp_path, text):
    path = tmp_path / 'm.toml'
    path.write_text('[series]\nname = "s"\n' + text)
    return path


def test_real_manifest_loads_and_is_ordered():
    m = manifest.load()
    ids = [s.id for s in m.steps]
    # Only the leading fixes, backportable alone, come before the core.
    assert [i for i in ids if not i.startswith('fix-')][0] == 'core'
    assert ids.index('core') == sum(i.startswith('fix-') for i in ids)
    assert len(ids) == len(set(ids))
    for step in m.steps:
        if step.status == 'ready':
            assert step.body and step.actions, step.id


def test_ready_step_needs_actions_and_body(tmp_path):
    path = _write(tmp_path, '[[step]]\nid = "a"\nsubject = "x: y"\nproduced_by = "cocci"\n')
    with pytest.raises(Failure, match='step a is ready but has no apply actions'):
        manifest.load(path)


def test_action_kinds_are_checked(tmp_path):
    path = _write(tmp_path, '[[step]]\nid = "a"\nsubject = "x: y"\nproduced_by = "overlay"\n'
                  'body = "b"\n[[step.apply]]\noverlay = "README.md"\nfile = "f.c"\n')
    with pytest.raises(Failure, match='overlay needs one of after/before/replace'):
        manifest.load(path)
    path = _write(tmp_path, '[[step]]\nid = "a"\nsubject = "x: y"\nproduced_by = "cocci"\n'
                  'body = "b"\n[[step.apply]]\ncocci = "no/such.cocci"\nfiles = []\n')
    with pytest.raises(Failure, match='no/such.cocci does not exist'):
        manifest.load(path)


def test_covers_patterns():
    step = manifest.Step('a', 's', 'b', 'cocci', 'ready', (), '', ('drivers/x/*.c:foo_*',), (), ())
    assert step.covers_entry('drivers/x/y.c', 'foo_bar')
    assert not step.covers_entry('drivers/x/y.c', 'bar')
    assert not step.covers_entry('drivers/z/y.c', 'foo_bar')


# The manifest as it was before driver steps became `driver = {...}` steps
# (the last commit of series.toml written out in full, with main's loader).
# The refactor must expand to the same steps, field by field and in order.
# When a step changes on purpose, this pin goes with it: point it at the
# commit before the change, or drop the test once the table has settled.
BEFORE_DRIVER_TABLE = 'd13e25967bc1790a738b0cf6d92cd892cd45bf7a'


def _at_commit(path: str) -> str | None:
    proc = subprocess.run(['git', '-C', str(manifest.REPO), 'show',
                           f'{BEFORE_DRIVER_TABLE}:{path}'], capture_output=True, text=True)
    return proc.stdout if proc.returncode == 0 else None


def _plain(value):
    """A manifest as plain data, dict key order kept (spatch sees defines in order)."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return [(k, _plain(v)) for k, v in value.items()]
    return value


def test_expanded_manifest_equals_the_one_written_out_in_full(tmp_path):
    old_loader, old_toml = (_at_commit('generator/manifest.py'),
                            _at_commit('generator/series.toml'))
    if old_loader is None or old_toml is None:
        pytest.skip(f'commit {BEFORE_DRIVER_TABLE[:12]} is not in this checkout')
    (tmp_path / 'old_manifest.py').write_text(old_loader)
    (tmp_path / 'series.toml').write_text(old_toml)
    spec = importlib.util.spec_from_file_location('old_manifest', tmp_path / 'old_manifest.py')
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    old.REPO = manifest.REPO        # its rule paths are this checkout's files
    before, after = old.load(tmp_path / 'series.toml'), manifest.load()
    assert [s.id for s in after.steps] == [s.id for s in before.steps]
    for old_step, new_step in zip(before.steps, after.steps):
        for action in old_step.actions:
            if action.kind == 'cocci':
                # Its options moved to the rule's header, the same for every use.
                used = action.spec.pop('options', ['--no-includes', '--include-headers'])
                assert spatch.options(manifest.REPO / action.spec['cocci']) == tuple(used)
        assert _plain(new_step) == _plain(old_step), new_step.id
    rest = [f.name for f in dataclasses.fields(before) if f.name != 'steps']
    assert {n: _plain(getattr(after, n)) for n in rest} == \
        {n: _plain(getattr(before, n)) for n in rest}


DRIVER_STEP = ('[[step]]\nid = "d"\nsubject = "iommu/d: x"\nbody = "b"\nproduced_by = "template"\n'
               'driver = { file = "drivers/iommu/d.c", function = "d_iova_to_phys" }\n')


def test_driver_step_implies_file_fn_common_rule_and_the_old_op_check(tmp_path):
    path = _write(tmp_path, DRIVER_STEP + '[[step.apply]]\ncocci = "templates/leaf.cocci"\n'
                  'define = { leaves = "*=SZ_4K" }\n'
                  '[[step.apply]]\nedit = "e"\nwithin = "function:d_iova_to_phys_length"\n'
                  'replace_line = "x"\ntext = "y"\n')
    step = manifest.load(path).step('d')
    assert [(a.kind, a.spec) for a in step.actions] == [
        ('cocci', {'cocci': 'templates/leaf.cocci', 'files': ['drivers/iommu/d.c'],
                   'define': {'fn': 'd_iova_to_phys', 'leaves': '*=SZ_4K'}}),
        ('cocci', {'cocci': manifest.COMMON, 'files': ['drivers/iommu/d.c'],
                   'define': {'fn': 'd_iova_to_phys'}}),
        ('edit', {'edit': 'e', 'file': 'drivers/iommu/d.c',
                  'within': 'function:d_iova_to_phys_length', 'replace_line': 'x', 'text': 'y'})]
    assert step.requires == step.covers == ('drivers/iommu/d.c',)
    assert step.checks == ({'files': ['drivers/iommu/d.c'], 'absent': r'\.iova_to_phys\s*=',
                            'present': r'\.iova_to_phys_length\s*=\s*d_iova_to_phys_length,'},)


def test_driver_step_lists_the_common_rule_only_for_its_own_defines(tmp_path):
    path = _write(tmp_path, DRIVER_STEP + 'apply = [{ cocci = "templates/flat.cocci" }, '
                  '{ cocci = "templates/common.cocci", define = { init_in_macro = "M" } }]\n'
                  'covers = ["drivers/iommu/d.c:d_iova_to_phys"]\n')
    step = manifest.load(path).step('d')
    assert [a.spec['cocci'] for a in step.actions] == ['templates/flat.cocci', manifest.COMMON]
    assert step.actions[1].spec['define'] == {'fn': 'd_iova_to_phys', 'init_in_macro': 'M'}
    assert step.covers == ('drivers/iommu/d.c:d_iova_to_phys',)


@pytest.mark.parametrize('action, implied', [
    ('{ cocci = "templates/flat.cocci", files = ["drivers/iommu/d.c"] }', 'files'),
    ('{ cocci = "templates/flat.cocci", define = { fn = "d_iova_to_phys" } }', 'define.fn')])
def test_driver_step_refuses_what_it_implies(tmp_path, action, implied):
    path = _write(tmp_path, DRIVER_STEP + f'apply = [{action}]\n')
    with pytest.raises(Failure, match=f'step d: a driver step implies {implied}; leave it out'):
        manifest.load(path)


def test_driver_needs_file_and_function(tmp_path):
    path = _write(tmp_path, DRIVER_STEP.replace(', function = "d_iova_to_phys"', '')
                  + 'apply = [{ cocci = "templates/flat.cocci" }]\n')
    with pytest.raises(Failure, match='step d: driver needs exactly file and function'):
        manifest.load(path)
