"""Apply one manifest step's actions to a work tree."""

import pathlib
import re
import subprocess

from generator import anchors, spatch
from generator.errors import Failure
from generator.manifest import PLACES, REPO, Action, Step


def missing_requirements(step: Step, tree: pathlib.Path) -> list[str]:
    """What the tree lacks for the step: paths of requires, and
    "FILE matching /REGEX/" for each requires_match probe that fails."""
    missing = [path for path in step.requires if not (tree / path).exists()]
    for probe in step.requires_match:
        path = tree / probe['file']
        text = path.read_text(errors='replace') if path.is_file() else ''
        if not re.search(probe['regex'], text, re.M):
            missing.append(f'{probe["file"]} matching /{probe["regex"]}/')
    return missing


def _changed(tree: pathlib.Path, paths: list[str]) -> set[str]:
    """Which of paths differ from HEAD (a step touches only the files it names)."""
    out = subprocess.run(['git', '-C', str(tree), 'status', '--porcelain', '-uall',
                          '--ignored=no', '--', *paths],
                         capture_output=True, text=True, check=True).stdout
    return {line[3:] for line in out.splitlines()}


def _file_snapshot(tree: pathlib.Path, files: list[str]) -> dict[str, str | None]:
    return {f: (tree / f).read_text() if (tree / f).exists() else None for f in files}


def _run_cocci(step: Step, action: Action, tree: pathlib.Path) -> list[str]:
    files = action.spec.get('files', [])
    for f in files:
        if not (tree / f).is_file():
            raise Failure(f'step {step.id}: {action.spec["cocci"]} targets {f}, '
                          'which the tree does not have')
    spatch.run(REPO / action.spec['cocci'], [pathlib.Path(f) for f in files], cwd=tree,
               defines=action.spec.get('define'), in_place=True)
    return files


def _run_overlay(step: Step, action: Action, tree: pathlib.Path) -> list[str]:
    file = action.spec['file']
    path = tree / file
    if not path.is_file():
        raise Failure(f'step {step.id}: overlay target {file} does not exist')
    where = next(k for k in PLACES['overlay'] if k in action.spec)
    ext = anchors.locate(path, action.spec[where])
    lines = path.read_text().split('\n')
    # An overlay file may start with a comment for this repository's readers,
    # "/* overlay: ... */"; it is not part of the kernel change.
    new = re.sub(r'\A/\* overlay:.*?\*/\n+', '', (REPO / action.spec['overlay']).read_text(),
                 flags=re.S).rstrip('\n').split('\n')
    if where == 'after':
        lines[ext.end:ext.end] = [''] + new
    elif where == 'before':
        lines[ext.comment_start:ext.comment_start] = new + ['']
    elif new == ['']:
        # An empty overlay removes the definition, its comment, and one of
        # the two blank lines that then meet.
        first, end = ext.comment_start, ext.end
        if end < len(lines) and not lines[end].strip() and first > 0 and not lines[first - 1].strip():
            end += 1
        del lines[first:end]
    else:
        first = ext.start if not new[0].lstrip().startswith('/*') else ext.comment_start
        lines[first:ext.end] = new
    path.write_text('\n'.join(lines))
    return [file]


def _run_edit(step: Step, action: Action, tree: pathlib.Path) -> list[str]:
    file = action.spec['file']
    path = tree / file
    if not path.is_file():
        raise Failure(f'step {step.id}: edit target {file} does not exist')
    ext = anchors.locate(path, action.spec['within'])
    lines = path.read_text().split('\n')
    key = next(k for k in PLACES['edit'] if k in action.spec)
    pattern = re.compile(action.spec[key])
    hits = [i for i in range(ext.comment_start, ext.end) if pattern.search(lines[i])]
    if len(hits) != 1:
        raise Failure(f'step {step.id}: edit in {file} within {action.spec["within"]}: '
                      f'/{action.spec[key]}/ matched {len(hits)} lines, expected 1')
    # An empty text deletes the matched line (replace_line) or adds nothing.
    text = action.spec['text'].rstrip('\n').split('\n') if action.spec['text'] else []
    i = hits[0]
    if key == 'after_line':
        lines[i + 1:i + 1] = text
    elif key == 'before_line':
        lines[i:i] = text
    else:
        lines[i:i + 1] = text
    path.write_text('\n'.join(lines))
    return [file]


RUNNERS = {'cocci': _run_cocci, 'overlay': _run_overlay, 'edit': _run_edit}


def apply(step: Step, tree: pathlib.Path) -> list[str]:
    """Run the step's actions; returns the tree paths the step changed."""
    touched = []
    for action in step.actions:
        targets = action.spec.get('files') or [action.spec['file']]
        touched += targets
        before = _file_snapshot(tree, targets)
        RUNNERS[action.kind](step, action, tree)
        after = _file_snapshot(tree, targets)
        if before == after and action.spec.get('expect', 'change') == 'change':
            raise Failure(f'step {step.id}: {action.kind} {action.describe()} no longer applies '
                          f'to {", ".join(targets)}')
    changed = sorted(_changed(tree, touched))
    if not changed:
        raise Failure(f'step {step.id} changed nothing')
    return changed


def run_checks(step: Step, tree: pathlib.Path) -> list[str]:
    """The step's own checks on the tree; returns failure messages."""
    problems = []
    for check in step.checks:
        for file in check.get('files', []):
            text = (tree / file).read_text() if (tree / file).exists() else ''
            if 'absent' in check and re.search(check['absent'], text, re.M):
                problems.append(f'{step.id}: {file} still matches /{check["absent"]}/')
            if 'present' in check and not re.search(check['present'], text, re.M):
                problems.append(f'{step.id}: {file} lacks /{check["present"]}/')
    return problems
