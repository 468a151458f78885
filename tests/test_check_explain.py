"""`factwatch check --explain`: a maintainer sees, for each figure, the facts weighed and why."""

from __future__ import annotations

from pathlib import Path

from conftest import jsonl, run_cli

LINKING = Path(__file__).parent / "linking"


def test_explain_names_the_deciding_word_and_the_exclusion_that_ruled_a_fact_out(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("해오름 수소도시 총사업비는 5300억원이고, 수소펀드 2차분은 200억원이다.\n", encoding="utf-8")
    result = run_cli("--rules", str(LINKING), "check", "--no-store", "--explain", "--published", "2024-06-01", str(article))
    text = result.output
    assert "[설명] 주제: haeoreum 인식" in text
    assert "«5300억원» → total-cost" in text and "'총사업비'(수치 바로 앞" in text
    assert "«200억원» → 연결 안 함" in text and "✗ 수치 옆에 제외어 '2차'" in text


def test_explain_in_jsonl_gives_one_record_per_claim_and_per_topic(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("충전기지가 완공됐다. 충전 능력은 60톤이다.\n", encoding="utf-8")
    result = run_cli("--rules", str(LINKING), "check", "--no-store", "--explain", "--format", "jsonl",
                     "--published", "2024-06-01", str(article))
    records = [r for r in jsonl(result.output) if "explain" in r]
    (topic,) = [r for r in records if r["explain"] == "topic"]
    assert topic["recognised"] is False and "recognise" in topic["why"]
    claims = [r for r in records if r["explain"] == "claim"]
    assert [r["text"] for r in claims] == ["60톤"] and claims[0]["fact"] is None
