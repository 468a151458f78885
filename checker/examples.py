"""Runs every rule's examples like unit tests: `flag` sentences must alert, `pass` sentences must not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checker.check import judge_claims
from checker.claims import extract_claims
from checker.models import Fact
from checker.rules import RuleSet, parse_day
from checker.verdicts import VERDICT_KO


@dataclass(frozen=True)
class ExampleResult:
    fact: Fact
    kind: str  # "flag" | "pass"
    text: str
    line: int
    ok: bool
    problem: str  # empty when ok

    @property
    def where(self) -> str:
        return f"{self.fact.file}:{self.line}"


def run_examples(rules: RuleSet) -> list[ExampleResult]:
    results = []
    for fact in rules.facts:
        for text, published, line, verdict in fact.examples_flag:
            results.append(_run(rules, fact, "flag", text, published, line, verdict))
        for text, published, line, verdict in fact.examples_pass:
            results.append(_run(rules, fact, "pass", text, published, line, verdict))
    return results


def _run(rules, fact, kind, text, published, line, expected_verdict) -> ExampleResult:
    day: date | None = parse_day(published) if published else None
    # Examples are single sentences, so every topic applies: the test is about the fact.
    findings = judge_claims(extract_claims(text, day), rules, day, topics=None)
    own = [f for f in findings if f.fact is not None and f.fact.id == fact.id]
    alerts = [f for f in findings if f.alert]
    if kind == "flag":
        flagged = [f for f in own if f.alert]
        if not flagged:
            seen = f" (판정: {VERDICT_KO[own[0].verdict]} — {own[0].explanation})" if own else " (이 사실과 연결된 주장을 찾지 못했습니다: cues/require/exclude를 확인하세요)"
            return ExampleResult(fact, kind, text, line, False, f"잡아야 할 예문을 잡지 못했습니다{seen}")
        if expected_verdict and flagged[0].verdict != expected_verdict:
            return ExampleResult(
                fact, kind, text, line, False,
                f"판정이 '{VERDICT_KO[expected_verdict]}'이어야 하는데 '{VERDICT_KO[flagged[0].verdict]}'입니다: {flagged[0].explanation}",
            )
        return ExampleResult(fact, kind, text, line, True, "")
    if alerts:
        culprit = alerts[0]
        which = f"[{culprit.fact.id}]" if culprit.fact else "[문장 안 계산]"
        return ExampleResult(
            fact, kind, text, line, False,
            f"잡으면 안 되는 예문에서 알림이 나왔습니다 {which} {VERDICT_KO[culprit.verdict]}: {culprit.explanation}",
        )
    if expected_verdict and (not own or own[0].verdict != expected_verdict):
        got = VERDICT_KO[own[0].verdict] if own else "연결 안 됨"
        return ExampleResult(fact, kind, text, line, False, f"판정이 '{VERDICT_KO[expected_verdict]}'이어야 하는데 '{got}'입니다")
    return ExampleResult(fact, kind, text, line, True, "")
