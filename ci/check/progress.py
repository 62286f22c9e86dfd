"""One live status line while building: phase, step, commit, arch, elapsed time."""

from __future__ import annotations

import sys
import threading
import time


class Progress:
    def __init__(self, stream=sys.stderr, interval: float = 1.0):
        self.stream = stream
        self.live = hasattr(stream, 'isatty') and stream.isatty()
        self.start = time.monotonic()
        self.text = ''
        self.lock = threading.Lock()
        self.stop = threading.Event()
        if self.live:
            threading.Thread(target=self._tick, args=(interval,), daemon=True).start()

    @staticmethod
    def clock(seconds: float) -> str:
        s = int(seconds)
        return f'{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}'

    def line(self) -> str:
        return f'[check {self.clock(time.monotonic() - self.start)}] {self.text}'

    def set(self, text: str) -> None:
        with self.lock:
            changed = text != self.text
            self.text = text
        if self.live:
            self._draw()
        elif changed:
            print(self.line(), file=self.stream, flush=True)

    def log(self, message: str) -> None:
        """A message on its own line, above the status line."""
        with self.lock:
            if self.live:
                self.stream.write('\r\033[K')
            print(message, file=self.stream, flush=True)
        if self.live:
            self._draw()

    def _draw(self) -> None:
        with self.lock:
            width = 160
            self.stream.write('\r\033[K' + self.line()[:width])
            self.stream.flush()

    def _tick(self, interval: float) -> None:
        while not self.stop.wait(interval):
            self._draw()

    def close(self) -> None:
        self.stop.set()
        if self.live:
            with self.lock:
                self.stream.write('\r\033[K')
                self.stream.flush()
