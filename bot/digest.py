"""The daily digest: gathered from the store for one day, posted once per day, caught up after a restart."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.holds import held_summary
from bot.inflight import find_in_flight, may_have_posted
from bot.message import DigestView, SlackMessage, build_digest_message, fact_label
from bot.notices import load_open_operator_alerts
from bot.precision import with_precision_section
from bot.sender import DeliveryError, Sender
from factwatch.store import digests
from factwatch.store.answers import load_outcomes
from factwatch.store.findings import articles_seen_between


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
    # The store's times are UTC ISO strings and compare as text: the window must be written
    # in UTC too, or 12:00 KST (03:00+00:00) sorts before 09:00+09:00 and falls outside.
    start = (day_end - timedelta(days=1)).astimezone(UTC).isoformat()
    end = day_end.astimezone(UTC).isoformat()

    counts = digests.day_counts(db, start, end)
    return DigestView(
        day=day_end.date().isoformat(),
        articles_seen=articles_seen_between(db, start, end),
        versions_checked=counts.versions_checked,
        alerts_sent=counts.alerts_sent,
        alerts_pending=counts.alerts_pending,
        crawl_ok=counts.crawl_ok,
        crawl_failed=counts.crawl_failed,
        top_facts=tuple((fact_label(description) or "?", count) for description, count in counts.top_facts),
        open_problems=tuple(
            p.message for p in load_open_operator_alerts(db) if not p.key.startswith("new_value:")
        ) + tuple(
            f"규칙 확인 중: [{fact_id}] 새 값 후보 {written} · 보류한 알림 {held}건" for fact_id, written, held in held_summary(db)
        ),
    )


def post_digest(db: Database, sender: Sender, channel: str, now: datetime, digest_at: time, tz: str) -> str | None:
    """Post the digest for the day ending at the latest digest moment, unless already sent; returns its ts."""
    moment = last_digest_time(now, digest_at, tz)
    day = moment.date().isoformat()
    row = digests.digest_of(db, day)
    if row and row.status == "sent":
        return None
    if row is None or row.status != "sending" or not row.message:
        # Built now; a digest that may already be in Slack ("sending") is kept as it was posted.
        message = build_digest_message(load_digest_view(db, moment))
        message = with_precision_section(message, load_outcomes(db))  # answers hook (issue 11)
        row = digests.save_built(db, day, channel, message.text,
                                 json.dumps({"text": message.text, "blocks": message.blocks}, ensure_ascii=False),
                                 now.isoformat())
    # A DeliveryError leaves the day unsent: the deliver job retries it (retry_pending_digests).
    return _send(db, sender, row, channel, now)


def retry_pending_digests(db: Database, sender: Sender, now: datetime, channel: str | None = None) -> int:
    """Post digests that were built but not delivered (Slack was down at digest time), as built.

    `channel`: where a new attempt goes (the current settings); default the one it was built for.
    Raises the sender's DeliveryError (the day stays unsent for the next try).
    """
    posted = 0
    for row in digests.unsent_digests(db):
        if not row.message:
            continue  # built before digests kept their blocks: the next digest covers it
        _send(db, sender, row, channel or row.channel or "", now)
        posted += 1
    return posted


def _send(db: Database, sender: Sender, row: digests.DigestRow, channel: str, now: datetime) -> str:
    """One digest row, exactly once: an earlier attempt that may have posted is looked up first."""
    day = row.day
    key = f"digest:{day}"
    ts = None
    if row.status == "sending":
        ts = find_in_flight(sender, row.channel or channel, key, row.attempted_at)
    if ts is None:
        stored = json.loads(row.message or "{}")
        message = SlackMessage(text=stored["text"], blocks=tuple(stored["blocks"]))
        digests.mark_sending(db, day, channel, now.isoformat())  # the in-flight marker, before the HTTP call
        try:
            ts = sender.post(channel, message, {"digest_day": day, "key": key}, None)
        except DeliveryError as error:
            if not may_have_posted(error):
                digests.mark_pending(db, day)
            raise
    digests.mark_sent(db, day, ts, now.isoformat())
    return ts
