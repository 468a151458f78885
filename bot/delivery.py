"""Delivers the outbox: reconciles in-flight alerts, then sends pending ones, each exactly once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.fresh_store import PendingAlert, match_posted
from bot.inflight import find_in_flight, history_since, may_have_posted
from bot.message import AlertView, build_alert_message, build_operator_message
from bot.notices import (
    clear_operator_alert,
    load_open_operator_alerts,
    load_unsent_operator_alerts,
    raise_operator_alert,
    save_operator_alert_error,
    save_operator_alert_sending,
    save_operator_alert_sent,
)
from bot.outbox import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    Alert,
    MissingContent,
    alert_content_of,
    count_unsent,
    delivery_channel,
    has_sent_any,
    load_alert,
    load_alerts,
    save_retry,
    save_sending,
    save_sent,
)
from bot.sender import (
    AUTH_ERRORS,
    CONSOLE_TS_PREFIX,
    Sender,
    SlackRejected,
    SlackSetupError,
    SlackTransient,
    SlackUnavailable,
)

log = logging.getLogger(__name__)

# Slack refusing or failing this many messages in a row looks like trouble on Slack's side (or
# a bug in the messages), not in each message: stop the cycle until the next one.
MAX_REJECTIONS_IN_A_ROW = 3


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    reconciled: int = 0  # found already posted after a crash: marked sent, not re-sent
    failed: int = 0
    left_pending: int = 0
    errors: tuple[str, ...] = ()
    stopped: bool = False  # Slack unreachable, token refused or rejecting everything: nothing more this cycle


def deliver_pending(db: Database, sender: Sender, now: datetime, operator_channel: str | None = None,
                    route=None) -> DeliveryReport:
    """Send every pending alert once; stop early (keeping them pending) while Slack is down.

    `route(topic) -> channel` is the current settings' routing: a pending alert goes where it
    says now, not where it was first meant to go (None: the channel stored at enqueue).
    """
    errors: list[str] = []
    try:
        reconciled, blocked_channels = reconcile_in_flight(db, sender, now)
        found, unreadable = reconcile_fresh_store(db, sender, now, route)
        reconciled += found
        blocked_channels |= set(unreadable)
        errors.extend(unreadable.values())
    except (SlackUnavailable, SlackSetupError) as error:
        # Without knowing what is already in the channel, sending anything risks a double post.
        log.warning("전송 확인 불가, 이번 주기 전송을 건너뜁니다: %s", error)
        _note_setup_error(db, error, now)
        return DeliveryReport(left_pending=count_unsent(db), errors=(str(error),), stopped=True)
    sent = failed = rejected_in_a_row = 0
    stopped = False
    if route is not None:
        _clear_unused_channel_problems(db, route, operator_channel, now)
    for alert in load_alerts(db, PENDING):
        channel = delivery_channel(db, alert, route)
        if channel in blocked_channels:
            continue
        thread_ts, ready = _thread_for(db, alert)
        if not ready:
            continue
        try:
            message = build_alert_message(load_alert_view(db, alert))
        except Exception as error:  # noqa: BLE001 — one unbuildable alert must not hold up the rest
            log.exception("알림 #%s 메시지를 만들 수 없습니다", alert.id)
            save_retry(db, alert.id, f"메시지를 만들 수 없습니다: {type(error).__name__}: {error}", FAILED)
            failed += 1
            errors.append(f"알림 #{alert.id} 메시지를 만들 수 없습니다: {error}")
            continue
        save_sending(db, alert, thread_ts, channel)
        try:
            ts = sender.post(channel, message, alert_metadata(db, alert), thread_ts)
        except SlackTransient as error:
            # Slack's own trouble with this call: never "failed". posted_unknown: the row stays
            # "sending" and the next cycle checks history before any resend.
            save_retry(db, alert.id, str(error), SENDING if error.posted_unknown else PENDING)
            errors.append(str(error))
            rejected_in_a_row += 1
            log.warning("알림 #%s: Slack 일시 오류, 다음 주기에 다시 시도합니다: %s", alert.id, error)
            if rejected_in_a_row >= MAX_REJECTIONS_IN_A_ROW:
                stopped = True
                break
        except SlackUnavailable as error:
            # Still down after slack-sdk's retries. posted_unknown: as above.
            save_retry(db, alert.id, str(error), SENDING if error.posted_unknown else PENDING)
            errors.append(str(error))
            log.warning("Slack 전송 실패, 다음 주기에 다시 시도합니다: %s", error)
            stopped = True
            break
        except SlackSetupError as error:
            save_retry(db, alert.id, str(error), PENDING)
            errors.append(str(error))
            _note_setup_error(db, error, now)
            if error.affects_all_channels:
                stopped = True
                break
            blocked_channels.add(channel)
        except SlackRejected as error:
            save_retry(db, alert.id, str(error), FAILED)
            failed += 1
            rejected_in_a_row += 1
            errors.append(str(error))
            log.error("알림 #%s 전송 거부: %s", alert.id, error)
            if rejected_in_a_row >= MAX_REJECTIONS_IN_A_ROW:
                # Marked failed one by one (re-queued with `status --retry-failed`), but the
                # operator hears of it: a run of refusals is rarely about each message.
                raise_operator_alert(
                    db, "slack_rejecting",
                    f"Slack이 알림 {rejected_in_a_row}건을 연달아 거부해 이번 전송을 멈췄습니다: {error}. "
                    "원인을 고친 뒤 `factwatch status --retry-failed`로 실패한 알림을 다시 보내세요.",
                    now,
                )
                stopped = True
                break
        else:
            save_sent(db, alert.id, ts, now)
            sent += 1
            rejected_in_a_row = 0
            _clear_slack_problems(db, channel, now)
    # Operator alerts still go out when only some alert channel is broken; not when the token
    # is refused or Slack is down (they would fail the same way), nor to a blocked channel.
    if operator_channel and not stopped and operator_channel not in blocked_channels:
        deliver_operator_alerts(db, sender, operator_channel, now)
    return DeliveryReport(sent, reconciled, failed, count_unsent(db), tuple(dict.fromkeys(errors)), stopped)


def reconcile_in_flight(db: Database, sender: Sender, now: datetime) -> tuple[int, set[str]]:
    """Alerts left "sending" by a dead process: mark sent if Slack has them, else pending again.

    Returns (alerts found already posted, channels whose history could not be read). A
    channel that cannot be read holds only its own alerts; an unreachable Slack or a refused
    token raises (nothing may be sent this cycle).
    """
    found = 0
    blocked: set[str] = set()
    for alert in load_alerts(db, SENDING):
        if alert.channel in blocked:
            continue
        oldest = history_since(alert.created_at)
        try:
            ts = sender.find_posted(alert.channel, alert.dedup_key, oldest, alert.thread_ts)
        except SlackSetupError as error:
            if error.affects_all_channels:
                raise
            log.warning("채널 %s 기록을 확인할 수 없어 이 채널의 전송을 미룹니다: %s", alert.channel, error)
            _note_setup_error(db, error, now)
            blocked.add(alert.channel)
            continue
        if ts:
            save_sent(db, alert.id, ts, now)
            found += 1
            log.info("알림 #%s는 이미 Slack에 있습니다(ts %s): 다시 보내지 않습니다", alert.id, ts)
        else:
            save_retry(db, alert.id, "중단된 전송: Slack에 없어 다시 보냅니다", PENDING)
    return found, blocked


def alert_metadata(db: Database, alert: Alert) -> dict:
    """What an alert's Slack message carries: its key, and what finds it again from another store."""
    return {"alert_id": alert.id, "key": alert.dedup_key, "url": _url_of(alert), "fact": alert.fact_id,
            "claimed": alert.claimed}


def _url_of(alert: Alert) -> str | None:
    try:
        return alert_content_of(alert).url or None
    except MissingContent:
        return None


def reconcile_fresh_store(db: Database, sender: Sender, now: datetime, route=None) -> tuple[int, dict[str, str]]:
    """Before a store's first delivery, mark sent the pending alerts factwatch already posted.

    Returns (alerts found in a channel, {channel whose history could not be read: why} —
    those wait). Does nothing once the store has sent anything: from then on its own rows say
    what was posted.
    """
    if has_sent_any(db):
        return 0, {}
    by_channel: dict[str, list[PendingAlert]] = {}
    for alert in load_alerts(db, PENDING):
        if alert.kind != "alert":
            continue  # a thread reply needs its first alert, which is matched here
        by_channel.setdefault(delivery_channel(db, alert, route), []).append(
            PendingAlert(alert.id, alert.dedup_key, _url_of(alert), alert.fact_id, alert.claimed)
        )
    found = 0
    blocked: dict[str, str] = {}
    for channel, pending in by_channel.items():
        try:
            posted = sender.list_posted(channel)
        except SlackSetupError as error:
            if error.affects_all_channels:
                raise
            _note_setup_error(db, error, now)
            blocked[channel] = str(error)
            continue
        matches = match_posted(pending, posted)
        for alert_id, ts in matches.items():
            save_sent(db, alert_id, ts, now)
        found += len(matches)
        if matches:
            log.warning(
                "저장소에 보낸 알림 기록이 없는데 채널 %s에 factwatch 메시지 %d건이 있습니다: 이미 올라간 알림 %d건은 "
                "다시 보내지 않고 보낸 것으로 기록했습니다. 새 저장소가 아니라면 --db/FACTWATCH_DB 경로를 확인하세요",
                channel, len(posted), len(matches),
            )
    return found, blocked


def deliver_operator_alerts(db: Database, sender: Sender, channel: str, now: datetime) -> int:
    """Post open operator notices once each, with the alerts' in-flight rule (bot/inflight.py)."""
    sent = 0
    for notice in load_unsent_operator_alerts(db):
        key = notice.metadata_key
        posting = False
        try:
            ts = None
            if notice.status == SENDING:
                # An earlier attempt may have reached Slack: look where it was sent.
                ts = find_in_flight(sender, notice.channel or channel, key, notice.attempted_at)
            if ts is None:
                save_operator_alert_sending(db, notice.id, channel, now)
                posting = True
                ts = sender.post(channel, build_operator_message(notice.key, notice.message),
                                 {"notice_id": notice.id, "key": key}, None)
        except (SlackUnavailable, SlackSetupError, SlackRejected) as error:
            # Still "sending" if the history could not be read, or if this post may have got through.
            in_flight = may_have_posted(error) if posting else notice.status == SENDING
            save_operator_alert_error(db, notice.id, str(error), in_flight=in_flight)
            if isinstance(error, SlackSetupError):
                _note_setup_error(db, error, now)
            break
        save_operator_alert_sent(db, notice.id, ts, now)
        sent += 1
        _clear_slack_problems(db, channel, now)
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


def setup_problem_key(error: SlackSetupError) -> str:
    """`slack_setup:CODE` for the token, `slack_setup:CODE:CHANNEL` for one channel."""
    if error.affects_all_channels or not error.channel:
        return f"slack_setup:{error.code}"
    return f"slack_setup:{error.code}:{error.channel}"


def _note_setup_error(db: Database, error: Exception, now: datetime) -> None:
    if isinstance(error, SlackSetupError):
        log.error("%s — 알림은 보류 중이며 설정을 고치면 전송됩니다", error)
        raise_operator_alert(db, setup_problem_key(error), str(error), now)


def _clear_slack_problems(db: Database, channel: str, now: datetime) -> None:
    """A post went through: the token works and `channel` is usable, so those problems are over."""
    for notice in load_open_operator_alerts(db):
        if not notice.key.startswith("slack_"):
            continue
        parts = notice.key.split(":", 2)
        token_problem = len(parts) == 2 and parts[0] == "slack_setup" and parts[1] in AUTH_ERRORS
        channel_problem = len(parts) == 3 and parts[2] == channel
        if token_problem or channel_problem or notice.key == "slack_rejecting":
            clear_operator_alert(db, notice.key, now)


def _clear_unused_channel_problems(db: Database, route, operator_channel: str | None, now: datetime) -> None:
    """A channel problem about a channel no unsent alert goes to any more (the operator changed
    factwatch.yaml) is over: nothing will be posted there."""
    wanted = {operator_channel} if operator_channel else set()
    for status in (PENDING, SENDING):
        for alert in load_alerts(db, status):
            wanted.add(alert.channel if status == SENDING else delivery_channel(db, alert, route))
    for notice in load_open_operator_alerts(db):
        parts = notice.key.split(":", 2)
        if len(parts) == 3 and parts[0] == "slack_setup" and parts[2] not in wanted:
            clear_operator_alert(db, notice.key, now)
            log.info("채널 %s에 보낼 알림이 더 없어 운영 문제 %s를 닫습니다", parts[2], notice.key)


def load_alert_view(db: Database, alert: Alert) -> AlertView:
    """The message's content, as the alert was queued with it (never from `findings`).

    Raises MissingContent for a row without one: deliver_pending marks it failed and says why.
    """
    return AlertView.of(alert.id, alert.kind, alert_content_of(alert))


__all__ = ["DeliveryReport", "deliver_pending", "reconcile_in_flight", "load_alert_view", "SENT"]
