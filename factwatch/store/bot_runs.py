"""The bot's own runs: each crawl child it started (`bot_crawl_runs`) and each scheduled job's
last run (`bot_job_runs`).

A `bot_crawl_runs` row is about the child *process* (its pid and process group, how it ended:
ok, failed, timeout, interrupted, its stderr); what the crawl fetched is in the crawler's
`crawl_runs` (factwatch/store/crawl.py), which a crawl started by hand has too.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from factwatch.store.rows import inserted_id, record


@dataclass(frozen=True)
class BotCrawlRun:
    id: int
    started_at: str
    finished_at: str | None
    status: str  # running | ok | failed | timeout | interrupted
    returncode: int | None
    stderr_tail: str | None
    pid: int | None  # the bot process that started it
    crawl_pgid: int | None  # the child's process group (its own session)
    child_returncode: int | None  # written by the child itself (bot/crawl_child.py)
    child_finished_at: str | None


@dataclass(frozen=True)
class JobRun:
    job: str  # crawl | check | deliver | digest
    last_started: str | None
    last_finished: str | None
    last_ok: str | None
    last_error: str | None


# -- crawl children --------------------------------------------------------------------------

def start_crawl_run(db: Database, started: datetime, pid: int) -> int:
    return inserted_id(db.table("bot_crawl_runs").insert(
        {"started_at": started.isoformat(), "status": "running", "pid": pid}))


def save_crawl_pgid(db: Database, run_id: int, pgid: int) -> None:
    # Committed at once, so a restarted bot can find this crawl if we die (mark_stale_runs).
    with db.atomic():
        db.table("bot_crawl_runs").update(run_id, {"crawl_pgid": pgid})


def finish_crawl_run(db: Database, run_id: int, status: str, returncode: int | None, stderr_tail: str,
                     finished: datetime | str) -> None:
    finished_at = finished.isoformat() if isinstance(finished, datetime) else finished
    with db.atomic():
        db.table("bot_crawl_runs").update(
            run_id, {"finished_at": finished_at, "status": status, "returncode": returncode, "stderr_tail": stderr_tail})


def save_child_exit(db: Database, run_id: int, code: int, now: datetime) -> None:
    """The crawl child's own record of how it ended (the bot may be gone by then)."""
    with db.atomic():
        db.table("bot_crawl_runs").update(run_id, {"child_returncode": code, "child_finished_at": now.isoformat()})


def running_crawl_runs(db: Database) -> list[BotCrawlRun]:
    return [record(BotCrawlRun, row) for row in db.query("select * from bot_crawl_runs where status = 'running' order by id")]


def load_crawl_run(db: Database, run_id: int) -> BotCrawlRun | None:
    row = next(db.table("bot_crawl_runs").rows_where("id = ?", [run_id]), None)
    return record(BotCrawlRun, row) if row is not None else None


def latest_crawl_runs(db: Database, limit: int = 5) -> list[BotCrawlRun]:
    """The latest crawl children, newest first."""
    return [record(BotCrawlRun, row) for row in db.query("select * from bot_crawl_runs order by id desc limit ?", [limit])]


def recent_crawl_statuses(db: Database, limit: int) -> list[str]:
    """How the latest `limit` finished crawls ended, newest first; interrupted ones (the bot
    stopping) say nothing about the crawl and are left out."""
    return [row[0] for row in db.execute(
        "select status from bot_crawl_runs where status != 'running' and status != 'interrupted' order by id desc limit ?",
        [limit],
    ).fetchall()]


def last_finished_crawl_run(db: Database) -> BotCrawlRun | None:
    row = next(iter(db.query("select * from bot_crawl_runs where status != 'running' order by id desc limit 1")), None)
    return record(BotCrawlRun, row) if row is not None else None


def latest_crawl_status(db_path: Path) -> tuple[str | None, int] | None:
    """(status of the latest crawl child or None, articles stored), read without writing to the store
    — a read-only connection, so a progress line cannot take the crawl child's write lock.
    None when the store cannot be read yet (not created, or busy for a moment)."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return None
    try:
        run = conn.execute("select status from bot_crawl_runs order by id desc limit 1").fetchone()
        articles = conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return (run[0] if run else None), int(articles)


# -- scheduled jobs --------------------------------------------------------------------------

def save_job_run(db: Database, job: str, values: dict[str, Any]) -> None:
    """Record a job's start, end or error: `values` holds some of last_started, last_finished, last_ok, last_error."""
    unknown = set(values) - set(JobRun.__dataclass_fields__)
    if unknown:
        raise ValueError(f"bot_job_runs has no column {', '.join(sorted(unknown))}")
    with db.atomic():
        db.table("bot_job_runs").upsert({"job": job, **values}, pk="job")


def load_job_runs(db: Database) -> list[JobRun]:
    return [record(JobRun, row) for row in db.query("select * from bot_job_runs order by job")]


def last_ok(db: Database, job: str) -> str | None:
    row = db.execute("select last_ok from bot_job_runs where job = ?", [job]).fetchone()
    return row[0] if row else None


def job_errors(db: Database) -> list[str]:
    """The last error of every job whose latest run failed."""
    return [row[0] for row in db.execute("select last_error from bot_job_runs where last_error is not null order by rowid")]
