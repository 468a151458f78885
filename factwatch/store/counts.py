"""Counts over the findings and the outbox for log lines and `factwatch status`: read-only, small.

The findings and alert tables themselves (claims, findings, bot_alerts, bot_versions_seen) are
written by the checker's pipeline and the bot's outbox (issue 9: their queries move into this
package in the findings/alerts branch).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database


def alerting_findings(db: Database) -> int:
    """Findings that call for an alert, over the whole archive."""
    return int(db.execute("select count(*) from findings where alert = 1").fetchone()[0])


def versions_seen(db: Database) -> int:
    """Article versions the bot has turned into alerts (or judged silent)."""
    return int(db.execute("select count(*) from bot_versions_seen").fetchone()[0])


def held_among(db: Database, alert_ids: Iterable[int]) -> int:
    """How many of these alerts are held ("규칙 확인 중")."""
    ids = list(alert_ids)
    held = 0
    for start in range(0, len(ids), 500):  # well under SQLite's limit on bound parameters
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        held += db.execute(f"select count(*) from bot_alerts where status = 'held' and id in ({marks})", chunk).fetchone()[0]
    return held


def alerts(db: Database) -> int:
    return int(db.execute("select count(*) from bot_alerts").fetchone()[0])


def unsent_alert_errors(db: Database, limit: int = 10) -> list[tuple[int, str]]:
    """(id, last error) of the latest unsent alerts whose last attempt failed, newest first."""
    return [(row[0], row[1]) for row in db.execute(
        "select id, last_error from bot_alerts where status in ('pending', 'sending', 'failed') "
        "and last_error is not null order by id desc limit ?", [limit])]
