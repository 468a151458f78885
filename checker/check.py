"""Checks an article's claims against the rules: match each claim to a fact, then judge it."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from checker.claims import extract_claims
from checker.judge import judge, judge_sum
from checker.link import Link, link_claim
from checker.models import Article, Claim, Fact, Finding, RoleClaim, SumClaim
from checker.rules import RuleSet


def check_article(article: Article, rules: RuleSet) -> tuple[list[Claim], list[Finding]]:
    claims = extract_claims(article.text, article.published_date, rules.known_names)
    topics = rules.topics_of(article.title, article.text)
    return claims, judge_claims(claims, rules, article.published_date, topics, article.title)


def judge_claims(
    claims: list[Claim], rules: RuleSet, published: date | None, topics: set[str] | None, title: str = ""
) -> list[Finding]:
    """Findings for every claim that concerns a known fact, plus every sum that does not add up.

    `topics` limits facts to the programs the article is about (None: all), so a figure in an
    article about another program is never judged against this program's facts.
    """
    findings = [f for f in (judge_sum(c) for c in claims if isinstance(c, SumClaim)) if f]
    for link in best_links(link_claims(claims, rules, published, topics, title)):
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


def link_claims(claims: list[Claim], rules: RuleSet, published: date | None, topics: set[str] | None,
                title: str = "") -> list[Link]:
    """Every non-sum claim's link (or why it has none), in order: what --explain prints."""
    links: list[Link] = []
    for claim in claims:
        if isinstance(claim, SumClaim):
            continue
        if isinstance(claim, RoleClaim) and claim.person is None:
            link = _link_ordinal_only(claim, links)
            named = None if link.fact is not None else _subject_named_before(claim, rules.known_names)
            if named is not None:
                # "강준석 전 해양수산부 차관이 30일 부산항만공사 제6대 사장으로 취임했다": the
                # sentence's subject, a holder the rules know, is who takes the numbered post.
                link = link_claim(replace(claim, person=named), rules, topics, published, title)
                link = replace(link, why=f"이름 없는 대수: 문장의 주어 {named} 씨로 읽었습니다 — {link.why}")
            links.append(link)
        else:
            links.append(link_claim(claim, rules, topics, published, title))
    return links


def _link_ordinal_only(claim: RoleClaim, earlier: list[Link]) -> Link:
    """"이성해 … 이사장으로 취임했다. … 제9대 이사장에 오른 그의 임기는": an ordinal with no name
    is about the holder of that title the article named last, not a former one."""
    for link in reversed(earlier):
        held = link.claim
        if not isinstance(held, RoleClaim) or link.fact is None or held.person is None or held.role_tense == "former":
            continue
        if not held.role or not claim.role or not _same_post(held.role, claim.role, link.fact):
            continue
        return Link(replace(claim, person=held.person), link.fact, link.score,
                    f"이름 없는 대수: 앞에서 말한 {held.person} 씨로 읽었습니다")
    return Link(claim, None, why="이름 없는 대수인데 앞에서 말한 재임자가 없습니다")


def _same_post(named: str, numbered: str, fact: Fact) -> bool:
    """'방위사업청장' and '제13대 방사청장' are one post: the same title word of the role fact, and
    the numbered one's organisation (if it names one) among the fact's names for it."""
    if named.endswith(numbered):
        return True
    for word in fact.role_words:
        if named.endswith(word) and numbered.endswith(word):
            org = numbered[: -len(word)].strip()
            return not org or any(org in cue or cue in org for cue in fact.cues)
    return False


def _subject_named_before(claim: RoleClaim, names: frozenset[str]) -> str | None:
    """A known holder's name as the subject of the sentence before the numbered title: the name,
    at most a short appositive ('전 해양수산부 차관'), then 이/가 or 은/는."""
    before = claim.sentence[: claim.start - claim.sentence_start]
    found = None
    for name in names:
        hit = re.search(rf"(?<![가-힣]){re.escape(name)}(?:\s+[^,.\s]+){{0,3}}?(?:이|가|은|는)\s", before)
        if hit and (found is None or hit.start() > found[0]):
            found = (hit.start(), name)
    return found[1] if found else None


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
