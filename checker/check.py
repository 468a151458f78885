"""Checks an article's claims against the rules: match each claim to a fact, then judge it."""

from __future__ import annotations

from datetime import date

from checker.claims import extract_claims
from checker.judge import judge, judge_sum
from checker.match import match_claim
from checker.models import Article, Claim, Finding
from checker.rules import RuleSet


def check_article(article: Article, rules: RuleSet) -> tuple[list[Claim], list[Finding]]:
    claims = extract_claims(article.text, article.published_date)
    topics = rules.topics_of(article.title, article.text)
    return claims, judge_claims(claims, rules, article.published_date, topics)


def judge_claims(
    claims: list[Claim], rules: RuleSet, published: date | None, topics: set[str] | None
) -> list[Finding]:
    """Findings for every claim that concerns a known fact, plus every sum that does not add up.

    `topics` limits facts to the programs the article is about (None: all), so a figure in an
    article about another program is never judged against this program's facts.
    """
    best: dict[tuple[int, str, str], tuple[float, Claim, object]] = {}
    findings: list[Finding] = []
    for claim in claims:
        if claim.kind == "sum":
            finding = judge_sum(claim)
            if finding:
                findings.append(finding)
            continue
        match = match_claim(claim, rules, topics)
        if match is None:
            continue
        # A sentence states one fact once: "1명에서 시작한 구성원은 이제 48명" is about 48, so
        # of several claims matched to one fact in a sentence only the best-supported is judged.
        # Roles are per person: "임차식 전 단장에 이어 김민수 단장이" names two holders.
        key = (claim.sentence_start, match.fact.id, claim.person or "")
        if key not in best or match.score > best[key][0]:
            best[key] = (match.score, claim, match)
    for score, claim, match in best.values():
        findings.append(judge(claim, match.fact, published, score))
    findings.sort(key=lambda f: f.claim.start)
    return findings
