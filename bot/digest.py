"""The daily digest: gathered from the store for one day, posted once per day, caught up after a restart."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.message import DigestView, build_digest_message
from bot.notices import load_open_operator_alerts
from bot.sender import Sender


def last_digest_time(now: datetime, digest_at: time, tz: str) -> datetime:
    """The latest scheduled digest moment at or before `now`."""
    local = now.astimezone(ZoneInfo(tz))
    today = datetime.combine(local.date(), digest_at, tzinfo=ZoneInfo(tz))
    return today if today <= local else today - timedelta(days=1)


def is_digest_due(last_ok: str | None, now: datetime, digest_at: time, tz: str) -> bool:
    """A digest moment passed since the last digest (e.g. the bot was down at 09:00)."""
    if last_ok is None:
        return False  # a fresh install waits for its first scheduled digest
    return datetime.fromisoformat(last_ok) < last_digest_time(now, digest_at, tz)


def load_digest_view(db: Database, day_end: datetime) -> DigestView:
    start = (day_end - timedelta(days=1)).isoformat()
    end = day_end.isoformat()

    def one(sql: str, params: list) -> int:
        return db.execute(sql, params).fetchone()[0] or 0

    top = db.execute(
        "select f.data, count(*) from bot_alerts b join findings f on f.id = b.finding_id "
        "where b.kind = 'alert' and b.created_at >= ? and b.created_at < ? group by b.fact_id order by count(*) desc limit 20",
        [start, end],
    ).fetchall()
    crawl = dict(db.execute(
        "select case when status = 'ok' then 'ok' else 'failed' end, count(*) from bot_crawl_runs "
        "where started_at >= ? and started_at < ? and status != 'running' group by 1",
        [start, end],
    ).fetchall())
    return DigestView(
        day=day_end.date().isoformat(),
        articles_seen=one("select count(*) from articles where last_seen >= ? and last_seen < ?", [start, end]),
        versions_checked=one("select count(*) from bot_versions_seen where seen_at >= ? and seen_at < ?", [start, end]),
        alerts_sent=one("select count(*) from bot_alerts where status = 'sent' and sent_at >= ? and sent_at < ?", [start, end]),
        alerts_pending=one("select count(*) from bot_alerts where status in ('pending', 'sending')", []),
        crawl_ok=crawl.get("ok", 0),
        crawl_failed=crawl.get("failed", 0),
        top_facts=tuple((json.loads(data or "{}").get("fact_description") or "?", count) for data, count in top),
        open_problems=tuple(p.message for p in load_open_operator_alerts(db)),
    )


def post_digest(db: Database, sender: Sender, channel: str, now: datetime, digest_at: time, tz: str) -> str | None:
    """Post the digest for the day ending at the latest digest moment, unless already sent; returns its ts."""
    moment = last_digest_time(now, digest_at, tz)
    day = moment.date().isoformat()
    row = db["bot_digests"].get(day) if db.execute("select 1 from bot_digests where day = ?", [day]).fetchone() else None
    if row and row["status"] == "sent":
        return None
    message = build_digest_message(load_digest_view(db, moment))
    with db.atomic():
        db["bot_digests"].upsert(
            {"day": day, "channel": channel, "status": "pending", "text": message.text, "created_at": now.isoformat()}, pk="day"
        )
    ts = sender.post(channel, message, None, None)  # a DeliveryError leaves the day pending for the next try
    with db.atomic():
        db["bot_digests"].update(day, {"status": "sent", "slack_ts": ts, "sent_at": now.isoformat()})
    return ts
