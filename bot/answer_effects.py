"""What answers change: a false alarm keeps its alert from coming back, and a fact that misfires
again and again gets one maintainers' notice with the sentences, so an `exclude` word can be added."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlite_utils import Database

from bot.answer_reader import ReadReport, SlackAnswerSource, post_notes, read_answers
from bot.answer_settings import AnswerSettings
from bot.answers import suppressed_by_answers
from bot.notices import clear_operator_alert, raise_operator_alert
from bot.outbox import fact_label
from bot.sender import DeliveryError, Sender
from factwatch.store.answers import (
    FactNotice,
    Misfire,
    fact_description,
    fact_rule_data,
    false_alarm_facts,
    false_alarm_keys,
    load_fact_notice,
    misfires,
    save_fact_notice,
)

log = logging.getLogger(__name__)

NOTICE_PREFIX = "false_alarms:"
SENTENCES_SHOWN = 10


def false_alarm_predicate(db: Database):
    """`suppress(story_id, fact_id, claimed) -> bool` for the outbox, from the answers stored now."""
    keys = false_alarm_keys(db)
    return lambda story_id, fact_id, claimed: suppressed_by_answers(keys, story_id, fact_id, claimed)


def build_false_alarm_notice(fact_id: str, fact: str | None, found: list[Misfire], threshold: int) -> str:
    """The maintainers' notice: which fact, how often, and the sentences that misfired."""
    lines = [
        f"[{fact_id}] {fact_label(fact, fact_id)}: 팩트체커가 알림 {len(found)}건을 오탐으로 표시했습니다 (기준 {threshold}건).",
        "아래 문장에서 규칙이 잘못 걸렸습니다. 공통된 낱말이 있으면 규칙 파일의 이 사실에 `exclude`로 더해 주세요"
        " (규칙을 고치면 이 알림은 닫히고 오탐을 새로 셉니다):",
    ]
    for misfire in found[:SENTENCES_SHOWN]:
        reason = f" — 이유: {misfire.reason}" if misfire.reason else ""
        lines.append(f"• 알림 #{misfire.alert_id} 「{misfire.sentence}」 (기사 표기 {misfire.claimed or '-'}){reason}")
    if len(found) > SENTENCES_SHOWN:
        lines.append(f"… 외 {len(found) - SENTENCES_SHOWN}건 (`factwatch browse`의 '오탐 문장')")
    return "\n".join(lines)


def check_false_alarm_notices(db: Database, threshold: int, now: datetime) -> list[str]:
    """Raise one notice per fact whose false alarms reached `threshold`; returns the facts noticed now.

    A notice stays open until the fact's rule is edited (the facts table mirrors it at each
    check), which closes it; then only alerts made after that moment count, so the edited
    rule earns a notice of its own only if it misfires again.
    """
    now_iso = now.isoformat()
    raised = []
    for fact_id in false_alarm_facts(db):
        notice = load_fact_notice(db, fact_id)
        rule = fact_rule_data(db, fact_id)
        if notice is not None and notice.cleared_at is None:
            if rule is not None and notice.fact_data is not None and rule != notice.fact_data:
                clear_operator_alert(db, notice.notice_key, now)
                with db.atomic():
                    save_fact_notice(db, replace(notice, cleared_at=now_iso))
                log.info("사실 %s의 규칙이 바뀌어 오탐 알림을 닫고 새로 셉니다", fact_id)
            continue
        found = misfires(db, fact_id, notice.cleared_at if notice else None)
        if len(found) < threshold:
            continue
        key = f"{NOTICE_PREFIX}{fact_id}"
        raise_operator_alert(db, key, build_false_alarm_notice(fact_id, fact_description(db, fact_id), found, threshold), now)
        with db.atomic():
            save_fact_notice(db, FactNotice(fact_id, key, len(found), rule, now_iso, None))
        raised.append(fact_id)
    return raised


@dataclass(frozen=True)
class AnswersCycle:
    read: ReadReport | None  # None: no Slack to read (console mode)
    notes_sent: int
    noticed: tuple[str, ...]


def run_answers_cycle(db: Database, sender: Sender, settings: AnswerSettings, now: datetime) -> AnswersCycle:
    """The `answers` job: read answers (Slack only), post the thread notes, then the maintainers' notices."""
    client = getattr(sender, "client", None)
    report = read_answers(db, SlackAnswerSource(client), now, settings) if client is not None else None
    notes = 0
    try:
        notes = post_notes(db, sender, now)
    except DeliveryError as error:  # already recorded per note; the next cycle retries
        log.warning("오탐 표시 전송 실패: %s", error)
    noticed = check_false_alarm_notices(db, settings.false_alarm_notice, now)
    return AnswersCycle(report, notes, tuple(noticed))

