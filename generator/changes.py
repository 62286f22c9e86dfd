"""What `git range-diff` vN..vN+1 shows per patch, and the "Changes in vN+1" it gives.

range-diff pairs the commits of the two versions and, for a pair that
differs ("!"), prints a diff of the two patches, each line indented by
four columns and prefixed with the outer -/+.  A line whose inner text
starts with - or + is a line the patch adds or removes: the code changed.
A changed context line, hunk header (range-diff prints no line numbers)
or file header only says the patch moved: "rebased only".  Lines of the
"## Commit message ##" section are the message; its trailer lines are
the review tags, which this module reports separately.
"""

from __future__ import annotations

import dataclasses
import re

from generator import trailers

MESSAGE = ('Commit message', 'Metadata')
_HEADER = re.compile(r'^\s*(\d+|-):\s+([0-9a-f]+|-+)\s+([<>!=])\s+(\d+|-):\s+([0-9a-f]+|-+)\s(.*)$')


@dataclasses.dataclass
class Pair:
    old: int | None             # 1-based position in vN, None if new
    new: int | None             # 1-based position in vN+1, None if dropped
    mark: str                   # = ! < >
    subject: str
    code: bool = False          # a line the patch adds or removes changed
    context: bool = False       # only context, hunk or file headers changed
    message: bool = False       # the commit message changed (review tags aside)


def parse(text: str) -> list[Pair]:
    pairs: list[Pair] = []
    section = ''
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            old = None if m.group(1) == '-' else int(m.group(1))
            new = None if m.group(4) == '-' else int(m.group(4))
            pairs.append(Pair(old, new, m.group(3), m.group(6).strip()))
            section = ''
            continue
        if not pairs or not line.startswith('    ') or len(line) < 5:
            continue
        if line[4:].startswith('@@ '):
            # A hunk of the patches' diff: "@@ Commit message", "@@ <file>: <context>".
            section = 'message' if line[7:].startswith(MESSAGE) else 'file'
            continue
        outer, inner = line[4], line[5:]
        if inner.startswith('## ') and inner.rstrip().endswith(' ##'):
            section = 'message' if inner[3:].startswith(MESSAGE) else 'file'
            if outer in '-+' and section == 'file':
                pairs[-1].context = True
            continue
        if outer not in '-+':
            continue
        p = pairs[-1]
        if section == 'message':
            if not trailers.parse_line(inner.strip()) and inner.strip():
                p.message = True
        elif inner[:1] in ('-', '+'):
            p.code = True
        else:
            p.context = True
    return pairs


def status(pair: Pair | None) -> str:
    if pair is None or pair.mark == '>':
        return 'new'
    if pair.mark == '<':
        return 'dropped'
    if pair.mark == '=':
        return 'unchanged'
    if pair.code:
        return 'code changed'
    if pair.context:
        return 'rebased only'
    if pair.message:
        return 'commit message changed'
    return 'unchanged'          # only review tags differ: those are reported on their own


@dataclasses.dataclass
class Entry:
    number: int | None          # in vN+1; None for a dropped vN patch
    subject: str
    status: str                 # new | unchanged | code changed | rebased only | ... | dropped
    was: int | None = None      # its number in vN
    carried: list = dataclasses.field(default_factory=list)   # tags carried onto it
    dropped: list = dataclasses.field(default_factory=list)   # vN tags it lost (code changed)
    added: list = dataclasses.field(default_factory=list)     # of carried: new from the thread


def _tags(tags) -> str:
    return ', '.join(str(t) for t in tags)


def render(entries: list[Entry], total: int, prev_label: str, manifest_text: str,
           range_diff_file: str, history: dict[str, list[str]], cover_tags=()) -> str:
    """The body of the "Changes in vN+1" section: the manifest's text, then the facts.

    Tags given on the cover letter go to every patch of vN: said once, not
    on each patch, except where a patch drops them.
    """
    lines = []
    if manifest_text.strip():
        lines.append(manifest_text.strip('\n'))
    lines.append(f'Against {prev_label}, patch by patch ({range_diff_file}):')
    if cover_tags:
        lines.append(f'- given on the cover letter, on every patch from {prev_label} but those '
                     f'that drop them: {_tags(cover_tags)}')
    width = len(str(total))
    for e in entries:
        if e.number is None:
            lines.append(f'- dropped: "{e.subject}" ({prev_label} patch {e.was}): '
                         'no step of this version makes it')
            continue
        was = f', was {e.was}' if e.was is not None and e.was != e.number else ''
        text = f'- {e.number:0{width}}/{total} {e.subject}: {e.status}{was}'
        added = [t for t in e.added if t not in cover_tags]
        if added:
            text += f'; new tags: {_tags(added)}'
        old = [t for t in e.carried if t not in e.added]
        if old:
            text += f'; carries {_tags(old)}'
        if e.dropped:
            text += (f'; the code changed, so {prev_label}\'s tags are dropped: '
                     f'{_tags(e.dropped)}')
        lines.append(text)
    for version in sorted(history, key=lambda v: int(v.lstrip('v')) if v.lstrip('v').isdigit()
                          else 0):
        for msgid in history[version][-1:]:
            lines.append(f'- Link to {version}: https://lore.kernel.org/r/{msgid}')
    return '\n'.join(lines)
