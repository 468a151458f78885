"""The five real seed articles with the shipped rules: the one real problem flagged, every trap silent."""

from __future__ import annotations

import pytest

from checker.check import check_article
from conftest import SEEDS, seed_articles

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")


@pytest.fixture(scope="module")
def seed_findings(shipped_rules):
    return {key: check_article(article, shipped_rules)[1] for key, article in seed_articles().items()}


def _by_text(findings, text):
    return [f for f in findings if f.claimed == text]


def test_only_the_rounded_budget_alerts(seed_findings):
    alerts = [(key, f.fact.id if f.fact else None, f.claimed, f.verdict)
              for key, findings in seed_findings.items() for f in findings if f.alert]
    assert alerts == [("003", "phase1-budget", "4000여억원", "imprecise")]


def test_rounded_budget_is_called_a_rounding_not_a_wrong_number(seed_findings):
    (finding,) = _by_text(seed_findings["003"], "4000여억원")
    assert "4116억원" in finding.explanation
    assert "틀렸다고 할 수는 없" in finding.explanation
    assert finding.version.source and "더코리아" in finding.version.source
    assert finding.fact.where.startswith("rules/gwangju_ai.yaml:")


def test_nhn_interim_cloud_figures_are_their_own_fact(seed_findings):
    verdicts = {f.claimed: (f.fact.id, f.verdict) for f in seed_findings["004"]}
    assert verdicts["8.85페타플롭스(PF)"] == ("nhn-cloud-compute", "match")
    assert verdicts["10.7페타바이트(PB)"] == ("nhn-cloud-storage", "match")


@pytest.mark.parametrize("key, text, fact, verdict", [
    ("004", "4116억원", "phase1-budget", "match"),
    ("004", "4만7256㎡", "site-area", "match"),
    ("003", "4만7256㎡ 규모", "site-area", "match"),
    ("004", "1098억원 규모", "ai-investment-fund", "match"),
    ("002", "1100억원 규모", "ai-investment-fund", "match"),
    ("002", "48명", "staff-count", "match"),
    ("003", "88.5페타플롭스(PF)", "datacenter-compute", "match"),
    ("000", "107 페타바이트(PB)", "datacenter-storage", "match"),
    ("003", "2020년부터", "phase1-period", "match"),
    ("004", "2020부터 2024년까지", "phase1-period", "match"),
    ("003", "2025년부터 2029년까지", "phase2-period", "match"),
    ("002", "2020년 1월", "agency-launch", "match"),
    ("002", "임차식(65) 단장", "director", "match"),
    ("000", "오상진 제3대 인공지능산업융합사업단 신임 단장", "director", "match"),
])
def test_true_claims_are_recognised_and_agree(seed_findings, key, text, fact, verdict):
    matches = _by_text(seed_findings[key], text)
    assert [(f.fact.id, f.verdict) for f in matches] == [(fact, verdict)]


@pytest.mark.parametrize("key, text", [
    ("004", "80여개"), ("004", "80여 개"), ("002", "48개"),  # companies and agencies, not staff
    ("001", "700여 명"), ("003", "200여명"),  # two different events' attendance
    ("002", "17회"), ("000", "28회"),  # two people's exam rounds
    ("000", "30여년간"), ("002", "30여년 간"),
    ("004", "1000억원"),  # this year's spending, not the total
    ("004", "155명"), ("001", "7000명"), ("001", "5150명"),
])
def test_traps_are_not_matched_to_any_fact(seed_findings, key, text):
    assert _by_text(seed_findings[key], text) == []


def test_weather_widget_and_footer_yield_no_claims(shipped_rules):
    from checker.claims import extract_claims

    article = seed_articles()["003"]
    claims = extract_claims(article.text, article.published_date)
    widget_start = article.text.index("fnSurvey")
    assert [c.text for c in claims if c.start >= widget_start] == []
    footer = seed_articles()["002"]
    footer_start = footer.text.index("핫이슈")
    assert [c.text for c in extract_claims(footer.text, footer.published_date) if c.start >= footer_start] == []


def test_claim_offsets_point_into_the_article(seed_findings):
    articles = seed_articles()
    for key, findings in seed_findings.items():
        for finding in findings:
            claim = finding.claim
            assert articles[key].text[claim.start:claim.end] == claim.text
