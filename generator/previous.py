"""The previous version of the series (PREV=): a series directory or a branch.

A directory's series.json names each step's id, commit and patch file; the
patch files give each one's Message-Id and the tags its commit message
carries.  A branch gives its commits (matched to steps by subject) and, if
b4 tracks it, the change-id and the Message-Ids b4 sent it under.
"""

from __future__ import annotations

import dataclasses
import email
import email.policy
import json
import pathlib
import re

from generator import seriesfile, trailers
from generator.errors import Failure
from generator.kernel_tree import git


@dataclasses.dataclass
class Patch:
    number: int                 # n of [PATCH vN n/m]
    step: str                   # step id ('' when PREV is a branch)
    subject: str
    commit: str
    message: str                # the commit message
    message_id: str = ''
    tags: list = dataclasses.field(default_factory=list)   # review tags it carries


@dataclasses.dataclass
class Previous:
    label: str                  # "v1", or the branch name
    version: int
    base: str
    tip: str
    patches: list[Patch]
    cover_title: str = ''
    message_id: str = ''        # of its cover letter
    change_id: str = ''
    history: dict = dataclasses.field(default_factory=dict)   # "vN" -> [Message-Id of its cover]
    patch_dir: pathlib.Path | None = None

    def known_ids(self) -> dict[str, str]:
        ids = {p.message_id: self.key(p) for p in self.patches if p.message_id}
        if self.message_id:
            ids[self.message_id] = trailers.COVER
        return ids

    def subjects(self) -> dict[str, str]:
        return {p.subject: self.key(p) for p in self.patches}

    @staticmethod
    def key(p: Patch) -> str:
        return p.step or f'#{p.number}'


def _headers(path: pathlib.Path) -> tuple[email.message.Message, str]:
    text = path.read_text(errors='replace')
    msg = email.message_from_string(text, policy=email.policy.default)
    return msg, text


def _message_of_patch(text: str) -> str:
    """The commit message of a format-patch file: subject and body up to ---."""
    head, _, body = text.partition('\n\n')
    subject = re.search(r'^Subject: (.*(?:\n[ \t].*)*)', head, re.M)
    subject = ' '.join(subject.group(1).split()) if subject else ''
    subject = trailers.clean_subject(subject)[0]
    message = body.split('\n---\n', 1)[0]
    return f'{subject}\n\n{message.strip()}\n'


def _from_dir(path: pathlib.Path, repo: pathlib.Path) -> Previous:
    try:
        data = seriesfile.load(path)
    except seriesfile.Unreadable as err:
        raise Failure(f'PREV={path}: {err}') from None
    base = data.kernel.base_commit
    patches = []
    for s in data.applied():
        number = len(patches) + 1
        patch_file = path / s.patch
        if not s.patch or not patch_file.is_file():
            raise Failure(f'PREV={path}: step {s.id}: patch {s.patch!r} is missing')
        msg, text = _headers(patch_file)
        message = _message_of_patch(text)
        patches.append(Patch(number, s.id, s.subject, s.commit, message,
                             trailers._msgid(msg.get('Message-Id')),
                             trailers.in_message(message)))
    covers = sorted(path.glob('v*-0000-cover-letter.patch'))
    title, cover_id = '', ''
    if covers:
        msg, _ = _headers(covers[0])
        title = trailers.clean_subject(str(msg.get('Subject', '')))[0]
        cover_id = trailers._msgid(msg.get('Message-Id'))
    b4 = data.b4 or {}
    version = int(data.version)
    history = {k: list(v) for k, v in b4.get('history', {}).items()}
    cover_id = b4.get('message_id') or cover_id
    if cover_id:
        history.setdefault(f'v{version}', [cover_id])
    tip = patches[-1].commit if patches else base
    if patches and not all(_exists(repo, p.commit) for p in patches):
        tip = ''        # the commits are gone: ci.check's range-diff applies the patches
    return Previous(f'v{version}', version, base, tip, patches, title, cover_id,
                    b4.get('change_id', ''), history, path)


def _exists(repo: pathlib.Path, rev: str) -> bool:
    return bool(rev) and bool(git(repo, 'rev-parse', '--verify', '-q', f'{rev}^{{commit}}',
                                  check=False))


def _from_branch(ref: str, repo: pathlib.Path) -> Previous:
    tip = git(repo, 'rev-parse', '--verify', '-q', f'{ref}^{{commit}}', check=False)
    if not tip:
        raise Failure(f'PREV={ref}: neither a series directory nor a branch or commit of {repo}')
    base = git(repo, 'merge-base', tip, 'HEAD', check=False)
    if not base:
        raise Failure(f'PREV={ref}: has no common ancestor with {repo} HEAD')
    commits = git(repo, 'rev-list', '--reverse', f'{base}..{tip}').split()
    patches = []
    for n, c in enumerate(commits, 1):
        message = git(repo, 'log', '-1', '--format=%B', c) + '\n'
        patches.append(Patch(n, '', message.split('\n', 1)[0], c, message, '',
                             trailers.in_message(message)))
    raw = git(repo, 'config', '--get', f'branch.{ref}.b4-tracking', check=False)
    try:
        tracking = json.loads(raw).get('series', {}) if raw else {}
    except ValueError:
        tracking = {}
    description = git(repo, 'config', '--get', f'branch.{ref}.description', check=False)
    m = re.search(r'v(\d+)$', ref)
    version = int(m.group(1)) if m else int(tracking.get('revision', 1))
    history = {k: list(v) for k, v in tracking.get('history', {}).items()}
    cover_id = history.get(f'v{version}', [''])[-1]
    return Previous(ref, version, base, tip, patches, description.split('\n', 1)[0],
                    cover_id, tracking.get('change-id', ''), history)


def load(spec: str, repo: pathlib.Path) -> Previous:
    path = pathlib.Path(spec).expanduser()
    if (path / seriesfile.NAME).is_file():
        return _from_dir(path.resolve(), repo)
    if path.is_dir():
        raise Failure(f'PREV={spec}: a directory without series.json')
    return _from_branch(spec, repo)


def match(prev: Previous, steps: list[tuple[str, str]]) -> dict[str, Patch]:
    """New step id -> its vN patch: by step id, then by subject; each vN patch once."""
    by_id = {p.step: p for p in prev.patches if p.step}
    by_subject = {p.subject: p for p in prev.patches}
    result = {}
    for index, by in ((by_id, 0), (by_subject, 1)):
        for step in steps:
            p = index.get(step[by])
            if step[0] not in result and p is not None and p not in result.values():
                result[step[0]] = p
    return result
