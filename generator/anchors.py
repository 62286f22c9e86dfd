"""Find a definition in a C file by name: the anchor of an overlay or edit.

An anchor is "function:NAME", "struct:NAME" or "macro:NAME", or
"comment:top" for the block comment that opens a file (the file's own
description, above its #includes; only // lines may come before it).  A function
NAME may be a macro-built name such as "DOMAIN_NS(iova_to_phys)".  The
extent is found on generator/cscan's masked text (comments, strings and
preprocessor lines known); when a plain function name has two candidate
definitions, spatch says which one it parses as the definition.
"""

import dataclasses
import pathlib
import re

from generator import cscan, spatch
from generator.errors import Failure

LOCATE_FUNCTION = spatch.REPO / 'cocci' / 'lib' / 'locate_function.cocci'


@dataclasses.dataclass(frozen=True)
class Extent:
    """Lines of a definition, 0-based, end exclusive."""
    comment_start: int   # first line of the leading comment (== start if none)
    start: int           # first line of the definition itself
    end: int             # one past the closing line (after EXPORT_SYMBOL* if any)


def _match_brace(masked: str, open_at: int, pair: str = '{}') -> int:
    depth = 0
    for i in range(open_at, len(masked)):
        if masked[i] == pair[0]:
            depth += 1
        elif masked[i] == pair[1]:
            depth -= 1
            if depth == 0:
                return i
    raise ValueError('unbalanced')


def _line_of(text: str, offset: int) -> int:
    return text.count('\n', 0, offset)


def _depth_zero(masked: str, pp: set[int]) -> list[bool]:
    """For each offset: is it outside every brace, paren and directive?"""
    result = [False] * len(masked)
    depth, line = 0, 0
    for i, c in enumerate(masked):
        if c == '\n':
            line += 1
        if line in pp:
            continue
        if c in '{(':
            depth += 1
        elif c in '})':
            depth -= 1
        result[i] = depth == 0
    return result


def _leading_comment(lines: list[str], start: int) -> int:
    """First line of a comment block that ends right above line start."""
    i = start - 1
    if i < 0 or not lines[i].rstrip().endswith('*/'):
        return start
    while i >= 0 and '/*' not in lines[i]:
        i -= 1
    return max(i, 0)


def _decl_start(masked: str, pp: set[int], name_at: int) -> int:
    """Line where the declaration holding name_at begins."""
    lines = masked.split('\n')
    line = _line_of(masked, name_at)
    while line > 0:
        prev = lines[line - 1]
        if (line - 1) in pp or not prev.strip() or prev.rstrip().endswith((';', '}', '{')):
            break
        line -= 1
    return line


def function_spans(masked: str, pp: set[int], name: str) -> list[tuple[int, int]]:
    """(name offset, closing brace offset) of each definition of name."""
    found = []
    top = _depth_zero(masked, pp)
    pattern = re.escape(name).replace(r'\ ', r'\s*') + r'\s*\('
    if re.match(r'^\w+$', name):
        pattern = r'(?<![\w.>])' + pattern
    for m in re.finditer(pattern, masked):
        if not top[m.start()] or _line_of(masked, m.start()) in pp:
            continue
        close = _match_brace(masked, m.end() - 1, '()')
        rest = masked[close + 1:]
        body = re.match(r'(\s|__\w+(\([^)]*\))?)*\{', rest)
        if not body:
            continue
        open_at = close + 1 + body.end() - 1
        found.append((m.start(), _match_brace(masked, open_at)))
    return found


def struct_spans(masked: str, pp: set[int], name: str) -> list[tuple[int, int]]:
    found = []
    top = _depth_zero(masked, pp)
    for m in re.finditer(r'\bstruct\s+' + re.escape(name) + r'\s*\{', masked):
        if top[m.start()]:
            close = _match_brace(masked, m.end() - 1)
            semi = masked.index(';', close)
            found.append((m.start(), semi))
    return found


def _macro(masked: str, name: str) -> list[tuple[int, int]]:
    found = []
    for m in re.finditer(r'^[ \t]*#[ \t]*define[ \t]+' + re.escape(name) + r'\b', masked, re.M):
        end = m.end()
        # The definition goes on while a line ends in a backslash.
        while (nl := masked.find('\n', end)) >= 0 and masked[:nl].rstrip(' \t').endswith('\\'):
            end = nl + 1
        found.append((m.start(), (nl if nl >= 0 else len(masked)) - 1))
    return found


def _spatch_lines(path: pathlib.Path, name: str) -> set[int] | None:
    """0-based lines where spatch sees a definition of function name."""
    if not re.match(r'^\w+$', name) or not LOCATE_FUNCTION.exists():
        return None
    out = spatch.run(LOCATE_FUNCTION, [path], cwd=path.parent, defines={'fn': name})
    return {int(x) - 1 for x in re.findall(r'^LOCATE (\d+)$', out, re.M)}


def _top_comment(name: str, text: str) -> Extent:
    """The block comment that opens the file, after // lines and blanks."""
    lines = text.split('\n')
    first = 0
    while first < len(lines) and (not lines[first].strip() or
                                  lines[first].lstrip().startswith('//')):
        first += 1
    if first == len(lines) or not lines[first].lstrip().startswith('/*'):
        raise Failure(f'{name}: anchor comment:top: the file does not open with a block comment')
    last = first
    while last < len(lines) and '*/' not in lines[last]:
        last += 1
    return Extent(first, first, min(last + 1, len(lines)))


def locate(path: pathlib.Path, anchor: str) -> Extent:
    """The one definition that anchor names in path."""
    kind, _, name = anchor.partition(':')
    text = path.read_text()
    if anchor == 'comment:top':
        return _top_comment(path.name, text)
    masked = cscan.mask(text)
    pp = cscan.preprocessor_lines(masked)
    if kind == 'function':
        spans = function_spans(masked, pp, name)
        # Two candidates (an #if/#else pair, a definition in a macro): ask
        # spatch which one is the definition it parses.
        confirmed = _spatch_lines(path, name) if len(spans) > 1 else None
        if confirmed:
            spans = [s for s in spans if _line_of(masked, s[0]) in confirmed] or spans
    elif kind == 'struct':
        spans = struct_spans(masked, pp, name)
    elif kind == 'macro':
        spans = _macro(masked, name)
    else:
        raise Failure(f'anchor {anchor!r}: kind must be function, struct or macro')
    if len(spans) != 1:
        raise Failure(f'{path.name}: anchor {anchor} found {len(spans)} times, expected once')
    first, last = spans[0]
    lines = text.split('\n')
    start = _line_of(masked, first) if kind == 'macro' else _decl_start(masked, pp, first)
    end = _line_of(masked, last) + 1
    if kind == 'function':
        nxt = end
        while nxt < len(lines) and not lines[nxt].strip():
            nxt += 1
        export = r'\s*EXPORT_SYMBOL\w*\(\s*' + re.escape(name)
        if nxt < len(lines) and re.match(export, lines[nxt]):
            end = nxt + 1
    return Extent(_leading_comment(lines, start), start, end)
