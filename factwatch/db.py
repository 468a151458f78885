"""Opens the SQLite store and brings its schema up to date (each part of the flow owns its tables)."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) the store at `path` and apply pending migrations."""
    from bot.outbox import MIGRATIONS as bot_migrations
    from checker.store import MIGRATIONS as checker_migrations
    from crawler.records import MIGRATIONS as crawler_migrations

    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    # WAL lets the bot read while a crawl child process writes; busy_timeout rides out
    # the short write locks the two processes take.
    db.execute("pragma journal_mode = wal")
    db.execute("pragma busy_timeout = 10000")
    db.execute("pragma foreign_keys = on")
    for migrations in (checker_migrations, crawler_migrations, bot_migrations):
        migrations.apply(db)
    return db
