"""Callers of iommu_iova_to_phys() the manifest does not know: a release's new ones.

A new caller of the wrapper is the normal case on a new release, and it is
still correct: iommu_iova_to_phys() stays.  So such a caller never stops
generation (unless strict): it is either converted by the generic rule for
the contiguous-run idiom (cocci/callers/generic/contiguous-run.cocci), or
kept on the wrapper and reported loudly: a `kept:` line on stdout, an entry
of series.json's "unconverted" list and a section of the cover letter.

The generic rule converts a function only as a whole; this module tries it
on a copy of the file first, so a function is converted or untouched.
"""

import dataclasses
import pathlib
import re
import shutil
import tempfile
import textwrap

from generator import anchors, cscan, spatch
from generator.errors import Failure
from generator.inventory import Entry
from generator.manifest import REPO, Action, Step

RULE = REPO / 'cocci' / 'callers' / 'generic' / 'contiguous-run.cocci'
HELPER = REPO / 'kernel-overlay' / 'callers' / 'generic-iova_leaf.c'
LOOP_RULE = REPO / 'cocci' / 'callers' / 'wrapper-in-loop.cocci'
NAMES = ('iova_leaf', 'iova_leaf_to_phys')      # what the conversion adds


@dataclasses.dataclass(frozen=True)
class Unconverted:
    file: str
    line: int
    function: str
    loops: bool
    audit_kind: int | None      # generator.audit.Kind of the call, if any
    why: str

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def describe(self) -> str:
        return f'{self.file}:{self.line} {self.function}: {self.why}'


def no_step_error(entry: Entry) -> Failure:
    return Failure(f'no step converts {entry.file}:{entry.line} {entry.kind} '
                   f'{entry.function}, and only driver initialisers can be converted '
                   'by a template; add a step to generator/series.toml')


def looping(tree: pathlib.Path, files: list[str]) -> set[tuple[str, str]]:
    """(file, function) of each iommu_iova_to_phys() call inside a loop."""
    if not files:
        return set()
    out = spatch.run(LOOP_RULE, [pathlib.Path(f) for f in files], cwd=tree)
    return {(f, fn) for f, _, fn in re.findall(r'^LOOP (\S+) (\d+) (\S+)$', out, re.M)}


def _audit_kinds(tree: pathlib.Path, files: list[str]) -> dict[tuple[str, int], int]:
    from generator import audit
    if not files:
        return {}
    return {(f.file, f.line): f.kind for f in audit.find(tree, files=files).findings}


def _declares_first(text: str) -> bool:
    """The added declaration goes first: is the next line one too?"""
    lines = text.split('\n')
    at = next(i for i, line in enumerate(lines) if 'struct iova_leaf iova_leaf = {};' in line)
    after = lines[at + 1].strip() if at + 1 < len(lines) else ''
    return bool(re.match(r'(const\s+|struct\s+|unsigned\s+|enum\s+)*\w+[\s*]+\**\w+\s*'
                         r'(\[[^]]*\])?\s*[;=,]', after))


def try_convert(tree: pathlib.Path, file: str, functions: list[str]) -> dict[str, str]:
    """function -> '' if the rule converts it whole, else why not (tried on a copy)."""
    text = (tree / file).read_text(errors='replace')
    masked = cscan.mask(text)
    taken = [n for n in NAMES if re.search(r'\b' + n + r'\b', masked)]
    if taken:
        return {fn: f'the file already uses the name {taken[0]}' for fn in functions}
    why = {}
    with tempfile.TemporaryDirectory() as tmp:
        copy = pathlib.Path(tmp) / file
        copy.parent.mkdir(parents=True)
        for fn in functions:
            shutil.copy(tree / file, copy)
            out = spatch.run(RULE, [pathlib.Path(file)], cwd=pathlib.Path(tmp),
                             defines={'fn': fn}, in_place=True)
            refused = re.search(r'^REFUSED (.*)$', out, re.M)
            if refused:
                why[fn] = 'not the contiguous-run idiom: ' + refused.group(1)
                continue
            ext = anchors.locate(copy, f'function:{fn}')
            after = '\n'.join(copy.read_text().split('\n')[ext.start:ext.end])
            if 'iova_leaf_to_phys(' not in after:
                why[fn] = 'not the contiguous-run idiom: no loop comparing lookups'
            elif re.search(r'\biommu_iova_to_phys\s*\(', cscan.mask(after)):
                why[fn] = 'the rule would leave an iommu_iova_to_phys() call in it'
            elif not _declares_first(after):
                why[fn] = 'no declarations to add the leaf cache to'
            else:
                why[fn] = ''
    return why


def subject_prefix(file: str) -> str:
    """drivers/misc/foo.c -> misc/foo: a guess at the subsystem prefix."""
    path = pathlib.PurePosixPath(file)
    dirs = [d for d in path.parent.parts if d not in ('drivers', 'gpu')]
    return '/'.join(dirs[-1:] + [path.stem.replace('_', '-')]) if dirs else path.stem


def _body(file: str, functions: list[tuple[str, list[int]]]) -> str:
    named = ', '.join(f'{fn}() (lookups at line {", ".join(map(str, lines))})'
                      for fn, lines in functions)
    paragraphs = [
        f'{named} in {pathlib.PurePosixPath(file).name} measure a physically '
        'contiguous IOVA run: they step a fixed size and compare each '
        'iommu_iova_to_phys() result with the previous address plus the step. '
        'That is one page table walk per step: 512 for a 2M leaf, 262144 for '
        'a 1G one.',
        'Look the addresses up with iova_leaf_to_phys() instead, which walks '
        'the page table once per leaf with iommu_iova_to_phys_length() and '
        'translates the other addresses of that leaf from it. The loops keep '
        'their own steps, limits and results: each call returns what '
        'iommu_iova_to_phys() returns, 0 for no translation included.',
        'The callers were found by the series generator, which inferred the '
        'idiom from the code: a lookup in a loop compared with a sum, one '
        'domain, and no call that could change the mapping between two '
        'lookups.',
    ]
    return '\n\n'.join(textwrap.fill(p, 72, break_on_hyphens=False, break_long_words=False)
                       for p in paragraphs)


def plan(tree: pathlib.Path, entries: list[Entry], strict: bool = False,
         log=print) -> tuple[list[Step], list[Unconverted]]:
    """Steps for the wrapper callers the generic rule converts, and the rest, kept.

    strict: a caller that would be kept stops generation instead."""
    by_file: dict[str, dict[str, list[Entry]]] = {}
    for entry in entries:
        if entry.kind != 'wrapper-call':
            raise Failure(f'new_callers: {entry.key()} is a {entry.kind}, not a wrapper call')
        by_file.setdefault(entry.file, {}).setdefault(entry.function, []).append(entry)
    loops = looping(tree, sorted(by_file))
    new_steps, kept = [], []
    for file, functions in sorted(by_file.items()):
        why = try_convert(tree, file, [fn for fn in functions if (file, fn) in loops])
        why.update({fn: 'a single lookup, not in a loop' for fn in functions
                    if (file, fn) not in loops})
        converted = [fn for fn in functions if not why[fn]]
        if converted:
            first = min(converted, key=lambda fn: functions[fn][0].line)
            actions = [Action('overlay', {'overlay': str(HELPER.relative_to(REPO)),
                                          'file': file, 'before': f'function:{first}'})]
            actions += [Action('cocci', {'cocci': str(RULE.relative_to(REPO)), 'files': [file],
                                         'define': {'fn': fn}})
                        for fn in converted]
            for fn in converted:
                log(f'  new caller {file}:{fn}: contiguous-run idiom, one walk per leaf')
            new_steps.append(Step(
                id=f'new-caller-{subject_prefix(file).replace("/", "-")}',
                subject=f'{subject_prefix(file)}: look up contiguous runs one IOMMU leaf at a time',
                body=_body(file, [(fn, [e.line for e in functions[fn]]) for fn in converted]),
                produced_by='cocci', status='ready', requires=(file,), absent_reason='',
                covers=tuple(f'{file}:{fn}' for fn in converted), actions=tuple(actions),
                checks=()))
        for fn in functions:
            if why[fn]:
                if strict:
                    raise no_step_error(functions[fn][0])
                kept.append((file, fn, why[fn]))
    kinds = _audit_kinds(tree, sorted({file for file, _, _ in kept}))
    unconverted = []
    for file, fn, reason in kept:
        for entry in by_file[file][fn]:
            item = Unconverted(file, entry.line, fn, (file, fn) in loops,
                               kinds.get((file, entry.line)), reason)
            log(f'kept: {item.describe()}')
            unconverted.append(item)
    return new_steps, unconverted


def cover_section(unconverted: list[Unconverted]) -> str:
    """The cover letter's "Not converted in this version" section, or ''."""
    if not unconverted:
        return ''
    heading = 'Not converted in this version'
    lines = [heading, '=' * len(heading),
             textwrap.fill('These callers of iommu_iova_to_phys() are new to the series '
                           'generator. They keep the wrapper, which stays correct, and '
                           'walk the page table once per lookup:', 72)]
    for item in unconverted:
        lines.append(textwrap.fill(f'{item.file}:{item.line} {item.function}(): {item.why}',
                                   72, initial_indent='- ', subsequent_indent='  ',
                                   break_on_hyphens=False, break_long_words=False))
    return '\n'.join(lines)
