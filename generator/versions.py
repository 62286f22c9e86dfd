"""vN+1 from vN: carry the review tags, and the facts for "Changes in vN+1".

After the steps are committed, range-diff the new commits against PREV
(ci/check/rangediff.py, the one make check uses), give each step the tags of
its vN patch (matched by step id, then by subject) and those the THREAD
added, and rewrite the commit messages with them.  A patch whose code
changed loses the tags that vouch for the code it had (Reviewed-by,
Acked-by, Tested-by: Documentation/process/submitting-patches.rst) unless
keep_changed; who reported or suggested it, and whom to Cc, stay true.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pathlib
import subprocess

from ci.check import gitrepo, rangediff
from generator import changes, previous, trailers
from generator.errors import Failure
from generator.kernel_tree import git

VOUCHING = ('Tested-by', 'Reviewed-by', 'Acked-by')


@dataclasses.dataclass
class Carried:
    prev: previous.Previous
    label: str                              # "v1" or the branch name
    entries: list[changes.Entry]
    tags: dict[str, list[trailers.Trailer]]   # step id -> its tags in this version
    unmatched: list[str]                    # subjects of replies with tags no patch matched
    prev_range: tuple[str, str] = ('', '')
    cover_tags: list = dataclasses.field(default_factory=list)   # given on the cover letter


def plan(spec: str, thread: pathlib.Path | None, keep_changed: bool, work: pathlib.Path,
         base: str, applied: list, author_email: str, version: int, log=print) -> Carried:
    """applied: the StepResults committed, in order (id, subject, commit)."""
    prev = previous.load(spec, work)
    if prev.version >= version:
        raise Failure(f'PREV={spec} is v{prev.version}: the new version must be higher '
                      f'(V={version})')
    tip = applied[-1].commit if applied else base
    with contextlib.ExitStack() as stack:
        try:
            old_base, old_tip, label = rangediff.previous_range(work, spec, stack, tip)
            text = rangediff.range_diff(work, (old_base, old_tip), (base, tip))
        except gitrepo.GitError as err:
            raise Failure(f'PREV={spec}: {str(err).splitlines()[0]}') from err
    pairs = {p.new: p for p in changes.parse(text) if p.new is not None}
    review = trailers.Thread({})
    if thread:
        review = trailers.read_thread(thread, prev.known_ids(), prev.subjects(),
                                      prev.cover_title, author_email)
        log(f'thread: {review.replies} replies, tags on '
            f'{sum(1 for k in review.tags if k != trailers.COVER)} patches'
            f'{" and the cover letter" if trailers.COVER in review.tags else ""}'
            + (f'; {len(review.unmatched)} replies with tags match no patch: '
               + '; '.join(review.unmatched) if review.unmatched else ''))
    matched = previous.match(prev, [(r.id, r.subject) for r in applied])
    cover_tags = review.tags.get(trailers.COVER, [])
    entries, tags = [], {}
    for number, r in enumerate(applied, 1):
        p = matched.get(r.id)
        if p is None:
            entries.append(changes.Entry(number, r.subject, 'new'))
            tags[r.id] = []
            continue
        pair = pairs.get(number)
        status = changes.status(pair) if pair and pair.old == p.number else 'code changed'
        every = trailers.merge(p.tags, review.tags.get(prev.key(p), []), cover_tags)
        vouching_lost = status == 'code changed' and not keep_changed
        dropped = [t for t in every if vouching_lost and t.name in VOUCHING]
        kept = [t for t in every if t not in dropped]
        old_keys = {t.key() for t in p.tags}
        entries.append(changes.Entry(number, r.subject, status, p.number, kept, dropped,
                                     [t for t in kept if t.key() not in old_keys]))
        tags[r.id] = kept
    used = {p.number for p in matched.values()}
    for p in prev.patches:
        if p.number not in used:
            entries.append(changes.Entry(None, p.subject, 'dropped', p.number))
    return Carried(prev, label, entries, tags, review.unmatched, (old_base, old_tip), cover_tags)


def rewrite(work: pathlib.Path, base: str, applied: list, tags: dict, author: str) -> None:
    """Put each step's tags into its commit message; the trees stay as they are.

    Author, committer and their dates are those of the commit rewritten, so
    the new ids depend only on the content.  The work tree's branch is moved
    to the new tip; its files do not change.
    """
    if not any(tags.get(r.id) for r in applied):
        return
    parent = base
    for r in applied:
        fields = git(work, 'log', '-1', '--format=%an%x00%ae%x00%ad%x00%cn%x00%ce%x00%cd',
                     '--date=raw', r.commit).split('\x00')
        message = git(work, 'log', '-1', '--format=%B', r.commit) + '\n'
        message = trailers.apply(message, tags.get(r.id, []), author)
        env = dict(os.environ, GIT_AUTHOR_NAME=fields[0], GIT_AUTHOR_EMAIL=fields[1],
                   GIT_AUTHOR_DATE=fields[2], GIT_COMMITTER_NAME=fields[3],
                   GIT_COMMITTER_EMAIL=fields[4], GIT_COMMITTER_DATE=fields[5])
        proc = subprocess.run(['git', '-C', str(work), 'commit-tree', f'{r.commit}^{{tree}}',
                               '-p', parent, '-F', '-'], capture_output=True, text=True,
                              env=env, input=message)
        if proc.returncode != 0:
            raise Failure(f'git commit-tree failed in {work}: {proc.stderr.strip()[-200:]}')
        parent = r.commit = proc.stdout.strip()
    git(work, 'reset', '-q', '--soft', parent)


def file_name(carried: Carried, version: int) -> str:
    return f'range-diff-{carried.label.replace("/", "_")}-v{version}.txt'


def changes_text(carried: Carried, manifest_text: str, version: int) -> str:
    total = sum(1 for e in carried.entries if e.number is not None)
    return changes.render(carried.entries, total, carried.label, manifest_text,
                          file_name(carried, version), carried.prev.history, carried.cover_tags)


def save(carried: Carried, work: pathlib.Path, base: str, applied: list, out: pathlib.Path,
         version: int) -> pathlib.Path:
    """Write range-diff-vN-vN+1.txt, of the final commits (tags included), beside the patches."""
    tip = applied[-1].commit if applied else base
    path = out / file_name(carried, version)
    path.write_text(rangediff.range_diff(work, carried.prev_range, (base, tip)))
    return path


def summary(carried: Carried, version: int) -> dict:
    """What series.json records of the previous version and of the tags."""
    return {
        'previous': carried.label,
        'range_diff': file_name(carried, version),
        'history': carried.prev.history,
        'patches': [{'number': e.number, 'was': e.was, 'subject': e.subject, 'status': e.status,
                     'tags': [str(t) for t in e.carried],
                     'tags_dropped': [str(t) for t in e.dropped]} for e in carried.entries],
        'thread_unmatched': carried.unmatched,
    }
