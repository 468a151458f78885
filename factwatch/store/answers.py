"""Queries on the answers' tables (factwatch/store/schema/answers.py): typed records in and out."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class Answer:
    """One answer event. `source` makes it unique: the same reply or click read twice is one answer."""

    alert_id: int
    user: str
    kind: str  # confirmed | false_alarm | ignored
    via: str  # reaction | reply | button
    source: str
    answered_at: str  # UTC ISO; a reaction is dated when the bot first sees it (Slack gives it no time)
    emoji: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StoredAnswer:
    id: int
    alert_id: int
    user: str
    kind: str
    via: str
    answered_at: str
    withdrawn_at: str | None
    reason: str | None = None


@dataclass(frozen=True)
class AnswerableAlert:
    """A top-level alert the bot posted to Slack: the message answers are read on."""

    id: int
    channel: str
    slack_ts: str
    story_id: int | None
    fact_id: str | None
    claimed: str | None
    finding_id: int | None
    sent_at: str | None


@dataclass(frozen=True)
class PendingNote:
    alert_id: int
    channel: str
    thread_ts: str
    status: str
    attempted_at: str | None


@dataclass(frozen=True)
class AlertOutcome:
    """One posted alert and its answer in force (None: nobody answered)."""

    alert_id: int
    fact_id: str | None
    fact: str | None
    rule_file: str
    answer: str | None


@dataclass(frozen=True)
class Misfire:
    """A false alarm as maintainers read it: the sentence that misfired and why."""

    alert_id: int
    sentence: str
    claimed: str | None
    reason: str | None
    url: str | None
    answered_at: str


@dataclass(frozen=True)
class FactNotice:
    fact_id: str
    notice_key: str
    false_alarms: int
    fact_data: str | None
    raised_at: str
    cleared_at: str | None


@dataclass(frozen=True)
class ConfirmedAlert:
    """A confirmed finding with everything its ClaimReview needs (the alert's snapshot and the article)."""

    alert_id: int
    view: dict
    answered_at: str
    sent_at: str | None
    author: str | None  # the article's byline, when the crawler found one


_ANSWERABLE = ("select id, channel, slack_ts, story_id, fact_id, claimed, finding_id, sent_at from bot_alerts "
               "where kind = 'alert' and status = 'sent' and slack_ts is not null and slack_ts not like 'console-%'")


def load_answerable_alerts(db: Database, since_iso: str) -> list[AnswerableAlert]:
    """Top-level alerts posted to Slack since `since_iso`, oldest first."""
    return [AnswerableAlert(*row) for row in db.execute(_ANSWERABLE + " and sent_at >= ? order by id", [since_iso])]


def load_answerable_alert(db: Database, alert_id: int) -> AnswerableAlert | None:
    """Alert `alert_id` if it is a top-level alert posted to Slack (a button names it by id)."""
    row = db.execute(_ANSWERABLE + " and id = ?", [alert_id]).fetchone()
    return AnswerableAlert(*row) if row else None


def active_reactions(db: Database, alert_id: int) -> set[tuple[str, str]]:
    return {(user, emoji) for user, emoji in db.execute(
        "select user, emoji from bot_answers where alert_id = ? and via = 'reaction' and withdrawn_at is null", [alert_id])}


def save_answer(db: Database, answer: Answer, read_at: str) -> bool:
    """Store one answer event; False when it is already stored (read before)."""
    cursor = db.execute(
        "insert or ignore into bot_answers (alert_id, user, kind, via, emoji, reason, source, answered_at, read_at) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [answer.alert_id, answer.user, answer.kind, answer.via, answer.emoji, answer.reason, answer.source,
         answer.answered_at, read_at],
    )
    return cursor.rowcount > 0


def withdraw_reactions(db: Database, alert_id: int, pairs: list[tuple[str, str]], now_iso: str) -> None:
    for user, emoji in pairs:
        db.execute(
            "update bot_answers set withdrawn_at = ? where alert_id = ? and via = 'reaction' and user = ? and emoji = ? "
            "and withdrawn_at is null", [now_iso, alert_id, user, emoji],
        )


def load_history(db: Database, alert_id: int) -> list[StoredAnswer]:
    return [StoredAnswer(*row) for row in db.execute(
        "select id, alert_id, user, kind, via, answered_at, withdrawn_at, reason from bot_answers where alert_id = ? order by id",
        [alert_id])]


def current_kind(db: Database, alert_id: int) -> str | None:
    row = db.execute("select kind from bot_alert_answers where alert_id = ?", [alert_id]).fetchone()
    return row[0] if row else None


def save_current(db: Database, alert: AnswerableAlert, answer: StoredAnswer | None, claimed_key: str, now_iso: str) -> None:
    """The answer in force for `alert`, stored with what identifies its finding; None clears it."""
    if answer is None:
        db.execute("delete from bot_alert_answers where alert_id = ?", [alert.id])
        return
    db.table("bot_alert_answers").upsert(
        {"alert_id": alert.id, "kind": answer.kind, "user": answer.user, "via": answer.via, "reason": answer.reason,
         "answered_at": answer.answered_at, "finding_id": alert.finding_id, "story_id": alert.story_id,
         "fact_id": alert.fact_id, "claimed": alert.claimed, "claimed_key": claimed_key, "updated_at": now_iso},
        pk="alert_id",
    )


def replies_read_to(db: Database, alert_id: int) -> str | None:
    row = db.execute("select replies_read_to from bot_answer_threads where alert_id = ?", [alert_id]).fetchone()
    return row[0] if row else None


def save_replies_read_to(db: Database, alert_id: int, ts: str, now_iso: str) -> None:
    db.table("bot_answer_threads").upsert({"alert_id": alert_id, "replies_read_to": ts, "read_at": now_iso}, pk="alert_id")


def false_alarm_keys(db: Database) -> frozenset[tuple[int | None, str, str]]:
    """(story, fact, normalised figure) of every alert whose answer in force is 오탐."""
    return frozenset((story, fact or "", key or "") for story, fact, key in db.execute(
        "select story_id, fact_id, claimed_key from bot_alert_answers where kind = 'false_alarm'"))


# -- the thread note ---------------------------------------------------------------------
def queue_note(db: Database, alert: AnswerableAlert, now_iso: str) -> bool:
    """Queue the alert's one "오탐으로 표시됨" note; False if it was queued before (never twice)."""
    cursor = db.execute(
        "insert or ignore into bot_answer_notes (alert_id, channel, thread_ts, status, created_at) values (?, ?, ?, 'pending', ?)",
        [alert.id, alert.channel, alert.slack_ts, now_iso],
    )
    return cursor.rowcount > 0


def load_unsent_notes(db: Database) -> list[PendingNote]:
    return [PendingNote(*row) for row in db.execute(
        "select alert_id, channel, thread_ts, status, attempted_at from bot_answer_notes where status != 'sent' order by alert_id")]


def save_note_status(db: Database, alert_id: int, status: str, now_iso: str, ts: str | None = None,
                     error: str | None = None) -> None:
    values: dict = {"status": status, "last_error": error}
    if status == "sending":
        values["attempted_at"] = now_iso
    if status == "sent":
        values.update(slack_ts=ts, sent_at=now_iso)
    db.table("bot_answer_notes").update(alert_id, values)


# -- precision and the maintainers' notice ----------------------------------------------
def load_outcomes(db: Database) -> list[AlertOutcome]:
    """Every posted top-level alert with its answer (the `bot_alert_outcomes` view)."""
    return [AlertOutcome(*row) for row in db.execute(
        "select alert_id, fact_id, fact, rule_file, answer from bot_alert_outcomes order by alert_id")]


def fact_rule_data(db: Database, fact_id: str) -> str | None:
    """The fact's rule as the facts table mirrors it (None: not in the rules, e.g. a sum check)."""
    if not db["facts"].exists():
        return None
    row = db.execute("select data from facts where id = ?", [fact_id]).fetchone()
    return row[0] if row else None


def fact_description(db: Database, fact_id: str) -> str | None:
    """The fact's description as the facts table mirrors it (None: not in the rules)."""
    if not db["facts"].exists():
        return None
    row = db.execute("select description from facts where id = ?", [fact_id]).fetchone()
    return row[0] if row else None


def load_fact_notice(db: Database, fact_id: str) -> FactNotice | None:
    row = db.execute("select fact_id, notice_key, false_alarms, fact_data, raised_at, cleared_at from bot_fact_notices "
                     "where fact_id = ?", [fact_id]).fetchone()
    return FactNotice(*row) if row else None


def save_fact_notice(db: Database, notice: FactNotice) -> None:
    db.table("bot_fact_notices").upsert(
        {"fact_id": notice.fact_id, "notice_key": notice.notice_key, "false_alarms": notice.false_alarms,
         "fact_data": notice.fact_data, "raised_at": notice.raised_at, "cleared_at": notice.cleared_at},
        pk="fact_id",
    )


def false_alarm_facts(db: Database) -> list[str]:
    return [row[0] for row in db.execute(
        "select distinct fact_id from bot_alert_answers where kind = 'false_alarm' and fact_id is not null order by fact_id")]


def misfires(db: Database, fact_id: str, since_iso: str | None) -> list[Misfire]:
    """The alerts on `fact_id` answered 오탐, with the sentence each was about.

    `since_iso`: only alerts made since then (by the rule as edited after an earlier notice).
    """
    rows = db.execute(
        "select b.id, b.view, b.claimed, a.reason, a.answered_at from bot_alert_answers a join bot_alerts b on b.id = a.alert_id "
        "where a.kind = 'false_alarm' and a.fact_id = ? and b.created_at >= ? order by a.answered_at, b.id",
        [fact_id, since_iso or ""],
    ).fetchall()
    found = []
    for alert_id, view, claimed, reason, answered_at in rows:
        snapshot = json.loads(view) if view else {}
        found.append(Misfire(alert_id, snapshot.get("sentence") or "", claimed, reason, snapshot.get("url"), answered_at))
    return found


def load_confirmed(db: Database, since_iso: str | None = None) -> list[ConfirmedAlert]:
    """Alerts whose answer in force is 맞음 (answered since `since_iso`), oldest answer first."""
    rows = db.execute(
        "select b.id, b.view, a.answered_at, b.sent_at, ar.author from bot_alert_answers a "
        "join bot_alerts b on b.id = a.alert_id left join articles ar on ar.id = b.article_id "
        "where a.kind = 'confirmed' and a.answered_at >= ? order by a.answered_at, b.id",
        [since_iso or ""],
    ).fetchall()
    return [ConfirmedAlert(alert_id, json.loads(view) if view else {}, answered_at, sent_at, author)
            for alert_id, view, answered_at, sent_at, author in rows]
