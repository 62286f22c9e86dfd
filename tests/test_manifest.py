"""generator/manifest.py: the real manifest loads; bad ones fail clearly."""

import pytest

from generator import manifest
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
