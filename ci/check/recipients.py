"""To/Cc per patch from the tree's scripts/get_maintainer.pl, written into the patch headers.

The same split b4 makes by default: To = maintainers and reviewers
(get_maintainer --nol), Cc = lists (--nom) minus whoever is already in To.
The cover letter goes to everyone any patch goes to.  Re-running replaces
the To:/Cc: headers, so the files end up the same.
"""

from __future__ import annotations

import os
import pathlib
import subprocess

GET_MAINTAINER = ['--nogit', '--nogit-fallback', '--nogit-chief-penguins', '--norolestats']
# get_maintainer.pl lists entries of equal rank in perl hash order, which
# perl randomises per run: a fixed seed makes re-runs write the same headers.
PERL_ENV = {'PERL_HASH_SEED': '0', 'PERL_PERTURB_KEYS': '0'}


def get_maintainer(tree: pathlib.Path, patch: pathlib.Path) -> tuple[list[str], list[str]]:
    def run(extra: str) -> list[str]:
        proc = subprocess.run(['perl', str(tree / 'scripts/get_maintainer.pl'), *GET_MAINTAINER,
                               extra, str(patch)], cwd=tree, capture_output=True, text=True,
                              env=dict(os.environ, **PERL_ENV))
        if proc.returncode != 0:
            raise RuntimeError(f'get_maintainer.pl {patch.name}: {proc.stderr.strip()[-300:]}')
        return [line.strip() for line in proc.stdout.splitlines() if line.strip()]
    to = run('--nol')
    cc = [a for a in run('--nom') if a not in to]
    return to, cc


def _fold(name: str, addresses: list[str]) -> list[str]:
    """'name: a,' then ' b,' ... one address a line, no comma after the last."""
    return [(' ' if n else f'{name}: ') + a + (',' if n < len(addresses) - 1 else '')
            for n, a in enumerate(addresses)]


def set_recipients(text: str, to: list[str], cc: list[str]) -> str:
    """The patch text with exactly these To:/Cc: headers (folded, one address a line)."""
    lines = text.split('\n')
    end = lines.index('') if '' in lines else len(lines)
    head, body = lines[:end], lines[end:]
    kept: list[str] = []
    skipping = False
    for line in head:
        if line[:1] in (' ', '\t') and skipping:
            continue
        skipping = line.lower().startswith(('to:', 'cc:'))
        if not skipping:
            kept.append(line)
    # After Subject (and its folded lines), where git format-patch --to/--cc puts them.
    at = len(kept)
    for i, line in enumerate(kept):
        if line.lower().startswith('subject:'):
            at = i + 1
            while at < len(kept) and kept[at][:1] in (' ', '\t'):
                at += 1
    new = kept[:at] + _fold('To', to) + _fold('Cc', cc) + kept[at:]
    return '\n'.join(new + body)


def union(lists: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(a for lst in lists for a in lst))


def write_all(tree: pathlib.Path, out: pathlib.Path, patches: list[str],
              cover: str) -> dict[str, dict[str, list[str]]]:
    """Write To/Cc into each patch and the cover letter; returns them per file."""
    result = {}
    for name in patches:
        path = out / name
        to, cc = get_maintainer(tree, path)
        path.write_text(set_recipients(path.read_text(), to, cc))
        result[name] = {'to': to, 'cc': cc}
    if cover and (out / cover).exists():
        to = union([r['to'] for r in result.values()])
        cc = [a for a in union([r['cc'] for r in result.values()]) if a not in to]
        path = out / cover
        path.write_text(set_recipients(path.read_text(), to, cc))
        result[cover] = {'to': to, 'cc': cc}
    return result
