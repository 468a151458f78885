"""Queries on the bot's outbox (`bot_alerts`) and the versions it has seen (`bot_versions_seen`).

bot/outbox.py decides what the rows mean (pending → sending → sent, bot/alert_policy.py's
decisions); this module only reads and writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from sqlite_utils import Database


@dataclass(frozen=True)
class Alert:
    """One outbox row."""

    id: int
    kind: str  # alert | update (thread reply: the figure changed, or came back) | corrected (thread reply)
    dedup_key: str  # unique; also in the posted message's metadata, where reconciliation finds it
    parent_id: int | None
    finding_id: int | None
    version_id: int | None
    article_id: int | None
    story_id: int | None
    fact_id: str | None
    topic: str | None
    claimed: str | None
    channel: str
    status: str
    slack_ts: str | None
    thread_ts: str | None
    attempts: int
    last_error: str | None
    created_at: str
    sent_at: str | None
    view: str | None = None  # JSON of bot.message.AlertContent: what the message shows
    figure: str | None = None  # the parsed figure (checker/alertable.py figure_key); None before it existed

    @classmethod
    def from_row(cls, row: dict) -> Alert:
        values: dict[str, Any] = {field.name: row.get(field.name) for field in fields(cls)}
        return cls(**values)


@dataclass(frozen=True)
class NewAlert:
    """A row to insert: what bot/outbox.py makes of one of the policy's decisions."""

    kind: str
    dedup_key: str
    parent_id: int | None
    finding_id: int | None
    version_id: int
    article_id: int
    story_id: int | None
    fact_id: str
    topic: str | None
    claimed: str | None
    figure: str | None
    channel: str
    status: str
    created_at: str
    view: str


def insert_alert(db: Database, alert: NewAlert) -> int:
    values: dict[str, Any] = {field.name: getattr(alert, field.name) for field in fields(alert)}
    values["attempts"] = 0
    columns = list(values)
    with db.atomic():
        cursor = db.conn.execute(
            f"insert into bot_alerts ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})",
            [values[name] for name in columns],
        )
    return int(cursor.lastrowid or 0)


def load_alerts(db: Database, status: str) -> list[Alert]:
    return [Alert.from_row(row) for row in db.table("bot_alerts").rows_where("status = ?", [status], order_by="id")]


def load_alert(db: Database, alert_id: int) -> Alert:
    return Alert.from_row(dict(db.table("bot_alerts").get(alert_id)))


def alerts_of_story(db: Database, story_id: int | None) -> list[Alert]:
    """Every alert about this story (each of its articles, syndicated copies included), oldest first.

    An article's alerts carry its story (an article never changes story), so this covers them.
    """
    return [Alert.from_row(row) for row in db.query(
        "select * from bot_alerts where story_id is ? order by id", [story_id])]


def update_alert(db: Database, alert_id: int, changes: dict[str, Any]) -> None:
    db.table("bot_alerts").update(alert_id, changes)


def mark_version_seen(db: Database, version_id: int, now_iso: str) -> None:
    db.table("bot_versions_seen").insert({"version_id": version_id, "seen_at": now_iso}, replace=True)


def count_by_status(db: Database) -> dict[str, int]:
    return {status: count for status, count in db.execute("select status, count(*) from bot_alerts group by status")}


def count_with_status(db: Database, statuses: Iterable[str]) -> int:
    wanted = list(statuses)
    return int(db.execute(f"select count(*) from bot_alerts where status in ({', '.join('?' for _ in wanted)})",
                          wanted).fetchone()[0])


def any_with_status(db: Database, status: str) -> bool:
    return db.execute("select 1 from bot_alerts where status = ? limit 1", [status]).fetchone() is not None


def requeue(db: Database, from_status: str, to_status: str) -> int:
    """Every `from_status` alert back to `to_status`, its last error kept in the note; how many."""
    return db.execute(
        "update bot_alerts set status = ?, last_error = '다시 보내도록 대기열에 넣었습니다(이전 오류: ' || "
        "coalesce(last_error, '없음') || ')' where status = ?",
        [to_status, from_status],
    ).rowcount


__all__ = ["Alert", "NewAlert", "alerts_of_story", "any_with_status", "count_by_status", "count_with_status",
           "insert_alert", "load_alert", "load_alerts", "mark_version_seen", "requeue", "update_alert"]
