"""Opens the SQLite store and brings its schema up to date (each part of the flow owns its tables)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database


class _ImmediateConnection(sqlite3.Connection):
    """Starts every transaction by taking the write lock (BEGIN IMMEDIATE).

    The crawler's child processes, the bot and a second crawl worker all write this file.
    sqlite-utils opens transactions with a deferred BEGIN, and a deferred transaction that
    reads, then writes after another process committed fails at once with "database is
    locked" — busy_timeout cannot help. An immediate one waits its turn instead.
    """

    def execute(self, sql, *args, **kwargs):
        if sql.strip().upper() in ("BEGIN", "BEGIN;", "BEGIN DEFERRED"):
            sql = "BEGIN IMMEDIATE"
        return super().execute(sql, *args, **kwargs)


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) the store at `path` and apply pending migrations."""
    from bot.outbox import MIGRATIONS as bot_migrations
    from checker.store import MIGRATIONS as checker_migrations
    from crawler.records import MIGRATIONS as crawler_migrations

    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level IMMEDIATE does the same for the transactions Python's sqlite3 opens by itself.
    db = Database(sqlite3.connect(str(path), isolation_level="IMMEDIATE", factory=_ImmediateConnection))
    # WAL lets the bot read while a crawl child process writes; busy_timeout rides out
    # the short write locks the two processes take.
    db.execute("pragma journal_mode = wal")
    db.execute("pragma busy_timeout = 10000")
    db.execute("pragma foreign_keys = on")
    for migrations in (checker_migrations, crawler_migrations, bot_migrations):
        migrations.apply(db)
    return db
