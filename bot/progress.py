"""Progress on a terminal while long work runs in a child process (the demo's crawl).

The crawl child cannot report back directly, but it writes the store as it goes: a thread
reads the store twice a second and redraws one line. Only used when the stream is a terminal;
piped output stays clean.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TextIO

from factwatch.store.bot_runs import latest_crawl_status


def progress_line(stage: str, articles: int, seconds: float) -> str:
    return f"{stage} · 저장한 기사 {articles}건 · {seconds:.0f}초"


def read_stage(db_path: Path) -> tuple[str, int]:
    """(what the cycle is doing, articles stored so far), read without writing to the store."""
    seen = latest_crawl_status(db_path)
    if seen is None:  # not created yet, or busy for a moment: the next tick will tell
        return "수집 준비 중", 0
    status, articles = seen
    if status is None:
        return "수집 준비 중", articles
    return ("수집 중" if status == "running" else "검사·알림 중"), articles


class Progress:
    """`with Progress(db_path, sys.stderr):` redraws one status line until the block ends."""

    def __init__(self, db_path: Path, stream: TextIO, interval: float = 0.5, clock=time.monotonic):
        self.db_path = Path(db_path)
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="progress", daemon=True)

    def __enter__(self) -> Progress:
        self._started = self.clock()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()
        self._draw(final=True)

    def _run(self) -> None:
        while True:
            self._draw()
            if self._done.wait(self.interval):
                return

    def _draw(self, final: bool = False) -> None:
        stage, articles = read_stage(self.db_path)
        line = progress_line("끝" if final else stage, articles, self.clock() - self._started)
        # \r and "erase to end of line" redraw it in place (padding would miscount wide Korean
        # characters); the last draw ends the line.
        self.stream.write("\r" + line + "\x1b[K" + ("\n" if final else ""))
        self.stream.flush()
