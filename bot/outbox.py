"""The Slack outbox: one row per alert, so each discrepancy is delivered exactly once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("factwatch.bot")

# An alert row moves pending → sending → sent. "sending" is written (and committed) before
# the HTTP call, so a process that dies mid-post leaves a trace that the next run reconciles
# against the channel's history instead of posting again.
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


@MIGRATIONS()
def m001_outbox(db: Database) -> None:
    db["bot_alerts"].create(
        {
            "id": int,
            "kind": str,  # alert | update (thread reply: the claim changed) | corrected (thread reply)
            "dedup_key": str,
            "parent_id": int,
            "finding_id": int,
            "version_id": int,
            "article_id": int,
            "story_id": int,
            "fact_id": str,
            "topic": str,
            "claimed": str,
            "channel": str,
            "status": str,
            "slack_ts": str,
            "thread_ts": str,
            "attempts": int,
            "last_error": str,
            "created_at": str,
            "sent_at": str,
        },
        pk="id",
        defaults={"status": PENDING, "attempts": 0},
    )
    db["bot_alerts"].create_index(["dedup_key"], unique=True)
    db["bot_alerts"].create_index(["status"])
    db["bot_alerts"].create_index(["story_id", "fact_id"])
    # Versions whose findings have been turned into alerts (or judged silent).
    db["bot_versions_seen"].create({"version_id": int, "seen_at": str}, pk="version_id")
    db["bot_digests"].create(
        {"day": str, "channel": str, "status": str, "slack_ts": str, "text": str, "created_at": str, "sent_at": str},
        pk="day",
    )
    db["bot_operator_alerts"].create(
        {
            "id": int,
            "key": str,  # e.g. "crawl_failing", "source_silent:hankook"
            "message": str,
            "channel": str,
            "status": str,
            "slack_ts": str,
            "last_error": str,
            "raised_at": str,
            "cleared_at": str,
            "sent_at": str,
        },
        pk="id",
    )
    db["bot_operator_alerts"].create_index(["key"])
    db["bot_crawl_runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | ok | failed | timeout
            "returncode": int,
            "new_versions": int,
            "stderr_tail": str,
        },
        pk="id",
    )
    # When each scheduled job last ran, so a restart can tell a digest is overdue.
    db["bot_job_runs"].create(
        {"job": str, "last_started": str, "last_finished": str, "last_ok": str, "last_error": str},
        pk="job",
    )


@dataclass(frozen=True)
class Alert:
    """One outbox row."""

    id: int
    kind: str
    dedup_key: str
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

    @classmethod
    def from_row(cls, row: dict) -> "Alert":
        return cls(**{name: row.get(name) for name in cls.__dataclass_fields__})


def build_dedup_key(story_id: int | None, fact_key: str, claimed: str) -> str:
    """Same story (syndicated copies included), same fact, same figure → same alert."""
    return f"{story_id}|{fact_key}|{' '.join((claimed or '').split())}"


def _fact_key(finding: dict) -> str:
    # Arithmetic findings have no fact; the verdict stands in so a sum error is still one alert.
    return finding["fact_id"] or f"<{finding['verdict']}>"


def enqueue_findings(db: Database, route, now: datetime) -> list[int]:
    """Turn the alerting findings of checked, not yet seen article versions into outbox rows.

    `route(topic) -> channel`. Returns the new alert ids. A version is seen once: running
    this twice, or after a restart, adds nothing.
    """
    versions = list(
        db.query(
            "select v.id, v.article_id, v.version, a.story_id from article_versions v "
            "join articles a on a.id = v.article_id "
            "where v.extracted_at is not null and v.id not in (select version_id from bot_versions_seen) "
            "order by v.id"
        )
    )
    created: list[int] = []
    for version in versions:
        with db.atomic():
            created.extend(_enqueue_version(db, version, route, now.isoformat()))
            db["bot_versions_seen"].insert({"version_id": version["id"], "seen_at": now.isoformat()}, replace=True)
    return created


def _enqueue_version(db: Database, version: dict, route, now_iso: str) -> list[int]:
    findings = list(db["findings"].rows_where("version_id = ?", [version["id"]], order_by="id"))
    created = []
    alerting_facts = set()
    for finding in findings:
        if not finding["alert"]:
            continue
        alerting_facts.add(_fact_key(finding))
        new_id = _enqueue_finding(db, version, finding, route, now_iso)
        if new_id is not None:
            created.append(new_id)
    if version["version"] > 1:
        created.extend(_enqueue_corrections(db, version, findings, alerting_facts, now_iso))
    return created


def _enqueue_finding(db: Database, version: dict, finding: dict, route, now_iso: str) -> int | None:
    fact_key = _fact_key(finding)
    key = build_dedup_key(version["story_id"], fact_key, finding["claimed"])
    if db.execute("select 1 from bot_alerts where dedup_key = ?", [key]).fetchone():
        return None
    data = json.loads(finding["data"] or "{}")
    topic = data.get("topic")
    parent = db.execute(
        "select id, channel from bot_alerts where story_id = ? and fact_id = ? and kind = 'alert' order by id limit 1",
        [version["story_id"], fact_key],
    ).fetchone()
    row = {
        "kind": "update" if parent else "alert",
        "dedup_key": key,
        "parent_id": parent[0] if parent else None,
        "finding_id": finding["id"],
        "version_id": version["id"],
        "article_id": version["article_id"],
        "story_id": version["story_id"],
        "fact_id": fact_key,
        "topic": topic,
        "claimed": finding["claimed"],
        # A thread reply lives where its first alert was posted.
        "channel": parent[1] if parent else route(topic),
        "status": PENDING,
        "attempts": 0,
        "created_at": now_iso,
    }
    return db["bot_alerts"].insert(row).last_pk


def _enqueue_corrections(db: Database, version: dict, findings: list[dict], alerting: set, now_iso: str) -> list[int]:
    """An updated article that no longer makes a flagged claim gets a "바로잡힘" thread reply."""
    created = []
    earlier = db.execute(
        "select id, fact_id, channel from bot_alerts where article_id = ? and kind = 'alert' order by id",
        [version["article_id"]],
    ).fetchall()
    for parent_id, fact_key, channel in earlier:
        if fact_key in alerting:
            continue
        key = f"corrected|{parent_id}|{version['id']}"
        if db.execute("select 1 from bot_alerts where dedup_key = ?", [key]).fetchone():
            continue
        now_right = next((f for f in findings if f["fact_id"] == fact_key), None)
        created.append(
            db["bot_alerts"]
            .insert(
                {
                    "kind": "corrected",
                    "dedup_key": key,
                    "parent_id": parent_id,
                    "finding_id": now_right["id"] if now_right else None,
                    "version_id": version["id"],
                    "article_id": version["article_id"],
                    "story_id": version["story_id"],
                    "fact_id": fact_key,
                    "claimed": now_right["claimed"] if now_right else None,
                    "channel": channel,
                    "status": PENDING,
                    "attempts": 0,
                    "created_at": now_iso,
                }
            )
            .last_pk
        )
    return created


def load_alerts(db: Database, status: str) -> list[Alert]:
    return [Alert.from_row(row) for row in db["bot_alerts"].rows_where("status = ?", [status], order_by="id")]


def load_alert(db: Database, alert_id: int) -> Alert:
    return Alert.from_row(db["bot_alerts"].get(alert_id))


def save_sending(db: Database, alert: Alert, thread_ts: str | None) -> None:
    # Committed before the HTTP call: this row is the in-flight marker reconciliation reads.
    with db.atomic():
        db["bot_alerts"].update(
            alert.id, {"status": SENDING, "attempts": alert.attempts + 1, "thread_ts": thread_ts}
        )


def save_sent(db: Database, alert_id: int, ts: str, now: datetime) -> None:
    with db.atomic():
        db["bot_alerts"].update(alert_id, {"status": SENT, "slack_ts": ts, "sent_at": now.isoformat(), "last_error": None})


def save_retry(db: Database, alert_id: int, error: str, status: str = PENDING) -> None:
    with db.atomic():
        db["bot_alerts"].update(alert_id, {"status": status, "last_error": error})


def count_by_status(db: Database) -> dict[str, int]:
    return {status: count for status, count in db.execute("select status, count(*) from bot_alerts group by status")}
