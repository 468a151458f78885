"""Queries on new value candidates (bot/holds.py): one per fact and value, open until a maintainer acts."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

OPEN = "open"


@dataclass(frozen=True)
class ValueCandidate:
    id: int
    fact_id: str
    value_key: str
    written: str
    forms: tuple[str, ...]  # the claims' spellings (normalised) that this value is reported in
    status: str  # open | adopted | kept
    notice_key: str
    raised_at: str | None
    closed_at: str | None


@dataclass(frozen=True)
class HeldAlert:
    id: int
    claimed: str | None
    version_id: int | None


def _candidate(row) -> ValueCandidate:
    return ValueCandidate(
        id=row["id"], fact_id=row["fact_id"], value_key=row["value_key"], written=row["written"],
        forms=tuple(json.loads(row["forms"] or "[]")), status=row["status"], notice_key=row["notice_key"],
        raised_at=row["raised_at"], closed_at=row["closed_at"])


def candidate_of(db: Database, fact_id: str, value_key: str) -> ValueCandidate | None:
    row = next(db.query("select * from bot_value_candidates where fact_id = ? and value_key = ?", [fact_id, value_key]), None)
    return _candidate(row) if row else None


def open_candidates(db: Database) -> list[ValueCandidate]:
    return [_candidate(row) for row in db.query("select * from bot_value_candidates where status = ? order by id", [OPEN])]


def set_forms(db: Database, candidate_id: int, forms: Collection[str]) -> None:
    db.table("bot_value_candidates").update(candidate_id, {"forms": json.dumps(sorted(forms), ensure_ascii=False)})


def insert_candidate(db: Database, fact_id: str, value_key: str, written: str, forms: Sequence[str],
                     notice_key: str, raised_at: str) -> int:
    cursor = db.conn.execute(
        "insert into bot_value_candidates (fact_id, value_key, written, forms, status, notice_key, raised_at) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [fact_id, value_key, written, json.dumps(sorted(forms), ensure_ascii=False), OPEN, notice_key, raised_at])
    return int(cursor.lastrowid or 0)


def close_candidate(db: Database, candidate_id: int, status: str, when: str) -> None:
    db.table("bot_value_candidates").update(candidate_id, {"status": status, "closed_at": when})


def alerts_of_fact(db: Database, status: str, fact_id: str, first_only: bool = False) -> list[HeldAlert]:
    """The outbox's alerts on one fact in one status (`first_only`: new alerts, not thread replies)."""
    kind = " and kind = 'alert'" if first_only else ""
    return [HeldAlert(row["id"], row["claimed"], row["version_id"]) for row in db.query(
        f"select id, claimed, version_id from bot_alerts where status = ? and fact_id = ?{kind} order by id", [status, fact_id])]
