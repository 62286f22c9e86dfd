"""Generate the series: inventory, steps, commits, format-patch, summary."""

import dataclasses
import fnmatch
import json
import os
import pathlib
import re
import shutil
import tempfile
import time

from generator import (fixes, inventory, kernel_tree, manifest as manifest_mod, new_drivers,
                       noticed, spatch, steps)
from generator import outdir, runlock
from generator.errors import Failure
from generator.kernel_tree import git
from generator.manifest import Manifest, Step


@dataclasses.dataclass
class Options:
    tree: pathlib.Path          # the tree to read (user's git tree or cached Debian tree)
    source: str                 # how we got it, for series.json
    version: int
    out: pathlib.Path | None
    work: pathlib.Path          # where the work tree goes
    author: str | None          # "Name <email>", else the tree's git config
    user_tree: bool             # True: refuse a dirty tree
    manifest: pathlib.Path = manifest_mod.DEFAULT
    branch: str | None = None   # default <series name>/v<version>


@dataclasses.dataclass
class StepResult:
    id: str
    subject: str
    produced_by: str
    status: str                 # applied | pending | absent
    files: list[str] = dataclasses.field(default_factory=list)
    commit: str = ''
    patch: str = ''
    reason: str = ''
    covers: list[str] = dataclasses.field(default_factory=list)


def author_of(tree: pathlib.Path, override: str | None) -> tuple[str, str]:
    if override:
        m = re.fullmatch(r'\s*(.+?)\s*<([^<>@\s]+@[^<>\s]+)>\s*', override)
        if not m:
            raise Failure(f'AUTHOR={override!r}: expected "Name <email>"')
        return m.group(1), m.group(2)
    name = git(tree, 'config', 'user.name', check=False)
    email = git(tree, 'config', 'user.email', check=False)
    if not name or not email:
        raise Failure('no author: set git config user.name and user.email, '
                      'or pass AUTHOR="Name <email>"')
    return name, email


def map_inventory(entries: list[inventory.Entry], manifest: Manifest,
                  absent: dict[str, list[str]] | None = None) -> tuple[dict, list]:
    """entry -> ('step', id) or ('kept', reason); and the entries nothing covers.

    absent maps the id of a step the tree lacks to what it lacks: such a
    step converts nothing here, so an entry goes to the first step that
    covers it and applies (one tree has the LPAE selftests in their own
    file, another inside io-pgtable-arm.c).  An entry that only absent
    steps cover stops generation: a probe is then wrong.
    """
    absent = absent or {}
    mapping, uncovered = {}, []
    for entry in entries:
        covering = [s for s in manifest.steps if s.covers_entry(entry.file, entry.function)]
        owner = next((s for s in covering if s.id not in absent), None)
        if covering and not owner:
            raise Failure(f'step {covering[0].id}: the tree lacks {absent[covering[0].id][0]} '
                          f'yet has {entry.key()} for it to convert')
        if owner:
            mapping[entry] = ('step', owner.id)
            continue
        reason = manifest_mod.kept_reason(manifest, entry.file, entry.function)
        if reason:
            mapping[entry] = ('kept', reason)
        else:
            uncovered.append(entry)
    return mapping, uncovered


def _commit(work: pathlib.Path, step: Step, files: list[str], who: tuple[str, str],
            trailers: list[str] = ()) -> str:
    name, email = who
    tags = ''.join(f'{t}\n' for t in trailers)
    message = f'{step.subject}\n\n{step.body.strip()}\n\n{tags}Signed-off-by: {name} <{email}>\n'
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    git(work, 'add', '-f', '-A', '--', *files)
    with tempfile.NamedTemporaryFile('w', suffix='.msg', delete=False) as f:
        f.write(message)
    try:
        git(work, 'commit', '-q', '--no-verify', '-F', f.name, env=env)
    finally:
        os.unlink(f.name)
    return git(work, 'rev-parse', 'HEAD')


def _design(manifest: Manifest, results: list[StepResult]) -> str:
    """Per group of steps: its title with patch numbers and its text.

    A group starts at its "first" step, or at the next applied one when
    that step is absent or pending on this tree.  Its text is followed by
    the text of each of its items one of whose "when" steps is applied.
    """
    starts = {g['first']: g for g in manifest.groups}
    applied = {r.id for r in results if r.status == 'applied'}
    sections, opening, number = [], None, 0
    for r in results:
        opening = starts.get(r.id, opening)
        if r.status != 'applied':
            continue
        number += 1
        if opening or not sections:
            group = opening or {'title': 'Steps'}
            # An item of the group describes steps only some trees get.
            texts = [group.get('text', '')] + [item['text'] for item in group.get('item', ())
                                               if applied & set(item.get('when', ()))]
            sections.append({'title': group['title'],
                             'text': '\n'.join(t.strip('\n') for t in texts if t.strip('\n')),
                             'first': number, 'last': number})
            opening = None
        sections[-1]['last'] = number
    blocks = []
    for sec in sections:
        span = (f'patch {sec["first"]}' if sec['first'] == sec['last']
                else f'patches {sec["first"]}-{sec["last"]}')
        blocks.append('\n'.join(filter(None, [f'{sec["title"]} ({span}):', sec['text']])))
    return '\n\n'.join(blocks)


def _cover(manifest: Manifest, opts: Options, release: str, results: list[StepResult]) -> str:
    template = manifest.cover.read_text()
    changes = manifest.changes.get(opts.version, '')
    if changes:
        heading = f'Changes in v{opts.version}'
        changes = f'{heading}\n{"=" * len(heading)}\n{changes}\n\n'
    return template.format(design=_design(manifest, results), changes=changes,
                           noticed=noticed.section(manifest, opts.work),
                           kernelrelease=release)


def _fill_cover_letter(path: pathlib.Path, title: str, blurb: str) -> None:
    text = path.read_text()
    if '*** SUBJECT HERE ***' not in text or '*** BLURB HERE ***' not in text:
        raise Failure(f'{path.name}: git format-patch wrote an unexpected cover letter')
    text = text.replace('*** SUBJECT HERE ***', title).replace('*** BLURB HERE ***', blurb.strip())
    path.write_text(text)


# The results the other targets write into a series directory.
STALE_RESULTS = ('report.md', 'report.html', 'check.json', 'logs', 'boot', 'bench',
                 'range-diff-*.txt')


def _format_patch(work: pathlib.Path, base: str, out: pathlib.Path, version: int,
                  who: tuple[str, str]) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob(f'v{version}-*.patch')) + [out / 'series.json']:
        old.unlink(missing_ok=True)
    # What make check, boot and bench wrote describes the commits this run
    # replaces: a report that outlives them would vouch for other commits.
    for path in [p for pattern in STALE_RESULTS for p in out.glob(pattern)]:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    # The cover letter is from the committer: the series' author too.
    env = dict(os.environ, GIT_COMMITTER_NAME=who[0], GIT_COMMITTER_EMAIL=who[1])
    names = git(work, 'format-patch', '--cover-letter', f'--base={base}', f'-v{version}',
                '--thread', '-o', str(out), f'{base}..HEAD', env=env)
    return [pathlib.Path(n).name for n in names.splitlines()]


def generate(opts: Options, log=print) -> dict:
    started = time.monotonic()
    manifest = manifest_mod.load(opts.manifest)
    spatch_version = spatch.require(manifest.spatch_min)
    tree = opts.tree
    kernel_tree.check_kernel(tree)
    kernel_tree.check_git(tree)
    if opts.user_tree:
        kernel_tree.check_clean(tree)
    kernel_tree.check_not_converted(tree)
    who = author_of(tree, opts.author)
    release = kernel_tree.kernelrelease(tree)
    branch = opts.branch or f'{manifest.name}/v{opts.version}'
    out = opts.out or (spatch.REPO / 'out' / release / f'v{opts.version}')
    outdir.check(out, tree, opts.work)
    outdir.clear_stale(out)
    runlock.clear_stale_git_locks(tree, opts.work, branch)
    base = kernel_tree.make_worktree(tree, branch, opts.work)
    log(f'work tree: {opts.work} (branch {branch}, base {base[:12]}) '
        f'[{time.monotonic() - started:.0f} s]')

    entries = inventory.take(opts.work)
    # Probes read the tree as it was before the series: what a step finds
    # depends on the release, not on what earlier steps changed.
    probes = {s.id: steps.missing_requirements(s, opts.work) for s in manifest.steps
              if s.status == 'ready'}
    absent = {step_id: missing for step_id, missing in probes.items() if missing}
    mapping, uncovered = map_inventory(entries, manifest, absent)
    log(f'inventory: {len(entries)} entries, '
        f'{sum(1 for v in mapping.values() if v[0] == "step")} converted by steps, '
        f'{sum(1 for v in mapping.values() if v[0] == "kept")} kept on purpose '
        f'[{time.monotonic() - started:.0f} s]')
    plan = list(manifest.steps)
    if uncovered:
        for e in uncovered:
            log(f'  not covered: {e.file}:{e.line}: {e.kind} {e.function}')
        added = new_drivers.plan(opts.work, uncovered, log)
        at = next((i for i, s in enumerate(plan) if s.id == manifest.new_drivers_before),
                  len(plan))
        plan[at:at] = added
        for entry in uncovered:
            owner = next(s for s in added if s.covers_entry(entry.file, entry.function))
            mapping[entry] = ('step', owner.id)

    results = []
    for step in plan:
        covers = sorted({e.key() for e, v in mapping.items() if v == ('step', step.id)})
        result = StepResult(step.id, step.subject, step.produced_by, 'pending', covers=covers)
        results.append(result)
        if step.status == 'pending':
            result.reason = 'not implemented yet'
            log(f'  pending  {step.id}')
            continue
        missing = (probes[step.id] if step.id in probes
                   else steps.missing_requirements(step, opts.work))
        if missing:
            if covers:
                raise Failure(f'step {step.id}: the tree lacks {missing[0]} yet has '
                              f'{covers[0]} for it to convert')
            result.status, result.reason = 'absent', f'{step.absent_reason} ({missing[0]} missing)'
            log(f'  absent   {step.id}: {result.reason}')
            continue
        result.files = steps.apply(step, opts.work)
        problems = steps.run_checks(step, opts.work)
        if problems:
            raise Failure(problems[0])
        result.commit = _commit(opts.work, step, result.files, who,
                                fixes.tags(opts.work, base, step, log))
        result.status = 'applied'
        log(f'  applied  {step.id}: {len(result.files)} files [{time.monotonic() - started:.0f} s]')

    applied = [r for r in results if r.status == 'applied']
    stage = outdir.staging(out)
    try:
        _write_out(stage, opts, manifest, release, base, who, results, applied)
        summary = _summary(manifest, opts, tree, release, base, branch, out, spatch_version,
                           results, entries, mapping, started)
        (stage / 'series.json').write_text(json.dumps(summary, indent=1) + '\n')
        outdir.publish(stage, out, lambda old: _replaced(old.name, opts.version))
    finally:
        outdir.discard(stage)
    log(f'series: {len(applied)} patches + cover letter in {out} '
        f'({sum(r.status == "pending" for r in results)} steps pending, '
        f'{sum(r.status == "absent" for r in results)} absent) in {summary["seconds"]} s')
    return summary


def _replaced(name: str, version: int) -> bool:
    """Does a file of an old OUT describe the commits a new series replaces?"""
    return any(fnmatch.fnmatch(name, pattern) for pattern in
               (f'v{version}-*.patch', 'series.json', *STALE_RESULTS))


def _write_out(out, opts, manifest, release, base, who, results, applied) -> None:
    if applied:
        patches = _format_patch(opts.work, base, out, opts.version, who)
        _fill_cover_letter(out / patches[0], manifest.title,
                           _cover(manifest, opts, release, results))
        for result, patch in zip(applied, patches[1:]):
            result.patch = patch


def _summary(manifest, opts, tree, release, base, branch, out, spatch_version, results,
             entries, mapping, started) -> dict:
    return {
        'series': manifest.name,
        'version': opts.version,
        'kernel': {'release': release, 'tree': str(tree), 'source': opts.source,
                   'base_commit': base},
        'branch': branch,
        'worktree': str(opts.work),
        'out': str(out),
        'spatch': spatch_version,
        'steps': [dataclasses.asdict(r) for r in results],
        'inventory': [dict(e.as_dict(), handled_by=mapping[e][1] if mapping[e][0] == 'step'
                           else None, kept=mapping[e][1] if mapping[e][0] == 'kept' else None)
                      for e in entries],
        'seconds': round(time.monotonic() - started, 1),
    }
