"""Run `python3 -m generator series` on a fixture tree in a process of its
own, as a user would: for the tests of locks, interrupts and bad input."""

import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
MANIFEST = REPO / 'tests/fixtures/series/manifest.toml'
AUTHOR = 'Run Test <run-test@example.org>'


def slow_spatch(bin_dir: pathlib.Path, seconds: float = 1.0) -> pathlib.Path:
    """A spatch on PATH that takes `seconds` longer per call: a run then
    lasts long enough to be caught in the middle."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    real = subprocess.run(['sh', '-c', 'command -v spatch'], capture_output=True,
                          text=True).stdout.strip()
    shim = bin_dir / 'spatch'
    shim.write_text(f'#!/bin/sh\ncase "$1" in --version) ;; *) sleep {seconds} ;; esac\n'
                    f'exec {real} "$@"\n')
    shim.chmod(0o755)
    return bin_dir


def env(cache: pathlib.Path, bin_dir: pathlib.Path | None = None) -> dict:
    path = os.environ.get('PATH', '/usr/bin:/bin')
    return dict(os.environ, IOVA_CACHE=str(cache),
                PATH=f'{bin_dir}:{path}' if bin_dir else path)


def args(tree: pathlib.Path, out: pathlib.Path, *extra: str) -> list[str]:
    return [sys.executable, '-m', 'generator', 'series', '--kernel', str(tree),
            '--manifest', str(MANIFEST), '--out', str(out), '--author', AUTHOR, *extra]


def start(tree, out, cache, bin_dir=None, *extra: str) -> subprocess.Popen:
    """The run in a new session (its own process group, as a shell job)."""
    return subprocess.Popen(args(tree, out, *extra), cwd=REPO, env=env(cache, bin_dir),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def run(tree, out, cache, *extra: str, prefix: list[str] | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run((prefix or []) + args(tree, out, *extra), cwd=REPO, env=env(cache),
                          capture_output=True, text=True, timeout=timeout)


def wait_for_line(proc: subprocess.Popen, text: str) -> list[str]:
    """Read proc's stdout up to the line that has text."""
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f'the run ended before printing {text!r}: {"".join(seen)}'
                         f'{proc.stderr.read()}')


def one_line_error(proc, *texts: str) -> str:
    """The run failed with exactly one line on stderr holding texts."""
    assert proc.returncode != 0, proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert 'Traceback' not in proc.stderr + proc.stdout
    for text in texts:
        assert text in lines[0], lines[0]
    return lines[0]
