"""Short articles written for the project, one per verdict and trap, through `factwatch check`."""

from __future__ import annotations

import pytest

from conftest import ARTICLES, jsonl, run_cli


def check_jsonl(name: str) -> tuple[int, list[dict]]:
    result = run_cli("check", "--no-store", "--format", "jsonl", str(ARTICLES / f"{name}.json"))
    return result.exit_code, jsonl(result.output)


def alerts_of(records):
    return [(r["fact"], r["text"], r["verdict"]) for r in records if r["alert"]]


def test_director_named_after_a_successor_took_office_is_outdated():
    code, records = check_jsonl("outdated_director")
    assert code == 1
    assert alerts_of(records) == [("director", "임차식 인공지능산업융합사업단장", "outdated")]
    (record,) = [r for r in records if r["alert"]]
    assert "오상진" in record["explanation"] and "2024-08-01" in record["explanation"]
    assert record["canonical"] == "오상진"


def test_staff_count_conflict_names_the_date_of_the_canonical_value():
    code, records = check_jsonl("staff_count_80")
    assert code == 1
    assert alerts_of(records) == [("staff-count", "80명", "conflict")]
    record = records[0]
    assert record["canonical"] == "48명"
    assert record["version"]["valid_from"] == "2022-04-13"
    assert "2022-04-13 기준" in record["explanation"]


def test_hedges_within_the_facts_rounding_stay_silent():
    code, records = check_jsonl("hedge_within")
    assert code == 0
    assert {(r["fact"], r["verdict"]) for r in records} == {
        ("phase1-budget", "match"), ("ai-investment-fund", "match"), ("site-area", "match"),
    }


def test_hedge_beyond_the_facts_rounding_is_imprecise():
    code, records = check_jsonl("hedge_beyond")
    assert code == 1
    assert alerts_of(records) == [("phase1-budget", "4000여억원", "imprecise")]


def test_power_of_ten_slip_gets_a_hint():
    code, records = check_jsonl("power_of_ten")
    assert alerts_of(records) == [("datacenter-compute", "8.85페타플롭스", "conflict")]
    assert records[0]["hint"].startswith("×1/10")
    storage = [r for r in records if r["fact"] == "datacenter-storage"]
    assert storage[0]["verdict"] == "match"


def test_same_unit_numbers_about_other_things_are_not_judged():
    code, records = check_jsonl("different_entity")
    assert code == 0
    assert records == []


def test_ordinal_that_names_the_wrong_person_conflicts():
    code, records = check_jsonl("wrong_ordinal")
    assert alerts_of(records) == [("director", "제3대 인공지능산업융합사업단장에 임차식 단장", "conflict")]
    assert "오상진" in records[0]["explanation"]


@pytest.mark.parametrize("name, text, verdict, resolved", [
    ("relative_date_match", "올 연말", "match", None),
    ("relative_date_conflict", "내년 상반기", "conflict", "2023년 1~6월"),
])
def test_relative_date_is_resolved_against_the_publication_date(name, text, verdict, resolved):
    _, records = check_jsonl(name)
    assert [(r["fact"], r["text"], r["verdict"]) for r in records] == [
        ("datacenter-building-completion", text, verdict)
    ]
    if resolved:
        assert resolved in records[0]["explanation"]


def test_sums_are_checked_without_any_rule():
    code, records = check_jsonl("sums")
    assert code == 1
    mismatches = [r for r in records if r["verdict"] == "sum_mismatch"]
    assert [(r["fact"], r["claimed"]) for r in mismatches] == [(None, "30명(단장 1, 책임급 6, 선임급 20)")]
    assert "27명" in mismatches[0]["explanation"]
    assert not any("1000억원" in r["text"] for r in mismatches)


def test_article_about_another_program_is_not_judged_against_this_one():
    code, records = check_jsonl("off_topic")
    assert (code, records) == (0, [])


def test_jsonl_records_carry_the_promised_fields():
    _, records = check_jsonl("staff_count_80")
    text = (ARTICLES / "staff_count_80.json").read_text(encoding="utf-8")
    import json

    article_text = json.loads(text)["text"]
    for record in records:
        for field in ("article", "published", "start", "end", "text", "sentence", "fact", "claimed",
                      "canonical", "verdict", "alert", "explanation"):
            assert field in record
        assert article_text[record["start"]:record["end"]] == record["text"]
        assert record["published"].startswith("2023-06-01")
        assert record["article"] == "https://news.example.kr/staff_count_80"
