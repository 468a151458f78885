"""`factwatch rules suggest` on the demo archive: values per fact with counts and sources, a
`versions:` snippet that passes `rules check`, and figures no fact covers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import RULES, run_cli

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTWATCH_", "SLACK_"))}
    result = subprocess.run(
        [sys.executable, "-c", "from factwatch.cli import main; main()", "--rules", str(RULES), "--db",
         str(folder / "demo.db"), "demo"], cwd=folder, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "demo.db"


def test_suggest_lists_the_values_reported_per_fact_in_korean(demo_store):
    result = run_cli("--db", str(demo_store), "--rules", str(RULES), "rules", "suggest")
    assert result.exit_code == 0, result.output
    out = result.output
    staff = out.split("[staff-count]", 1)[1].split("■", 1)[0]
    # 80명 (무등신문, 2024-03-20) disagrees with the rules; 48명 (빛가람뉴스) is the rules' value.
    assert "80명: 독립 기사 1건 · 매체 1곳" in staff
    assert "처음 2024-03-20 (무등신문)" in staff
    assert "48명: 독립 기사 1건 · 매체 1곳" in staff and "규칙에 있음(48명)" in staff
    assert "예: 인공지능산업융합사업단 구성원은 현재 80명이라고 사업단은 밝혔다." in staff
    budget = out.split("[phase1-budget]", 1)[1].split("■", 1)[0]
    assert "4000여억원" in budget and "어림 표현" in budget
    period = out.split("[phase1-period]", 1)[1].split("■", 1)[0]
    assert "규칙에 있음(2020~2024)" in period and "value:" not in period  # matched, so no new version
    assert "자주 보도되는데 규칙에 없는 수치" in out
    unlinked = out.split("자주 보도되는데 규칙에 없는 수치", 1)[1]
    assert "기업인 300여 명: 독립 기사 2건" in unlinked  # printed by both outlets, no fact has it


def test_the_snippet_pastes_into_the_rule_file_and_passes_rules_check(demo_store, tmp_path):
    out = run_cli("--db", str(demo_store), "--rules", str(RULES), "rules", "suggest").output
    staff = out.split("[staff-count]", 1)[1].split("■", 1)[0]
    snippet = staff.split("versions: 아래에 붙여 넣으세요:\n", 1)[1]
    snippet = "\n".join(line for line in snippet.splitlines() if line.startswith("      ") and not line.startswith("      예:"))
    assert "- value: 80명" in snippet and "from: 2024-03-20" in snippet and "무등신문 2024-03-20" in snippet
    # No hedged figure is ever offered as a version.
    assert "value: 4000여억원" not in out

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    path = rules / "gwangju_ai.yaml"
    text = path.read_text(encoding="utf-8")
    # Paste right after the last version of staff-count, as a maintainer would.
    start = text.index("id: staff-count")
    versions = text.index("    versions:\n", start)
    end = text.index("    examples:", versions) if "    examples:" in text[versions:] else len(text)
    nxt = text.find("\n  - id:", versions)
    cut = min(p for p in (end, nxt if nxt != -1 else len(text)) if p > versions)
    text = text[:cut].rstrip("\n") + "\n" + snippet + "\n" + text[cut:]
    path.write_text(text, encoding="utf-8")
    check = run_cli("--rules", str(rules), "rules", "check")
    assert check.exit_code == 0, check.output
    from checker.rules import load_rules

    fact = load_rules(rules).fact("staff-count")
    assert fact.versions[-1].display == "80명" and fact.versions[-1].valid_from == date(2024, 3, 20)
    assert fact.versions[-1].source.startswith("무등신문 2024-03-20")


def test_pure_parts():
    from checker.suggest import label_of, Report, summarize, independent_outlets

    assert label_of("집적단지 총사업비는 ") == "총사업비"
    assert label_of("모두 ") is None and label_of("") is None and label_of("관계자, ") is None

    def report(story, outlet, day):
        return Report(fact_id="f", key="k", written="61명", exact=True, verdict="conflict", sentence="s",
                      published=date(2025, 3, day), outlet=outlet, url=f"u{story}{outlet}", title="t",
                      story_id=story, article_id=story * 10 + day, version_id=day)

    # Story 1 printed by two outlets (syndication) is one story, one independent outlet.
    reports = [report(1, "A", 2), report(1, "B", 3), report(2, "C", 4)]
    assert independent_outlets(reports) == 2
    summary = summarize(reports, [])["f"][0]
    assert summary.stories == 2 and summary.outlets == 2 and summary.first.outlet == "A"


def test_a_new_value_candidate_needs_independent_outlets_within_the_window():
    from checker.newvalues import find_candidates
    from checker.suggest import Report

    def report(story, outlet, day, verdict="conflict", exact=True):
        return Report(fact_id="f", key="k", written="61명", exact=exact, verdict=verdict, sentence="s",
                      published=day, outlet=outlet, url=f"u{story}{outlet}", title="t",
                      story_id=story, article_id=story, version_id=story)

    one_story = [report(1, "A", date(2025, 3, 2)), report(1, "B", date(2025, 3, 3))]
    assert find_candidates(one_story, []) == []  # a syndicated copy is not a second outlet
    far_apart = [report(1, "A", date(2025, 1, 2)), report(2, "B", date(2025, 3, 3))]
    assert find_candidates(far_apart, [], window_days=30) == []
    assert len(find_candidates(far_apart, [], window_days=90)) == 1
    same_outlet = [report(1, "A", date(2025, 3, 2)), report(2, "A", date(2025, 3, 3))]
    assert find_candidates(same_outlet, []) == []  # one outlet twice is still one outlet
    hedged = [report(1, "A", date(2025, 3, 2), exact=False), report(2, "B", date(2025, 3, 3), exact=False)]
    assert find_candidates(hedged, []) == []
    right = [report(1, "A", date(2025, 3, 2), "match"), report(2, "B", date(2025, 3, 3), "match")]
    assert find_candidates(right, []) == []
    three = [report(1, "A", date(2025, 3, 2)), report(2, "B", date(2025, 3, 5)), report(3, "C", date(2025, 3, 10))]
    (candidate,) = find_candidates(three, [], min_outlets=3)
    assert candidate.outlets == 3 and candidate.first.outlet == "A"
