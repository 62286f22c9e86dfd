"""A user's own steps: LOCAL=path/to/steps.toml (--local).

A maintainer rebasing the series may convert a new caller their own way, or
keep it on purpose, without forking this project: the file holds [[step]]
and [[kept]] entries written as in generator/series.toml and validated the
same way.  Each step also names, with `before = "<step id>"`, the step of
the manifest (or an earlier local one) it goes before.  Paths of its cocci
and overlay actions are relative to the local file.  Local [[kept]] entries
are consulted before the manifest's.
"""

import dataclasses
import pathlib
import tomllib

from generator import manifest as manifest_mod
from generator.errors import Failure
from generator.manifest import Manifest

KNOWN = {'step', 'kept'}


def _resolve(raw: dict, base: pathlib.Path) -> dict:
    """The step with its rule and overlay paths made absolute from base."""
    raw = dict(raw)
    actions = []
    for action in raw.get('apply', []):
        action = dict(action)
        for key in ('cocci', 'overlay'):
            if key in action and not pathlib.Path(action[key]).is_absolute():
                action[key] = str((base / action[key]).resolve())
        actions.append(action)
    raw['apply'] = actions
    return raw


def merge(manifest: Manifest, path: pathlib.Path) -> Manifest:
    """manifest with the steps and kept entries of the local file at path."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise Failure(f'local steps {path}: {err}') from err
    unknown = set(data) - KNOWN
    if unknown:
        raise Failure(f'local steps {path}: unknown tables {sorted(unknown)}, '
                      'expected [[step]] and [[kept]]')
    plan = list(manifest.steps)
    for raw in data.get('step', []):
        raw = dict(raw)
        before = raw.pop('before', None)
        step_id = raw.get('id', '?')
        if not before:
            raise Failure(f'local steps {path}: step {step_id} needs before = "<step id>"')
        step = manifest_mod._step(_resolve(raw, path.parent))
        ids = [s.id for s in plan]
        if step.id in ids:
            raise Failure(f'local steps {path}: step id {step.id} is already in the manifest')
        if before not in ids:
            raise Failure(f'local steps {path}: step {step.id}: before = "{before}" '
                          'names no step of the manifest')
        plan.insert(ids.index(before), step)
    kept = []
    for raw in data.get('kept', []):
        entry = manifest_mod.Kept(tuple(raw.get('covers', ())), raw.get('reason', ''))
        if not entry.covers or not entry.reason or set(raw) - {'covers', 'reason'}:
            raise Failure(f'local steps {path}: a [[kept]] entry needs covers and a reason '
                          f'and nothing else: {raw}')
        kept.append(entry)
    return dataclasses.replace(manifest, steps=tuple(plan), kept=tuple(kept) + manifest.kept)
