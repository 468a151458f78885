"""Delivers the outbox: reconciles in-flight alerts, then sends pending ones, each exactly once."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.message import AlertView, build_alert_message, build_operator_message
from bot.notices import (
    load_unsent_operator_alerts,
    raise_operator_alert,
    save_operator_alert_error,
    save_operator_alert_sent,
)
from bot.outbox import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    Alert,
    load_alert,
    load_alerts,
    save_retry,
    save_sending,
    save_sent,
)
from bot.sender import CONSOLE_TS_PREFIX, Sender, SlackRejected, SlackSetupError, SlackUnavailable

log = logging.getLogger(__name__)

# Slack's ts comes from Slack's clock, created_at from ours: look this far before the row's
# creation when searching history for an in-flight post.
HISTORY_MARGIN_SECONDS = 600


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    reconciled: int = 0  # found already posted after a crash: marked sent, not re-sent
    failed: int = 0
    left_pending: int = 0
    errors: tuple[str, ...] = ()


def deliver_pending(db: Database, sender: Sender, now: datetime, operator_channel: str | None = None) -> DeliveryReport:
    """Send every pending alert once; stop early (keeping them pending) while Slack is down."""
    errors: list[str] = []
    try:
        reconciled = reconcile_in_flight(db, sender, now)
    except (SlackUnavailable, SlackSetupError) as error:
        # Without knowing what is already in the channel, sending anything risks a double post.
        log.warning("전송 확인 불가, 이번 주기 전송을 건너뜁니다: %s", error)
        _note_setup_error(db, error, now)
        return DeliveryReport(left_pending=_count_unsent(db), errors=(str(error),))
    sent = failed = 0
    blocked_channels: set[str] = set()
    for alert in load_alerts(db, PENDING):
        if alert.channel in blocked_channels:
            continue
        thread_ts, ready = _thread_for(db, alert)
        if not ready:
            continue
        message = build_alert_message(load_alert_view(db, alert))
        save_sending(db, alert, thread_ts)
        try:
            ts = sender.post(alert.channel, message, {"alert_id": alert.id, "key": alert.dedup_key}, thread_ts)
        except SlackUnavailable as error:
            # posted_unknown: the row stays "sending" and the next cycle checks history first.
            save_retry(db, alert.id, str(error), SENDING if error.posted_unknown else PENDING)
            errors.append(str(error))
            log.warning("Slack 전송 실패, 다음 주기에 다시 시도합니다: %s", error)
            break
        except SlackSetupError as error:
            save_retry(db, alert.id, str(error), PENDING)
            errors.append(str(error))
            _note_setup_error(db, error, now)
            if error.affects_all_channels:
                break
            blocked_channels.add(alert.channel)
        except SlackRejected as error:
            save_retry(db, alert.id, str(error), FAILED)
            failed += 1
            errors.append(str(error))
            log.error("알림 #%s 전송 거부: %s", alert.id, error)
        else:
            save_sent(db, alert.id, ts, now)
            sent += 1
    if operator_channel and not errors:
        deliver_operator_alerts(db, sender, operator_channel, now)
    return DeliveryReport(sent, reconciled, failed, _count_unsent(db), tuple(dict.fromkeys(errors)))


def reconcile_in_flight(db: Database, sender: Sender, now: datetime) -> int:
    """Alerts left "sending" by a dead process: mark sent if Slack has them, else pending again."""
    found = 0
    for alert in load_alerts(db, SENDING):
        oldest = datetime.fromisoformat(alert.created_at).timestamp() - HISTORY_MARGIN_SECONDS
        ts = sender.find_posted(alert.channel, alert.dedup_key, oldest, alert.thread_ts)
        if ts:
            save_sent(db, alert.id, ts, now)
            found += 1
            log.info("알림 #%s는 이미 Slack에 있습니다(ts %s): 다시 보내지 않습니다", alert.id, ts)
        else:
            save_retry(db, alert.id, "중단된 전송: Slack에 없어 다시 보냅니다", PENDING)
    return found


def deliver_operator_alerts(db: Database, sender: Sender, channel: str, now: datetime) -> int:
    sent = 0
    for notice in load_unsent_operator_alerts(db):
        try:
            ts = sender.post(channel, build_operator_message(notice.key, notice.message), None, None)
        except (SlackUnavailable, SlackSetupError, SlackRejected) as error:
            save_operator_alert_error(db, notice.id, str(error))
            break
        save_operator_alert_sent(db, notice.id, ts, now)
        sent += 1
    return sent


def _thread_for(db: Database, alert: Alert) -> tuple[str | None, bool]:
    """(thread_ts, ready): a reply waits for its first alert; if that one failed, it stands alone."""
    if not alert.parent_id:
        return None, True
    parent = load_alert(db, alert.parent_id)
    if parent.status == SENT:
        # A first alert that only went to the console (no token back then) has no Slack thread.
        return (None if (parent.slack_ts or "").startswith(CONSOLE_TS_PREFIX) else parent.slack_ts), True
    return None, parent.status == FAILED


def _note_setup_error(db: Database, error: Exception, now: datetime) -> None:
    if isinstance(error, SlackSetupError):
        log.error("%s — 알림은 보류 중이며 설정을 고치면 전송됩니다", error)
        raise_operator_alert(db, f"slack_setup:{error.code}", str(error), now)


def _count_unsent(db: Database) -> int:
    return db.execute("select count(*) from bot_alerts where status in (?, ?)", [PENDING, SENDING]).fetchone()[0]


def load_alert_view(db: Database, alert: Alert) -> AlertView:
    """Gather what the message shows from the outbox row, its finding and its article."""
    finding = db["findings"].get(alert.finding_id) if alert.finding_id else None
    parent = load_alert(db, alert.parent_id) if alert.parent_id else None
    if finding is None and parent is not None and parent.finding_id:
        basis = db["findings"].get(parent.finding_id)  # a correction that dropped the claim
    else:
        basis = finding or {}
    data = json.loads(basis.get("data") or "{}")
    version = data.get("version") or {}
    article = db["articles"].get(alert.article_id)
    article_version = db["article_versions"].get(alert.version_id)
    sentence = data.get("sentence") or ""
    start = _relative(data.get("start"), data.get("sentence_start"))
    end = _relative(data.get("end"), data.get("sentence_start"))
    return AlertView(
        alert_id=alert.id,
        kind=alert.kind,
        verdict=basis.get("verdict") or "unknown",
        fact_description=data.get("fact_description") or alert.fact_id or "",
        claimed=(finding or {}).get("claimed") or ("" if alert.kind == "corrected" else alert.claimed or ""),
        canonical=basis.get("canonical"),
        explanation=basis.get("explanation") or "",
        hint=data.get("hint"),
        sentence=sentence,
        claim_start=start,
        claim_end=end,
        rule=data.get("rule"),
        version_display=version.get("display"),
        version_valid_from=version.get("valid_from"),
        version_valid_until=version.get("valid_until"),
        version_source=version.get("source"),
        article_title=article_version.get("title") or article.get("title") or "",
        outlet=article.get("outlet"),
        published=article_version.get("published") or article.get("published"),
        url=article["url"],
        article_version=article_version.get("version") or 1,
        previous_claimed=parent.claimed if parent else None,
    )


def _relative(offset, sentence_start) -> int | None:
    if offset is None or sentence_start is None:
        return None
    return int(offset) - int(sentence_start)


__all__ = ["DeliveryReport", "deliver_pending", "reconcile_in_flight", "load_alert_view", "SENT"]
