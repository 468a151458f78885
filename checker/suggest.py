"""What the archive says about the facts: values reported, by how many independent stories, and
ready-to-paste `versions:` entries (`factwatch rules suggest`); figures no fact covers.

Pure functions over `Report` records; `checker/suggest_store.py` reads them from the store.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from checker.models import Fact

# Verdicts that say the figure is about the fact but not its value on the article's date.
DISAGREE = ("conflict",)


@dataclass(frozen=True)
class Report:
    """One figure an article printed for a fact (latest checked version of the article)."""

    fact_id: str
    key: str  # the value as a grouping key: same number and hedge → same key
    written: str  # as printed: "4119억원"
    exact: bool  # no hedge (여, 약, 규모 …): only an exact figure can become a version
    verdict: str
    sentence: str
    published: date | None
    outlet: str
    url: str
    title: str
    story_id: int
    article_id: int
    version_id: int
    finding_id: int | None = None
    claim_id: int | None = None
    value: Decimal | None = None  # quantities: the value in the unit's base
    kind: str = "quantity"  # the claim's kind: quantity | date | period | role
    matched: str | None = None  # the version display the checker matched it to (verdict match)


@dataclass(frozen=True)
class Unlinked:
    """A quantity with a label of its own that no fact took."""

    label: str
    unit: str
    key: str
    written: str
    sentence: str
    published: date | None
    outlet: str
    story_id: int


@dataclass(frozen=True)
class ValueSummary:
    fact_id: str
    written: str
    exact: bool
    reports: tuple[Report, ...]  # first report first
    stories: int  # syndicated copies (one story key) count once
    outlets: int  # independent outlets: distinct outlets among the stories' first reports
    in_rules: str | None  # the version display when the rules already hold this value
    verdicts: tuple[str, ...]

    @property
    def first(self) -> Report:
        return self.reports[0]

    @property
    def last(self) -> Report:
        return self.reports[-1]


def normalize_written(text: str) -> str:
    return re.sub(r"[\s,\u200b\u200c\u200d\u2060\ufeff]+", "", unicodedata.normalize("NFKC", text or ""))


def _order(report: Report) -> tuple:
    return (report.published or date.max, report.version_id)


def story_firsts(reports) -> list[Report]:
    """One report per story: its earliest (a syndicated copy never counts as a second story)."""
    firsts: dict[int, Report] = {}
    for report in sorted(reports, key=_order):
        firsts.setdefault(report.story_id, report)
    return sorted(firsts.values(), key=_order)


def independent_outlets(reports) -> int:
    return len({r.outlet or f"story:{r.story_id}" for r in story_firsts(reports)})


def summarize(reports: list[Report], facts: list[Fact]) -> dict[str, list[ValueSummary]]:
    """{fact id: its reported values, most independent stories first}, for every fact."""
    by_fact: dict[str, dict[str, list[Report]]] = {fact.id: {} for fact in facts}
    for report in reports:
        by_fact.setdefault(report.fact_id, {}).setdefault(report.key, []).append(report)
    facts_by_id = {fact.id: fact for fact in facts}
    result: dict[str, list[ValueSummary]] = {}
    for fact_id, values in by_fact.items():
        summaries = []
        for group in values.values():
            ordered = tuple(sorted(group, key=_order))
            summaries.append(ValueSummary(
                fact_id=fact_id, written=ordered[0].written, exact=ordered[0].exact, reports=ordered,
                stories=len(story_firsts(ordered)), outlets=independent_outlets(ordered),
                in_rules=_in_rules(facts_by_id.get(fact_id), ordered[0]),
                verdicts=tuple(dict.fromkeys(r.verdict for r in ordered)),
            ))
        summaries.sort(key=lambda s: (-s.stories, -len(s.reports), _order(s.first)))
        result[fact_id] = summaries
    return result


def _in_rules(fact: Fact | None, report: Report) -> str | None:
    if report.matched:
        return report.matched
    if fact is None:
        return None
    for version in fact.versions:
        if report.value is not None and version.value is not None and fact.kind == "quantity":
            if version.value == report.value:
                return version.display
        elif normalize_written(version.display) == normalize_written(report.written) or (
                version.person and normalize_written(version.person) == normalize_written(report.written)):
            return version.display
    return None


def source_line(report: Report) -> str:
    """`source:` of a version taken from an article: outlet, date, title, link."""
    day = report.published.isoformat() if report.published else "날짜 모름"
    title = f" 「{report.title}」" if report.title else ""
    return f"{report.outlet or '매체 모름'} {day}{title} {report.url}".strip()


def version_snippet(summary: ValueSummary) -> str | None:
    """The `versions:` entry a maintainer pastes under the fact's `versions:` (None: not a version).

    value = the figure as printed, from = the first report's date, source = the first report.
    """
    first = summary.first
    if not summary.exact or first.published is None or summary.in_rules or first.kind not in ("quantity", "role"):
        return None
    lines = [
        f"      - value: {_yaml_scalar(summary.written)}",
        f"        from: {first.published.isoformat()}",
        f"        source: {json.dumps(source_line(first), ensure_ascii=False)}",
    ]
    return "\n".join(lines)


def _yaml_scalar(text: str) -> str:
    plain = normalize_written(text)
    return plain if re.fullmatch(r"[0-9][0-9A-Za-z가-힣.㎡~%]*", plain) else json.dumps(plain, ensure_ascii=False)


# Words right before a figure that do not say what it counts.
_WEAK = {"약", "총", "모두", "전체", "올해", "지난해", "내년", "현재", "이날", "지금까지", "최대", "최소", "연간", "매년",
         "이번", "당초", "무려", "벌써", "이미", "각각", "또", "및", "등", "중", "그", "이", "첫", "단"}
_PARTICLE = re.compile(r"(으로|에서|에는|에게|까지|부터|보다|처럼|만큼|이며|이고|은|는|이|가|을|를|의|에|로|도|만|과|와)$")


def label_of(left: str) -> str | None:
    """The label a figure carries: the word right before it, without its particle ("총사업비는" → "총사업비")."""
    words = re.findall(r"[가-힣A-Za-z0-9]+", (left or "").split(",")[-1])
    if not words or not (left or "").rstrip() or (left or "").rstrip()[-1] in ",.()[]\"'":
        return None
    word = _PARTICLE.sub("", words[-1])
    if len(word) < 2 or word in _WEAK or not re.search(r"[가-힣A-Za-z]", word) or re.search(r"\d", word):
        return None
    return word


def frequent_unlinked(items: list[Unlinked], min_stories: int = 2) -> list[tuple[str, str, list[Unlinked]]]:
    """Figures with the same label and value that several stories print and no fact covers:
    [(label, written, items)], most stories first."""
    groups: dict[tuple[str, str], list[Unlinked]] = {}
    for item in items:
        groups.setdefault((item.label, item.key), []).append(item)
    found = []
    for (label, _key), group in groups.items():
        group.sort(key=lambda u: (u.published or date.max))
        stories = {u.story_id for u in group}
        if len(stories) >= min_stories:
            found.append((label, group[0].written, group))
    found.sort(key=lambda entry: (-len({u.story_id for u in entry[2]}), entry[0]))
    return found


def _day(value: date | None) -> str:
    return value.isoformat() if value else "날짜 모름"


def render_suggestions(facts: list[Fact], summaries: dict[str, list[ValueSummary]],
                       unlinked: list[tuple[str, str, list[Unlinked]]], examples: int = 2) -> str:
    """The Korean report of `factwatch rules suggest`."""
    lines: list[str] = []
    for fact in facts:
        values = summaries.get(fact.id) or []
        current = fact.versions[-1].display if fact.versions else "?"
        lines.append(f"■ [{fact.id}] {fact.description} — 규칙의 최신 값: {current} ({fact.where})")
        if not values:
            lines.append("  보도된 값 없음")
            continue
        for summary in values:
            state = f"규칙에 있음({summary.in_rules})" if summary.in_rules else "규칙에 없음"
            hedge = "" if summary.exact else " · 어림 표현"
            lines.append(
                f"  · {summary.written}: 독립 기사 {summary.stories}건 · 매체 {summary.outlets}곳 · 보도 {len(summary.reports)}건"
                f" · 처음 {_day(summary.first.published)} ({summary.first.outlet}) · 마지막 {_day(summary.last.published)}"
                f" · {state}{hedge}"
            )
            for report in story_firsts(summary.reports)[:examples]:
                lines.append(f"      예: {report.sentence.strip()} — {report.outlet} {_day(report.published)} {report.url}")
            snippet = version_snippet(summary)
            if not snippet and not summary.in_rules and summary.exact and summary.first.kind in ("date", "period"):
                lines.append("    날짜·기간은 규칙 형식(예: 2020-01-29, 2020~2024)으로 직접 버전을 쓰세요")
            if snippet:
                lines.append(f"    규칙에 새 버전으로 넣으려면 [{fact.id}]의 versions: 아래에 붙여 넣으세요:")
                lines.append(snippet)
    lines.append("")
    lines.append("■ 자주 보도되는데 규칙에 없는 수치 (수치 바로 앞에 이름이 붙은 것, 독립 기사 여러 건):")
    if not unlinked:
        lines.append("  없음")
    for label, written, group in unlinked:
        stories = len({u.story_id for u in group})
        lines.append(f"  · {label} {written}: 독립 기사 {stories}건 · 처음 {_day(group[0].published)} ({group[0].outlet})")
        lines.append(f"      예: {group[0].sentence.strip()}")
    return "\n".join(lines)


__all__ = ["Report", "Unlinked", "ValueSummary", "summarize", "version_snippet", "frequent_unlinked",
           "render_suggestions", "label_of", "story_firsts", "independent_outlets", "source_line"]
