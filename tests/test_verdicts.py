"""One verdict enum and one Korean label table, used by the CLI report, Slack and the docs."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from bot import message
from checker import judge
from checker.verdicts import ALERT_VERDICTS, VERDICT_KO, Verdict, verdict_label

ROOT = Path(__file__).resolve().parent.parent
DOCS_WITH_TABLE = [ROOT / "README.md", ROOT / "rules" / "README.md"]
# Labels used before the table was unified: a doc or message teaching one of them is out of date.
RETIRED = ["지난 값", "사실과 다른 수치", "확인 필요"]


def _doc_table(path: Path) -> dict[str, str]:
    """The rows of the `| verdict | 표기 | meaning |` table in a markdown file."""
    rows: dict[str, str] = {}
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.strip().startswith("|") and cells[:2] == ["verdict", "표기"]:
            inside = True
            continue
        if inside:
            if not line.strip().startswith("|"):
                break
            if set(cells[0]) <= {"-"}:
                continue
            rows[cells[0].strip("`")] = cells[1]
    return rows


def test_enum_values_are_the_stored_strings():
    assert [v.value for v in Verdict] == ["match", "conflict", "imprecise", "outdated", "unknown", "sum_mismatch"]
    assert Verdict("conflict") is Verdict.CONFLICT and Verdict.CONFLICT == "conflict"
    db = sqlite3.connect(":memory:")
    db.execute("create table t (v text)")
    db.execute("insert into t values (?)", (Verdict.OUTDATED,))
    assert db.execute("select v, typeof(v) from t").fetchone() == ("outdated", "text")
    assert ALERT_VERDICTS == {"conflict", "imprecise", "outdated", "sum_mismatch"}


def test_one_label_table_everywhere():
    assert set(VERDICT_KO) == set(Verdict)
    assert len(set(VERDICT_KO.values())) == len(VERDICT_KO), "two verdicts share a word"
    assert judge.VERDICT_KO is VERDICT_KO
    assert message.VERDICT_LABELS is VERDICT_KO
    assert verdict_label("conflict") == VERDICT_KO[Verdict.CONFLICT] == "사실과 다름"
    assert verdict_label("outdated") == "지난 정보"
    assert verdict_label("from-a-newer-version") == "from-a-newer-version"


@pytest.mark.parametrize("doc", DOCS_WITH_TABLE, ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_teach_the_table(doc: Path):
    assert _doc_table(doc) == {str(k): v for k, v in VERDICT_KO.items()}


def test_no_doc_teaches_a_retired_word():
    paths = [*DOCS_WITH_TABLE, *(ROOT / "docs").glob("*.md"), *(ROOT / "rules").glob("*.yaml")]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for word in RETIRED:
            assert word not in text, f"{path.relative_to(ROOT)} still says {word!r}"
        assert not re.search(r"(?<!합계 )불일치", text), f"{path.relative_to(ROOT)}: '불일치' alone is now '사실과 다름'"
    # the alert labels docs/bot.md lists are the table's words
    listed = re.search(r"the verdict \(([^:)]+)", (ROOT / "docs" / "bot.md").read_text(encoding="utf-8")).group(1)
    assert [w.strip() for w in listed.split("/")] == [VERDICT_KO[v] for v in
                                                       (Verdict.CONFLICT, Verdict.IMPRECISE, Verdict.OUTDATED, Verdict.SUM_MISMATCH)]


@pytest.mark.parametrize("name, verdict", [
    ("staff_count_80", Verdict.CONFLICT), ("outdated_director", Verdict.OUTDATED), ("hedge_beyond", Verdict.IMPRECISE),
])
def test_cli_report_and_slack_use_the_same_word(name, verdict):
    from conftest import ARTICLES, jsonl, run_cli

    from bot.message import AlertView, build_alert_message

    records = jsonl(run_cli("check", "--no-store", "--format", "jsonl", str(ARTICLES / f"{name}.json")).output)
    assert [r["verdict"] for r in records if r["alert"]] == [verdict.value]
    text = run_cli("check", "--no-store", str(ARTICLES / f"{name}.json")).output
    assert f"⚠ {VERDICT_KO[verdict]} —" in text
    slack = build_alert_message(AlertView(
        alert_id=1, kind="alert", verdict=verdict.value, fact_description="사실", claimed="80명", canonical="48명",
        explanation="", hint=None, sentence="80명", claim_start=0, claim_end=3, rule=None, version_display="48명",
        version_valid_from=None, version_valid_until=None, version_source=None, article_title="t", outlet=None,
        published=None, url="https://news.example/1"))
    assert f"{VERDICT_KO[verdict]} · 사실" in slack.text + str(slack.blocks)


def test_judge_emits_the_enum():
    from checker.check import check_article
    from checker.models import Article
    from checker.rules import load_rules
    from conftest import RULES

    article = Article(url="https://news.example/x", title="AI 집적단지", text="인공지능산업융합사업단 구성원은 현재 80명이라고 사업단은 밝혔다.")
    _, findings = check_article(article, load_rules(RULES))
    assert findings and all(isinstance(f.verdict, Verdict) for f in findings)
