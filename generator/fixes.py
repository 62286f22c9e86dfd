"""Fixes: tags for the steps that fix a bug (a step's fixes key).

The manifest names the line each bug came with.  In a tree with git
history the commit that added it is found with git log -S; a tree made
from a tarball has one commit and no history, and then no tag is written
rather than a made-up one (the commit message describes the change).
"""

import pathlib

from generator.kernel_tree import git
from generator.manifest import Step


def introduced_by(tree: pathlib.Path, base: str, file: str, added: str) -> str:
    """'<12-char id> ("<subject>")' of the last commit up to base that
    changed how often file has the string added (the line is there at
    base, so that commit added it), or '' if none did."""
    out = git(tree, 'log', '--format=%H %s', f'-S{added}', base, '--', file, check=False)
    if not out:
        return ''
    commit, _, subject = out.splitlines()[0].partition(' ')
    return f'{commit[:12]} ("{subject}")'


def tags(tree: pathlib.Path, base: str, step: Step, log=print) -> list[str]:
    """The Fixes: lines for step; each one that cannot be found is logged."""
    if not step.fixes:
        return []
    # A base without a parent is a single imported commit: no history.
    if not git(tree, 'rev-list', '--max-count=1', '--skip=1', base, check=False):
        log(f'  fixes    {step.id}: the tree has no history, so no Fixes: tag')
        return []
    lines = []
    for fix in step.fixes:
        found = introduced_by(tree, base, fix['file'], fix['added'])
        if found:
            lines.append(f'Fixes: {found}')
        else:
            log(f'  fixes    {step.id}: no commit before the base adds '
                f'"{fix["added"]}" to {fix["file"]}, so no Fixes: tag')
    return lines
