"""The Slack outbox: one row per alert, so each discrepancy is delivered exactly once.

Enqueueing reads the checked versions as AlertableFinding records (factwatch/store/findings.py),
asks bot/alert_policy.py what each means and writes its decisions; delivery (bot/delivery.py)
moves a row pending → sending → sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import ValidationError
from sqlite_utils import Database

from bot.alert_policy import (
    CORRECTED,
    Correction,
    Decision,
    NewAlert,
    PriorAlert,
    Regression,
    Suppress,
    ThreadReply,
    build_dedup_key,
    decide,
    normalize_claimed,
)
from bot.message import AlertContent, alert_content, dropped_claim_content, fact_label
from bot.notices import clear_operator_alert, load_open_operator_alerts, raise_operator_alert
from checker.alertable import CheckedVersion, UnreadableFinding, read_version
from factwatch.store import alerts as store
from factwatch.store.alerts import Alert, count_by_status, load_alert, load_alerts
from factwatch.store.findings import findings_of, versions_to_alert

# An alert row moves pending → sending → sent. "sending" is written (and committed) before
# the HTTP call, so a process that dies mid-post leaves a trace that the next run reconciles
# against the channel's history instead of posting again.
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
# A held alert waits for a maintainer (a new value candidate, bot/holds.py): "규칙 확인 중".
# It goes back to pending when the rules are kept, or is closed when a new version makes it right.
HELD, CLOSED = "held", "closed"

UNREADABLE = "finding_unreadable:"  # operator notice key prefix: a findings row that does not read

Route = Callable[[str | None], str]
Held = Callable[[str, str], bool]
Suppressed = Callable[[int | None, str, str], bool]


def enqueue_findings(db: Database, route: Route, now: datetime, held: Held | None = None,
                     suppress: Suppressed | None = None) -> list[int]:
    """Turn the alerting findings of checked, not yet seen article versions into outbox rows.

    `route(topic) -> channel`. Returns the new alert ids. A version is seen once: running
    this twice, or after a restart, adds nothing. `held(fact_key, claimed) -> bool`: an alert
    it names is queued as held ("규칙 확인 중"), in the same transaction, so it is never sent.
    `suppress(story_id, fact_key, claimed) -> bool`: an alert it names is not queued at all
    (answered 오탐 on this story before: bot/answer_effects.py false_alarm_predicate).
    """
    created: list[int] = []
    now_iso = now.isoformat()
    unreadable = {notice.key for notice in load_open_operator_alerts(db) if notice.key.startswith(UNREADABLE)}
    for unread in versions_to_alert(db):
        try:
            version = read_version(unread, findings_of(db, unread.version_id))
        except UnreadableFinding as error:
            # Left unseen (retried each cycle: a recheck rewrites the row) and said once to the
            # operator; the other versions go on.
            raise_operator_alert(db, f"{UNREADABLE}{unread.version_id}", f"{error}. `factwatch recheck`로 다시 판정하세요", now)
            continue
        if f"{UNREADABLE}{unread.version_id}" in unreadable:
            clear_operator_alert(db, f"{UNREADABLE}{unread.version_id}", now)
        with db.atomic():
            # A first version without an alerting finding decides nothing: no need to look.
            quiet = version.version == 1 and not any(finding.alert for finding in version.findings)
            prior = [] if quiet else store.alerts_of_story(db, version.story_id)
            decisions = decide(version, [_prior(alert) for alert in prior], held or _never)
            if suppress is not None:
                decisions = _answered_false(version, decisions, suppress)
            views = {alert.id: alert.view for alert in prior}
            for decision in decisions:
                row = _row(version, decision, views, route, now_iso)
                if row is not None:
                    created.append(store.insert_alert(db, row))
            store.mark_version_seen(db, version.version_id, now_iso)
    return created


def _never(fact_key: str, claimed: str) -> bool:
    return False


def _answered_false(version: CheckedVersion, decisions: list[Decision], suppress: Suppressed) -> list[Decision]:
    """Fact-checkers answered 오탐 on this story, fact and figure: no alert or reply for it again,
    and its fact's earlier alert is not called corrected because the figure was left out here."""
    answered = {f.fact_key for f in version.findings if f.alert and suppress(version.story_id, f.fact_key, f.claimed)}
    kept: list[Decision] = []
    for decision in decisions:
        if isinstance(decision, (NewAlert, ThreadReply, Regression)) and suppress(
                version.story_id, decision.finding.fact_key, decision.finding.claimed):
            continue
        if isinstance(decision, Correction) and decision.fact_key in answered:
            continue
        kept.append(decision)
    return kept


def _prior(alert: Alert) -> PriorAlert:
    return PriorAlert(id=alert.id, kind=alert.kind, parent_id=alert.parent_id, article_id=alert.article_id,
                      version_id=alert.version_id, fact_key=alert.fact_id, claimed=alert.claimed,
                      figure=alert.figure, channel=alert.channel, dedup_key=alert.dedup_key)


def _row(version: CheckedVersion, decision: Decision, views: dict[int, str | None], route: Route,
         now_iso: str) -> store.NewAlert | None:
    """The outbox row one decision writes (None: nothing to write)."""
    if isinstance(decision, Suppress):
        return None
    if isinstance(decision, Correction):
        now_right = decision.finding
        if now_right is not None:
            content = alert_content(now_right)
        else:
            content = dropped_claim_content(_content(views.get(decision.parent_id)), decision.fact_key, version.article)
        return store.NewAlert(
            kind=CORRECTED, dedup_key=decision.key, parent_id=decision.parent_id,
            finding_id=now_right.finding_id if now_right else None, fact_id=decision.fact_key, topic=None,
            claimed=now_right.claimed if now_right else None, figure=now_right.figure if now_right else None,
            channel=decision.channel, status=PENDING, view=content.model_dump_json(), created_at=now_iso,
            version_id=version.version_id, article_id=version.article_id, story_id=version.story_id,
        )
    finding = decision.finding
    if isinstance(decision, NewAlert):
        kind, parent_id, channel, previous, held = "alert", None, route(finding.topic), None, decision.held
    else:
        kind, parent_id, channel = "update", decision.parent_id, decision.channel
        previous = decision.previous_claimed
        held = decision.held if isinstance(decision, ThreadReply) else False
    return store.NewAlert(
        kind=kind, dedup_key=decision.key, parent_id=parent_id, finding_id=finding.finding_id,
        fact_id=finding.fact_key, topic=finding.topic, claimed=finding.claimed, figure=finding.figure,
        channel=channel, status=HELD if held else PENDING,
        view=alert_content(finding, previous_claimed=previous).model_dump_json(), created_at=now_iso,
        version_id=version.version_id, article_id=version.article_id, story_id=version.story_id,
    )


def _content(view: str | None) -> AlertContent | None:
    if not view:
        return None
    return AlertContent.model_validate_json(view)


class MissingContent(LookupError):
    """An alert row without a readable message content (queued by a version before alerts kept one,
    whose finding was already gone when the store was upgraded): reported, never sent blank."""


def alert_content_of(alert: Alert) -> AlertContent:
    """The content an alert was queued with. Raises MissingContent (Korean) when there is none."""
    if not alert.view:
        raise MissingContent(
            f"알림 #{alert.id}의 내용이 저장돼 있지 않습니다(판정 기록 finding #{alert.finding_id}이 사라진 뒤 "
            "저장소가 갱신된 옛 알림). 보내지 않고 실패로 남깁니다")
    try:
        content = AlertContent.model_validate_json(alert.view)
    except ValidationError as error:
        raise MissingContent(f"알림 #{alert.id}의 저장된 내용을 읽을 수 없습니다: {error}") from error
    # Contents taken before fact_label existed may hold an internal key as the name.
    return content.model_copy(update={"fact_description": fact_label(content.fact_description, alert.fact_id)})


def delivery_channel(db: Database, alert: Alert, route: Route | None = None) -> str:
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
        store.update_alert(db, alert.id, {"status": SENDING, "attempts": alert.attempts + 1, "thread_ts": thread_ts,
                                          "channel": channel or alert.channel})


def save_sent(db: Database, alert_id: int, ts: str, now: datetime) -> None:
    with db.atomic():
        store.update_alert(db, alert_id, {"status": SENT, "slack_ts": ts, "sent_at": now.isoformat(), "last_error": None})


def save_retry(db: Database, alert_id: int, error: str, status: str = PENDING) -> None:
    with db.atomic():
        store.update_alert(db, alert_id, {"status": status, "last_error": error})


def requeue_failed(db: Database) -> int:
    """Put every failed alert back in the queue (after fixing what Slack rejected); returns how many."""
    with db.atomic():
        return store.requeue(db, FAILED, PENDING)


def has_sent_any(db: Database) -> bool:
    return store.any_with_status(db, SENT)


def count_unsent(db: Database) -> int:
    return store.count_with_status(db, (PENDING, SENDING))


__all__ = [
    "Alert", "CLOSED", "FAILED", "HELD", "MissingContent", "PENDING", "SENDING", "SENT", "alert_content_of",
    "build_dedup_key", "count_by_status", "count_unsent", "delivery_channel", "enqueue_findings", "fact_label",
    "has_sent_any", "load_alert", "load_alerts", "normalize_claimed", "requeue_failed", "save_retry", "save_sending",
    "save_sent",
]
