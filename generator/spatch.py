"""Running Coccinelle's spatch."""

import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

from generator.errors import Failure

REPO = pathlib.Path(__file__).resolve().parent.parent


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r'\d+', text)[:3])


def version() -> str:
    exe = shutil.which('spatch')
    if not exe:
        raise Failure('spatch not found: install Debian package coccinelle')
    out = subprocess.run([exe, '--version'], capture_output=True, text=True).stdout
    match = re.search(r'spatch version (\S+)', out)
    if not match:
        raise Failure(f'cannot read the spatch version from: {out.strip()[:80]}')
    return match.group(1)


def require(minimum: str) -> str:
    found = version()
    if _version_tuple(found) < _version_tuple(minimum):
        raise Failure(f'spatch {found} is too old: the rules need {minimum} or newer')
    return found


def run(rule: pathlib.Path, files: list[pathlib.Path], *, cwd: pathlib.Path,
        defines: dict[str, str] | None = None, in_place: bool = False,
        extra: list[str] | None = None) -> str:
    """Apply one semantic patch to files; returns spatch's standard output."""
    cmd = ['spatch', '--very-quiet', '--sp-file', str(rule)]
    if in_place:
        cmd.append('--in-place')
    for name, value in (defines or {}).items():
        cmd += ['-D', f'{name}={value}']
    cmd += extra or []
    cmd += [str(f) for f in files]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if os.environ.get('IOVA_TRACE'):
        print(f'spatch {rule.name} {" ".join(map(str, files))[:60]}: '
              f'{time.monotonic() - started:.1f} s', file=sys.stderr)
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise Failure(f'spatch {rule.name} failed: {lines[-1] if lines else proc.returncode}')
    return proc.stdout
