"""The alert policy as a table (bot/alert_policy.py): 이전 상태, 새 판단 → 결정.

Each row: the alerts already in the outbox for the story, a checked article version with its
findings, and what the policy decides. No store, no Slack: the policy is a pure function.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.alert_policy import (
    COPY,
    Correction,
    NewAlert,
    PriorAlert,
    Regression,
    Suppress,
    ThreadReply,
    decide,
)
from checker.alertable import AlertableFinding, ArticleRef, CheckedVersion, figure_key
from checker.claims import extract_claims

STORY = 7
ARTICLE, COPY_ARTICLE = 1, 2  # 기사, 같은 기사의 전재본(다른 언론사)
FACT = "budget.total"


def 판정(claimed: str, *, 맞음: bool = False, fact: str = FACT, 기사: int = ARTICLE, 판: int = 10) -> AlertableFinding:
    """A finding on `claimed`, with the figure the checker parses from it."""
    (claim,) = extract_claims(claimed, None)
    return AlertableFinding(
        finding_id=100 + 판, story_id=STORY, article_id=기사, version_id=판, fact_key=fact,
        verdict="match" if 맞음 else "conflict", alert=not 맞음, claimed=claimed, canonical="4116억원",
        kind=claim.kind, unit=claim.unit, value=claim.value, figure=figure_key(claim), text=claimed,
        sentence=f"총사업비는 {claimed}이다.", topic="budget", article=ArticleRef(url=f"https://news.example/{기사}"),
    )


def 판(판_id: int, *findings: AlertableFinding, 기사: int = ARTICLE, 몇번째: int = 1) -> CheckedVersion:
    return CheckedVersion(판_id, 기사, STORY, 몇번째, ArticleRef(url=f"https://news.example/{기사}", version=몇번째),
                          tuple(findings))


def 알림(id: int, claimed: str | None, *, kind: str = "alert", 기사: int = ARTICLE, 판: int = 10,
        parent: int | None = None, figure: str | None = "parse", fact: str = FACT) -> PriorAlert:
    """An alert already in the outbox; figure="parse" = as stored now, None = a row from before figures."""
    if figure == "parse":
        figure = figure_key(extract_claims(claimed, None)[0]) if claimed else None
    return PriorAlert(id=id, kind=kind, parent_id=parent, article_id=기사, version_id=판, fact_key=fact,
                      claimed=claimed, figure=figure, channel="#factcheck", dedup_key=f"key-{id}")


def 결정(decision) -> str:
    """A decision in words, so the table reads as the policy is meant."""
    if isinstance(decision, NewAlert):
        return f"새 알림 {decision.finding.claimed}" + (" (규칙 확인 중)" if decision.held else "")
    if isinstance(decision, ThreadReply):
        return f"답글 #{decision.parent_id}: 수치 바뀜 {decision.previous_claimed}→{decision.finding.claimed}"
    if isinstance(decision, Regression):
        return f"답글 #{decision.parent_id}: 다시 틀림 {decision.finding.claimed}"
    if isinstance(decision, Correction):
        return f"답글 #{decision.parent_id}: 바로잡힘" + (f" {decision.finding.claimed}" if decision.finding else " (주장 빠짐)")
    assert isinstance(decision, Suppress)
    return f"생략 {decision.finding.claimed}: " + ("전재본" if decision.reason == COPY else "이미 알림")


TABLE = [
    # (이름, 이전 상태, 새 판단, 결정)
    ("처음 보는 틀린 수치", [], 판(10, 판정("4천억원")), ["새 알림 4천억원"]),
    ("전재본이 같은 수치를 같게 씀", [알림(1, "4천억원")], 판(20, 판정("4천억원", 기사=COPY_ARTICLE, 판=20), 기사=COPY_ARTICLE),
     ["생략 4천억원: 전재본"]),
    ("전재본이 같은 수치를 다르게 씀 (4천억원 = 4000억원)", [알림(1, "4천억원")],
     판(20, 판정("4000억원", 기사=COPY_ARTICLE, 판=20), 기사=COPY_ARTICLE), ["생략 4000억원: 전재본"]),
    ("쉼표와 띄어쓰기도 같은 수치 (4,000억 원)", [알림(1, "4천억원")],
     판(20, 판정("4,000억 원", 기사=COPY_ARTICLE, 판=20), 기사=COPY_ARTICLE), ["생략 4,000억 원: 전재본"]),
    ("어림(약)은 다른 수치: 알림", [알림(1, "4천억원")],
     판(20, 판정("약 4000억원", 기사=COPY_ARTICLE, 판=20), 기사=COPY_ARTICLE), ["새 알림 약 4000억원"]),
    ("전재본의 다른 수치는 답글이 아닌 새 알림", [알림(1, "4천억원")],
     판(20, 판정("3천억원", 기사=COPY_ARTICLE, 판=20), 기사=COPY_ARTICLE), ["새 알림 3천억원"]),
    ("수정본이 같은 틀린 수치를 유지", [알림(1, "4천억원")], 판(11, 판정("4000억원", 판=11), 몇번째=2),
     ["생략 4000억원: 이미 알림"]),
    ("수정본에서 수치가 바뀜", [알림(1, "4천억원")], 판(11, 판정("3천억원", 판=11), 몇번째=2),
     ["답글 #1: 수치 바뀜 4천억원→3천억원"]),
    ("수정본에서 바로잡힘", [알림(1, "4천억원")], 판(11, 판정("4116억원", 맞음=True, 판=11), 몇번째=2),
     ["답글 #1: 바로잡힘 4116억원"]),
    ("수정본에서 주장이 빠짐", [알림(1, "4천억원")], 판(11, 몇번째=2), ["답글 #1: 바로잡힘 (주장 빠짐)"]),
    ("바로잡힌 뒤 계속 맞음", [알림(1, "4천억원"), 알림(2, "4116억원", kind="corrected", parent=1, 판=11)],
     판(12, 판정("4116억원", 맞음=True, 판=12), 몇번째=3), []),
    ("바로잡힌 뒤 다시 틀림", [알림(1, "4천억원"), 알림(2, "4116억원", kind="corrected", parent=1, 판=11)],
     판(12, 판정("4000억원", 판=12), 몇번째=3), ["답글 #1: 다시 틀림 4000억원"]),
    ("다시 틀렸다고 이미 알림", [알림(1, "4천억원"), 알림(2, "4116억원", kind="corrected", parent=1, 판=11),
                       알림(3, "4천억원", kind="update", parent=1, 판=12)],
     판(13, 판정("4천억원", 판=13), 몇번째=4), ["생략 4천억원: 이미 알림"]),
    ("한 판에 한 사실의 두 수치: 두 알림", [], 판(10, 판정("4천억원"), 판정("3천억원")), ["새 알림 4천억원", "새 알림 3천억원"]),
    ("한 판에 같은 수치 두 번: 한 알림", [], 판(10, 판정("4천억원"), 판정("4000억원")),
     ["새 알림 4천억원", "생략 4000억원: 이미 알림"]),
    ("수치가 기록되기 전의 알림은 글자로 비교: 같은 글자", [알림(1, "4,000억원", figure=None)],
     판(20, 판정("4000억원", 기사=COPY_ARTICLE, 판=20), 기사=COPY_ARTICLE), ["생략 4000억원: 전재본"]),
    ("수치가 기록되기 전의 알림은 글자로 비교: 다른 글자", [알림(1, "4천억원", figure=None)],
     판(20, 판정("4000억원", 기사=COPY_ARTICLE, 판=20), 기사=COPY_ARTICLE), ["새 알림 4000억원"]),
    ("다른 사실의 알림은 상관없음", [알림(1, "4천억원", fact="budget.national")], 판(10, 판정("4천억원")),
     ["새 알림 4천억원"]),
]


@pytest.mark.parametrize(("prior", "version", "expected"), [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_the_policy_table(prior, version, expected):
    assert [결정(d) for d in decide(version, prior)] == expected


def test_a_claim_under_a_maintainers_question_is_queued_held():
    held = {(FACT, "4천억원")}
    decisions = decide(판(10, 판정("4천억원"), 판정("3천억원")), [], held=lambda fact, claimed: (fact, claimed) in held)
    assert [결정(d) for d in decisions] == ["새 알림 4천억원 (규칙 확인 중)", "새 알림 3천억원"]


def test_a_reply_goes_where_its_first_alert_went_and_a_correction_names_the_fact():
    prior = [알림(1, "4천억원")]
    (reply,) = decide(판(11, 판정("3천억원", 판=11), 몇번째=2), prior)
    assert isinstance(reply, ThreadReply) and reply.channel == "#factcheck"
    (correction,) = decide(판(11, 몇번째=2), prior)
    assert isinstance(correction, Correction) and correction.fact_key == FACT and correction.key == "corrected|1|11"


def test_the_key_of_a_new_alert_is_story_fact_and_parsed_figure():
    (first,) = decide(판(10, 판정("4천억원")), [])
    (second,) = decide(판(10, 판정("4,000억 원")), [])
    assert isinstance(first, NewAlert) and first.key == second.key == f"{STORY}|{FACT}|KRW:400000000000"
    assert first.finding.value == Decimal("400000000000")
