"""Operator alerts: raised once per open problem, cleared when it goes away (no storms).

The rows live in factwatch/store/operator_alerts.py; this module is what the bot's parts call,
and logs each problem as it opens.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlite_utils import Database

from factwatch.store import operator_alerts
from factwatch.store.operator_alerts import OperatorAlert

log = logging.getLogger(__name__)

__all__ = [
    "OperatorAlert", "clear_operator_alert", "load_open_operator_alerts", "load_unsent_operator_alerts",
    "raise_operator_alert", "save_operator_alert_error", "save_operator_alert_sending", "save_operator_alert_sent",
]


def raise_operator_alert(db: Database, key: str, message: str, now: datetime) -> int | None:
    """Open a problem unless the same one is already open; returns the new id or None."""
    alert_id = operator_alerts.open_alert(db, key, message, now)
    if alert_id is not None:
        log.error("운영 알림 %s: %s", key, message)
    return alert_id


def clear_operator_alert(db: Database, key: str, now: datetime) -> bool:
    """Close the open problem `key` (so a later relapse alerts again); True if one was open."""
    return operator_alerts.close_alert(db, key, now)


def load_open_operator_alerts(db: Database) -> list[OperatorAlert]:
    return operator_alerts.open_alerts(db)


def load_unsent_operator_alerts(db: Database) -> list[OperatorAlert]:
    """Open problems not yet posted (pending, or "sending": maybe posted, to be looked up first).

    One cleared before it could be posted is old news and stays unsaid.
    """
    return operator_alerts.unsent_alerts(db)


save_operator_alert_sending = operator_alerts.save_sending
save_operator_alert_sent = operator_alerts.save_sent
save_operator_alert_error = operator_alerts.save_error
