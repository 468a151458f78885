"""Runs `factwatch crawl` as a child process with a time limit, and records how it ended."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from bot.crawl_marks import ENV_DB, ENV_PARENT, ENV_RUN
from bot.logs import crawl_error_summary
from bot.procgroup import end_group, environment, group_members
from crawler.run_health import finish_run
from factwatch.config import Settings
from factwatch.store import bot_runs, crawl
from factwatch.store.bot_runs import BotCrawlRun

log = logging.getLogger(__name__)

# Scrapy's Twisted reactor cannot be restarted inside one process, so every crawl is a fresh
# interpreter: `factwatch crawl` inside bot/crawl_child.py, which ends its process group with
# the bot and records its own exit code.
CRAWL_ENTRY = "from bot.crawl_child import main; main()"
KILL_GRACE_SECONDS = 10
CRAWL_LABELS = {"failed": "실패", "timeout": "시간 초과", "interrupted": "중단"}


@dataclass(frozen=True)
class CrawlOutcome:
    run_id: int
    status: str  # ok | failed | timeout | interrupted
    returncode: int | None
    seconds: float
    stderr_tail: str


def build_crawl_command(settings: Settings, time_limit: float, extra_args: tuple[str, ...] = ()) -> list[str]:
    """`factwatch crawl` with our paths; its own limit a little under ours so it can record the run itself."""
    command = [sys.executable, "-c", CRAWL_ENTRY, "--db", str(settings.db_path), "--rules", str(settings.rules_dir),
               "--sources", str(settings.sources_path)]
    if settings.config_path.exists():
        command += ["--config", str(settings.config_path)]
    inner_limit = max(1, int(time_limit) - KILL_GRACE_SECONDS)
    return command + ["crawl", "--time-limit", str(inner_limit), *extra_args]


def run_crawl(db: Database, settings: Settings, time_limit: float, stop: threading.Event | None = None,
              command: list[str] | None = None, extra_args: tuple[str, ...] = ()) -> CrawlOutcome:
    """Crawl in a child; kill it past `time_limit` seconds or when `stop` is set. Never raises for a bad crawl."""
    started = datetime.now(UTC)
    run_id = bot_runs.start_crawl_run(db, started, os.getpid())
    command = command or build_crawl_command(settings, time_limit, extra_args)
    clock = time.monotonic()
    env = {**os.environ, ENV_RUN: str(run_id), ENV_DB: str(Path(settings.db_path).resolve()), ENV_PARENT: str(os.getpid())}
    with tempfile.TemporaryFile() as stderr:
        try:
            # A session of its own, so a kill reaches any grandchild and a Ctrl-C in the
            # operator's terminal reaches only the bot, which then stops the crawl itself.
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True, env=env)
        except OSError as error:
            return _finish(db, run_id, "failed", None, clock, f"크롤러를 시작할 수 없습니다: {error}", started)
        bot_runs.save_crawl_pgid(db, run_id, child.pid)  # so a restarted bot can find this crawl if we die
        try:
            status = _wait(child, time_limit, stop)
        except BaseException:
            # Whatever ends the wait early (KeyboardInterrupt, SystemExit from a signal
            # handler, a bug), the crawl's process group does not outlive it: the child has a
            # session of its own, so nothing else would ever stop it.
            _kill(child)
            with contextlib.suppress(Exception):
                _finish(db, run_id, "interrupted", child.returncode, clock, "봇이 수집 도중 멈췄습니다", started)
            raise
        stderr.seek(0)
        tail = stderr.read()[-4000:].decode("utf-8", "replace")
    if status == "exited":
        status = "ok" if child.returncode == 0 else "failed"
    return _finish(db, run_id, status, child.returncode, clock, tail, started)


def _wait(child: subprocess.Popen, time_limit: float, stop: threading.Event | None) -> str:
    deadline = time.monotonic() + time_limit
    while True:
        # Short slices so a shutdown request is honoured within a second.
        try:
            child.wait(timeout=min(1.0, max(0.01, deadline - time.monotonic())))
            return "exited"
        except subprocess.TimeoutExpired:
            pass
        if stop is not None and stop.is_set():
            _kill(child)
            return "interrupted"
        if time.monotonic() >= deadline:
            _kill(child)
            return "timeout"


def _kill(child: subprocess.Popen) -> None:
    """End the crawl child and everything in its process group before returning.

    The child ends its group itself on SIGTERM (bot/crawl_child.py); whatever is left after
    the grace — a command without that wrapper, or one that hangs — is killed as a group.
    Waiting for the group, not only the child, is what keeps Scrapy from outliving the bot.
    """
    with contextlib.suppress(ProcessLookupError):
        child.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=KILL_GRACE_SECONDS)
    if not end_group(child.pid, 1 if child.returncode is not None else 0):
        log.error("수집 프로세스 그룹 %s을 끝내지 못했습니다", child.pid)
    child.wait()


def _finish(db: Database, run_id: int, status: str, returncode: int | None, clock: float, tail: str,
            started: datetime) -> CrawlOutcome:
    seconds = time.monotonic() - clock
    now = datetime.now(UTC)
    bot_runs.finish_crawl_run(db, run_id, status, returncode, tail, now)
    if status == "interrupted":
        # Asked to stop (the bot is shutting down): nothing went wrong with the crawl itself.
        log.warning("수집을 중단했습니다 (%.0f초 진행): 봇이 멈추는 중이며, 다음 수집이 이어서 합니다", seconds)
    elif status != "ok":
        reason = crawl_error_summary(tail) or "오류 설명 없음 (전체 출력은 bot_crawl_runs.stderr_tail)"
        log.warning("수집 %s (종료 코드 %s, %.0f초): %s", CRAWL_LABELS.get(status, status), returncode, seconds, reason)
    if status != "ok":
        _close_orphan_runs(db, started, now, status)
    return CrawlOutcome(run_id, status, returncode, seconds, tail)


def mark_stale_runs(db: Database, now: datetime, db_path: str | Path | None = None) -> int:
    """At start-up: settle crawl rows left "running" by a bot process that is gone.

    A crawl of that bot still running is stopped first (two crawls must not run at once) and
    recorded as interrupted; one that finished on its own keeps the result it wrote itself;
    only the rest — ended with the bot — are interrupted. Returns how many rows were settled.
    """
    stale = [row for row in bot_runs.running_crawl_runs(db) if not _alive(row.pid)]
    for row in stale:
        leftover = _leftover_crawl(row, db_path)
        returncode = None
        if leftover:
            log.warning("이전 봇(pid %s)의 수집 #%s이 아직 돌고 있어 멈춥니다 (프로세스 %s)", row.pid, row.id,
                        ", ".join(map(str, leftover)))
            if row.crawl_pgid:
                end_group(row.crawl_pgid, KILL_GRACE_SECONDS)
            status, finished, tail = "interrupted", now.isoformat(), "이전 봇이 끝난 뒤에도 돌던 수집을 새로 시작한 봇이 멈췄습니다"
        elif row.child_returncode is not None:
            returncode = row.child_returncode
            status, finished = ("ok" if returncode == 0 else "failed"), row.child_finished_at or now.isoformat()
            tail = f"봇은 먼저 멈췄지만 수집은 끝까지 진행되었습니다 (종료 코드 {returncode})"
        else:
            status, finished, tail = "interrupted", now.isoformat(), "봇이 수집 도중 종료되어 중단된 것으로 기록했습니다"
        bot_runs.finish_crawl_run(db, row.id, status, returncode if returncode is not None else row.returncode, tail, finished)
        log.warning("이전 실행의 수집 #%s: %s", row.id, tail)
        if status != "ok":
            _close_orphan_runs(db, datetime.fromisoformat(row.started_at), now, status)
    return len(stale)


def _leftover_crawl(row: BotCrawlRun, db_path: str | Path | None) -> list[int]:
    """Processes of crawl `row` still running: in its group and started by the bot for this row."""
    pgid = row.crawl_pgid
    if not pgid:
        return []
    wanted = {ENV_RUN: str(row.id)}
    if db_path is not None:
        wanted[ENV_DB] = str(Path(db_path).resolve())
    # A process group id can be reused by an unrelated program: only ours carry the run's marks.
    return [pid for pid in group_members(pgid) if all(environment(pid).get(k) == v for k, v in wanted.items())]


def _alive(pid: int | None) -> bool:
    if not pid or pid == os.getpid():
        return False  # no owner recorded, or an earlier life of this very process id
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _close_orphan_runs(db: Database, started: datetime, now: datetime, status: str) -> None:
    """A killed crawl cannot close its own run row: close it so per-source health counts the failure."""
    for run_id in crawl.running_runs_since(db, started):
        finish_run(db, run_id, now, error=f"수집 프로세스가 {status} 상태로 끝났습니다")
