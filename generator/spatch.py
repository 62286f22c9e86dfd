"""Running Coccinelle's spatch."""

import functools
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

from generator.errors import Failure

REPO = pathlib.Path(__file__).resolve().parent.parent
# A rule's own spatch options, one line of its header, as the kernel's
# scripts/coccicheck reads them (grep "Options:" | cut -d: -f2).
_OPTIONS_LINE = re.compile(r'^// Options:(.*)$', re.M)


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


@functools.cache
def options(rule: pathlib.Path) -> tuple[str, ...]:
    """The options of the rule's `// Options:` line (every rule has one)."""
    try:
        found = _OPTIONS_LINE.findall(rule.read_text())
    except OSError as err:
        raise Failure(f'{rule}: {err}') from err
    if len(found) != 1:
        raise Failure(f'{rule}:1: a rule needs one "// Options:" line in its header, '
                      f'found {len(found)}')
    return tuple(found[0].split())


def invoke(rule: pathlib.Path, args: list[str], *, cwd: pathlib.Path,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The one place spatch runs: rule with args, in cwd.  A missing spatch
    or a non-zero exit is a one-line Failure naming the rule."""
    cmd = ['spatch', '--very-quiet', '--sp-file', str(rule), *args]
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    except FileNotFoundError:
        raise Failure('spatch not found: install Debian package coccinelle') from None
    if os.environ.get('IOVA_TRACE'):
        print(f'spatch {rule.name} {" ".join(args)[-60:]}: '
              f'{time.monotonic() - started:.1f} s', file=sys.stderr)
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise Failure(f'spatch {rule.name} failed: {lines[-1] if lines else proc.returncode}')
    return proc


def run(rule: pathlib.Path, files: list[pathlib.Path], *, cwd: pathlib.Path,
        defines: dict[str, str] | None = None, in_place: bool = False,
        extra: list[str] | None = None) -> str:
    """Apply one semantic patch to files with the options its header names
    (and extra ones of this run, such as -j); returns spatch's standard output."""
    args = ['--in-place'] if in_place else []
    for name, value in (defines or {}).items():
        args += ['-D', f'{name}={value}']
    args += [*options(rule), *(extra or []), *(str(f) for f in files)]
    return invoke(rule, args, cwd=cwd).stdout
