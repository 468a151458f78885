"""The bot's log lines: times in the schedule's zone, written with the zone, and a crawl's stderr in one line."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ZonedFormatter(logging.Formatter):
    """Log times in the bot's zone with its name ("2026-11-21 15:36:52 KST"), so they read like
    the schedule lines next to them instead of an unlabelled machine time."""

    def __init__(self, tz: str):
        super().__init__(LOG_FORMAT)
        self.zone = ZoneInfo(tz)

    def formatTime(self, record, datefmt=None):  # noqa: N802 — logging's name
        return format_moment(datetime.fromtimestamp(record.created, self.zone))


def format_moment(moment: datetime | None) -> str:
    """'YYYY-MM-DD HH:MM:SS ZONE' (e.g. KST), or '-' for no time."""
    if moment is None:
        return "-"
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


# What says what went wrong in a crawl's stderr, most specific first: a Python exception's last
# line, a Scrapy ERROR/CRITICAL line or a file:line reason; then click's "Error: …" and
# factwatch's own Korean reasons (often only "the crawl process exited with code 1").
_SPECIFIC = re.compile(r"^[\w.]*(Error|Exception)\b|\b(ERROR|CRITICAL)\b|\.ya?ml:\d+:")
_GENERAL = re.compile(r"^(Error|오류)\b|실패|없습니다|않습니다|끝났습니다|중단했습니다")


def crawl_error_summary(stderr_tail: str | None, limit: int = 300) -> str | None:
    """The one stderr line that says why a crawl failed, or None when none does.

    The tail of Scrapy's stderr usually ends in its stats or settings dump; a slice of that
    tells an operator nothing, so only a line that names an error is shown.
    """
    lines = [line.strip() for line in (stderr_tail or "").splitlines() if line.strip()]
    for pattern in (_SPECIFIC, _GENERAL):
        for line in reversed(lines):
            if pattern.search(line):
                return line if len(line) <= limit else line[: limit - 1] + "…"
    return None
