"""Kbuild facts ci.check reads: the .o.cmd files and the output of `make -O`.

The .o.cmd file Kbuild keeps next to every object (fixdep output) holds the
command that compiled it (savedcmd_), its source (source_) and every file it
read (deps_).  That is where "which objects include this header" comes from.

`make -O` (--output-sync=target) prints each object's recipe output in one
block that starts with its quiet line ("  CC [M]  drivers/iommu/foo.o"), so a
diagnostic belongs to the object of the last quiet line above it.
"""

from __future__ import annotations

import collections
import dataclasses
import pathlib
import posixpath
import re

QUIET = re.compile(r'^  (CC|AS|CPP|CHECK)( \[M\])?\s+(\S+\.[ois])\s*$')
DIAG = re.compile(r'^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?:(?P<col>\d+):)? '
                  r'(?P<kind>warning|error|fatal error): (?P<msg>.*)$')
OBJTOOL = re.compile(r'^(?P<file>\S+\.o): (?P<kind>warning|error): objtool: (?P<msg>.*)$')
MAKE_ERROR = re.compile(r'^make(?:\[\d+\])?: \*\*\* \[(?:.*): (?P<target>[^\]:]+)\] Error \d+')
OFFSET = re.compile(r'\+0x[0-9a-f]+(?:/0x[0-9a-f]+)?')
# Kbuild unexports LC_ALL, so gcc may quote with the user's locale.
QUOTES = str.maketrans({'\u2018': "'", '\u2019': "'"})


@dataclasses.dataclass(frozen=True, order=True)
class Diag:
    """One compiler diagnostic, without line and column: those move with every edit."""
    file: str
    kind: str           # warning, error
    message: str

    def __str__(self) -> str:
        return f'{self.file}: {self.kind}: {self.message}'


@dataclasses.dataclass
class ObjectOutput:
    compiled: bool = False          # a quiet line for it was printed
    failed: bool = False            # make reported an error for it
    diags: list[Diag] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class CmdFile:
    obj: str                        # relative to the build dir, e.g. drivers/iommu/iommu.o
    source: str                     # relative to srctree
    deps: frozenset[str]            # source-tree files it read, relative to srctree
    command: str


def relative(path: str, srctree: str) -> str | None:
    """A path as Kbuild printed it, relative to srctree; None if outside the tree."""
    prefix = srctree.rstrip('/') + '/'
    if path.startswith(prefix):
        # includes like "../kunit_iommu_pt.h" leave dir/../ in the path
        return posixpath.normpath(path[len(prefix):])
    if path.startswith(('/', './', '$(')):
        return None
    return posixpath.normpath(path)


def parse_output(text: str, srctree: str) -> dict[str, ObjectOutput]:
    """Per object: whether it was compiled, failed, and its diagnostics."""
    objects: dict[str, ObjectOutput] = collections.defaultdict(ObjectOutput)
    current = None
    for line in text.splitlines():
        m = QUIET.match(line)
        if m:
            current = m.group(3)
            objects[current].compiled = True
            continue
        m = MAKE_ERROR.match(line)
        if m:
            target = m.group('target').strip()
            if target.endswith(('.o', '.i', '.s')):
                objects[target].failed = True
            continue
        m = OBJTOOL.match(line)
        if m:
            obj = m.group('file')
            objects[obj].diags.append(Diag(obj, m.group('kind'),
                                           'objtool: ' + OFFSET.sub('', m.group('msg'))))
            continue
        m = DIAG.match(line)
        if m and current:
            file = relative(m.group('file'), srctree) or m.group('file')
            kind = 'error' if 'error' in m.group('kind') else 'warning'
            diag = Diag(file, kind, m.group('msg').strip().translate(QUOTES))
            objects[current].diags.append(diag)
    # Output of a sub-make can still land inside another object's block
    # (seen: a dmar.c warning after the quiet line of virtio-iommu.o), so a
    # diagnostic in foo.c belongs to foo.o when foo.o was compiled here.
    for obj, out in objects.items():
        for diag in list(out.diags):
            owner = diag.file[:-2] + '.o' if diag.file.endswith('.c') else None
            if owner and owner != obj and owner in objects and objects[owner].compiled:
                out.diags.remove(diag)
                objects[owner].diags.append(diag)
    return dict(objects)


def new_warnings(base: list[Diag], now: list[Diag]) -> list[Diag]:
    """Warnings in `now` that `base` does not have (as multisets: a second copy is new)."""
    left = collections.Counter(d for d in base if d.kind == 'warning')
    new = []
    for d in (d for d in now if d.kind == 'warning'):
        if left[d]:
            left[d] -= 1
        else:
            new.append(d)
    return new


def parse_cmd(text: str, srctree: str) -> CmdFile | None:
    """A .o.cmd file; None for objects not compiled from a source (links, archives)."""
    command = re.search(r'^savedcmd_(\S+) := (.*)$', text, re.M)
    source = re.search(r'^source_\S+ := (\S+)$', text, re.M)
    if not command or not source:
        return None
    src = relative(source.group(1), srctree)
    if src is None:
        return None
    block = re.search(r'^deps_\S+ := \\\n((?:.*\\\n)*.*)$', text, re.M)
    words = [w.strip() for w in block.group(1).split('\\\n')] if block else []
    # relative() leaves out $(wildcard ...) and the paths outside the tree
    deps = {rel for w in words if w and (rel := relative(w, srctree))} | {src}
    return CmdFile(command.group(1), src, frozenset(deps), command.group(2))


def cmd_path(build: pathlib.Path, obj: str) -> pathlib.Path:
    p = pathlib.PurePosixPath(obj)
    return build / p.parent / f'.{p.name}.cmd'


class Index:
    """The compiled objects of some build directories, and what each read."""

    def __init__(self, build: pathlib.Path, srctree: str, dirs: list[str] = ()):
        self.build = build
        self.srctree = srctree
        self.objects: dict[str, CmdFile] = {}
        self.scan(dirs)

    def scan(self, dirs: list[str]) -> None:
        for d in dirs:
            root = self.build / d
            if root.is_dir():
                for cmd in root.rglob('.*.o.cmd'):
                    self._read(cmd)

    def refresh(self, objs: list[str]) -> None:
        for obj in objs:
            path = cmd_path(self.build, obj)
            if path.exists():
                self._read(path)
            else:
                self.objects.pop(obj, None)

    def _read(self, path: pathlib.Path) -> None:
        parsed = parse_cmd(path.read_text(errors='replace'), self.srctree)
        if parsed:
            self.objects[parsed.obj] = parsed

    def users(self, files: set[str]) -> list[str]:
        """Objects that read any of files; objects compiled from one of them come first."""
        direct = [o for o, c in self.objects.items() if c.source in files]
        others = [o for o, c in self.objects.items() if c.source not in files and c.deps & files]
        return sorted(direct) + sorted(others)


def preprocess_command(cmd: CmdFile, out: str) -> str:
    """The object's own compile command turned into `-E -o out` (no objtool, no .d file)."""
    first = cmd.command.split(' ; ')[0]
    first = re.sub(r'\s-Wp,-MMD,\S+', '', first)
    new, n = re.subn(r'\s-c\s+-o\s+\S+', f' -E -o {out}', first)
    if n != 1:
        raise ValueError(f'{cmd.obj}: no "-c -o" in its saved command')
    return new
