"""Leaf sizes of a new driver's iova_to_phys, read from its code.

A branch that computes phys as `(entry & HIGH) | (iova & LOW)` or
`... + (iova & LOW)` states its leaf size: LOW + 1, when LOW is a literal,
a #define of the file or `SZ_x - 1`, LOW + 1 is a power of two, and the
driver's pgsize_bitmap has that size.  Any other leaf gets the smallest page
of the bitmap, which no leaf is smaller than.  The result is a `leaves`
table for templates/leaf.cocci: `LOWTOKEN=SIZE,...,*=SMALLEST`.
"""

import dataclasses
import pathlib
import re

from generator import anchors, cscan
from generator.new_drivers import _defines, _evaluate, page_sizes, size_name

_OFFSET = r'[|+]\s*\(\s*{iova}\s*&\s*(?P<low>\(?\s*[\w\s\-]+?\s*\)?)\s*\)'


@dataclasses.dataclass(frozen=True)
class Leaf:
    key: str        # the token of LOW that names the leaf in the template
    size: str       # SZ_<n> of LOW + 1
    line: int       # 1-based line of the driver file
    text: str       # the offset expression as written

    def describe(self) -> str:
        return f'{self.size} from line {self.line}: {self.text}'


def _parameters(header: str) -> list[str]:
    inside = header[header.index('(') + 1:header.rindex(')')]
    return [re.findall(r'\w+', p)[-1] for p in inside.split(',') if re.findall(r'\w+', p)]


def infer(path: pathlib.Path, function: str) -> list[Leaf]:
    """The leaves of function whose size its code states, in line order."""
    masked = cscan.mask(path.read_text(errors='replace'))
    bitmap = page_sizes(path)
    if not bitmap:
        return []
    defines = _defines(masked)
    ext = anchors.locate(path, f'function:{function}')
    lines = masked.split('\n')
    body = '\n'.join(lines[ext.start:ext.end])
    offset = sum(len(line) + 1 for line in lines[:ext.start])
    brace = body.index('{')
    found = {}
    for iova in _parameters(body[:brace]):
        for m in re.finditer(_OFFSET.format(iova=re.escape(iova)), body):
            low = m.group('low').strip()
            value = _evaluate(low, defines)
            if value is None or value & (value + 1) or not bitmap & (value + 1):
                continue
            size = size_name(value + 1)
            key = re.findall(r'\w+', low)[0]
            if size and key not in found:
                line = masked.count('\n', 0, offset + m.start()) + 1
                found[key] = Leaf(key, size, line, ' '.join(m.group(0)[1:].split()))
    return sorted(found.values(), key=lambda leaf: leaf.line)


def leaves_table(inferred: list[Leaf], smallest: str) -> str:
    return ','.join([f'{leaf.key}={leaf.size}' for leaf in inferred] + [f'*={smallest}'])
