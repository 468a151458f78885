"""Fact-checkers' answers to an alert — 맞음 / 오탐 / 무시 — parsed from Slack reactions and replies.

Pure: Slack message dicts in, `Answer` records and decisions out. Reading them is
bot/answer_reader.py, storing them factwatch/store/answers.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.outbox import normalize_claimed
from factwatch.store.answers import StoredAnswer

CONFIRMED, FALSE_ALARM, IGNORED = "confirmed", "false_alarm", "ignored"
ANSWER_KINDS = (CONFIRMED, FALSE_ALARM, IGNORED)
# The words a fact-checker types and reads; also what a thread reply starts with.
ANSWER_KO = {CONFIRMED: "맞음", FALSE_ALARM: "오탐", IGNORED: "무시"}
NO_ANSWER_KO = "답 없음"

# What the thread says once when an alert becomes a false alarm (bot/answer_reader.py).
FALSE_ALARM_NOTE = "오탐으로 표시됨 — 같은 기사 사본에는 다시 알리지 않습니다"

REACTION, REPLY, BUTTON = "reaction", "reply", "button"


@dataclass(frozen=True)
class Reaction:
    """One person's one emoji on one message, in the order Slack lists them (oldest first)."""

    user: str
    emoji: str


def emoji_name(name: str) -> str:
    """'white_check_mark::skin-tone-3' → 'white_check_mark': a skin tone does not change the answer."""
    return name.split("::", 1)[0].strip(":")


def reactions_of(message: dict, bot_user: str | None) -> list[Reaction]:
    """The people's reactions on a Slack message (the bot's own left out)."""
    found = []
    for reaction in message.get("reactions") or []:
        for user in reaction.get("users") or []:
            if user != bot_user:
                found.append(Reaction(user, emoji_name(str(reaction.get("name", "")))))
    return found


def reactions_truncated(message: dict) -> bool:
    """conversations.history lists only the first users of a popular reaction: then ask reactions.get."""
    return any(int(r.get("count") or 0) > len(r.get("users") or []) for r in message.get("reactions") or [])


def reaction_changes(active: set[tuple[str, str]], present: list[Reaction], emoji: dict[str, str]
                     ) -> tuple[list[Reaction], list[tuple[str, str]]]:
    """(answers added since the last read, in Slack's order; (user, emoji) answers since removed).

    Only emoji that mean an answer count; any other reaction (👀, 👍) is conversation.
    """
    meaning = [r for r in present if r.emoji in emoji]
    now = {(r.user, r.emoji) for r in meaning}
    added = [r for r in dict.fromkeys(meaning) if (r.user, r.emoji) not in active]
    removed = sorted(pair for pair in active if pair not in now)
    return added, removed


_MENTION = re.compile(r"^(?:\s|<[@!#][^>]*>)+")
_OPENERS = "[(【「『\"'*_~ "
_FOLLOW = r"(?=$|[\s.,:;!?~\-—–·)\]】」』…/])"
_REPLY_WORDS = (
    (FALSE_ALARM, re.compile(r"오탐(?:지)?(?:입니다|이에요|이네요|이다|임)?" + _FOLLOW)),
    (CONFIRMED, re.compile(r"맞(?:음|습니다|아요|네요|다)" + _FOLLOW)),
    (IGNORED, re.compile(r"무시(?:합니다|해요|하세요|함)?" + _FOLLOW)),
)
_SEPARATORS = " \t\n.,:;!?~-—–·)]】」』…/"


def parse_reply(text: str | None) -> tuple[str, str | None] | None:
    """A thread reply that answers: '오탐: 80여개 기업 얘기입니다' → (false_alarm, '80여개 기업 얘기입니다').

    It must start with 오탐, 맞음 or 무시 (after any @mention or opening bracket); the rest is the
    reason. Anything else in the thread is conversation and is not an answer.
    """
    body = _MENTION.sub("", text or "").lstrip(_OPENERS)
    for kind, pattern in _REPLY_WORDS:
        match = pattern.match(body)
        if match:
            reason = body[match.end():].strip().lstrip(_SEPARATORS).strip()
            return kind, (reason or None)
    return None


def is_people_message(message: dict, bot_user: str | None, metadata_event: str) -> bool:
    """A message a person wrote (not the bot's alerts, thread replies or notes, nor another app)."""
    if message.get("bot_id") or message.get("subtype"):
        return False
    if (message.get("metadata") or {}).get("event_type") == metadata_event:
        return False
    return bool(message.get("user")) and message.get("user") != bot_user


def slack_time(ts: str) -> str:
    """A Slack ts ('1714640400.000200') as the store's UTC ISO time."""
    return datetime.fromtimestamp(float(ts), UTC).isoformat()


def current_answer(history: list[StoredAnswer]) -> StoredAnswer | None:
    """The answer in force: the latest one not withdrawn (a removed reaction no longer counts)."""
    active = [a for a in history if a.withdrawn_at is None]
    return max(active, key=lambda a: (a.answered_at, a.id)) if active else None


def false_alarm_key(story_id: int | None, fact_id: str | None, claimed: str | None) -> tuple[int | None, str, str]:
    """What a false alarm covers: the story (all its copies and edits), the fact and the figure."""
    return story_id, fact_id or "", normalize_claimed(claimed)


def suppressed_by_answers(false_alarms: frozenset, story_id: int | None, fact_id: str | None, claimed: str | None) -> bool:
    """Was this alert already answered 오탐 on this story? Then it is not sent again (outbox hook)."""
    return false_alarm_key(story_id, fact_id, claimed) in false_alarms
