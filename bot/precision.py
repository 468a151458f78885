"""Precision from fact-checkers' answers, per fact and per rule file: pure counting and the words for it.

Precision = 맞음 ÷ (맞음 + 오탐): how often an alert that someone judged was right. 무시 (not
worth checking) and 답 없음 are shown beside it but left out of the ratio — an alert nobody
answered says nothing about the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.answers import CONFIRMED, FALSE_ALARM, IGNORED
from bot.message import BLOCKS_MAX, SlackMessage, clip_escaped
from bot.outbox import fact_label
from factwatch.store.answers import AlertOutcome

DIGEST_ROWS = 10


@dataclass(frozen=True)
class PrecisionRow:
    key: str  # the fact id, or the rule file
    label: str  # what people read: the fact's description, or the rule file again
    alerts: int
    confirmed: int
    false_alarms: int
    ignored: int
    no_answer: int

    @property
    def precision(self) -> float | None:
        judged = self.confirmed + self.false_alarms
        return self.confirmed / judged if judged else None


def count_precision(outcomes: list[AlertOutcome], by: str = "fact") -> list[PrecisionRow]:
    """One row per fact (`by="fact"`) or rule file (`by="rule_file"`), most alerts first."""
    groups: dict[str, dict] = {}
    for outcome in outcomes:
        if by == "fact":
            key = outcome.fact_id or "?"
            label = fact_label(outcome.fact, outcome.fact_id)
        else:
            key = label = outcome.rule_file
        group = groups.setdefault(key, {"label": label, "alerts": 0, CONFIRMED: 0, FALSE_ALARM: 0, IGNORED: 0, None: 0})
        group["alerts"] += 1
        group[outcome.answer if outcome.answer in (CONFIRMED, FALSE_ALARM, IGNORED) else None] += 1
    rows = [PrecisionRow(key, g["label"], g["alerts"], g[CONFIRMED], g[FALSE_ALARM], g[IGNORED], g[None])
            for key, g in groups.items()]
    return sorted(rows, key=lambda r: (-r.alerts, r.key))


def format_ratio(row: PrecisionRow) -> str:
    value = row.precision
    return "-" if value is None else f"{round(value * 100)}%"


def format_row(row: PrecisionRow, with_key: bool) -> str:
    name = f"{row.key} {row.label}" if with_key and row.label != row.key else row.label
    return (f"{name}: 알림 {row.alerts} · 맞음 {row.confirmed} · 오탐 {row.false_alarms} · 무시 {row.ignored} · "
            f"답 없음 {row.no_answer} · 정확도 {format_ratio(row)}")


def precision_status_text(outcomes: list[AlertOutcome]) -> str:
    """The `factwatch status` section: per fact, then per rule file."""
    lines = ["팩트체커의 답으로 본 정확도 (정확도 = 맞음 ÷ (맞음 + 오탐)):"]
    if not outcomes:
        lines.append("  (아직 Slack에 올린 알림이 없습니다)")
        return "\n".join(lines)
    lines.append("  사실별:")
    lines.extend(f"    {format_row(row, with_key=True)}" for row in count_precision(outcomes, "fact"))
    lines.append("  규칙 파일별:")
    lines.extend(f"    {format_row(row, with_key=False)}" for row in count_precision(outcomes, "rule_file"))
    return "\n".join(lines)


def with_precision_section(message: SlackMessage, outcomes: list[AlertOutcome]) -> SlackMessage:
    """The digest with one more section: precision per fact so far (nothing added without alerts)."""
    if not outcomes or len(message.blocks) >= BLOCKS_MAX:
        return message
    rows = count_precision(outcomes, "fact")
    lines = ["*사실별 정확도* (지금까지 팩트체커의 답, 맞음 ÷ (맞음 + 오탐))"]
    lines.extend(f"• {clip_escaped(format_row(row, with_key=False), 300)}" for row in rows[:DIGEST_ROWS])
    if len(rows) > DIGEST_ROWS:
        lines.append(f"… 외 {len(rows) - DIGEST_ROWS}개 사실 (`factwatch status`)")
    block = SectionBlock(text=MarkdownTextObject(text="\n".join(lines)[:3000])).to_dict()
    return SlackMessage(text=message.text, blocks=(*message.blocks, block))
