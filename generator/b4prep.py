"""Make the series branch one `b4 prep` manages, as b4 0.12 stores a prepared branch.

b4 0.12 (b4/ez.py) keeps a prepared branch's cover letter in one of three
places; this uses "branch-description", the one that adds no commit to the
series (make check and git am see exactly the patches):

  branch.<b>.b4-prep-cover-strategy = branch-description
  branch.<b>.description            = cover subject, blank line, cover body,
                                      then To:/Cc: trailers (b4 send's recipients)
  branch.<b>.b4-tracking            = {"series": {"revision", "change-id",
                                       "base-branch", "prefixes", "history"}}

b4 finds the series' first commit as `git merge-base --fork-point
<base-branch>`, so base-branch is a branch (with a reflog) at the base.
`b4 prep --compare-to vN` range-diffs against the annotated tag
sent/<branch>-vN, whose message must name base-commit: and change-id:;
b4 writes that tag when it sends vN.  The generator writes it for PREV, so
the comparison works for a vN sent any way.

To/Cc per patch come from the tree's scripts/get_maintainer.pl, the same
split make check makes (ci/check/recipients.py): in each patch's headers,
and their union in the cover letter and in b4's cover trailers.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import pathlib
import re

from ci.check import recipients
from generator.errors import Failure
from generator.kernel_tree import git

SENT_TAG_PREFIX = 'sent/'       # b4/ez.py SENT_TAG_PREFIX


def new_change_id(name: str, author_email: str, base: str, when: int) -> str:
    """b4's change-id shape, YYYYMMDD-<slug>-<12 hex>, from the inputs (not at random)."""
    day = datetime.datetime.fromtimestamp(when, datetime.timezone.utc).strftime('%Y%m%d')
    slug = re.sub(r'\W+', '-', name).strip('-').lower()
    digest = hashlib.sha256(f'{name}\0{author_email}\0{base}'.encode()).hexdigest()[:12]
    return f'{day}-{slug}-{digest}'


def sent_tag(branch: str, version: int) -> str:
    """The tag b4 looks for (ez.get_sent_tagname): sent/<branch without b4/>-v<N>."""
    return f'{SENT_TAG_PREFIX}{branch[3:] if branch.startswith("b4/") else branch}-v{version}'


def base_branch(tree: pathlib.Path, name: str, base: str) -> str:
    """A branch at the series' base for b4's fork-point: the tree's own checked-out
    branch when it is at the base, else <name>/base, made here."""
    current = git(tree, 'symbolic-ref', '-q', '--short', 'HEAD', check=False)
    if current and git(tree, 'rev-parse', 'HEAD') == base:
        return current
    ref = f'{name}/base'
    git(tree, 'branch', '-f', ref, base)
    return ref


def add_recipients(work: pathlib.Path, out: pathlib.Path, patches: list[str],
                   log=print) -> tuple[list[str], list[str]]:
    """To/Cc headers of each patch and of the cover letter (patches[0]); the cover's lists."""
    if not (work / 'scripts/get_maintainer.pl').is_file():
        log('recipients: the tree has no scripts/get_maintainer.pl: the patches have no To/Cc')
        return [], []
    try:
        found = recipients.write_all(work, out, patches[1:], patches[0])
    except RuntimeError as err:
        raise Failure(str(err).splitlines()[0]) from err
    cover = found.get(patches[0], {'to': [], 'cc': []})
    return cover['to'], cover['cc']


def add_change_id(cover: pathlib.Path, change_id: str) -> None:
    """change-id: under base-commit:, where b4 writes it in its cover letters."""
    text = cover.read_text()
    text = re.sub(r'^change-id: .*\n', '', text, flags=re.M)
    text, n = re.subn(r'^(base-commit: [0-9a-f]+\n)', rf'\1change-id: {change_id}\n', text,
                      count=1, flags=re.M)
    if not n:
        raise Failure(f'{cover.name}: no base-commit: line to put the change-id under')
    cover.write_text(text)


def description(title: str, blurb: str, to: list[str], cc: list[str]) -> str:
    trailers = [f'To: {a}' for a in to] + [f'Cc: {a}' for a in cc]
    text = f'{title}\n\n{blurb.strip()}\n'
    if trailers:
        text += '\n' + '\n'.join(trailers) + '\n'
    return text


def tag_previous(work: pathlib.Path, branch: str, version: int, title: str, base: str,
                 tip: str, change_id: str, who: tuple[str, str], when: int) -> str:
    """sent/<branch>-v<N> at vN's tip, for `b4 prep --compare-to vN`."""
    name = sent_tag(branch, version)
    message = f'{title}\n\nbase-commit: {base}\nchange-id: {change_id}\n'
    env = dict(os.environ, GIT_COMMITTER_NAME=who[0], GIT_COMMITTER_EMAIL=who[1],
               GIT_COMMITTER_DATE=f'{when} +0000')
    git(work, 'tag', '-f', '-a', '-F', '-', name, tip, env=env, input=message)
    return name


def prepare(tree: pathlib.Path, work: pathlib.Path, branch: str, name: str, out: pathlib.Path,
            patches: list[str], title: str, blurb: str, version: int, base: str,
            who: tuple[str, str], prefixes: list[str], carried, when: int, log=print) -> dict:
    """Recipients, change-id, b4's branch data and the tag of PREV; what series.json records."""
    to, cc = add_recipients(work, out, patches, log)
    prev = carried.prev if carried else None
    change_id = (prev.change_id if prev and prev.change_id
                 else new_change_id(name, who[1], base, when))
    add_change_id(out / patches[0], change_id)
    base_ref = base_branch(tree, name, base)
    history = dict(prev.history) if prev else {}
    tracking = {'revision': version, 'change-id': change_id, 'base-branch': base_ref,
                'prefixes': list(prefixes)}
    if history:
        tracking['history'] = {k: list(v) for k, v in history.items()}
    for key, value in (('b4-prep-cover-strategy', 'branch-description'),
                       ('description', description(title, blurb, to, cc)),
                       ('b4-tracking', json.dumps({'series': tracking}))):
        git(work, 'config', f'branch.{branch}.{key}', value)
    tag = ''
    if prev:
        tag = tag_previous(work, branch, prev.version, prev.cover_title or title,
                           carried.prev_range[0], carried.prev_range[1], change_id, who, when)
    message_id = set_message_ids(out, patches, change_id, version, who[1])
    return {'message_id': message_id,
            'change_id': change_id, 'base_branch': base_ref, 'prefixes': list(prefixes),
            'to': to, 'cc': cc, 'history': history, 'sent_tag': tag}


_ID_HEADERS = re.compile(r'^(Message-I[dD]|In-Reply-To|References): .*\n', re.M)


def set_message_ids(out: pathlib.Path, patches: list[str], change_id: str, version: int,
                    author_email: str) -> str:
    """Message-Ids from the content, in b4's shape; returns the cover letter's.

    git format-patch --thread puts the time of the run in them.  Here they
    are <change-id stem>-v<N>-<n>-<hash of every file>@<author's domain>,
    so a re-run of the same input writes the same ones and any change to
    any patch gives new ones (b4/ez.py make_msgid_tpt has the same shape
    with a random part).
    """
    texts = [(out / name).read_text() for name in patches]
    digest = hashlib.sha256('\0'.join(_ID_HEADERS.sub('', t) for t in texts).encode())
    stem = change_id.rsplit('-', 1)[0]
    domain = author_email.rsplit('@', 1)[-1]
    ids = [f'{stem}-v{version}-{n}-{digest.hexdigest()[:12]}@{domain}' for n in range(len(texts))]
    for n, (name, text) in enumerate(zip(patches, texts)):
        head, sep, body = text.partition('\n\n')
        head = _ID_HEADERS.sub('', head + '\n').rstrip('\n')
        lines = head.split('\n')
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith('From ')), 0)
        new = [f'Message-Id: <{ids[n]}>']
        if n:
            new += [f'In-Reply-To: <{ids[0]}>', f'References: <{ids[0]}>']
        (out / name).write_text('\n'.join(lines[:at] + new + lines[at:]) + sep + body)
    return ids[0]
