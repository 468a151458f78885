"""The rule engine's verdicts, table-driven: one sentence, one fact, one expected verdict."""

from __future__ import annotations

import pytest

from checker.check import judge_claims
from checker.claims import extract_claims
from checker.judge import power_of_ten_hint
from checker.rules import parse_day


def verdicts(rules, sentence, published=None):
    day = parse_day(published) if published else None
    return [(f.fact.id if f.fact else None, f.claimed, f.verdict)
            for f in judge_claims(extract_claims(sentence, day), rules, day, topics=None)]


@pytest.mark.parametrize("sentence, published, expected", [
    # hedges and rounding against 4116억원 (rounding 1%)
    ("조성사업에 4116억원이 투입된다.", "2022-01-01", ("phase1-budget", "4116억원", "match")),
    ("조성사업에 4100억원이 투입된다.", "2022-01-01", ("phase1-budget", "4100억원", "match")),
    ("조성사업에 약 4100억원이 투입된다.", "2022-01-01", ("phase1-budget", "약 4100억원", "match")),
    ("조성사업에 4000억원이 투입된다.", "2022-01-01", ("phase1-budget", "4000억원", "imprecise")),
    ("조성사업에 4000여억원이 투입된다.", "2022-01-01", ("phase1-budget", "4000여억원", "imprecise")),
    ("조성사업에 4천억원 이상이 투입된다.", "2022-01-01", ("phase1-budget", "4천억원 이상", "match")),
    ("조성사업에 수천억원이 투입된다.", "2022-01-01", ("phase1-budget", "수천억원", "match")),
    ("조성사업에 3000여억원이 투입된다.", "2022-01-01", ("phase1-budget", "3000여억원", "conflict")),
    ("조성사업에 4000억원 미만이 투입된다.", "2022-01-01", ("phase1-budget", "4000억원 미만", "conflict")),
    ("조성사업에 4조1160억원이 투입된다.", "2022-01-01", ("phase1-budget", "4조1160억원", "conflict")),
    # dates: the value valid on the article's date
    ("사업단 직원은 48명이다.", "2022-04-13", ("staff-count", "48명", "match")),
    ("사업단 직원은 50명 가까이 된다.", "2023-01-01", ("staff-count", "50명 가까이", "match")),  # rounding 5%
    ("사업단 직원은 60명 가까이 된다.", "2023-01-01", ("staff-count", "60명 가까이", "conflict")),
    ("사업단 직원은 45명이다.", "2023-01-01", ("staff-count", "45명", "conflict")),
    ("사업단 직원은 80명이다.", "2023-01-01", ("staff-count", "80명", "conflict")),
    ("사업단 직원은 80명이다.", "2021-01-01", ("staff-count", "80명", "unknown")),
    # roles by date and by ordinal
    ("오상진 인공지능산업융합사업단장이 말했다.", "2024-09-01", ("director", "오상진 인공지능산업융합사업단장", "match")),
    ("임차식 인공지능산업융합사업단장이 말했다.", "2024-09-01", ("director", "임차식 인공지능산업융합사업단장", "outdated")),
    ("임차식 인공지능산업융합사업단장이 말했다.", "2022-09-01", ("director", "임차식 인공지능산업융합사업단장", "match")),
    ("김준하 인공지능산업융합사업단장이 말했다.", "2023-09-01", ("director", "김준하 인공지능산업융합사업단장", "match")),
    ("임차식 인공지능산업융합사업단장이 말했다.", "2023-09-01", ("director", "임차식 인공지능산업융합사업단장", "outdated")),
    ("초대 인공지능산업융합사업단장에 오상진 단장이 앉았다.", "2024-09-01",
     ("director", "초대 인공지능산업융합사업단장에 오상진 단장", "conflict")),
])
def test_verdicts(shipped_rules, sentence, published, expected):
    assert expected in verdicts(shipped_rules, sentence, published)


@pytest.mark.parametrize("sentence", [
    "사업단 부단장 김민수는 이날 회의를 열었다.",  # 부단장 is not 단장
    "사업단은 지역 기업 80여개를 유치했다.",
    "사업단은 48개 정부기관과 협약했다.",
    "사업단 행사에 700여 명이 참석했다.",
    "광주시는 올해 국비 600억원을 포함한 예산 900억원을 투입한다.",
])
def test_silent_sentences(shipped_rules, sentence):
    assert [v for v in verdicts(shipped_rules, sentence, "2023-01-01") if v[2] != "match"] == []


def test_one_sentence_states_one_fact_once(shipped_rules):
    # "1명에서 시작한 … 구성원은 이제 48명": the growth story is about 48, not a second claim of 1.
    found = verdicts(shipped_rules, "2년 전 단장 1명에서 시작한 사업단 구성원은 이제 48명으로 늘었다.", "2022-04-13")
    assert found == [("staff-count", "48명", "match")]


def test_two_facts_that_fit_equally_keep_silent(tmp_path):
    from checker.rules import load_rules

    rule = """\
topic: {id: t, recognise: [시범]}
facts:
  - {id: a, description: A, kind: quantity, unit: 명, cues: [인원], versions: [{value: 10명}]}
  - {id: b, description: B, kind: quantity, unit: 명, cues: [인원], versions: [{value: 20명}]}
"""
    (tmp_path / "t.yaml").write_text(rule, encoding="utf-8")
    assert verdicts(load_rules(tmp_path), "시범 인원은 30명이다.") == []


@pytest.mark.parametrize("claimed, canonical, hint", [
    ("8.85", "88.5", "×1/10"), ("885", "88.5", "×10"), ("41160", "411.6", "×100"), ("90", "88.5", None),
])
def test_power_of_ten_hint(claimed, canonical, hint):
    from decimal import Decimal

    result = power_of_ten_hint(Decimal(claimed), Decimal(canonical))
    assert (result.split(" ")[0] if result else None) == hint


def test_an_old_as_of_value_says_it_may_have_changed(shipped_rules):
    from checker.claims import extract_claims
    from checker.check import judge_claims
    from datetime import date

    # Within the shipped staff count's refresh_after (730 days) the old figure still judges, with a hint ...
    day = date(2024, 3, 1)
    (finding,) = judge_claims(extract_claims("사업단 직원은 현재 60명이다.", day), shipped_rules, day, None)
    assert finding.verdict == "conflict"
    assert "2022-04-13 자료" in finding.hint
    # ... past it, the checker holds its judgement instead of accusing the article.
    day = date(2025, 6, 1)
    (finding,) = judge_claims(extract_claims("사업단 직원은 현재 60명이다.", day), shipped_rules, day, None)
    assert finding.verdict == "unknown" and not finding.alert


def test_dates_keep_to_their_own_event(shipped_rules):
    # 출범 belongs to 이듬해 1월, not to the 2019 exemption
    assert verdicts(shipped_rules, "사업단은 2019년 12월 예타 면제를 거쳐 이듬해 1월 출범했다.", "2024-10-01") == []


def test_spaced_thousands_are_not_read_as_a_smaller_number(shipped_rules):
    assert verdicts(shipped_rules, "조성 사업에는 총 사업비 4 116억원이 투입된다.", "2022-01-10") == []
