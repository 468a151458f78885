"""The crawl's process group: who is still in it, and ending all of it.

The crawl child (bot/crawl_child.py) leads a process group of its own; Scrapy runs in it as a
grandchild. Killing only the child leaves Scrapy running — it fetched pages after the bot had
said 종료했습니다 — so the group is ended as a whole and watched until it is empty.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

PROC = Path("/proc")


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, process group) of `pid` from /proc, or None if it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name in (…) may hold spaces
    return fields[0], int(fields[2])


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes in group `pgid`. Without /proc: [pgid] while the group exists."""
    if not PROC.is_dir():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [pgid]
    members = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        # A zombie has ended; it waits only for a parent that may never reap it.
        if stat and stat[1] == pgid and stat[0] != "Z":
            members.append(int(entry.name))
    return members


def environment(pid: int) -> dict[str, str]:
    """The environment `pid` was started with (empty when it cannot be read)."""
    try:
        raw = (PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return {}
    pairs = (item.partition(b"=") for item in raw.split(b"\0") if item)
    return {key.decode("utf-8", "replace"): value.decode("utf-8", "replace") for key, _, value in pairs}


def wait_until(predicate, seconds: float, step: float = 0.05) -> bool:
    """Poll `predicate` until it is true or `seconds` have passed (processes give no event to wait on)."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        time.sleep(step)
    return True


def end_group(pgid: int, grace: float, spare: int | None = None) -> bool:
    """SIGTERM the group, give it `grace` seconds, then SIGKILL what is left; True once it is empty.

    `spare`: a member that ignores the SIGTERM and is not waited for (the caller itself).
    """
    def others() -> list[int]:
        return [pid for pid in group_members(pgid) if pid != spare]

    if not others():
        return True
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    if wait_until(lambda: not others(), grace):
        return True
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    return wait_until(lambda: not others(), 5)
