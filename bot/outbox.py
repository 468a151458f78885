"""The Slack outbox: one row per alert, so each discrepancy is delivered exactly once."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

# An alert row moves pending → sending → sent. "sending" is written (and committed) before
# the HTTP call, so a process that dies mid-post leaves a trace that the next run reconciles
# against the channel's history instead of posting again.
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
# A held alert waits for a maintainer (a new value candidate, bot/holds.py): "규칙 확인 중".
# It goes back to pending when the rules are kept, or is closed when a new version makes it right.
HELD, CLOSED = "held", "closed"












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
    view: str | None = None  # JSON snapshot of the message's content (see alert_snapshot)

    @classmethod
    def from_row(cls, row: dict) -> Alert:
        return cls(**{name: row.get(name) for name in cls.__dataclass_fields__})


_INVISIBLE = re.compile(r"[\s,\u200b\u200c\u200d\u2060\ufeff]+")


def normalize_claimed(claimed: str | None) -> str:
    """The claimed figure as a key: NFKC, no spaces, zero-width characters or thousands commas.

    "4,000억원", "4000억 원" and "４０００억원" are one figure.
    """
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", claimed or ""))


def build_dedup_key(story_id: int | None, fact_key: str, claimed: str) -> str:
    """Same story (syndicated copies included), same fact, same figure → same alert."""
    return f"{story_id}|{fact_key}|{normalize_claimed(claimed)}"


# Findings without a fact (arithmetic checks) are keyed by their verdict in angle brackets;
# people read a description instead of the key.
UNNAMED_FACTS = {"<sum_mismatch>": "기사 속 합계와 세부 항목"}


def fact_label(description: str | None, fact_key: str | None = None) -> str:
    """The fact's name as people read it: its description, never an internal key like <sum_mismatch>."""
    text = description or fact_key or ""
    if text.startswith("<") and text.endswith(">"):
        return UNNAMED_FACTS.get(text, "규칙에 없는 검사")
    return text


def _fact_key(finding: dict) -> str:
    # Arithmetic findings have no fact; the verdict stands in so a sum error is still one alert.
    return finding["fact_id"] or f"<{finding['verdict']}>"


def enqueue_findings(db: Database, route, now: datetime, held=None, suppress=None) -> list[int]:
    """Turn the alerting findings of checked, not yet seen article versions into outbox rows.

    `route(topic) -> channel`. Returns the new alert ids. A version is seen once: running
    this twice, or after a restart, adds nothing. `held(fact_key, claimed) -> bool`: an alert
    it names is queued as held ("규칙 확인 중"), in the same transaction, so it is never sent.
    `suppress(story_id, fact_key, claimed) -> bool`: an alert it names is not queued at all
    (answered 오탐 on this story before: bot/answer_effects.py false_alarm_predicate).
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
            created.extend(_enqueue_version(db, version, route, now.isoformat(), held, suppress))
            db["bot_versions_seen"].insert({"version_id": version["id"], "seen_at": now.isoformat()}, replace=True)
    return created


def _enqueue_version(db: Database, version: dict, route, now_iso: str, held=None, suppress=None) -> list[int]:
    findings = list(db["findings"].rows_where("version_id = ?", [version["id"]], order_by="id"))
    created = []
    alerting_facts = set()
    for finding in findings:
        if not finding["alert"]:
            continue
        alerting_facts.add(_fact_key(finding))
        new_id = _enqueue_finding(db, version, finding, route, now_iso, held, suppress)
        if new_id is not None:
            created.append(new_id)
    if version["version"] > 1:
        created.extend(_enqueue_corrections(db, version, findings, alerting_facts, now_iso))
    return created


def _latest_reply(db: Database, parent_id: int) -> tuple | None:
    """(kind, version_id) of the newest thread reply on alert `parent_id`, or None."""
    return db.execute(
        "select kind, version_id from bot_alerts where parent_id = ? order by id desc limit 1", [parent_id]
    ).fetchone()


def _enqueue_finding(db: Database, version: dict, finding: dict, route, now_iso: str, held=None, suppress=None) -> int | None:
    fact_key = _fact_key(finding)
    if suppress is not None and suppress(version["story_id"], fact_key, finding["claimed"]):
        return None  # answers hook (issue 11): a fact-checker answered 오탐 for this story, fact and figure
    key = build_dedup_key(version["story_id"], fact_key, finding["claimed"])
    existing = db.execute("select id, parent_id, kind from bot_alerts where dedup_key = ?", [key]).fetchone()
    if existing:
        return _enqueue_regression(db, version, finding, existing, now_iso)
    data = json.loads(finding["data"] or "{}")
    topic = data.get("topic")
    # A thread reply only for an edit: the first alert came from an earlier version of this
    # article. Two figures for one fact in one version, or a syndicated copy with its own
    # figure, are alerts of their own.
    parent = db.execute(
        "select id, channel, claimed from bot_alerts where article_id = ? and fact_id = ? and kind = 'alert' "
        "and version_id < ? order by id limit 1",
        [version["article_id"], fact_key, version["id"]],
    ).fetchone()
    row = _alert_row(
        db, version, finding, kind="update" if parent else "alert", key=key, parent_id=parent[0] if parent else None,
        fact_key=fact_key, topic=topic,
        # A thread reply lives where its first alert was posted.
        channel=parent[1] if parent else route(topic),
        previous_claimed=parent[2] if parent else None, now_iso=now_iso,
    )
    if held is not None and held(fact_key, finding["claimed"]):
        row["status"] = HELD
    return db["bot_alerts"].insert(row).last_pk


def _enqueue_regression(db: Database, version: dict, finding: dict, existing: tuple, now_iso: str) -> int | None:
    """The figure was alerted before: say so again only if the article had been corrected since."""
    existing_id, existing_parent, _kind = existing
    root_id = existing_parent or existing_id
    root = db.execute("select article_id, channel, claimed from bot_alerts where id = ?", [root_id]).fetchone()
    if root is None or root[0] != version["article_id"]:
        return None  # a syndicated copy of an alerted story: the first alert covers it
    latest = _latest_reply(db, root_id)
    if not latest or latest[0] != "corrected" or latest[1] >= version["id"]:
        return None
    key = f"regressed|{root_id}|{version['id']}|{normalize_claimed(finding['claimed'])}"
    if db.execute("select 1 from bot_alerts where dedup_key = ?", [key]).fetchone():
        return None
    data = json.loads(finding["data"] or "{}")
    row = _alert_row(
        db, version, finding, kind="update", key=key, parent_id=root_id, fact_key=_fact_key(finding),
        topic=data.get("topic"), channel=root[1], previous_claimed=root[2], now_iso=now_iso,
    )
    return db["bot_alerts"].insert(row).last_pk


def _alert_row(db: Database, version: dict, finding: dict, *, kind: str, key: str, parent_id: int | None,
               fact_key: str, topic: str | None, channel: str, previous_claimed: str | None, now_iso: str) -> dict:
    snapshot = build_snapshot(db, version["id"], version["article_id"], finding, claimed=finding["claimed"],
                              previous_claimed=previous_claimed, fact_key=fact_key)
    return {
        "kind": kind,
        "dedup_key": key,
        "parent_id": parent_id,
        "finding_id": finding["id"],
        "version_id": version["id"],
        "article_id": version["article_id"],
        "story_id": version["story_id"],
        "fact_id": fact_key,
        "topic": topic,
        "claimed": finding["claimed"],
        "channel": channel,
        "status": PENDING,
        "attempts": 0,
        "created_at": now_iso,
        "view": json.dumps(snapshot, ensure_ascii=False),
    }


def _enqueue_corrections(db: Database, version: dict, findings: list[dict], alerting: set, now_iso: str) -> list[int]:
    """An updated article that no longer makes a flagged claim gets a "바로잡힘" thread reply, once."""
    created = []
    earlier = db.execute(
        "select id, fact_id, channel, view from bot_alerts where article_id = ? and kind = 'alert' and version_id < ? "
        "order by id",
        [version["article_id"], version["id"]],
    ).fetchall()
    for parent_id, fact_key, channel, parent_view in earlier:
        if fact_key in alerting:
            continue
        latest = _latest_reply(db, parent_id)
        if latest and latest[0] == "corrected":
            continue  # already said; a later edit that keeps it right says nothing new
        key = f"corrected|{parent_id}|{version['id']}"
        if db.execute("select 1 from bot_alerts where dedup_key = ?", [key]).fetchone():
            continue
        now_right = next((f for f in findings if _fact_key(f) == fact_key), None)
        # A correction that dropped the claim shows the first alert's content.
        basis = json.loads(parent_view) if parent_view else None
        snapshot = build_snapshot(db, version["id"], version["article_id"], now_right, basis_view=basis,
                                  claimed=now_right["claimed"] if now_right else None, previous_claimed=None,
                                  fact_key=fact_key)
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
                    "view": json.dumps(snapshot, ensure_ascii=False),
                }
            )
            .last_pk
        )
    return created


def build_snapshot(db: Database, version_id: int, article_id: int, finding: dict | None, *, claimed: str | None,
                   previous_claimed: str | None, fact_key: str, basis_view: dict | None = None) -> dict:
    """Everything an alert message shows except its id and kind, read once when the alert is enqueued.

    Sending reads only this (never `findings`, which a recheck deletes and re-inserts), so
    an alert stays deliverable whatever happens to the checker's rows in between.
    """
    snapshot = {
        "verdict": "unknown", "fact_description": fact_label(None, fact_key), "canonical": None, "explanation": "", "hint": None,
        "sentence": "", "claim_start": None, "claim_end": None, "rule": None, "version_display": None,
        "version_valid_from": None, "version_valid_until": None, "version_source": None,
    }
    if basis_view:
        snapshot.update({name: basis_view.get(name) for name in snapshot if name in basis_view})
    if finding is not None:
        data = json.loads(finding.get("data") or "{}")
        version = data.get("version") or {}
        snapshot.update(
            verdict=finding.get("verdict") or "unknown",
            fact_description=fact_label(data.get("fact_description"), fact_key),
            canonical=finding.get("canonical"),
            explanation=finding.get("explanation") or "",
            hint=data.get("hint"),
            sentence=data.get("sentence") or "",
            claim_start=_relative(data.get("start"), data.get("sentence_start")),
            claim_end=_relative(data.get("end"), data.get("sentence_start")),
            rule=data.get("rule"),
            version_display=version.get("display"),
            version_valid_from=version.get("valid_from"),
            version_valid_until=version.get("valid_until"),
            version_source=version.get("source"),
        )
    article = db["articles"].get(article_id)
    article_version = db["article_versions"].get(version_id)
    snapshot.update(
        claimed=claimed or "",
        previous_claimed=previous_claimed,
        article_title=article_version.get("title") or article.get("title") or "",
        outlet=article.get("outlet"),
        published=article_version.get("published") or article.get("published"),
        url=article["url"],
        article_version=article_version.get("version") or 1,
    )
    return snapshot


def _relative(offset, sentence_start) -> int | None:
    if offset is None or sentence_start is None:
        return None
    return int(offset) - int(sentence_start)


def _find_finding(db: Database, row: dict) -> dict | None:
    """A row's finding by id, or — after a recheck gave it a new id — by version, fact and figure."""
    if row.get("finding_id"):
        found = db.execute("select 1 from findings where id = ?", [row["finding_id"]]).fetchone()
        if found:
            finding = db["findings"].get(row["finding_id"])
            if finding["version_id"] == row["version_id"]:
                return finding
    if not row.get("claimed"):
        return None
    wanted = normalize_claimed(row["claimed"])
    for finding in db["findings"].rows_where("version_id = ?", [row["version_id"]], order_by="id"):
        if _fact_key(finding) == row["fact_id"] and normalize_claimed(finding["claimed"]) == wanted:
            return finding
    return None


def _legacy_snapshot(db: Database, row: dict) -> dict | None:
    """A snapshot for a row enqueued before alerts carried one (None if its finding is gone)."""
    try:
        finding = _find_finding(db, row)
        parent = db["bot_alerts"].get(row["parent_id"]) if row.get("parent_id") else None
        basis = None
        if finding is None:
            if row["kind"] != "corrected" or parent is None:
                return None
            parent_finding = _find_finding(db, dict(parent))
            if parent_finding is None:
                return None
            basis = build_snapshot(db, parent["version_id"], parent["article_id"], parent_finding,
                                   claimed=parent["claimed"], previous_claimed=None, fact_key=parent["fact_id"] or "")
        return build_snapshot(
            db, row["version_id"], row["article_id"], finding, basis_view=basis,
            claimed=(finding or {}).get("claimed") or ("" if row["kind"] == "corrected" else row.get("claimed")),
            previous_claimed=parent["claimed"] if parent is not None and row["kind"] == "update" else None,
            fact_key=row["fact_id"] or "",
        )
    except Exception:  # noqa: BLE001 — a backfill must not stop the store from opening
        return None


def alert_snapshot(db: Database, alert: Alert) -> dict | None:
    """The stored snapshot, or one rebuilt for an alert enqueued before snapshots existed."""
    if alert.view:
        return json.loads(alert.view)
    return _legacy_snapshot(db, db["bot_alerts"].get(alert.id))


def load_alerts(db: Database, status: str) -> list[Alert]:
    return [Alert.from_row(row) for row in db["bot_alerts"].rows_where("status = ?", [status], order_by="id")]


def load_alert(db: Database, alert_id: int) -> Alert:
    return Alert.from_row(db["bot_alerts"].get(alert_id))


def delivery_channel(db: Database, alert: Alert, route=None) -> str:
    """Where an unsent alert goes now: decided at delivery from the current settings.

    `route(topic) -> channel` (None: the channel stored at enqueue). A thread reply goes to
    the channel its first alert was posted in; one that stands alone (the first alert failed
    or went to the console) is routed like an alert. So a channel fixed in factwatch.yaml
    takes effect for every pending alert at the next start.
    """
    if route is None:
        return alert.channel
    topic = alert.topic
    if alert.parent_id:
        parent = load_alert(db, alert.parent_id)
        if parent.status == SENT and parent.slack_ts and not parent.slack_ts.startswith("console-"):
            return parent.channel
        topic = topic or parent.topic
    return route(topic)


def save_sending(db: Database, alert: Alert, thread_ts: str | None, channel: str | None = None) -> None:
    # Committed before the HTTP call: this row is the in-flight marker reconciliation reads,
    # and `channel` where it looks (the channel this attempt goes to).
    with db.atomic():
        db["bot_alerts"].update(
            alert.id,
            {"status": SENDING, "attempts": alert.attempts + 1, "thread_ts": thread_ts, "channel": channel or alert.channel},
        )


def save_sent(db: Database, alert_id: int, ts: str, now: datetime) -> None:
    with db.atomic():
        db["bot_alerts"].update(alert_id, {"status": SENT, "slack_ts": ts, "sent_at": now.isoformat(), "last_error": None})


def save_retry(db: Database, alert_id: int, error: str, status: str = PENDING) -> None:
    with db.atomic():
        db["bot_alerts"].update(alert_id, {"status": status, "last_error": error})


def requeue_failed(db: Database) -> int:
    """Put every failed alert back in the queue (after fixing what Slack rejected); returns how many."""
    with db.atomic():
        return db.execute(
            "update bot_alerts set status = ?, last_error = '다시 보내도록 대기열에 넣었습니다(이전 오류: ' || "
            "coalesce(last_error, '없음') || ')' where status = ?",
            [PENDING, FAILED],
        ).rowcount


def count_by_status(db: Database) -> dict[str, int]:
    return {status: count for status, count in db.execute("select status, count(*) from bot_alerts group by status")}
