"""Reads fact-checkers' answers from Slack through the Web API, on the bot's schedule (no public URL).

One `conversations.history` page run per channel gives the alerts' reactions (`reactions.get`
only when Slack truncated a popular one); `conversations.replies` is called only for a thread
with a reply newer than the one read last (the cursor lives in `bot_answer_threads`). Each
message's answers are stored in one transaction, so a read cut short (a 429 that outlasts
slack-sdk's Retry-After retries, an outage) loses or doubles nothing: the next read starts over
and every answer has a unique key.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock
from sqlite_utils import Database

from bot.answer_settings import AnswerSettings
from bot.answers import (
    ANSWER_KO,
    FALSE_ALARM,
    FALSE_ALARM_NOTE,
    REACTION,
    REPLY,
    current_answer,
    is_people_message,
    parse_reply,
    reaction_changes,
    reactions_of,
    reactions_truncated,
    slack_time,
)
from bot.inflight import find_in_flight, may_have_posted
from bot.message import SlackMessage
from bot.outbox import normalize_claimed
from bot.sender import AUTH_ERRORS, METADATA_EVENT, ChannelDirectory, DeliveryError, Sender
from factwatch.store.answers import (
    Answer,
    AnswerableAlert,
    active_reactions,
    current_kind,
    load_answerable_alerts,
    load_history,
    load_unsent_notes,
    queue_note,
    replies_read_to,
    save_answer,
    save_current,
    save_note_status,
    save_replies_read_to,
    withdraw_reactions,
)

log = logging.getLogger(__name__)

SCOPES_HINT = ("답을 읽으려면 Slack 앱에 reactions:read, channels:history, channels:read 권한(비공개 채널은 groups:history, groups:read)을 "
               "추가하고 앱을 다시 설치하세요")


class AnswerReadLater(Exception):
    """Slack cannot be read now (rate limit outlasting the retries, an outage): try at the next read."""


class AnswerSetupError(Exception):
    """The token or a channel does not allow reading answers; a person has to fix the Slack app."""

    def __init__(self, message: str, all_channels: bool):
        super().__init__(message)
        self.all_channels = all_channels


class SlackAnswerSource:
    """The Web API calls answers need, through slack-sdk's WebClient.

    The client is built by bot/sender.py build_client, whose RateLimitErrorRetryHandler waits
    for Retry-After on a 429 and asks again, so a rate limit costs time, not answers.
    """

    def __init__(self, client: WebClient):
        self.client = client
        self._bot_user: str | None = None
        self.channels = ChannelDirectory(lambda **params: self._call(self.client.conversations_list, **params))

    def bot_user(self) -> str | None:
        """The bot's own user id (auth.test): its reactions and messages are never answers."""
        if self._bot_user is None:
            self._bot_user = str(self._call(self.client.auth_test).get("user_id") or "") or None
        return self._bot_user

    def history(self, channel: str, oldest: float) -> Iterator[dict]:
        cursor = None
        while True:
            params = {"channel": channel, "oldest": f"{oldest:.6f}", "limit": 200, "include_all_metadata": True}
            if cursor:
                params["cursor"] = cursor
            response = self._call(self.client.conversations_history, **params)
            yield from response.get("messages", [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    def replies(self, channel: str, ts: str, oldest: str | None) -> list[dict]:
        found: list[dict] = []
        cursor = None
        while True:
            params = {"channel": channel, "ts": ts, "limit": 200, "include_all_metadata": True}
            if oldest:
                params["oldest"] = oldest
            if cursor:
                params["cursor"] = cursor
            response = self._call(self.client.conversations_replies, **params)
            found.extend(response.get("messages", []))
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return found

    def reactions(self, channel: str, ts: str) -> list[dict]:
        response = self._call(self.client.reactions_get, channel=channel, timestamp=ts, full=True)
        return list((response.get("message") or {}).get("reactions") or [])

    def _call(self, method, **kwargs):
        channel = kwargs.get("channel")
        try:
            return method(**kwargs)
        except SlackApiError as error:
            status = error.response.status_code
            data = error.response.data if isinstance(error.response.data, dict) else {}
            code = str(data.get("error") or "")
            if status == 429 or status >= 500 or not data or code in {"ratelimited", "internal_error", "fatal_error",
                                                                         "service_unavailable", "request_timeout"}:
                raise AnswerReadLater(f"Slack 응답 {status} {code}".strip()) from None
            if code in AUTH_ERRORS:
                raise AnswerSetupError(f"Slack 토큰이 거부되었습니다({code}): SLACK_BOT_TOKEN을 확인하세요", True) from None
            if code == "missing_scope":
                raise AnswerSetupError(f"Slack 앱 권한이 부족합니다(missing_scope): {SCOPES_HINT}", True) from None
            where = f" [채널 {channel}]" if channel else ""
            raise AnswerSetupError(f"Slack이 답 읽기를 거부했습니다({code or status}){where}: 봇이 채널에 있는지 확인하세요",
                                   False) from None
        except OSError as error:
            raise AnswerReadLater(f"Slack 연결 오류: {error}") from None


@dataclass(frozen=True)
class ReadReport:
    alerts: int = 0  # alerts whose messages were read
    answers: int = 0  # new answer events stored
    withdrawn: int = 0  # reactions removed since the last read
    errors: tuple[str, ...] = ()
    stopped: bool = False  # the read was cut short; the next one starts over (nothing lost or doubled)


def read_answers(db: Database, source: SlackAnswerSource, now: datetime, settings: AnswerSettings) -> ReadReport:
    """Read the answers on the alerts sent within the window, store what is new, settle each alert."""
    now_iso = now.isoformat()
    alerts = load_answerable_alerts(db, (now - timedelta(days=settings.window_days)).isoformat())
    by_channel: dict[str, dict[str, AnswerableAlert]] = {}
    for alert in alerts:
        by_channel.setdefault(alert.channel, {})[alert.slack_ts] = alert
    counts = {"alerts": 0, "answers": 0, "withdrawn": 0}
    errors: list[str] = []
    try:
        bot_user = source.bot_user() if alerts else None
        for channel, ours in by_channel.items():
            oldest = min(float(ts) for ts in ours) - 1
            try:
                channel_id = source.channels.id_of(channel)
                for message in source.history(channel_id, oldest):
                    mine = ours.get(str(message.get("ts")))
                    if mine is None:
                        continue  # not a message the bot posted as an alert: its reactions are not answers
                    _read_message(db, source, mine, message, bot_user, settings, now_iso, counts, channel_id)
            except AnswerSetupError as error:
                if error.all_channels:
                    raise
                log.warning("채널 %s의 답을 읽지 못했습니다: %s", channel, error)
                errors.append(str(error))
    except (AnswerReadLater, AnswerSetupError) as error:
        log.warning("답 읽기를 멈추고 다음 차례에 다시 읽습니다: %s", error)
        return ReadReport(counts["alerts"], counts["answers"], counts["withdrawn"], errors=(*errors, str(error)), stopped=True)
    return ReadReport(counts["alerts"], counts["answers"], counts["withdrawn"], errors=tuple(errors))


def _read_message(db: Database, source: SlackAnswerSource, alert: AnswerableAlert, message: dict, bot_user: str | None,
                  settings: AnswerSettings, now_iso: str, counts: dict, channel_id: str) -> None:
    counts["alerts"] += 1
    if reactions_truncated(message):
        message = {**message, "reactions": source.reactions(channel_id, alert.slack_ts)}
    replies: list[dict] = []
    read_to = replies_read_to(db, alert.id)
    latest = message.get("latest_reply")
    if message.get("reply_count") and latest and (read_to is None or float(latest) > float(read_to)):
        replies = source.replies(channel_id, alert.slack_ts, read_to)
    emoji = dict(settings.emoji)
    # One transaction per message: its reactions and replies are stored together or not at all.
    with db.atomic():
        added, removed = reaction_changes(active_reactions(db, alert.id), reactions_of(message, bot_user), emoji)
        for reaction in added:
            answer = Answer(alert.id, reaction.user, emoji[reaction.emoji], REACTION,
                            f"reaction:{alert.id}:{reaction.user}:{reaction.emoji}:{now_iso}", now_iso, emoji=reaction.emoji)
            counts["answers"] += save_answer(db, answer, now_iso)
        withdraw_reactions(db, alert.id, removed, now_iso)
        counts["withdrawn"] += len(removed)
        newest = read_to
        for reply in sorted(replies, key=lambda m: float(m.get("ts") or 0)):
            ts = str(reply.get("ts") or "")
            if not ts or ts == alert.slack_ts:
                continue
            newest = ts if newest is None or float(ts) > float(newest) else newest
            if not is_people_message(reply, bot_user, METADATA_EVENT):
                continue
            parsed = parse_reply(reply.get("text"))
            if parsed is None:
                continue  # conversation in the thread, not an answer
            kind, reason = parsed
            answer = Answer(alert.id, str(reply["user"]), kind, REPLY, f"reply:{alert.channel}:{ts}", slack_time(ts),
                            reason=reason)
            counts["answers"] += save_answer(db, answer, now_iso)
        if newest and newest != read_to:
            save_replies_read_to(db, alert.id, newest, now_iso)
        if added or removed or replies:
            settle_alert(db, alert, now_iso)


def settle_alert(db: Database, alert: AnswerableAlert, now_iso: str) -> str | None:
    """Store the answer in force for `alert` (latest wins); a new 오탐 queues its thread note once.

    Returns the answer kind now in force (None: no answer stands).
    """
    before = current_kind(db, alert.id)
    answer = current_answer(load_history(db, alert.id))
    save_current(db, alert, answer, normalize_claimed(alert.claimed), now_iso)
    kind = answer.kind if answer else None
    if kind != before:
        log.info("알림 #%s의 답: %s → %s", alert.id, ANSWER_KO.get(before or "", "없음"), ANSWER_KO.get(kind or "", "없음"))
    if kind == FALSE_ALARM:
        queue_note(db, alert, now_iso)  # ignored when the note was queued before: it is said once
    return kind


def build_false_alarm_note(alert_id: int) -> SlackMessage:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f":see_no_evil: *{FALSE_ALARM_NOTE}*")),
        ContextBlock(elements=[MarkdownTextObject(
            text=f"알림 #{alert_id} · 사실별 정확도는 `factwatch status`와 일일 요약에 반영됩니다")]),
    ]
    return SlackMessage(text=FALSE_ALARM_NOTE, blocks=tuple(block.to_dict() for block in blocks))


def post_notes(db: Database, sender: Sender, now: datetime) -> int:
    """Post each queued "오탐으로 표시됨" note in its alert's thread, exactly once (bot/inflight.py)."""
    sent = 0
    now_iso = now.isoformat()
    for note in load_unsent_notes(db):
        key = f"answer_note:{note.alert_id}"
        posting = False
        try:
            ts = None
            if note.status == "sending":
                ts = find_in_flight(sender, note.channel, key, note.attempted_at, note.thread_ts)
            if ts is None:
                with db.atomic():
                    save_note_status(db, note.alert_id, "sending", now_iso)
                posting = True
                ts = sender.post(note.channel, build_false_alarm_note(note.alert_id),
                                 {"alert_id": note.alert_id, "key": key}, note.thread_ts)
        except DeliveryError as error:
            in_flight = may_have_posted(error) if posting else note.status == "sending"
            with db.atomic():
                save_note_status(db, note.alert_id, "sending" if in_flight else "pending", now_iso, error=str(error))
            log.warning("오탐 표시를 스레드에 올리지 못했습니다(알림 #%s): %s", note.alert_id, error)
            break
        with db.atomic():
            save_note_status(db, note.alert_id, "sent", now_iso, ts=ts)
        sent += 1
    return sent
