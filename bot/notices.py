"""Operator alerts in SQLite: raised once per open problem, cleared when it goes away (no storms)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OperatorAlert:
    id: int
    key: str
    message: str
    status: str
    raised_at: str
    cleared_at: str | None
    last_error: str | None
    channel: str | None = None  # where the last post attempt went
    attempted_at: str | None = None

    @property
    def metadata_key(self) -> str:
        """The key its Slack message carries, so an in-flight post can be found in history."""
        return f"operator:{self.id}"


def raise_operator_alert(db: Database, key: str, message: str, now: datetime) -> int | None:
    """Open a problem unless the same one is already open; returns the new id or None."""
    with db.atomic():
        if db.execute("select 1 from bot_operator_alerts where key = ? and cleared_at is null", [key]).fetchone():
            return None
        log.error("운영 알림 %s: %s", key, message)
        return (
            db.table("bot_operator_alerts")
            .insert({"key": key, "message": message, "status": "pending", "raised_at": now.isoformat()})
            .last_pk
        )


def clear_operator_alert(db: Database, key: str, now: datetime) -> bool:
    """Close the open problem `key` (so a later relapse alerts again); True if one was open."""
    with db.atomic():
        cursor = db.execute(
            "update bot_operator_alerts set cleared_at = ? where key = ? and cleared_at is null", [now.isoformat(), key]
        )
        return cursor.rowcount > 0


def load_open_operator_alerts(db: Database) -> list[OperatorAlert]:
    return [
        _from_row(row) for row in db.table("bot_operator_alerts").rows_where("cleared_at is null", order_by="id")
    ]


def load_unsent_operator_alerts(db: Database) -> list[OperatorAlert]:
    """Open problems not yet posted (pending, or "sending": maybe posted, to be looked up first).

    One cleared before it could be posted is old news and stays unsaid.
    """
    return [
        _from_row(row)
        for row in db.table("bot_operator_alerts").rows_where(
            "status in ('pending', 'sending') and cleared_at is null", order_by="id"
        )
    ]


def save_operator_alert_sending(db: Database, alert_id: int, channel: str, now: datetime) -> None:
    # Committed before the HTTP call: the in-flight marker (bot/inflight.py).
    with db.atomic():
        db.table("bot_operator_alerts").update(alert_id, {"status": "sending", "channel": channel, "attempted_at": now.isoformat()})


def save_operator_alert_sent(db: Database, alert_id: int, ts: str, now: datetime) -> None:
    with db.atomic():
        db.table("bot_operator_alerts").update(alert_id, {"status": "sent", "slack_ts": ts, "sent_at": now.isoformat()})


def save_operator_alert_error(db: Database, alert_id: int, error: str, in_flight: bool = False) -> None:
    """Record a failed post; `in_flight`: Slack may have it, so it stays "sending" (looked up first)."""
    with db.atomic():
        db.table("bot_operator_alerts").update(alert_id, {"last_error": error, "status": "sending" if in_flight else "pending"})


def _from_row(row: dict) -> OperatorAlert:
    return OperatorAlert(
        id=row["id"],
        key=row["key"],
        message=row["message"],
        status=row["status"],
        raised_at=row["raised_at"],
        cleared_at=row["cleared_at"],
        last_error=row["last_error"],
        channel=row.get("channel"),
        attempted_at=row.get("attempted_at"),
    )
