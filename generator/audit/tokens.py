"""The audit's token pass: what spatch cannot see.

spatch does not parse #define bodies, nor functions whose name is a macro
call (generic_pt's DOMAIN_NS()), so the tokens of generator/cscan give
`.iova_to_phys =` designators (typed by their enclosing initialiser, in the
macro body or at the macro's uses), the op members, and `return 0` in
iova_to_phys_length-shaped functions; and every field access of the op, as
notes for what no finding explains.
"""

import pathlib
import re

from generator import cscan, inventory
from generator.audit.findings import Finding, Kind, Note

TOKEN = 'iova_to_phys'
OPS_STRUCTS = ('iommu_domain_ops', 'io_pgtable_ops')
MACRO_DEPTH = 4


def _open_paren(texts: list[str]) -> int:
    """Index of the ( that the closing ) at the end of texts matches (-1: none)."""
    depth, k = 0, len(texts) - 1
    while k >= 0:
        depth += {')': 1, '(': -1}.get(texts[k], 0)
        if depth == 0:
            break
        k -= 1
    return k


def _struct_before(code: list[cscan.Token], scope: list[int], brace: int) -> str | None:
    """The struct type an initialiser brace belongs to: `(const struct T){`
    or `struct T name = {` (name may be an array)."""
    pos = scope.index(brace)
    before = [code[i].text for i in scope[max(0, pos - 24):pos]]
    if before and before[-1] == ')':
        words = before[_open_paren(before) + 1:-1]
    elif before and before[-1] == '=':
        words = []
        for text in reversed(before[:-1]):
            if text in (';', '{', '}'):
                break
            words.insert(0, text)
    else:
        return None
    for a, b in zip(words, words[1:]):
        if a == 'struct':
            return b
    return None


def _outer_name(code: list[cscan.Token], scope: list[int], parents: dict[int, int],
                pos: int) -> str:
    """Name of the function or variable whose outermost braces hold code[pos]."""
    brace = parents.get(pos, -1)
    if brace < 0:
        return '?'
    while parents.get(brace, -1) >= 0:
        brace = parents[brace]
    k = scope.index(brace) - 1
    texts = [code[i].text for i in scope[max(0, k - 40):k + 1]]
    if texts and texts[-1] == ')':            # a function: NAME ( params ) {
        texts = texts[:_open_paren(texts)]
    elif texts and texts[-1] == '=':          # a variable: NAME [ ] = {
        texts = [t for t in texts[:-1] if t not in '[]']
    names = [t for t in texts[-1:] if re.match(r'[A-Za-z_]\w*$', t)]
    return names[0] if names else '?'


class _Tree:
    """Lazily lexed sources of a tree."""

    def __init__(self, tree: pathlib.Path):
        self.tree = tree
        self._sources: dict[str, cscan.Source] = {}
        self._scopes: dict[str, tuple[list[int], dict[int, int]]] = {}

    def source(self, file: str) -> cscan.Source:
        if file not in self._sources:
            text = (self.tree / file).read_text(errors='replace')
            self._sources[file] = cscan.lex(text)
        return self._sources[file]

    def c_scope(self, file: str) -> tuple[list[int], dict[int, int]]:
        """The C code (no preprocessor lines) of a file, and its braces."""
        if file not in self._scopes:
            src = self.source(file)
            scope = src.scope(None)
            self._scopes[file] = (scope, cscan.parents(src.code, scope))
        return self._scopes[file]


def _macro_uses(tree: _Tree, name: str, depth: int) -> list[tuple[str, int, str]]:
    """(file, line, struct) for uses of a macro inside initialisers; a use in
    another macro's body counts through that macro's own uses."""
    if depth > MACRO_DEPTH:
        return []
    uses = []
    for file in inventory.git_grep(tree.tree, (name,), pathspec=('*.c', '*.h')):
        src = tree.source(file)
        for i, tok in enumerate(src.code):
            if tok.text != name or tok.macro == name:
                continue
            if tok.macro is not None:
                uses += _macro_uses(tree, tok.macro, depth + 1)
                continue
            if tok.directive:
                continue
            scope, parents = tree.c_scope(file)
            brace = parents.get(i, -1)
            if brace >= 0:
                struct = _struct_before(src.code, scope, brace)
                if struct:
                    uses.append((file, tok.line, struct))
    return uses


def _designators(tree: _Tree, file: str) -> tuple[list[Finding], list[Note]]:
    """Kind 1: `.iova_to_phys =` typed by its initialiser (tokens)."""
    src = tree.source(file)
    code = src.code
    findings, notes = [], []
    macros = sorted({t.macro for t in code if t.macro and t.text == TOKEN})
    for macro in [None] + macros:
        if macro is None:
            scope, parents = tree.c_scope(file)
        else:
            scope = src.scope(macro)
            parents = cscan.parents(code, scope)
        for k, i in enumerate(scope[1:-1], 1):
            if (code[i].text != TOKEN or code[scope[k - 1]].text != '.'
                    or code[scope[k + 1]].text != '='):
                continue
            value = ''
            for j in scope[k + 2:k + 12]:
                if code[j].text in (',', '}', ';'):
                    break
                value += code[j].text
            brace = parents[i]
            if brace >= 0:
                struct = _struct_before(code, scope, brace)
                if struct in OPS_STRUCTS:
                    where = f' in macro {macro}' if macro else ''
                    findings.append(Finding(
                        file, code[i].line, Kind.INITIALISER, macro or _outer_name(code, scope, parents, i),
                        'tokens', f'.iova_to_phys = {value} initialises struct {struct}{where}'))
                elif struct is None:
                    notes.append(Note(file, code[i].line, 'initialiser of unknown type'))
                continue
            if macro is None:
                continue
            uses = _macro_uses(tree, macro, 1)
            typed = [u for u in uses if u[2] in OPS_STRUCTS]
            if typed:
                first = typed[0]
                more = f' (+{len(typed) - 1} more)' if len(typed) > 1 else ''
                findings.append(Finding(
                    file, code[i].line, Kind.INITIALISER, macro, 'tokens',
                    f'.iova_to_phys = {value} in macro {macro}, used in struct '
                    f'{first[2]} at {first[0]}:{first[1]}{more}'))
            elif not uses:
                notes.append(Note(file, code[i].line,
                                  f'macro {macro} sets .iova_to_phys but is never used'))
    return findings, notes


def _members(tree: _Tree, file: str) -> list[Finding]:
    """Kind 0: the op member of the ops structs, and its kernel-doc line."""
    src = tree.source(file)
    code = src.code
    scope, _ = tree.c_scope(file)
    found = []
    for k, i in enumerate(scope[:-2]):
        if (code[i].text != 'struct' or code[scope[k + 1]].text not in OPS_STRUCTS
                or code[scope[k + 2]].text != '{'):
            continue
        struct = code[scope[k + 1]].text
        comment = src.comments.get(i)
        if comment:
            for n, text in enumerate(comment[1].split('\n')):
                if re.search(rf'@{TOKEN}\s*:', text):
                    found.append(Finding(
                        file, comment[0] + n, Kind.MEMBER, struct, 'tokens',
                        f'kernel-doc of the iova_to_phys member of struct {struct}'))
        depth = 0
        for j in range(k + 2, len(scope)):
            text = code[scope[j]].text
            depth += {'{': 1, '}': -1}.get(text, 0)
            if depth == 0:
                break
            if (text == TOKEN and code[scope[j - 1]].text == '*'
                    and code[scope[j - 2]].text == '('):
                found.append(Finding(file, code[scope[j]].line, Kind.MEMBER, struct, 'tokens',
                                     f'struct {struct} still declares the iova_to_phys op'))
    return found


def _length_returns(tree: _Tree, file: str) -> list[Finding]:
    """Kind 4 by tokens: `return 0;` or `return c ? x : 0;` in a function
    shaped like iova_to_phys_length, including macro-named ones spatch skips."""
    code = tree.source(file).code
    scope, parents = tree.c_scope(file)
    texts = [code[i].text for i in scope]
    found = []
    for k, i in enumerate(scope):
        if texts[k] != 'phys_addr_t' or parents[i] != -1:
            continue
        # phys_addr_t NAME ( params ) {   or   phys_addr_t M(args) ( params ) {
        j = k + 1
        name = texts[j] if j < len(texts) else ''
        j += 1
        groups = []
        while j < len(texts) and texts[j] == '(' and len(groups) < 2:
            depth, start = 0, j
            while j < len(texts):
                depth += {'(': 1, ')': -1}.get(texts[j], 0)
                j += 1
                if depth == 0:
                    break
            groups.append(texts[start + 1:j - 1])
        if not groups or j >= len(texts) or texts[j] != '{':
            continue
        params = ' '.join(groups[-1])
        if len(groups) == 2:
            name = f'{name}({" ".join(groups[0])})'
        if not (re.search(r'\bstruct (iommu_domain|io_pgtable_ops) \*', params)
                and re.search(r'\bsize_t \*', params) and params.count(',') == 2):
            continue
        depth = 0
        for m in range(j, len(texts)):
            depth += {'{': 1, '}': -1}.get(texts[m], 0)
            if depth == 0:
                break
            if texts[m] != 'return':
                continue
            end = texts.index(';', m)
            value = texts[m + 1:end]
            if value == ['0'] or (len(value) > 2 and value[-2:] == [':', '0']):
                found.append(Finding(file, code[scope[end - 1]].line, Kind.ZERO_RETURN, name, 'tokens',
                                     'returns 0 from an iova_to_phys_length function: '
                                     'use PHYS_ADDR_MAX'))
    return found


def _op_uses(tree: _Tree, file: str) -> list[Note]:
    """Every `->iova_to_phys` / `.iova_to_phys` that is not a designator."""
    src = tree.source(file)
    code = src.code
    notes = []
    for k in range(1, len(code) - 1):
        tok = code[k]
        if tok.text != TOKEN or code[k - 1].text not in ('->', '.'):
            continue
        if code[k - 1].text == '.' and code[k + 1].text == '=' and (
                k < 2 or code[k - 2].text in (',', '{', '(') or code[k - 2].macro):
            continue       # a designator: _designators() judges it
        notes.append(Note(file, tok.line, 'use of the op not explained by a finding'))
    return notes


def token_pass(tree: pathlib.Path, files: list[str]) -> tuple[list[Finding], list[Note]]:
    lexed = _Tree(tree)
    findings: list[Finding] = []
    notes: list[Note] = []
    for file in files:
        found, odd = _designators(lexed, file)
        findings += found + _members(lexed, file) + _length_returns(lexed, file)
        notes += odd + _op_uses(lexed, file)
    return findings, notes
