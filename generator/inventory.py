"""Inventory of a tree's iova_to_phys API, taken before anything changes.

spatch (cocci/inventory/iova_to_phys.cocci) finds the op initialisers, the
calls through the op and the callers of iommu_iova_to_phys().  spatch cannot
match inside macro bodies, so a token pass finds `.iova_to_phys =` in
#define bodies and then every use of such a macro.  Finally every code
occurrence of the tokens is checked against what was found: a line neither
method explains (spatch failed to parse that function, say) is reported, so
nothing is skipped silently.
"""

import dataclasses
import pathlib
import re
import subprocess

from generator import anchors, cscan, spatch
from generator.errors import Failure

RULE = spatch.REPO / 'cocci' / 'inventory' / 'iova_to_phys.cocci'
TOKENS = ('iova_to_phys', 'iommu_iova_to_phys')
# Where a token occurrence is a declaration, not a use.
OPS_STRUCTS = ('iommu_domain_ops', 'io_pgtable_ops')


@dataclasses.dataclass(frozen=True, order=True)
class Entry:
    file: str
    line: int
    kind: str        # implementer | op-call | wrapper-call | macro-implementer | macro-use
    function: str    # implementing function, enclosing function, or macro name
    detail: str      # ops type, callee or macro
    method: str      # spatch | tokens

    def key(self) -> str:
        return f'{self.file}:{self.function}'

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


# Where the kernel's sources are: tools/, Documentation/ and scripts/ are
# not built into the kernel.
SOURCES = ('*.c', '*.h', ':!Documentation', ':!tools', ':!scripts')


def git_grep(tree: pathlib.Path, words: tuple[str, ...], *, whole_word: bool = True,
             pathspec: tuple[str, ...] = SOURCES) -> list[str]:
    """Files of a git tree, under pathspec, that contain one of words."""
    args = ['git', '-C', str(tree), 'grep', '-l', '-F'] + (['-w'] if whole_word else [])
    for word in words:
        args += ['-e', word]
    proc = subprocess.run(args + ['--', *pathspec], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise Failure(f'git grep failed in {tree}: {proc.stderr.strip()}')
    return sorted(proc.stdout.split())


def _spatch_entries(tree: pathlib.Path, files: list[str]) -> list[Entry]:
    if not files:
        return []
    out = spatch.run(RULE, [pathlib.Path(f) for f in files], cwd=tree,
                     extra=['-j', '2'])
    entries = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 6 and fields[0] == 'INVENTORY':
            _, kind, file, no, function, detail = fields
            if function == 'something_else':    # spatch's name for a macro body
                function = _enclosing_macro(tree / file, int(no))
            entries.add(Entry(file, int(no), kind, function, detail.replace('+', ' '),
                              'spatch'))
    return sorted(entries)


def _enclosing_macro(path: pathlib.Path, line: int) -> str:
    lines = path.read_text(errors='replace').split('\n')[:line]
    for text in reversed(lines):
        m = re.match(r'\s*#\s*define\s+(\w+)', text)
        if m:
            return m.group(1)
    return 'something_else'


def _macro_entries(tree: pathlib.Path, files: list[str]) -> list[Entry]:
    """`.iova_to_phys =` inside #define bodies, and every use of those macros."""
    found = []
    for file in files:
        masked = cscan.mask((tree / file).read_text(errors='replace'))
        for m in re.finditer(r'^[ \t]*#[ \t]*define[ \t]+(\w+)((?:.*\\\n)*.*)$', masked, re.M):
            body = m.group(2)
            init = re.search(r'\.\s*iova_to_phys\s*=\s*&?\s*([\w#]+)', body)
            if init:
                line = masked.count('\n', 0, m.start(2) + init.start()) + 1
                found.append(Entry(file, line, 'macro-implementer', m.group(1), init.group(1),
                                   'tokens'))
    uses = []
    for macro in {e.function for e in found}:
        for file in git_grep(tree, (macro,)):
            masked = cscan.mask((tree / file).read_text(errors='replace'))
            for m in re.finditer(r'\b' + macro + r'\s*\(', masked):
                line_start = masked.rfind('\n', 0, m.start()) + 1
                if re.match(r'[ \t]*#[ \t]*define[ \t]+' + macro + r'\b', masked[line_start:]):
                    continue
                uses.append(Entry(file, masked.count('\n', 0, m.start()) + 1, 'macro-use',
                                  macro, macro, 'tokens'))
    return found + uses + _macro_named(tree, files)


def _macro_named(tree: pathlib.Path, files: list[str]) -> list[Entry]:
    """Definitions whose name a macro builds, e.g. DOMAIN_NS(iova_to_phys)."""
    found = []
    for file in files:
        masked = cscan.mask((tree / file).read_text(errors='replace'))
        pp = cscan.preprocessor_lines(masked)
        for m in set(re.findall(r'\b(\w+\(\s*iova_to_phys\s*\))\s*\(', masked)):
            for start, _ in anchors.function_spans(masked, pp, m):
                found.append(Entry(file, masked.count('\n', 0, start) + 1, 'implementer',
                                   re.sub(r'\s', '', m), 'macro-named function', 'tokens'))
    return found


def _declaration_lines(masked: str) -> set[int]:
    """1-based lines of a masked file where a token is declared rather than used."""
    lines = set()
    pp = cscan.preprocessor_lines(masked)
    for name in OPS_STRUCTS:
        for start, end in anchors.struct_spans(masked, pp, name):
            lines.update(range(masked.count('\n', 0, start) + 1, masked.count('\n', 0, end) + 2))
    for m in re.finditer(r'^\s*EXPORT_SYMBOL\w*\(\s*(\w+\(\s*iova_to_phys\s*\)|iommu_iova_to_phys\b).*$',
                         masked, re.M):
        lines.add(masked.count('\n', 0, m.start()) + 1)
    for m in re.finditer(r'^.*\biommu_iova_to_phys\s*\(.*$', masked, re.M):
        line = masked[m.start():m.end()]
        no = masked.count('\n', 0, m.start()) + 1
        # the definition, its prototypes/stubs, and the EXPORT_SYMBOL line
        if re.match(r'\s*(extern\s+|static\s+inline\s+)?phys_addr_t\s+iommu_iova_to_phys\s*\(', line) \
                or re.match(r'\s*EXPORT_SYMBOL', line):
            lines.add(no)
    return lines


def _unexplained(tree: pathlib.Path, files: list[str], entries: list[Entry]) -> list[str]:
    explained = {(e.file, e.line) for e in entries}
    macro_lines = set()
    for e in entries:
        if e.kind == 'macro-implementer':
            ext = anchors.locate(tree / e.file, f'macro:{e.function}')
            macro_lines.update((e.file, n + 1) for n in range(ext.start, ext.end))
    problems = []
    for file in files:
        text = (tree / file).read_text(errors='replace')
        masked = cscan.mask(text)
        declared = _declaration_lines(masked)
        for m in re.finditer(r'\b(iommu_iova_to_phys|iova_to_phys)\b', masked):
            no = masked.count('\n', 0, m.start()) + 1
            if (file, no) in explained or (file, no) in macro_lines or no in declared:
                continue
            # a call spread over lines is reported by spatch on its first line
            if any((file, no - k) in explained for k in (1, 2)):
                continue
            problems.append(f'{file}:{no}: {text.splitlines()[no - 1].strip()}')
    return problems


def take(tree: pathlib.Path) -> list[Entry]:
    """All entries; raises Failure when a token occurrence is unexplained."""
    files = git_grep(tree, TOKENS)
    entries = _spatch_entries(tree, files) + _macro_entries(tree, files)
    problems = _unexplained(tree, files, entries)
    if problems:
        raise Failure('inventory incomplete, spatch could not classify: ' + '; '.join(problems))
    return sorted(set(entries))


def format_entries(entries: list[Entry]) -> str:
    return '\n'.join(f'{e.file}:{e.line}: {e.kind} {e.function} ({e.detail}; {e.method})'
                     for e in entries)
