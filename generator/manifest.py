"""The series manifest, generator/series.toml: one ordered list of steps.

A driver step names its driver once, `driver = { file, function }`, and
lists only the rules that make that function report the length; the
loader writes out what every driver step shares (see _driver_step).
"""

import dataclasses
import fnmatch
import pathlib
import re
import tomllib

from generator.errors import Failure

REPO = pathlib.Path(__file__).resolve().parent.parent
DEFAULT = REPO / 'generator' / 'series.toml'

PRODUCERS = ('cocci', 'template', 'overlay')
# The last rule of every driver conversion (templates/README.md).
COMMON = 'templates/common.cocci'
# Where an overlay or edit goes: each takes exactly one of its kind's keys.
PLACES = {'overlay': ('after', 'before', 'replace'),
          'edit': ('after_line', 'before_line', 'replace_line')}
ACTION_KEYS = {
    'cocci': {'cocci', 'files', 'define', 'expect'},     # options: the rule's header
    'overlay': {'overlay', 'file', *PLACES['overlay'], 'expect'},
    'edit': {'edit', 'file', 'within', *PLACES['edit'], 'text', 'expect'},
}


@dataclasses.dataclass(frozen=True)
class Action:
    kind: str                 # cocci | overlay | edit
    spec: dict

    def describe(self) -> str:
        return self.spec.get(self.kind, '')


@dataclasses.dataclass(frozen=True)
class Step:
    id: str
    subject: str
    body: str
    produced_by: str
    status: str
    requires: tuple[str, ...]
    absent_reason: str
    covers: tuple[str, ...]
    actions: tuple[Action, ...]
    checks: tuple[dict, ...]
    # Content probes: {file, regex} pairs; each file must exist and match
    # for the step to apply, as each path of requires must exist.
    requires_match: tuple[dict, ...] = ()
    # {file, added} pairs: the bug the step fixes came with the line
    # "added" of file (generator/fixes.py finds the commit for Fixes:).
    fixes: tuple[dict, ...] = ()

    def covers_entry(self, file: str, function: str) -> bool:
        return _matches(self.covers, file, function)


@dataclasses.dataclass(frozen=True)
class Kept:
    covers: tuple[str, ...]
    reason: str


@dataclasses.dataclass(frozen=True)
class Noticed:
    """A bug next to the series that it does not fix (cover letter)."""
    file: str
    function: str
    text: str


@dataclasses.dataclass(frozen=True)
class Manifest:
    name: str
    title: str
    cover: pathlib.Path
    spatch_min: str
    steps: tuple[Step, ...]
    kept: tuple[Kept, ...]
    changes: dict[int, str]     # "Changes in vN" text per version
    groups: tuple[dict, ...] = ()   # cover letter: {first, title, text}, in order
    new_drivers_before: str = ''    # step id that steps for unknown drivers go before
    prefixes: tuple[str, ...] = ()  # extra subject prefixes (RFC ...): format-patch and b4
    noticed: tuple[Noticed, ...] = ()

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


def _matches(patterns, file: str, function: str) -> bool:
    for pattern in patterns:
        pfile, _, pfunc = pattern.partition(':')
        if fnmatch.fnmatchcase(file, pfile) and (not pfunc or fnmatch.fnmatchcase(function, pfunc)):
            return True
    return False


def kept_reason(manifest: Manifest, file: str, function: str) -> str | None:
    for kept in manifest.kept:
        if _matches(kept.covers, file, function):
            return kept.reason
    return None


def _action(step_id: str, raw: dict) -> Action:
    kinds = [k for k in ACTION_KEYS if k in raw]
    if len(kinds) != 1:
        raise Failure(f'manifest: step {step_id}: an action needs exactly one of '
                      f'{", ".join(ACTION_KEYS)}, got {sorted(raw)}')
    kind = kinds[0]
    unknown = set(raw) - ACTION_KEYS[kind]
    if unknown:
        raise Failure(f'manifest: step {step_id}: unknown {kind} keys {sorted(unknown)}')
    if kind in PLACES and sum(k in raw for k in PLACES[kind]) != 1:
        raise Failure(f'manifest: step {step_id}: {kind} needs one of {"/".join(PLACES[kind])}')
    if kind != 'edit' and not (REPO / raw[kind]).is_file():
        raise Failure(f'manifest: step {step_id}: {raw[kind]} does not exist')
    return Action(kind, dict(raw))


def _requires_match(step_id: str, raw) -> tuple[dict, ...]:
    """requires_match = { file, regex } or a list of them."""
    probes = [raw] if isinstance(raw, dict) else list(raw)
    for probe in probes:
        if not isinstance(probe, dict) or set(probe) != {'file', 'regex'}:
            raise Failure(f'manifest: step {step_id}: requires_match needs exactly '
                          f'file and regex, got {probe!r}')
        try:
            re.compile(probe['regex'])
        except re.error as err:
            raise Failure(f'manifest: step {step_id}: requires_match regex '
                          f'{probe["regex"]!r}: {err}') from err
    return tuple(probes)


def _fixes(step_id: str, raw) -> tuple[dict, ...]:
    for fix in raw:
        if not isinstance(fix, dict) or set(fix) != {'file', 'added'} or not all(fix.values()):
            raise Failure(f'manifest: step {step_id}: fixes needs exactly file and added, '
                          f'got {fix!r}')
    return tuple(raw)


def _noticed(raw: dict) -> Noticed:
    if set(raw) != {'file', 'function', 'text'} or not all(raw.values()):
        raise Failure(f'manifest: a [[noticed]] entry needs file, function and text: {raw}')
    return Noticed(raw['file'], raw['function'], raw['text'].strip())


def _driver_step(raw: dict) -> dict:
    """A `driver = { file, function }` step written out in full: each rule runs
    on the file with -D fn=function, templates/common.cocci follows the last
    rule (unless the step lists it, to give it defines of its own), an edit
    edits the file, the step requires and covers the file, and its first check
    is that the old op is gone and the new one registered."""
    step_id, driver = raw.get('id'), raw['driver']
    if not isinstance(driver, dict) or set(driver) != {'file', 'function'} \
            or not all(driver.values()):
        raise Failure(f'manifest: step {step_id}: driver needs exactly file and function, '
                      f'got {driver!r}')
    file, fn = driver['file'], driver['function']
    apply = []
    for action in raw.get('apply', []):
        implied = sorted({'files', 'file'} & set(action))
        if 'fn' in action.get('define', {}):
            implied.append('define.fn')
        if implied:
            raise Failure(f'manifest: step {step_id}: a driver step implies '
                          f'{", ".join(implied)}; leave it out')
        if 'cocci' in action:
            action = {'cocci': action['cocci'], 'files': [file],
                      'define': {'fn': fn, **action.get('define', {})},
                      **{k: v for k, v in action.items() if k not in ('cocci', 'define')}}
        elif 'edit' in action:
            action = {'edit': action['edit'], 'file': file,
                      **{k: v for k, v in action.items() if k != 'edit'}}
        apply.append(action)
    if not any(action.get('cocci') == COMMON for action in apply):
        after_rules = 1 + max((i for i, a in enumerate(apply) if 'cocci' in a), default=-1)
        apply.insert(after_rules, {'cocci': COMMON, 'files': [file], 'define': {'fn': fn}})
    old_op_gone = {'files': [file], 'absent': r'\.iova_to_phys\s*=',
                   'present': rf'\.iova_to_phys_length\s*=\s*{fn}_length,'}
    written = {k: v for k, v in raw.items() if k != 'driver'}
    written.update(apply=apply, check=[old_op_gone, *raw.get('check', ())])
    written.setdefault('requires', [file])
    written.setdefault('covers', [file])
    return written


def _step(raw: dict) -> Step:
    if 'driver' in raw:
        raw = _driver_step(raw)
    step_id = raw.get('id')
    for key in ('id', 'subject'):
        if not raw.get(key):
            raise Failure(f'manifest: a step lacks {key!r} ({step_id or raw})')
    status = raw.get('status', 'ready')
    if status not in ('ready', 'pending'):
        raise Failure(f'manifest: step {step_id}: status must be ready or pending')
    produced_by = raw.get('produced_by', '')
    if produced_by not in PRODUCERS:
        raise Failure(f'manifest: step {step_id}: produced_by must be one of {PRODUCERS}')
    actions = tuple(_action(step_id, a) for a in raw.get('apply', []))
    if status == 'ready' and not actions:
        raise Failure(f'manifest: step {step_id} is ready but has no apply actions')
    if status == 'ready' and not raw.get('body', '').strip():
        raise Failure(f'manifest: step {step_id} is ready but has no commit message body')
    return Step(step_id, raw['subject'], raw.get('body', '').strip('\n'), produced_by, status,
                tuple(raw.get('requires', ())), raw.get('absent_reason', ''),
                tuple(raw.get('covers', ())), actions, tuple(raw.get('check', ())),
                _requires_match(step_id, raw.get('requires_match', ())),
                _fixes(step_id, raw.get('fixes', ())))


def load(path: pathlib.Path = DEFAULT) -> Manifest:
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise Failure(f'manifest {path}: {err}') from err
    series = data.get('series', {})
    steps = tuple(_step(s) for s in data.get('step', []))
    seen = set()
    for step in steps:
        if step.id in seen:
            raise Failure(f'manifest: duplicate step id {step.id}')
        seen.add(step.id)
    kept = tuple(Kept(tuple(k.get('covers', ())), k.get('reason', ''))
                 for k in data.get('kept', []))
    for k in kept:
        if not k.covers or not k.reason:
            raise Failure(f'manifest: a [[kept]] entry needs covers and a reason: {k}')
    return Manifest(series.get('name', 'series'), series.get('title', ''),
                    REPO / series.get('cover', 'generator/cover-letter.txt'),
                    series.get('spatch_min', '1.1.1'), steps, kept,
                    {int(k.lstrip('v')): v.strip('\n')
                     for k, v in series.get('changes', {}).items()},
                    tuple(series.get('group', ())), series.get('new_drivers_before', ''),
                    tuple(series.get('prefixes', ())),
                    tuple(_noticed(n) for n in data.get('noticed', [])))
