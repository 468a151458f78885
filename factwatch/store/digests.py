"""Queries behind the daily digest: what happened in a day, and the digests built and posted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from factwatch.store.rows import record


@dataclass(frozen=True)
class DigestRow:
    """One day's digest: built once (its message kept as posted), then sent exactly once."""

    day: str
    channel: str | None
    status: str  # pending | sending | sent
    slack_ts: str | None
    text: str | None
    message: str | None  # JSON {"text", "blocks"}, so a retry posts what was built
    created_at: str | None
    sent_at: str | None
    attempted_at: str | None


@dataclass(frozen=True)
class DayCounts:
    """A day's activity, from the bot's own tables (the alerts' snapshots: a recheck replaces findings)."""

    top_facts: tuple[tuple[str | None, int], ...]  # (fact description as alerted, alerts), most first
    crawl_ok: int
    crawl_failed: int
    versions_checked: int
    alerts_sent: int
    alerts_pending: int


def day_counts(db: Database, start: str, end: str) -> DayCounts:
    """Counts for [start, end) in UTC ISO text (the store's times compare as text)."""
    def one(sql: str, params: list) -> int:
        return int(db.execute(sql, params).fetchone()[0] or 0)

    top = db.execute(
        "select coalesce(max(json_extract(b.view, '$.fact_description')), b.fact_id), count(*) from bot_alerts b "
        "where b.kind = 'alert' and b.created_at >= ? and b.created_at < ? group by b.fact_id order by count(*) desc limit 20",
        [start, end],
    ).fetchall()
    crawl = dict(db.execute(
        "select case when status = 'ok' then 'ok' else 'failed' end, count(*) from bot_crawl_runs "
        "where started_at >= ? and started_at < ? and status != 'running' group by 1",
        [start, end],
    ).fetchall())
    return DayCounts(
        top_facts=tuple((description, int(count)) for description, count in top),
        crawl_ok=int(crawl.get("ok", 0)),
        crawl_failed=int(crawl.get("failed", 0)),
        versions_checked=one("select count(*) from bot_versions_seen where seen_at >= ? and seen_at < ?", [start, end]),
        alerts_sent=one("select count(*) from bot_alerts where status = 'sent' and sent_at >= ? and sent_at < ?", [start, end]),
        alerts_pending=one("select count(*) from bot_alerts where status in ('pending', 'sending')", []),
    )


def digest_of(db: Database, day: str) -> DigestRow | None:
    row = next(db.query("select * from bot_digests where day = ?", [day]), None)
    return record(DigestRow, row) if row else None


def save_built(db: Database, day: str, channel: str, text: str, message_json: str, when: str) -> DigestRow:
    """The day's digest as built, pending; replaces an unsent one built earlier."""
    with db.atomic():
        db.table("bot_digests").upsert(
            {"day": day, "channel": channel, "status": "pending", "text": text, "message": message_json, "created_at": when},
            pk="day",
        )
    found = digest_of(db, day)
    assert found is not None
    return found


def unsent_digests(db: Database) -> list[DigestRow]:
    return [record(DigestRow, row) for row in db.query("select * from bot_digests where status != 'sent' order by day")]


def mark_sending(db: Database, day: str, channel: str, when: str) -> None:
    """Committed before the HTTP call: the in-flight marker a restart reconciles."""
    with db.atomic():
        db.table("bot_digests").update(day, {"status": "sending", "channel": channel, "attempted_at": when})


def mark_pending(db: Database, day: str) -> None:
    with db.atomic():
        db.table("bot_digests").update(day, {"status": "pending"})


def mark_sent(db: Database, day: str, ts: str, when: str) -> None:
    with db.atomic():
        db.table("bot_digests").update(day, {"status": "sent", "slack_ts": ts, "sent_at": when})
