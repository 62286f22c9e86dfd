"""Review tags: read them from a vN review thread and from vN's commits, write them into vN+1.

The thread is a standard mbox (what `b4 mbox <msgid>` writes, or a mail
client's export), read with the standard library's mailbox and email.  A
reply belongs to the message it answers (In-Reply-To, then References,
through other replies), else to the patch whose subject it repeats.  A tag
on the cover letter applies to every patch, as b4 applies it.
"""

from __future__ import annotations

import dataclasses
import email
import email.policy
import email.utils
import itertools
import mailbox
import pathlib
import re

from generator.errors import Failure

# The kernel's order (Documentation/process/maintainer-tip.rst, "Ordering of
# commit tags"), all above the author's Signed-off-by: they were given
# before this posting, and the poster's sign-off stays last, as b4 keeps it.
ORDER = ('Reported-by', 'Suggested-by', 'Tested-by', 'Reviewed-by', 'Acked-by', 'Cc')
_CANON = {name.lower(): name for name in ORDER}
_LINE = re.compile(r'^(' + '|'.join(ORDER) + r'):[ \t]*(\S.*?)\s*$', re.I)
COVER = ''      # the key of the cover letter in a thread's tags


@dataclasses.dataclass(frozen=True)
class Trailer:
    name: str       # one of ORDER, in its canonical case
    value: str      # "Name <address>" as written

    @property
    def address(self) -> str:
        return email.utils.parseaddr(self.value)[1].lower()

    def key(self) -> tuple[str, str]:
        return self.name, self.address or self.value.lower()

    def __str__(self) -> str:
        return f'{self.name}: {self.value}'


def parse_line(line: str) -> Trailer | None:
    m = _LINE.match(line)
    if not m or '@' not in m.group(2):
        return None
    return Trailer(_CANON[m.group(1).lower()], m.group(2))


def in_message(message: str) -> list[Trailer]:
    """The review tags of a commit message (its last paragraph)."""
    paragraphs = [p for p in re.split(r'\n\s*\n', message.strip()) if p.strip()]
    if len(paragraphs) < 2:
        return []
    return [t for t in map(parse_line, paragraphs[-1].splitlines()) if t]


def merge(*lists: list[Trailer]) -> list[Trailer]:
    """One list in the kernel's order, each (tag, person) once, first seen first."""
    first: dict[tuple[str, str], Trailer] = {}
    for t in itertools.chain(*lists):
        first.setdefault(t.key(), t)
    return sorted(first.values(), key=lambda t: ORDER.index(t.name))


def apply(message: str, tags: list[Trailer], author: str) -> str:
    """message with tags above the author's Signed-off-by (which stays last).

    The tags the message's trailer block already has are merged with
    `tags`: each (tag, person) appears once, in the kernel's order.  Other
    trailers of the block (Fixes:, Link:) stay first.
    """
    sob = f'Signed-off-by: {author}'
    lines = message.rstrip('\n').split('\n')
    if sob not in lines:
        raise Failure(f'commit "{lines[0]}": no "{sob}" to put the review tags above')
    at = len(lines) - 1 - lines[::-1].index(sob)
    start = at
    while start > 0 and lines[start - 1].strip():
        start -= 1
    block = lines[start:at]
    existing = [t for t in map(parse_line, block) if t]
    others = [line for line in block if not parse_line(line)]
    head = lines[:start]
    if not head:
        raise Failure(f'commit "{lines[0]}": no body above its Signed-off-by')
    return '\n'.join(head + others + [str(t) for t in merge(existing, tags)]
                     + lines[at:]) + '\n'


# ---- the review thread ----------------------------------------------------

_REPLY = re.compile(r'^\s*((re|fwd?|aw)\s*:\s*)+', re.I)
_PREFIX = re.compile(r'^\s*\[([^\]]*)\]\s*')


def clean_subject(subject: str) -> tuple[str, int | None, bool]:
    """(subject without Re: and [PATCH ...], patch number or None, is a reply)."""
    subject = ' '.join((subject or '').split())
    reply = bool(_REPLY.match(subject))
    subject = _REPLY.sub('', subject)
    number = None
    while m := _PREFIX.match(subject):
        if 'PATCH' in m.group(1).upper():
            counter = re.search(r'(\d+)\s*/\s*\d+', m.group(1))
            number = int(counter.group(1)) if counter else 1
        subject = _REPLY.sub('', subject[m.end():])
    return subject.strip(), number, reply


def _msgid(value) -> str:
    return str(value or '').strip().strip('<>').strip()


def _ids(value) -> list[str]:
    return re.findall(r'<([^<>\s]+)>', str(value or ''))


@dataclasses.dataclass
class Thread:
    tags: dict[str, list[Trailer]]          # patch key (COVER for the cover letter) -> tags
    replies: int = 0                        # replies read
    unmatched: list[str] = dataclasses.field(default_factory=list)   # their subjects


def _body(msg) -> str:
    part = msg.get_body(preferencelist=('plain',))
    if part is None:
        return ''
    try:
        return part.get_content()
    except (LookupError, UnicodeError):
        return part.get_payload(decode=True).decode('utf-8', 'replace')


def _written_tags(body: str) -> list[Trailer]:
    """Tags in the reply's own text: not in quoted lines (no tag starts with >),
    not after the signature."""
    own = itertools.takewhile(lambda line: line.rstrip() != '--', body.splitlines())
    return [t for t in map(parse_line, map(str.strip, own)) if t]


def read_thread(path: pathlib.Path, known: dict[str, str], subjects: dict[str, str],
                cover_title: str, author_email: str) -> Thread:
    """Tags reviewers wrote in the thread, per patch key.

    known: Message-Id -> patch key of the messages of vN (COVER for its
    cover letter); subjects: patch subject -> key.  Patches and the cover
    letter found in the mbox itself are added to known by their subject.
    Replies from the series' author carry no review tags.
    """
    if not path.is_file():
        raise Failure(f'THREAD={path}: no such file')
    try:
        box = mailbox.mbox(str(path), create=False)
        raw = [m.as_bytes() for m in box]
    except (OSError, mailbox.Error) as err:
        raise Failure(f'THREAD={path}: not an mbox: {err}') from err
    messages = [email.message_from_bytes(b, policy=email.policy.default) for b in raw]
    if not messages:
        raise Failure(f'THREAD={path}: no messages in the mbox')
    known = dict(known)
    cover_clean = clean_subject(cover_title)[0]
    replies = {}
    for msg in messages:
        mid = _msgid(msg.get('Message-Id'))
        subject, number, is_reply = clean_subject(str(msg.get('Subject', '')))
        if is_reply or (mid in replies):
            replies[mid or f'#{len(replies)}'] = msg
            continue
        if mid in known:
            continue
        if number == 0 or (subject == cover_clean and number is None):
            known[mid] = COVER
        elif subject in subjects:
            known[mid] = subjects[subject]
        elif msg.get('In-Reply-To'):
            replies[mid or f'#{len(replies)}'] = msg

    def target(mid: str, seen: set) -> str | None:
        if mid in known:
            return known[mid]
        msg = replies.get(mid)
        if msg is None or mid in seen:
            return None
        seen.add(mid)
        parents = _ids(msg.get('In-Reply-To')) + _ids(msg.get('References'))[::-1]
        for parent in parents:
            found = target(parent, seen)
            if found is not None:
                return found
        subject = clean_subject(str(msg.get('Subject', '')))[0]
        return subjects.get(subject, COVER if subject == cover_clean else None)

    result = Thread({})
    for mid, msg in replies.items():
        sender = email.utils.parseaddr(str(msg.get('From', '')))[1].lower()
        if sender == author_email.lower():
            continue
        result.replies += 1
        key = target(mid, set())
        tags = _written_tags(_body(msg))
        if tags and key is None:
            result.unmatched.append(str(msg.get('Subject', '')))
        elif tags:
            result.tags[key] = merge(result.tags.get(key, []), tags)
    return result
