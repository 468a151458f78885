"""The bot's tables: the Slack outbox, versions seen, digests, operator notices, crawl child runs, job runs, value candidates.

Frozen: a migration that has shipped is never edited, and never calls live code (a data
migration carries its own copy of what it needs), so a store of any age opens the same way.
New columns and tables are a new function at the end.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("factwatch.bot")


@MIGRATIONS()
def m001_outbox(db: Database) -> None:
    db.table("bot_alerts").create(
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
        defaults={"status": "pending", "attempts": 0},
    )
    db.table("bot_alerts").create_index(["dedup_key"], unique=True)
    db.table("bot_alerts").create_index(["status"])
    db.table("bot_alerts").create_index(["story_id", "fact_id"])
    # Versions whose findings have been turned into alerts (or judged silent).
    db.table("bot_versions_seen").create({"version_id": int, "seen_at": str}, pk="version_id")
    db.table("bot_digests").create(
        {"day": str, "channel": str, "status": str, "slack_ts": str, "text": str, "created_at": str, "sent_at": str},
        pk="day",
    )
    db.table("bot_operator_alerts").create(
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
    db.table("bot_operator_alerts").create_index(["key"])
    db.table("bot_crawl_runs").create(
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
    db.table("bot_job_runs").create(
        {"job": str, "last_started": str, "last_finished": str, "last_ok": str, "last_error": str},
        pk="job",
    )


@MIGRATIONS()
def m002_alert_snapshot(db: Database) -> None:
    """Alerts carry what their message shows (findings are replaced by a recheck); keys normalised."""
    db.table("bot_alerts").add_column("view", str)  # JSON: the AlertView fields, frozen at enqueue
    db.table("bot_digests").add_column("message", str)  # JSON: the digest as built, so a retry posts the same
    db.table("bot_crawl_runs").add_column("pid", int)  # the bot process that started the crawl
    for row in list(db.query("select * from bot_alerts where status != 'sent' and view is null order by id")):
        snapshot = _frozen_snapshot(db, row)
        if snapshot is not None:
            db.table("bot_alerts").update(row["id"], {"view": json.dumps(snapshot, ensure_ascii=False)})
    # Keys written before normalisation: rewrite them, unless the row is in flight (its key is
    # in the posted message's metadata) or the new key is already taken.
    for row in list(db.query("select id, story_id, fact_id, claimed, dedup_key, status from bot_alerts "
                             "where kind in ('alert', 'update') and status != 'sending'")):
        key = _dedup_key(row["story_id"], row["fact_id"] or "", row["claimed"] or "")
        if key != row["dedup_key"] and not db.execute("select 1 from bot_alerts where dedup_key = ?", [key]).fetchone():
            db.table("bot_alerts").update(row["id"], {"dedup_key": key})


@MIGRATIONS()
def m003_notice_digest_in_flight(db: Database) -> None:
    """Operator notices and digests get the same in-flight marker as alerts (bot/inflight.py)."""
    db.table("bot_operator_alerts").add_column("attempted_at", str)  # last post attempt (history search bound)
    db.table("bot_digests").add_column("attempted_at", str)


@MIGRATIONS()
def m004_crawl_child(db: Database) -> None:
    """The crawl child's process group and its own exit code (bot/crawl_child.py)."""
    db.table("bot_crawl_runs").add_column("crawl_pgid", int)
    db.table("bot_crawl_runs").add_column("child_returncode", int)
    db.table("bot_crawl_runs").add_column("child_finished_at", str)


@MIGRATIONS()
def m005_value_candidates(db: Database) -> None:
    """New value candidates (bot/holds.py): one per fact and value, open until a maintainer acts."""
    db.table("bot_value_candidates").create(
        {"id": int, "fact_id": str, "value_key": str, "written": str, "forms": str, "status": str,
         "notice_key": str, "raised_at": str, "closed_at": str},
        pk="id",
    )
    db.table("bot_value_candidates").create_index(["fact_id", "value_key"], unique=True)


# --- Frozen copies of the outbox code as it was when m002 shipped (the backfill
# must not change when the live code does). Do not edit; do not import from elsewhere.

_INVISIBLE = re.compile(r"[\s,\u200b\u200c\u200d\u2060\ufeff]+")
_UNNAMED_FACTS = {"<sum_mismatch>": "기사 속 합계와 세부 항목"}


def _normalized(claimed: str | None) -> str:
    """The claimed figure as a key: NFKC, no spaces, zero-width characters or thousands commas.

    "4,000억원", "4000억 원" and "４０００억원" are one figure.
    """
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", claimed or ""))


def _dedup_key(story_id: int | None, fact_key: str, claimed: str) -> str:
    """Same story (syndicated copies included), same fact, same figure → same alert."""
    return f"{story_id}|{fact_key}|{_normalized(claimed)}"


def _fact_label(description: str | None, fact_key: str | None = None) -> str:
    """The fact's name as people read it: its description, never an internal key like <sum_mismatch>."""
    text = description or fact_key or ""
    if text.startswith("<") and text.endswith(">"):
        return _UNNAMED_FACTS.get(text, "규칙에 없는 검사")
    return text


def _key_of(finding: dict) -> str:
    # Arithmetic findings have no fact; the verdict stands in so a sum error is still one alert.
    return finding["fact_id"] or f"<{finding['verdict']}>"


def _snapshot(db: Database, version_id: int, article_id: int, finding: dict | None, *, claimed: str | None,
                   previous_claimed: str | None, fact_key: str, basis_view: dict | None = None) -> dict:
    """Everything an alert message shows except its id and kind, read once when the alert is enqueued.

    Sending reads only this (never `findings`, which a recheck deletes and re-inserts), so
    an alert stays deliverable whatever happens to the checker's rows in between.
    """
    snapshot: dict[str, Any] = {
        "verdict": "unknown", "fact_description": _fact_label(None, fact_key), "canonical": None, "explanation": "", "hint": None,
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
            fact_description=_fact_label(data.get("fact_description"), fact_key),
            canonical=finding.get("canonical"),
            explanation=finding.get("explanation") or "",
            hint=data.get("hint"),
            sentence=data.get("sentence") or "",
            claim_start=_relative_offset(data.get("start"), data.get("sentence_start")),
            claim_end=_relative_offset(data.get("end"), data.get("sentence_start")),
            rule=data.get("rule"),
            version_display=version.get("display"),
            version_valid_from=version.get("valid_from"),
            version_valid_until=version.get("valid_until"),
            version_source=version.get("source"),
        )
    article = db.table("articles").get(article_id)
    article_version = db.table("article_versions").get(version_id)
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


def _relative_offset(offset, sentence_start) -> int | None:
    if offset is None or sentence_start is None:
        return None
    return int(offset) - int(sentence_start)


def _finding_of(db: Database, row: dict) -> dict | None:
    """A row's finding by id, or — after a recheck gave it a new id — by version, fact and figure."""
    if row.get("finding_id"):
        found = db.execute("select 1 from findings where id = ?", [row["finding_id"]]).fetchone()
        if found:
            finding = db.table("findings").get(row["finding_id"])
            if finding["version_id"] == row["version_id"]:
                return finding
    if not row.get("claimed"):
        return None
    wanted = _normalized(row["claimed"])
    for finding in db.table("findings").rows_where("version_id = ?", [row["version_id"]], order_by="id"):
        if _key_of(finding) == row["fact_id"] and _normalized(finding["claimed"]) == wanted:
            return finding
    return None


def _frozen_snapshot(db: Database, row: dict) -> dict | None:
    """A snapshot for a row enqueued before alerts carried one (None if its finding is gone)."""
    try:
        finding = _finding_of(db, row)
        parent = db.table("bot_alerts").get(row["parent_id"]) if row.get("parent_id") else None
        basis = None
        if finding is None:
            if row["kind"] != "corrected" or parent is None:
                return None
            parent_finding = _finding_of(db, dict(parent))
            if parent_finding is None:
                return None
            basis = _snapshot(db, parent["version_id"], parent["article_id"], parent_finding,
                                   claimed=parent["claimed"], previous_claimed=None, fact_key=parent["fact_id"] or "")
        return _snapshot(
            db, row["version_id"], row["article_id"], finding, basis_view=basis,
            claimed=(finding or {}).get("claimed") or ("" if row["kind"] == "corrected" else row.get("claimed")),
            previous_claimed=parent["claimed"] if parent is not None and row["kind"] == "update" else None,
            fact_key=row["fact_id"] or "",
        )
    except Exception:  # noqa: BLE001 — a backfill must not stop the store from opening
        return None


@MIGRATIONS()
def m006_alert_figure(db: Database) -> None:
    """Alerts keep the parsed figure they are about (checker/alertable.py figure_key): one story's
    "4천억원" and "4000억원" are one alert. Older rows keep NULL and are compared by their text."""
    db.table("bot_alerts").add_column("figure", str)
