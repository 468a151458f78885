"""New value candidates: when independent outlets print the same figure for a fact and it
disagrees with the rules, the rules may be out of date (pure; bot/holds.py does the I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from checker.models import Fact
from checker.suggest import (
    DISAGREE,
    Report,
    ValueSummary,
    independent_outlets,
    source_line,
    story_firsts,
    summarize,
    version_snippet,
)


@dataclass(frozen=True)
class Candidate:
    fact_id: str
    key: str  # the value key (checker.suggest_store.value_key)
    written: str
    reports: tuple[Report, ...]  # every report of this value, first first
    outlets: int  # independent outlets inside the window that made it a candidate

    @property
    def first(self) -> Report:
        return self.reports[0]


def find_candidates(reports: list[Report], facts: list[Fact], window_days: int = 30,
                    min_outlets: int = 2) -> list[Candidate]:
    """Values of a fact that `min_outlets` independent outlets (syndicated copies of one story
    count once) printed within `window_days` of each other, exact and in conflict with the rules."""
    wrong = [r for r in reports if r.verdict in DISAGREE and r.exact and r.published is not None]
    found = []
    for fact_id, values in summarize(wrong, facts).items():
        for summary in values:
            outlets = _best_window(summary, window_days)
            if outlets >= min_outlets:
                found.append(Candidate(fact_id, summary.first.key, summary.written, summary.reports, outlets))
    return found


def _best_window(summary: ValueSummary, window_days: int) -> int:
    firsts = [r for r in story_firsts(summary.reports) if r.published is not None]  # an undated report counts nowhere
    best = 0
    for start in firsts:
        assert start.published is not None
        end = start.published + timedelta(days=window_days)
        inside = [r for r in firsts if r.published is not None and start.published <= r.published <= end]
        best = max(best, independent_outlets(inside))
    return best


def _day(value: date | None) -> str:
    return value.isoformat() if value else "날짜 모름"


def notice_text(candidate: Candidate, fact: Fact | None) -> str:
    """The maintainers' notice, in Korean: the fact, the value, every article, the versions: entry."""
    description = fact.description if fact else candidate.fact_id
    current = fact.versions[-1] if fact and fact.versions else None
    since = f"({_day(current.valid_from)}부터)" if current and current.valid_from else ""
    first, last = candidate.reports[0], candidate.reports[-1]
    lines = [
        f"새 값 후보 · {description} [{candidate.fact_id}]: {candidate.written}",
        f"독립 매체 {candidate.outlets}곳이 {_day(first.published)}~{_day(last.published)}에 같은 값 "
        f"{candidate.written}을(를) 보도했습니다. 규칙의 값은 {current.display if current else '?'}{since}입니다.",
        "이 값을 쓴 기사의 팩트체크 알림은 '규칙 확인 중'으로 보류합니다.",
    ]
    for report in candidate.reports:
        lines.append(f"• {report.outlet} {_day(report.published)} 「{report.title}」 {report.url}")
        lines.append(f"  > {report.sentence.strip()}")
    summary = ValueSummary(candidate.fact_id, candidate.written, True, candidate.reports, 0, 0, None, ())
    snippet = version_snippet(summary)
    where = fact.where if fact else candidate.fact_id
    if snippet:
        lines.append(f"규칙이 낡았다면 {where} [{candidate.fact_id}]의 versions: 아래에 붙여 넣고 "
                     "`factwatch rules check` → `factwatch recheck` (보류한 알림이 닫힙니다):")
        lines.append("```\n" + snippet + "\n```")
    lines.append(f"규칙이 맞다면: `factwatch rules keep {candidate.fact_id} {candidate.written}` (보류한 알림을 보냅니다)")
    lines.append(f"출처로 쓸 첫 보도: {source_line(first)}")
    return "\n".join(lines)


__all__ = ["Candidate", "find_candidates", "notice_text"]
