"""Steps for implementers the manifest does not know: a release's new drivers.

A driver the manifest has no step for is the normal case on a new release.
It is tried against the shapes of SHAPES (templates/README.md lists the
tries): first with the leaf sizes its code states (generator/leaf_sizes.py),
then with every leaf reporting the smallest page size the driver maps (read
from its pgsize_bitmap): every leaf is at least that big and aligned to it,
so this may under-report but never over-reports.  A template either converts
the whole function or changes nothing; when no try converts it, generation
stops naming the file and the function.
"""

import ast
import pathlib
import re
import shutil
import tempfile
import textwrap

from generator import cscan, new_callers, spatch
from generator.errors import Failure
from generator.inventory import Entry
from generator.manifest import REPO, Action, Step

SHAPES = [REPO / 'templates' / 'leaf.cocci']
COMMON = REPO / 'templates' / 'common.cocci'
_SUFFIX = {10: 'K', 20: 'M', 30: 'G'}
_BITMAP = re.compile(r'\bpgsize_bitmap\s*=\s*([^;,}]+)')


def size_name(value: int) -> str | None:
    """SZ_<n><unit> for a power of two from 1K to 2G, as include/linux/sizes.h has."""
    if value <= 0 or value & (value - 1):
        return None
    shift = value.bit_length() - 1
    for base in (30, 20, 10):
        if shift >= base and shift - base <= 10 and not (base == 30 and shift - base > 1):
            return f'SZ_{1 << (shift - base)}{_SUFFIX[base]}'
    return None


def _defines(masked: str) -> dict[str, str]:
    return {m.group(1): m.group(2).strip() for m in
            re.finditer(r'^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+(.+)$', masked, re.M)}


def _evaluate(expr: str, defines: dict[str, str], depth: int = 0) -> int | None:
    """A constant integer expression of the driver, or None if it is not one."""
    if depth > 8:
        return None
    expr = re.sub(r'\bSZ_(\d+)([KMG])\b',
                  lambda m: str(int(m.group(1)) << {'K': 10, 'M': 20, 'G': 30}[m.group(2)]), expr)
    expr = re.sub(r'\bBIT(?:_ULL)?\s*\(([^()]*)\)', r'(1 << (\1))', expr)
    expr = re.sub(r'(\d+)[uUlL]+\b', r'\1', expr)
    for name in set(re.findall(r'\b[A-Za-z_]\w*\b', expr)):
        if name not in defines:
            return None
        value = _evaluate(defines[name], defines, depth + 1)
        if value is None:
            return None
        expr = re.sub(r'\b' + name + r'\b', str(value), expr)
    try:
        tree = ast.parse(expr, mode='eval')
    except SyntaxError:
        return None
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.BitOr, ast.BitAnd,
               ast.LShift, ast.RShift, ast.Add, ast.Sub, ast.Mult, ast.Invert, ast.USub)
    if not all(isinstance(n, allowed) for n in ast.walk(tree)):
        return None
    value = eval(compile(tree, '<pgsize>', 'eval'))     # only the nodes above
    return value if isinstance(value, int) else None


def page_sizes(path: pathlib.Path) -> int | None:
    """The union of the driver's pgsize_bitmap values, None if one is unreadable."""
    masked = cscan.mask(path.read_text(errors='replace'))
    defines = _defines(masked)
    total = 0
    for expr in _BITMAP.findall(masked):
        value = _evaluate(expr.strip(), defines)
        if not value:
            return None     # an expression we cannot read: do not guess
        total |= value
    return total or None


def smallest_page(path: pathlib.Path) -> str | None:
    """The size identifier of the smallest page the driver's pgsize_bitmap allows."""
    exprs = [e.strip() for e in _BITMAP.findall(cscan.mask(path.read_text(errors='replace')))]
    if exprs and all(e == 'PAGE_SIZE' for e in exprs):
        return 'PAGE_SIZE'
    sizes = page_sizes(path)
    return size_name(sizes & -sizes) if sizes else None


def _subject_name(file: str) -> str:
    name = pathlib.PurePosixPath(file).stem
    return re.sub(r'[-_]iommu$', '', name) or name


def _body(file: str, function: str, size: str, inferred: list | None = None) -> str:
    """The commit message body, wrapped at 72: what was converted, how, and
    where each leaf size comes from."""
    if inferred:
        sizes = ('The leaf sizes were read from the code: '
                 + '; '.join(f'{leaf.size} where line {leaf.line} adds {leaf.text}'
                             for leaf in inferred)
                 + f'. Any other leaf reports {size}, the smallest page size of the '
                 "driver's pgsize_bitmap, which no leaf is smaller than.")
    else:
        sizes = (f'It reports {size}, the smallest page size of the driver\'s '
                 'pgsize_bitmap, as the length of every translation: each leaf is '
                 'at least that large and aligned to it, so the length may be '
                 'shorter than the real leaf but never longer.')
    paragraphs = [
        f'{function}() now implements iova_to_phys_length, so callers can step by '
        'mapping instead of by PAGE_SIZE.',
        'The driver is newer than the series description; the series generator '
        'converted it with the generic page-table template. ' + sizes,
        'Lookups that find nothing now return PHYS_ADDR_MAX instead of 0.',
    ]
    return '\n\n'.join(textwrap.fill(p, 72, break_on_hyphens=False,
                                     break_long_words=False) for p in paragraphs)


def _converts(tree: pathlib.Path, file: str, actions: list[Action]) -> bool:
    """Do the actions fully convert file, tried on a copy?"""
    with tempfile.TemporaryDirectory() as tmp:
        copy = pathlib.Path(tmp) / file
        copy.parent.mkdir(parents=True)
        shutil.copy(tree / file, copy)
        before = copy.read_text()
        for action in actions:
            spatch.run(REPO / action.spec['cocci'], [pathlib.Path(file)], cwd=pathlib.Path(tmp),
                       defines=action.spec['define'], in_place=True)
        after = copy.read_text()
    fn = actions[-1].spec['define']['fn']
    return (after != before and f'{fn}_length(' in after
            and not re.search(r'\.iova_to_phys\s*=\s*&?\s*' + fn + r'\b', after))


def plan(tree: pathlib.Path, entries: list[Entry], log=print) -> list[Step]:
    """One converting step per uncovered implementer; Failure if one matches no shape."""
    new_steps = []
    for entry in entries:
        if entry.kind != 'implementer' or entry.method != 'spatch':
            raise new_callers.no_step_error(entry)
        size = smallest_page(tree / entry.file)
        if not size:
            raise Failure(f'no rule matches {entry.file}:{entry.function}: cannot read the '
                          "smallest page size from the driver's pgsize_bitmap")
        from generator import leaf_sizes
        inferred = leaf_sizes.infer(tree / entry.file, entry.function)
        tables = ([(leaf_sizes.leaves_table(inferred, size), inferred)] if inferred else [])
        tables.append((f'*={size}', []))
        for shape, (leaves, used) in [(s, t) for s in SHAPES for t in tables]:
            defines = {'fn': entry.function, 'leaves': leaves}
            actions = [Action('cocci', {'cocci': str(shape.relative_to(REPO)),
                                        'files': [entry.file], 'define': defines}),
                       Action('cocci', {'cocci': str(COMMON.relative_to(REPO)),
                                        'files': [entry.file], 'define': {'fn': entry.function}})]
            if _converts(tree, entry.file, actions):
                log(f'  new driver {entry.file}:{entry.function}: template {shape.stem}, '
                    f'length {", ".join([l.describe() for l in used] + [size])}')
                new_steps.append(Step(
                    id=f'new-{_subject_name(entry.file)}',
                    subject=f'iommu/{_subject_name(entry.file)}: implement iova_to_phys_length',
                    body=_body(entry.file, entry.function, size, used), produced_by='template',
                    status='ready', requires=(entry.file,), absent_reason='',
                    covers=(f'{entry.file}:{entry.function}',), actions=tuple(actions),
                    checks=()))
                break
        else:
            raise Failure(f'no rule matches {entry.file}:{entry.function}: no template in '
                          'templates/ converts it; add a step to generator/series.toml')
    return new_steps
