"""ci/check/progress.py: the status line."""

import io

from ci.check.progress import Progress


def test_not_a_tty_prints_one_line_per_change():
    out = io.StringIO()
    p = Progress(stream=out)
    p.set('x86_64: commit 1/3 abc core')
    p.set('x86_64: commit 1/3 abc core')
    p.set('x86_64: commit 2/3 def drv')
    p.log('x86_64: drv FAILS')
    p.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith('[check 0:00:0') and lines[0].endswith('commit 1/3 abc core')
    assert lines[2] == 'x86_64: drv FAILS'


def test_clock():
    assert Progress.clock(3725.9) == '1:02:05'
    assert Progress.clock(0) == '0:00:00'


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_a_tty_redraws_in_place():
    out = _Tty()
    p = Progress(stream=out, interval=60)
    p.set('arm64: base build')
    p.close()
    assert '\r\033[K[check ' in out.getvalue() and '\n' not in out.getvalue()
