"""Turns findings into what `factwatch check` prints: a readable report or one JSON line per claim."""

from __future__ import annotations

from checker.judge import describe_version
from checker.models import Article, Finding
from checker.verdicts import Verdict, verdict_label

MARK = {Verdict.MATCH: "✓", Verdict.UNKNOWN: "·"}


def build_json_record(article: Article, finding: Finding) -> dict:
    claim, fact = finding.claim, finding.fact
    return {
        "article": article.url,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "sentence": claim.sentence,
        "fact": fact.id if fact else None,
        "claimed": finding.claimed,
        "canonical": finding.canonical,
        "verdict": str(finding.verdict),
        "alert": finding.alert,
        "explanation": finding.explanation,
        "hint": finding.hint,
        "version": describe_version(finding.version),
        "rule": finding.rule,
    }


def mark_claim(sentence: str, start: int, end: int) -> str:
    """The sentence with the claim between 【 】 so the eye finds it."""
    return f"{sentence[:start]}【{sentence[start:end]}】{sentence[end:]}"


def build_text_report(article: Article, findings: list[Finding], topics: list[str],
                      not_recognised: tuple[str, ...] = ()) -> str:
    """`not_recognised`: why each topic did not take the article (shown when none did)."""
    when = article.published.date().isoformat() if article.published else "발행일 모름"
    lines = [f"■ {article.title or article.url}", f"  {article.url} · {when}"]
    if not topics:
        lines.append("  규칙의 어느 주제에도 해당하지 않는 기사입니다 (문장 안 합계만 확인).")
        lines.extend(f"    · {why}" for why in not_recognised)
    alerts = [f for f in findings if f.alert]
    quiet = [f for f in findings if not f.alert]
    for finding in alerts:
        lines.extend(_describe(finding, alert=True))
    if quiet:
        lines.append(f"  이상 없는 주장 {len(quiet)}건:")
        for finding in quiet:
            fact = finding.fact.id if finding.fact else "-"
            lines.append(f"    {MARK.get(finding.verdict, '·')} {finding.claimed} [{fact}] {finding.explanation}")
    if not findings:
        lines.append("  규칙의 사실과 연결된 주장이 없습니다.")
    lines.append(f"  → 알림 {len(alerts)}건")
    return "\n".join(lines)


def _describe(finding: Finding, alert: bool) -> list[str]:
    claim, fact = finding.claim, finding.fact
    relative_start = claim.start - claim.sentence_start
    sentence = mark_claim(claim.sentence, relative_start, relative_start + len(claim.text))
    head = f"  ⚠ {verdict_label(finding.verdict)}"
    head += f" — {fact.description} [{fact.id}]" if fact else " — 문장 안 계산"
    lines = [head, f"    문장: {sentence}", f"    기사: {finding.claimed}"]
    if finding.canonical:
        lines.append(f"    기준: {finding.canonical}")
    lines.append(f"    이유: {finding.explanation}")
    if finding.hint:
        lines.append(f"    힌트: {finding.hint}")
    if finding.version and finding.version.source:
        lines.append(f"    출처: {finding.version.source}")
    if finding.rule:
        lines.append(f"    규칙: {finding.rule}")
    return lines
