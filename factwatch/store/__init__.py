"""The store: one SQLite file, its schema (`factwatch.store.schema`) and the queries on it.

`open_db` opens the file and brings its schema up to date. Every table is created by a
migration in `factwatch/store/schema/`; the modules beside this one hold the queries, so the
crawler, the checker and the bot talk to each other through typed records, not each other's tables.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from factwatch.store.schema import MIGRATION_SETS


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


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message is one Korean line naming the file."""


DEFAULT_BUSY_TIMEOUT_MS = 10_000


def open_db(path: str | Path, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Database:
    """Open (creating if needed) the store at `path` and apply pending migrations.

    `busy_timeout_ms`: how long a write waits for another process's lock (the bot's jobs wait
    longer than a one-off command). Raises StoreError for a path that is not a usable factwatch
    store (a folder, a corrupt or read-only file, another program's database), so the CLI can
    say so in one line.
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(store_problem(path, IsADirectoryError(str(path))))
    try:
        return _open(path, busy_timeout_ms)
    except (sqlite3.Error, OSError) as error:
        raise StoreError(store_problem(path, error)) from error


def _open(path: Path, busy_timeout_ms: int) -> Database:
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level IMMEDIATE does the same for the transactions Python's sqlite3 opens by itself.
    db = Database(sqlite3.connect(str(path), isolation_level="IMMEDIATE", factory=_ImmediateConnection))
    try:
        _refuse_foreign(db)
        # WAL lets the bot read while a crawl child process writes; busy_timeout rides out
        # the short write locks the two processes take.
        db.execute("pragma journal_mode = wal")
        db.execute(f"pragma busy_timeout = {int(busy_timeout_ms)}")
        db.execute("pragma foreign_keys = on")
        for migrations in MIGRATION_SETS:
            migrations.apply(db)
    except BaseException:
        db.close()
        raise
    return db


class _ForeignStore(sqlite3.DatabaseError):
    pass


def _refuse_foreign(db: Database) -> None:
    # A SQLite file with tables but no record of factwatch's migrations belongs to another
    # program: adding our tables to it (or failing half-way on a same-named one) would damage it.
    tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    tables = {name for name in tables if not name.startswith("sqlite_")}
    if not tables:
        return
    if "_sqlite_migrations" in tables and db.execute(
        "select 1 from _sqlite_migrations where migration_set like 'factwatch.%' limit 1"
    ).fetchone():
        return
    raise _ForeignStore(", ".join(sorted(tables)[:5]))


def store_problem(path: Path, error: BaseException) -> str:
    """One line for an operator: which file, what is wrong with it, what to do."""
    text = str(error).lower()
    if isinstance(error, IsADirectoryError) or path.is_dir():
        return f"{path}: 저장소 자리에 폴더가 있습니다. --db에 파일 이름을 주세요 (예: --db {path / 'factwatch.db'})"
    if isinstance(error, _ForeignStore):
        return (f"{path}: factwatch 저장소가 아닙니다 (다른 프로그램의 표가 있습니다: {error}). "
                "이 파일은 건드리지 않았습니다. --db로 다른 파일을 주세요")
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return f"{path}: SQLite 저장소 파일이 아니거나 손상되었습니다. --db가 맞는 파일을 가리키는지 확인하세요"
    if "readonly" in text or "read-only" in text or isinstance(error, PermissionError):
        return f"{path}: 저장소에 쓸 수 없습니다 (읽기 전용이거나 권한이 없습니다). 파일과 폴더의 쓰기 권한을 확인하세요"
    if "locked" in text or "busy" in text:
        return f"{path}: 다른 프로세스가 저장소를 오래 쓰고 있어 기다리다 멈췄습니다. 잠시 뒤 다시 실행하세요"
    if "unable to open" in text or isinstance(error, OSError):
        return f"{path}: 저장소 파일을 만들거나 열 수 없습니다 (폴더가 있는지, 쓰기 권한이 있는지 확인하세요)"
    if "disk" in text or "full" in text:
        return f"{path}: 저장소에 쓰지 못했습니다 (디스크 공간이 모자랍니다)"
    return f"{path}: 저장소 오류: {error}"
