"""Checks an article's claims against the rules: match each claim to a fact, then judge it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from checker.claims import extract_claims
from checker.judge import judge, judge_sum
from checker.link import Link, link_claim
from checker.models import Article, Claim, Finding, RoleClaim, SumClaim
from checker.rules import RuleSet


def check_article(article: Article, rules: RuleSet) -> tuple[list[Claim], list[Finding]]:
    claims = extract_claims(article.text, article.published_date, rules.known_names)
    topics = rules.topics_of(article.title, article.text)
    return claims, judge_claims(claims, rules, article.published_date, topics)


def judge_claims(
    claims: list[Claim], rules: RuleSet, published: date | None, topics: set[str] | None
) -> list[Finding]:
    """Findings for every claim that concerns a known fact, plus every sum that does not add up.

    `topics` limits facts to the programs the article is about (None: all), so a figure in an
    article about another program is never judged against this program's facts.
    """
    findings = [f for f in (judge_sum(c) for c in claims if isinstance(c, SumClaim)) if f]
    for link in best_links(link_claims(claims, rules, published, topics)):
        if link.fact is None:
            continue  # (best_links keeps linked claims only)
        finding = judge(link.claim, link.fact, link.judge_on or published, link.score)
        if link.judge_on:
            # "앞서 2021년 5월에는 900억원이던": judged on the time the article points to, and said so
            finding = replace(finding, explanation=finding.explanation.replace(
                f"기사 날짜({link.judge_on})", f"기사가 가리킨 때({link.judge_on})"))
        findings.append(finding)
    findings.sort(key=lambda f: f.claim.start)
    return findings


def link_claims(claims: list[Claim], rules: RuleSet, published: date | None, topics: set[str] | None) -> list[Link]:
    """Every non-sum claim's link (or why it has none), in order: what --explain prints."""
    links: list[Link] = []
    for claim in claims:
        if isinstance(claim, SumClaim):
            continue
        if isinstance(claim, RoleClaim) and claim.person is None:
            links.append(_link_ordinal_only(claim, links))
        else:
            links.append(link_claim(claim, rules, topics, published))
    return links


def _link_ordinal_only(claim: RoleClaim, earlier: list[Link]) -> Link:
    """"이성해 … 이사장으로 취임했다. … 제9대 이사장에 오른 그의 임기는": an ordinal with no name
    is about the holder of that title the article named last, not a former one."""
    for link in reversed(earlier):
        held = link.claim
        if not isinstance(held, RoleClaim) or link.fact is None or held.person is None or held.role_tense == "former":
            continue
        if not held.role or not claim.role or not held.role.endswith(claim.role):
            continue
        return Link(replace(claim, person=held.person), link.fact, link.score,
                    f"이름 없는 대수: 앞에서 말한 {held.person} 씨로 읽었습니다")
    return Link(claim, None, why="이름 없는 대수인데 앞에서 말한 재임자가 없습니다")


def best_links(links: list[Link]) -> list[Link]:
    """A sentence states one fact once: "1명에서 시작한 구성원은 이제 48명" is about 48, so of
    several claims linked to one fact in a sentence only the best-supported is judged. Roles are
    per person: "임차식 전 단장에 이어 김민수 단장이" names two holders."""
    best: dict[tuple[int, str, str], Link] = {}
    for link in links:
        if link.fact is None:
            continue
        person = link.claim.person if isinstance(link.claim, RoleClaim) else None
        key = (link.claim.sentence_start, link.fact.id, person or "")
        if key not in best or link.score > best[key].score:
            best[key] = link
    return list(best.values())
