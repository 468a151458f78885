"""Regression cases from an adversarial review: sentences that once raised false alerts or missed errors."""

from __future__ import annotations

import pytest

from test_check_judge import verdicts

SILENT = "silent"


@pytest.mark.parametrize("sentence, published, expected", [
    # false alerts that must stay quiet (or agree)
    ("2020년 1월 29일 출범한 인공지능산업융합사업단의 오상진 단장은 이날 5년 성과를 소개했다.", "2024-10-01",
     ("director", "match")),
    ("간담회를 주관한 오상진 인공지능산업융합사업단장은 협력을 약속했다.", "2024-10-01", ("director", "match")),
    ("인공지능산업융합사업단을 방문해 오상진 단장과 의견을 나눴다.", "2024-10-01", SILENT),
    ("전남테크노파크 AI사업단 박영수 단장은 광주 인공지능산업융합사업단과의 협력을 강조했다.", "2024-10-01", SILENT),
    ("인공지능산업융합사업단 김민수 부단장 겸 단장 직무대행은 회의를 열었다.", "2024-10-01", SILENT),
    ("사업단 관계자는 \"임차식 인공지능산업융합사업단장 재임 때 시작한 사업\"이라고 말했다.", "2024-10-01", ("director", "match")),
    ("사업단 구성원은 단장 1명에서 시작해 현재 48명으로 늘었다.", "2022-04-13", ("staff-count", "match")),
    ("2020년 1월 출범해 올해로 출범 5년째를 맞은 사업단이다.", "2024-10-01", ("agency-launch", "match")),
    ("사업단은 출범 이후 2021년 3월 첫 입주기업을 맞았다.", "2024-10-01", SILENT),
    ("AI투자펀드 1098억원(모태펀드 500억원, 광주시 200억원, 민간 398억원)이 조성됐다.", "2022-01-01",
     ("ai-investment-fund", "match")),
    ("집적단지 조성사업 올해 사업비 1000억원(국비 645억, 시비 300억, 민자 55억)이 확정됐다.", "2021-02-01", SILENT),
    ("AI데이터센터는 클라우드 방식으로 기업에 연산능력 88.5PF를 제공한다.", "2022-01-10", ("datacenter-compute", "match")),
    ("사업단 직원이 5명 더 늘어 현장 지원을 맡는다.", "2023-01-01", SILENT),
    # missed errors that must now be caught
    ("국비 2939억원 등 총 4161억원이 투입되는 집적단지 조성사업이다.", "2022-01-10", ("phase1-budget", "conflict")),
    ("국가 AI데이터센터의 연산능력은 8.85PF로, 판교 NHN 클라우드 센터보다 10배 크다.", "2022-01-10",
     ("datacenter-compute", "conflict")),
    ("김민수 인공지능산업융합사업단장은 전임 임차식 단장의 성과를 이었다.", "2024-10-01", ("director", "conflict")),
    ("인공지능산업융합사업단(단장 김민수)은 이날 성과를 발표했다.", "2024-10-01", ("director", "conflict")),
    ("인공지능산업융합사업단 김민수 단장(57)은 이날 성과를 발표했다.", "2024-10-01", ("director", "conflict")),
    ("초대 단장인 오상진 인공지능산업융합사업단장은 이날 성과를 발표했다.", "2024-10-01", ("director", "conflict")),
    ("사업단 구성원이 48명에서 60명으로 늘었다.", "2023-01-01", ("staff-count", "conflict")),
    ("AI 집적단지 총사업비 4116억원(국비 2939억원·시비 1000억원)이 확정됐다.", "2022-01-10", (None, "sum_mismatch")),
    ("◆ 사업단 구성원은 84명이다.", "2023-01-01", ("staff-count", "conflict")),
    ("집적단지 조성사업에 총사업비 4161억 투입", "2022-01-10", ("phase1-budget", "conflict")),  # headline without 원
])
def test_review_case(shipped_rules, sentence, published, expected):
    found = [(fact, verdict) for fact, _, verdict in verdicts(shipped_rules, sentence, published)]
    if expected == SILENT:
        assert [f for f in found if f[1] != "match"] == []
    else:
        assert expected in found
        assert [f for f in found if f != expected and f[1] != "match"] == []


def test_published_in_utc_is_judged_on_the_korean_day():
    from conftest import jsonl, run_cli

    article = ('{"url": "x", "title": "인공지능산업융합사업단", "published": "2024-07-31T16:00:00Z", '
               '"text": "오상진 인공지能산업융합사업단장은 이날 취임식을 열었다."}').replace("能", "능")
    records = jsonl(run_cli("check", "--no-store", "--format", "jsonl", "-", input=article).output)
    assert [(r["fact"], r["verdict"]) for r in records] == [("director", "match")]


def test_time_dependent_fact_is_not_judged_without_a_date(shipped_rules):
    found = verdicts(shipped_rules, "임차식 인공지능산업융합사업단장은 이날 사업 계획을 발표했다.", None)
    assert [v for _, _, v in found] == ["unknown"]


@pytest.mark.parametrize("sentence, published, expected", [
    # second review round: other regions, 2단계, targets, corrections, negation, successors
    ("부산시는 5년간 3000억원을 투입해 AI 집적단지를 조성하고, 광주는 이미 AI 집적단지 1단계를 마쳤다.", "2025-05-01", SILENT),
    ("울산 AI 데이터센터(저장용량 500PB)는 광주 AI 집적단지의 데이터센터보다 크다.", "2025-05-01", SILENT),
    ("광주시가 AI 집적단지 2단계 사업을 본격화한다. 총사업비는 6000억원으로, 2029년까지 순차 투입된다.", "2025-03-10", SILENT),
    ("사업단은 데이터센터 연산능력을 현재 88.5PF에서 2028년까지 200PF 이상으로 늘린다.", "2025-02-01", SILENT),
    ("바로잡습니다. 지난 10일자 기사에서 집적단지 조성사업 총사업비 '4161억원'은 '4116억원'의 잘못이기에 바로잡습니다.",
     "2024-12-20", SILENT),
    ("김영훈 신임 인공지능산업융합사업단장은 오상진 전 단장의 후임이다.", "2026-03-02", SILENT),
    ("김영훈 인공지능산업융합사업단장은 취임 일성으로 협력을 강조했다.", "2026-03-02", SILENT),
    ("AI 집적단지 조성사업 총사업비는 4116억원이 아니라 4161억원이다.", "2024-12-20", ("phase1-budget", "conflict")),
    ("집적단지 총사업비가 5000억원이 넘는다는 일부 보도는 사실이 아니며 실제는 4265억원이다.", "2024-12-20",
     ("phase1-budget", "match")),
    ("AI 집적단지 조성사업 총사업비는 4161 억원이다.", "2025-01-05", ("phase1-budget", "conflict")),
    ("집적단지 1단계 사업비 4161억원 중 국비는 2939억원이다.", "2024-12-20", ("phase1-budget", "conflict")),
    ("‘4161억원’ 규모의 집적단지 조성사업이 마무리 단계다.", "2024-12-20", ("phase1-budget", "conflict")),
    ("AI데이터센터는 연산능력 8.85 PFLOPS 규모다.", "2025-02-01", ("datacenter-compute", "conflict")),
    ("▲임차식(왼쪽 세 번째) 인공지능산업융합사업단장이 협약서에 서명했다.", "2025-04-01", ("director", "outdated")),
    ("인공지능산업융합사업단장 임차식 씨는 이날 기자간담회를 열었다.", "2025-04-01", ("director", "outdated")),
    ("오상진 제2대 인공지능산업융합사업단장은 이날 취임 8개월을 맞았다.", "2025-04-01", ("director", "conflict")),
])
def test_second_review_case(shipped_rules, sentence, published, expected):
    from checker.claims import extract_claims
    from checker.check import judge_claims
    from checker.rules import parse_day

    day = parse_day(published)
    found = [(f.fact.id if f.fact else None, f.verdict)
             for f in judge_claims(extract_claims(sentence, day), shipped_rules, day, topics=None)]
    if expected == SILENT:
        assert [f for f in found if f[1] not in ("match", "unknown")] == []
    else:
        assert expected in found
        assert [f for f in found if f != expected and f[1] not in ("match", "unknown")] == []
