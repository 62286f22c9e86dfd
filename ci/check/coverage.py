"""Changed-line coverage: did some checked config really compile each added line?

After JMake (Lawall and Muller, DSN 2017): put a unique marker token on every
added line, preprocess the objects that read the file with their own saved
compile command (gcc -E), and see which markers come out.  A marker that never
comes out sits under an #if the configs do not take, or in a file no config
compiles; the report names that #if or the Makefile's CONFIG_ symbol.

What counts as a line:
  - a line with C code outside comments gets the marker before its first token;
  - #define/#include/#undef/#pragma (and their continuation lines) count as
    compiled when the directive sits in an active region: a marker line is put
    just above the directive;
  - blank lines, comment-only lines and #if/#ifdef/#elif/#else/#endif lines do
    not count.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import subprocess

from ci.check import kbuild

MARK = '__jmake_{}__'
MARK_RE = re.compile(r'__jmake_(\d+)__')
HUNK = re.compile(r'^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@')
CONDITIONAL = ('if', 'ifdef', 'ifndef', 'elif', 'elifdef', 'elifndef', 'else', 'endif')
C_FILES = ('.c', '.h')


@dataclasses.dataclass(frozen=True)
class Line:
    kind: str           # code, directive, continuation, conditional, none
    column: int = 0     # code: where the first token starts
    directive: int = 0  # continuation: the line (1-based) of its directive


def added_lines(diff: str) -> dict[str, list[int]]:
    """Lines (1-based, new side) added or changed per file in a `git diff -U0` output."""
    result: dict[str, list[int]] = {}
    current = None
    for line in diff.splitlines():
        if line.startswith('+++ '):
            name = line[4:].strip()
            current = name[2:] if name.startswith('b/') else None
            continue
        m = HUNK.match(line)
        if m and current is not None:
            start, count = int(m.group(1)), int(m.group(2) or 1)
            result.setdefault(current, []).extend(range(start, start + count))
    return {f: lines for f, lines in result.items() if lines}


def classify(text: str) -> list[Line]:
    """What each line of a C file is, for marking: see the module comment."""
    out: list[Line] = []
    in_comment = False
    directive_line = 0          # the directive the next line continues, if any
    for number, line in enumerate(text.split('\n'), 1):
        column = -1
        i, n = 0, len(line)
        quote = ''
        while i < n:
            c = line[i]
            if in_comment:
                in_comment = not line.startswith('*/', i)
                i += 1 if in_comment else 2
                continue
            if quote:           # a backslash escapes the next character
                quote = '' if c == quote else quote
                i += 2 if c == '\\' else 1
                continue
            if line.startswith('/*', i):
                in_comment = True
                i += 2
                continue
            if line.startswith('//', i):
                break
            if not c.isspace():
                if column < 0:
                    column = i
                if c in '"\'':
                    quote = c
            i += 1
        ends_continued = line.rstrip().endswith('\\') and not in_comment
        if directive_line:
            out.append(Line('continuation', directive=directive_line))
        elif column >= 0 and line[column] == '#':
            conditional = re.match(r'#\s*(\w*)', line[column:]).group(1) in CONDITIONAL
            out.append(Line('conditional' if conditional else 'directive'))
            directive_line = 0 if conditional else number
        else:
            out.append(Line('code', column) if column >= 0 else Line('none'))
        if not ends_continued:
            directive_line = 0
    return out


def countable(kinds: list[Line], lines: list[int]) -> list[int]:
    return [n for n in lines if 0 < n <= len(kinds)
            and kinds[n - 1].kind in ('code', 'directive', 'continuation')]


def mutate(text: str, kinds: list[Line], lines: list[int]) -> tuple[str, dict[int, int]]:
    """The text with a marker for each countable line; marker number -> its line."""
    src = text.split('\n')
    directives: set[int] = set()
    markers: dict[int, int] = {}
    for n in countable(kinds, lines):
        k = kinds[n - 1]
        if k.kind == 'code':
            markers[n] = n
            line = src[n - 1]
            src[n - 1] = f'{line[:k.column]} {MARK.format(n)} {line[k.column:]}'
        else:           # a directive, or a continuation of one: marked above it
            markers[n] = k.directive if k.kind == 'continuation' else n
            directives.add(markers[n])
    for n in directives:
        src[n - 1] = f'{MARK.format(n)}\n{src[n - 1]}'
    return '\n'.join(src), markers


def covered_lines(markers: dict[int, int], preprocessed: str) -> set[int]:
    """The lines whose marker came out of the preprocessor."""
    seen = {int(m) for m in MARK_RE.findall(preprocessed)}
    return {line for line, marker in markers.items() if marker in seen}


def hiding_conditions(text: str, line: int) -> list[str]:
    """The open #if/#ifdef/#elif/#else around a line, outermost first, as 'N: text'."""
    stack: list[list[str]] = []
    lines = text.split('\n')
    directives = [(n, m.group(1), m.group(2).strip()) for n, raw in enumerate(lines, 1)
                  for m in [re.match(r'\s*#\s*(\w+)(.*)', raw)] if m]
    guards = {n for (n, name, rest), nxt in zip(directives, directives[1:])
              if name == 'ifndef' and nxt[1] == 'define' and nxt[2].split()[:1] == rest.split()[:1]}
    for number, name, _ in directives:
        if number >= line:
            break
        here = f'{number}: {lines[number - 1].strip()}'
        if name in ('if', 'ifdef', 'ifndef'):
            stack.append([] if number in guards else [here])
        elif name in ('elif', 'elifdef', 'elifndef', 'else') and stack and stack[-1]:
            stack[-1].append(here)
        elif name == 'endif' and stack:
            stack.pop()
    return [branch[0] if len(branch) == 1 else f'{branch[-1]} (of {branch[0]})'
            for branch in filter(None, stack)]


def makefile_symbols(makefile: str, target: str) -> list[str]:
    """CONFIG_ symbols that put target (foo.o or dir/) into the build, per this Makefile."""
    symbols: list[str] = []
    for line in re.sub(r'\\\n', ' ', makefile).split('\n'):     # joined continuations
        m = re.match(r'\s*([\w.-]+)-(\$\(CONFIG_(\w+)\)|y|objs)\s*[:+]?=\s*(.*)', line)
        if not m or target not in m.group(4).split():
            continue
        prefix, symbol = m.group(1), m.group(3)
        if symbol:
            symbols.append(f'CONFIG_{symbol}')
        if prefix not in ('obj', 'lib', 'subdir'):
            symbols += makefile_symbols(makefile, f'{prefix}.o')
    return list(dict.fromkeys(symbols))


def kconfig_path(tree: pathlib.Path, file: str) -> list[str]:
    """The CONFIG_ symbols on the way from the top to file's object, innermost last."""
    path = pathlib.PurePosixPath(file)
    target = path.with_suffix('.o').name
    chain: list[str] = []
    directory = path.parent
    while str(directory) not in ('.', ''):
        makefile = next((tree / directory / n for n in ('Kbuild', 'Makefile')
                         if (tree / directory / n).is_file()), None)
        if makefile:
            chain[:0] = makefile_symbols(makefile.read_text(errors='replace'), target)
            target = f'{directory.name}/'
        else:
            target = f'{directory.name}/{target}'
        directory = directory.parent
    return list(dict.fromkeys(chain))


def measure(srctree: pathlib.Path, build: pathlib.Path, index: kbuild.Index,
            wanted: dict[str, list[int]], scratch: pathlib.Path, env: dict,
            max_users: int = 8) -> tuple[dict[str, set[int]], dict[str, int]]:
    """Mark the wanted lines in the tree, preprocess their users, put the files back.

    Returns the covered lines per file and, per file, how many objects were
    preprocessed.  Each file is restored byte for byte with its old mtime, so
    make does not see it as changed.
    """
    covered: dict[str, set[int]] = {}
    tried: dict[str, int] = {}
    scratch.mkdir(parents=True, exist_ok=True)
    for file, lines in wanted.items():
        path = srctree / file
        users = index.users({file})[:max_users]
        tried[file] = 0
        if not users or not path.is_file():
            continue
        text = path.read_text(errors='surrogateescape')
        mutated, markers = mutate(text, classify(text), lines)
        if not markers:
            continue
        stat = path.stat()
        raw = path.read_bytes()
        got: set[int] = set()
        try:
            path.write_text(mutated, errors='surrogateescape')
            for obj in users:
                out = scratch / (obj.replace('/', '_') + '.i')
                cmd = kbuild.preprocess_command(index.objects[obj], str(out))
                subprocess.run(['nice', '-n', '10', 'sh', '-c', cmd], cwd=build, env=env,
                               capture_output=True)
                tried[file] += 1
                if out.exists():
                    got |= covered_lines(markers, out.read_text(errors='replace'))
                    out.unlink()
                if len(got) == len(markers):
                    break
        finally:
            path.write_bytes(raw)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        covered[file] = got
    return covered, tried


class Tracker:
    """The countable added lines of each commit, and which arch compiled which."""

    def __init__(self):
        self.pending: dict[tuple[str, str], set[int]] = {}
        self.total: dict[tuple[str, str], int] = {}
        self.texts: dict[tuple[str, str], str] = {}
        self.users: dict[tuple[str, str], dict[str, int]] = {}

    def add(self, step: str, file: str, text: str, lines: list[int]) -> None:
        lines = countable(classify(text), lines)
        if lines:
            key = (step, file)
            self.pending[key] = set(lines)
            self.total[key] = len(lines)
            self.texts[key] = text

    def wanted(self, step: str) -> dict[str, list[int]]:
        return {f: sorted(lines) for (s, f), lines in self.pending.items() if s == step and lines}

    def record(self, step: str, arch: str, covered: dict[str, set[int]],
               tried: dict[str, int]) -> None:
        for file, lines in covered.items():
            self.pending[(step, file)] = self.pending.get((step, file), set()) - lines
        for file, n in tried.items():
            self.users.setdefault((step, file), {})[arch] = n

    def counts(self) -> tuple[int, int]:
        total = sum(self.total.values())
        return total - sum(len(v) for v in self.pending.values()), total

    def uncovered(self) -> list[tuple[str, str, int, str]]:
        """(step, file, line, text) of every added line no config compiled, in order."""
        out = []
        for (step, file), lines in self.pending.items():
            src = self.texts[(step, file)].split('\n')
            out += [(step, file, n, src[n - 1]) for n in sorted(lines)]
        return out


def explain(text: str, file: str, line: int, users: dict[str, int], symbols: list[str],
            values: dict[str, dict[str, str]]) -> str:
    """Why a line was not compiled: the #if around it, or what keeps its file out."""
    if not any(users.values()):
        if file.endswith('.c'):
            parts = []
            for sym in symbols:
                per_arch = '; '.join(f'{a}={v.get(sym, "n")}' for a, v in values.items())
                parts.append(f'{sym} ({per_arch})')
            needs = ', '.join(parts) or 'no CONFIG_ symbol found in the Makefiles'
            return f'no checked config compiles {file}: needs {needs}'
        return 'no object of the built subsystems includes this header on the checked configs'
    conditions = hiding_conditions(text, line)
    if conditions:
        return 'under ' + ' > '.join(conditions)
    return (f'no #if around it; not reached by the {max(users.values())} objects preprocessed '
            'per arch')
