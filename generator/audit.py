"""Audit a kernel tree for what is left of the iova_to_phys op.

    python3 -m generator.audit --kernel TREE [--mode report|org|context|patch]

Kinds of finding (cocci/audit/iova_to_phys.cocci describes 1-4):
  0  the op member, or its kernel-doc, still in struct iommu_domain_ops or
     struct io_pgtable_ops (token pass)
  1  .iova_to_phys initialisers and assignments of the op
  2  calls through the op, or other reads of it
  3  loops calling iommu_iova_to_phys() with a fixed step (low confidence)
  4  iova_to_phys_length implementations returning 0 on an error path

spatch runs on the files that contain the token, one file per group so that
`--jobs` spreads them.  spatch does not parse #define bodies, nor functions
whose name is a macro call (generic_pt's DOMAIN_NS()), so a token pass adds
`.iova_to_phys =` designators (typed by their enclosing initialiser, in the
macro body or at the macro's uses), the op members, and `return 0` in
iova_to_phys_length-shaped functions.  Each finding says which method found
it.  Field accesses of the op that no finding explains are listed as notes
to check by hand, so nothing spatch fails to parse goes unseen.

The exit status is 1 when kinds 0, 1, 2 or 4 exist, else 0; kind 3 (the
kept wrapper's fixed-stride callers) never fails the audit.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pathlib
import re
import resource
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
RULE = REPO / 'cocci' / 'audit' / 'iova_to_phys.cocci'
TOKEN = 'iova_to_phys'
OPS_STRUCTS = ('iommu_domain_ops', 'io_pgtable_ops')
MODES = ('report', 'org', 'context', 'patch')
FAILING_KINDS = frozenset({0, 1, 2, 4})
KIND_TITLES = {
    0: 'op member still declared',
    1: 'op initialised or assigned',
    2: 'call or read through the op',
    3: 'fixed-stride loop over iommu_iova_to_phys() (low confidence)',
    4: '0 returned on an error path of an iova_to_phys_length function',
}
# The op calls are matched by type: spatch needs the ops structs and struct
# iommu_domain.  Forcing in just these two headers (plus each file's local
# ones) costs a tenth of --all-includes and finds the same.
TYPE_HEADERS = ('include/linux/iommu.h', 'include/linux/io-pgtable.h')
MACRO_DEPTH = 4


@dataclasses.dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    kind: int
    function: str    # enclosing function, initialised variable, or macro
    method: str      # spatch | tokens | spatch+tokens
    reason: str

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True, order=True)
class Note:
    """A use of the op token that no finding explains: check it by hand."""
    file: str
    line: int
    text: str


@dataclasses.dataclass
class Audit:
    findings: list[Finding]
    notes: list[Note]
    files: list[str]
    warnings: list[str]
    seconds: float

    def count(self, kind: int) -> int:
        return sum(1 for f in self.findings if f.kind == kind)

    def failed(self) -> bool:
        return any(f.kind in FAILING_KINDS for f in self.findings)


class AuditError(Exception):
    """spatch or git failed: printed as one line, exit status 2."""


# ---------------------------------------------------------------- files

def _is_git(tree: pathlib.Path) -> bool:
    return (tree / '.git').exists()


def _grep(tree: pathlib.Path, word: str, whole_word: bool) -> list[str]:
    """Files under tree (*.c, *.h) containing word."""
    if _is_git(tree):
        args = ['git', '-C', str(tree), 'grep', '-l', '-F']
        if whole_word:
            args.append('-w')
        args += ['-e', word, '--', '*.c', '*.h']
        proc = subprocess.run(args, capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            raise AuditError(f'git grep failed in {tree}: {proc.stderr.strip()}')
        return sorted(proc.stdout.split())
    pattern = re.compile(rf'\b{re.escape(word)}\b' if whole_word else re.escape(word))
    found = []
    for root, dirs, names in os.walk(tree):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        for name in names:
            if name.endswith(('.c', '.h')):
                path = pathlib.Path(root) / name
                if pattern.search(path.read_text(errors='replace')):
                    found.append(str(path.relative_to(tree)))
    return sorted(found)


def candidate_files(tree: pathlib.Path) -> list[str]:
    """Sources that mention the token at all (the kernel's tools/ and
    Documentation/ are not built into the kernel)."""
    return [f for f in _grep(tree, TOKEN, whole_word=False)
            if not f.startswith(('tools/', 'Documentation/', 'scripts/'))]


# ---------------------------------------------------------------- spatch

_REPORT_LINE = re.compile(
    r'^(?P<file>[^:\s]+):(?P<line>\d+):\d+-\d+: kind (?P<kind>\d): (?P<reason>.*) '
    r'\(in (?P<function>[^()]*)\)$')
_ORG_LINE = re.compile(
    r'^\* TODO \[\[view:(?P<file>[^:]+)::face=[^:]*::linb=(?P<line>\d+)::.*?\]'
    r'\[kind (?P<kind>\d): (?P<reason>.*) \(in (?P<function>[^()]*)\)\]\]$')


def _spatch(tree: pathlib.Path, files: list[str], mode: str, jobs: int,
            rule: pathlib.Path = RULE) -> tuple[str, list[str]]:
    """Run the rule in one mode; returns (stdout, warnings)."""
    if not files:
        return '', []
    with tempfile.NamedTemporaryFile('w', suffix='.groups', delete=False) as groups:
        # One group per file: a plain file list would be one group, one job.
        groups.write('\n\n'.join(files) + '\n')
    cmd = ['spatch', '-D', mode, '--very-quiet', '--sp-file', str(rule),
           '--file-groups', groups.name, '--timeout', '200',
           '--local-includes', '--include-headers-for-types', '--include-headers',
           '-I', 'include']
    for header in TYPE_HEADERS:
        if (tree / header).is_file():
            cmd += ['--include', header]
    if jobs > 1:
        cmd += ['--jobs', str(jobs), '--chunksize', '1']
    if mode in ('report', 'org'):
        cmd.append('--no-show-diff')
    if mode == 'patch':
        cmd += ['--patch', '.']
    try:
        proc = subprocess.run(cmd, cwd=tree, capture_output=True, text=True,
                              env=dict(os.environ, PYTHONUNBUFFERED='1'))
    except FileNotFoundError:
        raise AuditError('spatch not found: install the Debian package coccinelle')
    finally:
        os.unlink(groups.name)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [str(proc.returncode)])[-1]
        raise AuditError(f'spatch -D {mode} failed: {last}')
    warnings = [w for w in proc.stderr.splitlines()
                if re.search(r'timeout|EXN|Fatal|error', w, re.I)
                and 'not used in the - or context code' not in w]
    return proc.stdout, warnings


def parse_spatch(output: str) -> list[Finding]:
    """Findings from the rule's report or org lines."""
    found = set()
    for line in output.splitlines():
        m = _REPORT_LINE.match(line) or _ORG_LINE.match(line)
        if m:
            found.add(Finding(m['file'], int(m['line']), int(m['kind']),
                              m['function'], 'spatch', m['reason']))
    return sorted(found)


# ---------------------------------------------------------------- tokens

_LEX = re.compile(r'''
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
  | (?P<cont>\\\n)
  | (?P<newline>\n)
  | (?P<space>[ \t\r\f\v]+)
  | (?P<word>[A-Za-z_]\w*|\d[\w.]*)
  | (?P<punct>->|\#\#|.)
''', re.S | re.X)


@dataclasses.dataclass(frozen=True)
class Token:
    text: str
    line: int
    macro: str | None = None      # the #define whose body holds the token
    directive: bool = False       # inside any preprocessor line


@dataclasses.dataclass
class Source:
    code: list[Token]                         # no comments, no whitespace
    comments: dict[int, tuple[int, str]]      # code index -> comment just before it

    def scope(self, macro: str | None) -> list[int]:
        """Indexes of the code tokens of one macro body, or of the C code."""
        if macro is None:
            return [i for i, t in enumerate(self.code) if not t.directive]
        return [i for i, t in enumerate(self.code) if t.macro == macro]


def lex(text: str) -> Source:
    code: list[Token] = []
    comments: dict[int, tuple[int, str]] = {}
    line = 1
    line_start = True          # only whitespace so far on this logical line
    directive = False
    macro: str | None = None
    expect = ''                # '' | 'name' (after #) | 'macro' (after #define)
    pending: tuple[int, str] | None = None
    for m in _LEX.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind == 'newline':
            line += 1
            line_start = True
            directive, macro, expect = False, None, ''
            continue
        if kind == 'cont':
            line += 1
            continue
        if kind == 'space':
            continue
        if kind == 'comment':
            pending = (line, value)
            line += value.count('\n')
            continue
        if line_start and value == '#':
            directive, expect = True, 'name'
            line_start = False
            continue
        line_start = False
        if expect == 'name':
            expect = 'macro' if value == 'define' else ''
            continue
        if expect == 'macro':
            macro, expect = value, ''
            continue
        if pending is not None:
            comments[len(code)] = pending
            pending = None
        code.append(Token(value, line, macro, directive))
    return Source(code, comments)


def _parents(code: list[Token], scope: list[int]) -> dict[int, int]:
    """For each token of a scope, the index of its innermost open brace (-1)."""
    parents: dict[int, int] = {}
    stack: list[int] = []
    for i in scope:
        text = code[i].text
        if text == '}' and stack:
            stack.pop()
        parents[i] = stack[-1] if stack else -1
        if text == '{':
            stack.append(i)
    return parents


def _struct_before(code: list[Token], scope: list[int], brace: int) -> str | None:
    """The struct type an initialiser brace belongs to: `(const struct T){`
    or `struct T name = {` (name may be an array)."""
    pos = scope.index(brace)
    before = [code[i].text for i in scope[max(0, pos - 24):pos]]
    if before and before[-1] == ')':
        depth, k = 0, len(before) - 1
        while k >= 0:
            depth += {')': 1, '(': -1}.get(before[k], 0)
            if depth == 0:
                break
            k -= 1
        words = before[k + 1:-1]
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


def _outer_name(code: list[Token], scope: list[int], parents: dict[int, int],
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
        depth, n = 0, len(texts) - 1
        while n >= 0:
            depth += {')': 1, '(': -1}.get(texts[n], 0)
            if depth == 0:
                break
            n -= 1
        texts = texts[:n]
    elif texts and texts[-1] == '=':          # a variable: NAME [ ] = {
        texts = [t for t in texts[:-1] if t not in '[]']
    names = [t for t in texts[-1:] if re.match(r'[A-Za-z_]\w*$', t)]
    return names[0] if names else '?'


class _Tree:
    """Lazily lexed sources of a tree."""

    def __init__(self, tree: pathlib.Path):
        self.tree = tree
        self._sources: dict[str, Source] = {}
        self._scopes: dict[str, tuple[list[int], dict[int, int]]] = {}

    def source(self, file: str) -> Source:
        if file not in self._sources:
            text = (self.tree / file).read_text(errors='replace')
            self._sources[file] = lex(text)
        return self._sources[file]

    def c_scope(self, file: str) -> tuple[list[int], dict[int, int]]:
        """The C code (no preprocessor lines) of a file, and its braces."""
        if file not in self._scopes:
            src = self.source(file)
            scope = src.scope(None)
            self._scopes[file] = (scope, _parents(src.code, scope))
        return self._scopes[file]


def _macro_uses(tree: _Tree, name: str, depth: int) -> list[tuple[str, int, str]]:
    """(file, line, struct) for uses of a macro inside initialisers; a use in
    another macro's body counts through that macro's own uses."""
    if depth > MACRO_DEPTH:
        return []
    uses = []
    for file in _grep(tree.tree, name, whole_word=True):
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
            parents = _parents(code, scope)
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
                        file, code[i].line, 1, macro or _outer_name(code, scope, parents, i),
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
                    file, code[i].line, 1, macro, 'tokens',
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
                        file, comment[0] + n, 0, struct, 'tokens',
                        f'kernel-doc of the iova_to_phys member of struct {struct}'))
        depth = 0
        for j in range(k + 2, len(scope)):
            text = code[scope[j]].text
            depth += {'{': 1, '}': -1}.get(text, 0)
            if depth == 0:
                break
            if (text == TOKEN and code[scope[j - 1]].text == '*'
                    and code[scope[j - 2]].text == '('):
                found.append(Finding(file, code[scope[j]].line, 0, struct, 'tokens',
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
                found.append(Finding(file, code[scope[end - 1]].line, 4, name, 'tokens',
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


# ---------------------------------------------------------------- both

def merge(from_spatch: list[Finding], from_tokens: list[Finding]) -> list[Finding]:
    """One finding per (file, line, kind); both methods give spatch+tokens."""
    merged: dict[tuple[str, int, int], Finding] = {}
    for f in from_spatch:
        merged.setdefault((f.file, f.line, f.kind), f)
    for f in from_tokens:
        key = (f.file, f.line, f.kind)
        if key in merged:
            if merged[key].method == 'spatch':
                merged[key] = dataclasses.replace(merged[key], method='spatch+tokens')
        else:
            merged[key] = f
    return sorted(merged.values())


def find(tree: pathlib.Path | str, jobs: int = 2,
         files: list[str] | None = None) -> Audit:
    """Audit a tree: the findings as data (for the inventory to compare)."""
    start = time.monotonic()
    tree = pathlib.Path(tree).resolve()
    if files is None:
        files = candidate_files(tree)
    out, warnings = _spatch(tree, files, 'report', jobs)
    tokens, notes = token_pass(tree, files)
    findings = merge(parse_spatch(out), tokens)
    explained = {(f.file, f.line) for f in findings}
    notes = sorted({n for n in notes if (n.file, n.line) not in explained})
    return Audit(findings, notes, files, warnings, time.monotonic() - start)


def patched_lines(diff: str) -> set[tuple[str, int]]:
    """(file, old line) of every line a unified diff removes."""
    lines = set()
    file, old = '', 0
    for text in diff.splitlines():
        if text.startswith('--- '):
            file = re.sub(r'^a/', '', text[4:].split('\t')[0].strip())
        elif text.startswith('@@'):
            m = re.match(r'@@ -(\d+)', text)
            old = int(m.group(1)) if m else 0
        elif text.startswith('+++'):
            continue
        elif text.startswith('-'):
            lines.add((file, old))
            old += 1
        elif text.startswith(' '):
            old += 1
    return lines


# ---------------------------------------------------------------- command line

def is_patched(finding: Finding, patched: set[tuple[str, int]]) -> bool:
    """Whether a patch-mode diff rewrites the finding's line (for a result
    still 0 from its initialiser, the initialiser's line)."""
    lines = {finding.line}
    m = re.search(r'still 0 from line (\d+)', finding.reason)
    if m:
        lines = {int(m.group(1))}
    return any((finding.file, n) in patched for n in lines)


def _print_findings(audit: Audit, mode: str, patched: set[tuple[str, int]] | None) -> None:
    for f in audit.findings:
        where = f'{f.file}:{f.line}'
        text = f'kind {f.kind} [{f.method}] {f.function}: {f.reason}'
        if patched is not None and f.kind != 3:
            text += ('  -- patched' if is_patched(f, patched)
                     else '  -- not patched: needs review')
        if mode == 'org':
            print(f'* TODO [[view:{f.file}::face=ovl-face1::linb={f.line}][{where}: {text}]]')
        else:
            print(f'{where}: {text}')
    for n in audit.notes:
        print(f'{n.file}:{n.line}: note: {n.text}')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python3 -m generator.audit',
                                     description=__doc__.split('\n')[0])
    parser.add_argument('--kernel', required=True, help='kernel source tree')
    parser.add_argument('--mode', choices=MODES, default='report')
    parser.add_argument('--jobs', type=int, default=2, help='spatch jobs (default 2)')
    args = parser.parse_args(argv)
    tree = pathlib.Path(args.kernel).expanduser().resolve()
    if not (tree / 'Makefile').is_file() or not (tree / 'drivers').is_dir():
        print(f'audit: {tree} is not a kernel tree', file=sys.stderr)
        return 2
    start = time.monotonic()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        audit = find(tree, jobs=args.jobs)
        patched = None
        if args.mode in ('context', 'patch'):
            out, more = _spatch(tree, audit.files, args.mode, args.jobs)
            audit.warnings += more
            print(out, end='' if out.endswith('\n') or not out else '\n')
            if args.mode == 'patch':
                patched = patched_lines(out)
    except AuditError as err:
        print(f'audit: {err}', file=sys.stderr)
        return 2
    _print_findings(audit, args.mode, patched)
    for w in audit.warnings:
        print(f'audit: spatch: {w}', file=sys.stderr)
    print(f'\n{len(audit.files)} files with "{TOKEN}" in {tree}')
    for kind, title in KIND_TITLES.items():
        print(f'kind {kind}: {audit.count(kind):3d}  {title}')
    print(f'notes:  {len(audit.notes):3d}  uses no finding explains (check by hand)')
    if args.mode == 'patch':
        print('patch mode cannot convert implementations (kind 1), calls whose result is '
              'stored or compared with a value, macro bodies, or loops (kind 3)')
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = used.ru_utime + used.ru_stime - children.ru_utime - children.ru_stime
    print(f'wall time {time.monotonic() - start:.1f}s (spatch and git CPU {cpu:.1f}s)')
    return 1 if audit.failed() else 0


if __name__ == '__main__':
    sys.exit(main())
