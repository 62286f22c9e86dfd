"""Generate the series: inventory, steps, commits, format-patch, summary."""

import dataclasses
import fnmatch
import os
import pathlib
import re
import shutil
import time

from generator import (b4prep, fixes, inventory, kernel_tree, manifest as manifest_mod,
                       new_callers, new_drivers, noticed, spatch, stamp, steps, versions)
from generator import outdir, runlock, seriesfile
from generator.errors import Failure
from generator.kernel_tree import git
from generator.manifest import Manifest, Step
from generator.seriesfile import Step as StepResult


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
    strict: bool = False        # a new caller no rule converts stops generation
    local: pathlib.Path | None = None   # the user's own steps (generator/local_steps.py)
    prev: str | None = None     # the previous version: series dir or branch (PREV=)
    thread: pathlib.Path | None = None   # its review thread, an mbox (THREAD=)
    keep_trailers: str = ''     # 'changed': a patch whose code changed keeps its tags


# Who signs the patches off when neither AUTHOR= nor git config names anyone
# (a fresh machine): the series is still made, and the log says to regenerate
# with a real identity before posting.
PLACEHOLDER_AUTHOR = ('Unnamed Author', 'unnamed-author@example.invalid')


def author_of(tree: pathlib.Path, override: str | None, log=print) -> tuple[str, str]:
    if override:
        m = re.fullmatch(r'\s*(.+?)\s*<([^<>@\s]+@[^<>\s]+)>\s*', override)
        if not m:
            raise Failure(f'AUTHOR={override!r}: expected "Name <email>"')
        return m.group(1), m.group(2)
    name = git(tree, 'config', 'user.name', check=False)
    email = git(tree, 'config', 'user.email', check=False)
    if not name or not email:
        log(f'author: no git user.name/user.email and no AUTHOR=: signed off by '
            f'"{PLACEHOLDER_AUTHOR[0]} <{PLACEHOLDER_AUTHOR[1]}>"; '
            f'regenerate with AUTHOR="Name <email>" before posting')
        return PLACEHOLDER_AUTHOR
    return name, email


def map_inventory(entries: list[inventory.Entry], manifest: Manifest,
                  absent: dict[str, list[str]]) -> tuple[dict, list]:
    """entry -> ('step', id) or ('kept', reason); and the entries nothing covers.

    absent maps the id of a step the tree lacks to what it lacks: such a
    step converts nothing here, so an entry goes to the first step that
    covers it and applies (one tree has the LPAE selftests in their own
    file, another inside io-pgtable-arm.c).  An entry that only absent
    steps cover stops generation: a probe is then wrong.
    """
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
            trailers: list[str], date: str) -> str:
    name, email = who
    tags = ''.join(f'{t}\n' for t in trailers)
    message = f'{step.subject}\n\n{step.body.strip()}\n\n{tags}Signed-off-by: {name} <{email}>\n'
    # The date: the same input gives the same commit ids (generator/stamp.py).
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_AUTHOR_DATE=date,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email, GIT_COMMITTER_DATE=date)
    git(work, 'add', '-f', '-A', '--', *files)
    git(work, 'commit', '-q', '--no-verify', '-F', '-', env=env, input=message)
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
            sections.append((group['title'],
                             '\n'.join(t.strip('\n') for t in texts if t.strip('\n')), []))
            opening = None
        sections[-1][2].append(number)
    blocks = []
    for title, text, numbers in sections:
        span = (f'patch {numbers[0]}' if len(numbers) == 1
                else f'patches {numbers[0]}-{numbers[-1]}')
        blocks.append('\n'.join(filter(None, [f'{title} ({span}):', text])))
    return '\n\n'.join(blocks)


def _cover(manifest: Manifest, opts: Options, release: str, results: list[StepResult],
           carried: versions.Carried | None = None, unconverted: list | None = None) -> str:
    template = manifest.cover.read_text()
    changes = manifest.changes.get(opts.version, '')
    if carried:
        changes = versions.changes_text(carried, changes, opts.version)
    if changes:
        heading = f'Changes in v{opts.version}'
        changes = f'{heading}\n{"=" * len(heading)}\n{changes}\n\n'
    design = '\n\n'.join(filter(None, [_design(manifest, results),
                                        new_callers.cover_section(unconverted or [])]))
    return template.format(design=design, changes=changes,
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
                  who: tuple[str, str], prefixes: tuple[str, ...], date: str) -> list[str]:
    """The patches of base..HEAD, written into out (a new, empty staging directory)."""
    # The cover letter is from the committer: the series' author too.
    env = dict(os.environ, GIT_COMMITTER_NAME=who[0], GIT_COMMITTER_EMAIL=who[1],
               GIT_COMMITTER_DATE=date)
    names = git(work, 'format-patch', '--cover-letter', f'--base={base}', f'-v{version}',
                f'--subject-prefix={" ".join(("PATCH",) + tuple(prefixes))}',
                # b4's cover letter is the branch description: not git's blurb.
                '--cover-from-description=none',
                '--thread', '-o', str(out), f'{base}..HEAD', env=env)
    return [pathlib.Path(n).name for n in names.splitlines()]


@dataclasses.dataclass
class Setup:
    """What generation reads before the first step: the tree, its work tree and names."""
    manifest: Manifest
    spatch_version: str
    who: tuple[str, str]
    release: str
    branch: str
    out: pathlib.Path
    base: str
    when: int                   # the commit dates' epoch (generator/stamp.py)
    started: float

    def elapsed(self) -> str:
        return f'[{time.monotonic() - self.started:.0f} s]'


@dataclasses.dataclass
class Plan:
    """The steps to take on this tree and what of its inventory each converts."""
    entries: list[inventory.Entry]
    mapping: dict               # entry -> ('step', id) or ('kept', reason)
    steps: list[Step]
    probes: dict[str, list[str]]    # ready step id -> what the tree lacks for it
    unconverted: list


def generate(opts: Options, log=print) -> dict:
    setup = _set_up(opts, time.monotonic(), log)
    plan = _plan(opts, setup, log)
    results = _apply(opts, setup, plan, log)
    summary = _publish(opts, setup, plan, results, log)
    log(f'series: {len(summary.applied())} patches + cover letter in {setup.out} '
        f'({sum(r.status == "pending" for r in results)} steps pending, '
        f'{sum(r.status == "absent" for r in results)} absent) in {summary.seconds} s')
    return seriesfile.as_dict(summary)


def _set_up(opts: Options, started: float, log) -> Setup:
    manifest = manifest_mod.load(opts.manifest)
    if opts.local:
        from generator import local_steps
        manifest = local_steps.merge(manifest, opts.local)
    spatch_version = spatch.require(manifest.spatch_min)
    tree = opts.tree
    kernel_tree.check_kernel(tree)
    kernel_tree.check_git(tree)
    if opts.user_tree:
        kernel_tree.check_clean(tree)
    kernel_tree.check_not_converted(tree)
    who = author_of(tree, opts.author, log)
    if opts.thread and not opts.prev:
        raise Failure('THREAD= is the review thread of the previous version: give PREV= too')
    release = kernel_tree.kernelrelease(tree)
    branch = opts.branch or f'{manifest.name}/v{opts.version}'
    out = opts.out or (spatch.REPO / 'out' / release / f'v{opts.version}')
    outdir.check(out, tree, opts.work)
    outdir.clear_stale(out)
    runlock.clear_stale_git_locks(tree, opts.work, branch)
    base = kernel_tree.make_worktree(tree, branch, opts.work)
    setup = Setup(manifest, spatch_version, who, release, branch, out, base,
                  stamp.epoch(opts.work, base), started)
    log(f'work tree: {opts.work} (branch {branch}, base {base[:12]}) {setup.elapsed()}')
    return setup


def _plan(opts: Options, setup: Setup, log) -> Plan:
    manifest = setup.manifest
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
        f'{setup.elapsed()}')
    plan = Plan(entries, mapping, list(manifest.steps), probes, [])
    if uncovered:
        for e in uncovered:
            log(f'  not covered: {e.file}:{e.line}: {e.kind} {e.function}')
        callers = [e for e in uncovered if e.kind == 'wrapper-call']
        added = new_drivers.plan(opts.work, [e for e in uncovered if e not in callers], log)
        caller_steps, plan.unconverted = new_callers.plan(opts.work, callers, opts.strict, log)
        added += caller_steps
        at = next((i for i, s in enumerate(plan.steps) if s.id == manifest.new_drivers_before),
                  len(plan.steps))
        plan.steps[at:at] = added
        kept = {(u.file, u.line): u.why for u in plan.unconverted}
        for entry in uncovered:
            owner = next((s for s in added if s.covers_entry(entry.file, entry.function)), None)
            mapping[entry] = (('step', owner.id) if owner
                              else ('kept', kept[(entry.file, entry.line)]))
    return plan


def _apply(opts: Options, setup: Setup, plan: Plan, log) -> list[StepResult]:
    """Each step in order: pending, absent (the tree lacks what it needs) or a commit."""
    results = []
    for step in plan.steps:
        covers = sorted({e.key() for e, v in plan.mapping.items() if v == ('step', step.id)})
        result = StepResult(step.id, step.subject, step.produced_by, 'pending', covers=covers)
        results.append(result)
        if step.status == 'pending':
            result.reason = 'not implemented yet'
            log(f'  pending  {step.id}')
            continue
        missing = (plan.probes[step.id] if step.id in plan.probes
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
        result.commit = _commit(opts.work, step, result.files, setup.who,
                                fixes.tags(opts.work, setup.base, step, log),
                                stamp.git_date(setup.when, 1 + sum(r.status == 'applied'
                                                                   for r in results)))
        result.status = 'applied'
        log(f'  applied  {step.id}: {len(result.files)} files {setup.elapsed()}')
    return results


def _publish(opts: Options, setup: Setup, plan: Plan, results: list[StepResult],
             log) -> seriesfile.Summary:
    """The review tags of PREV carried over, then in OUT the patches, the range-diff
    against PREV, b4's data and series.json."""
    manifest, base, who = setup.manifest, setup.base, setup.who
    applied = [r for r in results if r.status == 'applied']
    carried = None
    if opts.prev:
        carried = versions.plan(opts.prev, opts.thread, opts.keep_trailers == 'changed',
                                opts.work, base, applied, who[1], opts.version, log)
        versions.rewrite(opts.work, base, applied, carried.tags, f'{who[0]} <{who[1]}>')
    stage = outdir.staging(setup.out)
    try:
        patches, b4 = [], None
        if applied:
            patches = _format_patch(opts.work, base, stage, opts.version, who,
                                    manifest.prefixes, stamp.git_date(setup.when))
            blurb = _cover(manifest, opts, setup.release, results, carried, plan.unconverted)
            _fill_cover_letter(stage / patches[0], manifest.title, blurb)
            for result, patch in zip(applied, patches[1:]):
                result.patch = patch
        if carried:
            versions.save(carried, opts.work, base, applied, stage, opts.version)
        if patches:
            b4 = b4prep.prepare(opts.tree, opts.work, setup.branch, manifest.name, stage,
                                patches, manifest.title, blurb, opts.version, base, who,
                                list(manifest.prefixes), carried, setup.when, log)
        review = versions.summary(carried, opts.version) if carried else None
        summary = _summary(opts, setup, plan, results, review, b4)
        seriesfile.store(stage, summary)
        outdir.publish(stage, setup.out, lambda old: _replaced(old.name, opts.version))
    finally:
        shutil.rmtree(stage, ignore_errors=True)     # gone if published
    return summary


def _replaced(name: str, version: int) -> bool:
    """Does a file of an old OUT describe the commits a new series replaces?

    What make check, boot and bench wrote does: a report that outlives
    those commits would vouch for other ones."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in
               (f'v{version}-*.patch', seriesfile.NAME, *STALE_RESULTS))


def _summary(opts: Options, setup: Setup, plan: Plan, results: list[StepResult],
             review: dict | None, b4: dict | None) -> seriesfile.Summary:
    mapping = plan.mapping
    return seriesfile.Summary(
        series=setup.manifest.name, version=opts.version,
        kernel=seriesfile.Kernel(setup.release, str(opts.tree), opts.source, setup.base),
        branch=setup.branch, worktree=str(opts.work), out=str(setup.out),
        spatch=setup.spatch_version, steps=results,
        inventory=[dict(e.as_dict(), handled_by=mapping[e][1] if mapping[e][0] == 'step'
                        else None, kept=mapping[e][1] if mapping[e][0] == 'kept' else None)
                   for e in plan.entries],
        unconverted=[u.as_dict() for u in plan.unconverted],
        seconds=round(time.monotonic() - setup.started, 1), review=review, b4=b4)
