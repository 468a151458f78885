"""Operator alerts (`bot_operator_alerts`): one row per problem while it is open, posted once,
closed when it goes away, so a lasting problem never becomes a storm of messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from factwatch.store.rows import inserted_id, record


@dataclass(frozen=True)
class OperatorAlert:
    id: int
    key: str  # e.g. "crawl_failing", "source_silent:hankook"
    message: str
    status: str  # pending | sending | sent
    raised_at: str
    cleared_at: str | None
    last_error: str | None
    channel: str | None = None  # where the last post attempt went
    attempted_at: str | None = None

    @property
    def metadata_key(self) -> str:
        """The key its Slack message carries, so an in-flight post can be found in history."""
        return f"operator:{self.id}"


def open_alert(db: Database, key: str, message: str, now: datetime) -> int | None:
    """Open a problem unless the same one is already open; returns the new id or None."""
    with db.atomic():
        if db.execute("select 1 from bot_operator_alerts where key = ? and cleared_at is null", [key]).fetchone():
            return None
        return inserted_id(db.table("bot_operator_alerts").insert(
            {"key": key, "message": message, "status": "pending", "raised_at": now.isoformat()}))


def close_alert(db: Database, key: str, now: datetime) -> bool:
    """Close the open problem `key` (so a later relapse alerts again); True if one was open."""
    with db.atomic():
        cursor = db.execute(
            "update bot_operator_alerts set cleared_at = ? where key = ? and cleared_at is null", [now.isoformat(), key])
        return cursor.rowcount > 0


def open_alerts(db: Database) -> list[OperatorAlert]:
    return [record(OperatorAlert, row) for row in db.table("bot_operator_alerts").rows_where("cleared_at is null", order_by="id")]


def unsent_alerts(db: Database) -> list[OperatorAlert]:
    """Open problems not yet posted (pending, or "sending": maybe posted, to be looked up first)."""
    return [
        record(OperatorAlert, row)
        for row in db.table("bot_operator_alerts").rows_where("status in ('pending', 'sending') and cleared_at is null",
                                                              order_by="id")
    ]


def save_sending(db: Database, alert_id: int, channel: str, now: datetime) -> None:
    # Committed before the HTTP call: the in-flight marker (bot/inflight.py).
    with db.atomic():
        db.table("bot_operator_alerts").update(alert_id, {"status": "sending", "channel": channel, "attempted_at": now.isoformat()})


def save_sent(db: Database, alert_id: int, ts: str, now: datetime) -> None:
    with db.atomic():
        db.table("bot_operator_alerts").update(alert_id, {"status": "sent", "slack_ts": ts, "sent_at": now.isoformat()})


def save_error(db: Database, alert_id: int, error: str, in_flight: bool = False) -> None:
    """Record a failed post; `in_flight`: Slack may have it, so it stays "sending" (looked up first)."""
    with db.atomic():
        db.table("bot_operator_alerts").update(alert_id, {"last_error": error, "status": "sending" if in_flight else "pending"})
