"""Broken rule files are reported as file:line in plain Korean, and the CLI exits 2."""

from __future__ import annotations


import pytest

from checker.rules import RuleFileErrors, load_rules
from conftest import DEMO_RULE as GOOD
from conftest import run_cli
from conftest import write_rule_file as write



def errors_for(tmp_path, text) -> list[str]:
    with pytest.raises(RuleFileErrors) as caught:
        load_rules(write(tmp_path, text))
    return [str(e) for e in caught.value.errors]


def test_good_file_loads(tmp_path):
    rules = load_rules(write(tmp_path, GOOD))
    assert [f.id for f in rules.facts] == ["demo-budget"]
    assert rules.facts[0].versions[0].value == 100 * 10**8


def test_yaml_syntax_error_names_the_line(tmp_path):
    broken = GOOD.replace("    cues: [사업비]", "    cues: [사업비\n    severity: high")
    (message,) = errors_for(tmp_path, broken)
    assert message.startswith("rules/demo.yaml:") or "demo.yaml:" in message
    assert "YAML 문법 오류" in message


def test_unknown_key_is_named_with_a_suggestion(tmp_path):
    (message,) = errors_for(tmp_path, GOOD.replace("    cues: [사업비]", "    cue: [사업비]\n    cues: [사업비]"))
    assert "demo.yaml:9:" in message
    assert "[demo-budget]" in message
    assert "'cue'" in message and "'cues'" in message


def test_bad_unit_lists_the_allowed_units(tmp_path):
    (message,) = errors_for(tmp_path, GOOD.replace("unit: 억원", "unit: 억원/년"))
    assert "demo.yaml:8:" in message
    assert "억원/년" in message and "억원" in message


def test_overlapping_versions_are_rejected(tmp_path):
    text = GOOD + "        until: 2022-12-31\n      - value: 120억원\n        from: 2022-06-01\n"
    (message,) = errors_for(tmp_path, text)
    assert "demo.yaml:14:" in message
    assert "겹칩니다" in message


def test_value_with_the_wrong_unit_is_rejected(tmp_path):
    (message,) = errors_for(tmp_path, GOOD.replace("value: 100억원", "value: 100명"))
    assert "demo.yaml:11:" in message and "단위" in message


def test_hedged_canonical_value_is_rejected(tmp_path):
    (message,) = errors_for(tmp_path, GOOD.replace("value: 100억원", "value: 100여억원"))
    assert "정확한 값" in message


def test_bad_date_shows_an_example(tmp_path):
    (message,) = errors_for(tmp_path, GOOD.replace("from: 2020-01-01", "from: 2020년 1월"))
    assert "demo.yaml:12:" in message and "예: 2021-03-09" in message


def test_duplicate_fact_ids_across_files(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    folder = write(tmp_path, GOOD.replace("id: demo\n", "id: demo-two\n"), "b.yaml")
    with pytest.raises(RuleFileErrors) as caught:
        load_rules(folder)
    (message,) = [str(e) for e in caught.value.errors]
    assert "b.yaml:5:" in message and "a.yaml:5" in message


def test_all_problems_in_a_file_are_reported_at_once(tmp_path):
    text = GOOD.replace("unit: 억원", "unit: 억원/년").replace("kind: quantity", "kind: quantity\n    colour: red")
    assert len(errors_for(tmp_path, text)) == 2


@pytest.mark.parametrize("command", [["rules", "check"], ["check", "--no-store", "-"]])
def test_cli_exits_2_on_a_broken_rule_file(tmp_path, command):
    folder = write(tmp_path, GOOD.replace("unit: 억원", "unit: 억원/년"))
    result = run_cli("--rules", str(folder), *command, input="본문")
    assert result.exit_code == 2
    assert "demo.yaml:8:" in result.stderr


def test_rules_test_reports_a_failing_example_with_its_line(tmp_path):
    text = GOOD + "    examples:\n      flag:\n        - 시범사업 사업비는 100억원이다.\n"
    folder = write(tmp_path, text)
    result = run_cli("rules", "test", "--rules", str(folder))
    assert result.exit_code == 1
    assert "demo.yaml:15:" in result.output and "잡지 못했습니다" in result.output


def test_shipped_rules_pass_their_own_examples(shipped_rules):
    from checker.examples import run_examples

    results = run_examples(shipped_rules)
    assert len(results) > 30
    assert [f"{r.where} {r.problem}" for r in results if not r.ok] == []


def test_the_worked_example_in_rules_readme_does_what_it_says(tmp_path):
    """rules/README.md walks a maintainer through adding a new staff count: it must work as written."""
    import re
    import shutil

    from checker.examples import run_examples
    from conftest import REPO, RULES

    guide = (REPO / "rules" / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(  - id: staff-count\n.*?)```", guide, re.S).group(1)
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    rule_file = folder / "gwangju_ai.yaml"
    text = rule_file.read_text(encoding="utf-8")
    start = text.index("  - id: staff-count")
    end = text.index("\n  - id:", start) + 1
    rule_file.write_text(text[:start] + example + "\n" + text[end:], encoding="utf-8")
    rules = load_rules(folder)
    assert [f"{r.where} {r.problem}" for r in run_examples(rules) if not r.ok] == []
    assert [v.display for v in rules.fact("staff-count").versions] == ["48명", "61명"]


@pytest.mark.parametrize("unit", ["만가구", "억달러", "만TEU", "ha", "㎢", "ℓ", "병상", "년"])
def test_magnitude_and_latin_units_are_units(tmp_path, unit):
    value = {"만가구": "3만가구", "억달러": "12억달러", "만TEU": "250만TEU", "ha": "12ha", "㎢": "2.5㎢", "ℓ": "300ℓ",
             "병상": "500병상", "년": "5년"}[unit]
    load_rules(write(tmp_path, GOOD.replace("unit: 억원", f"unit: {unit}").replace("100억원", value)))


def test_years_as_a_length_are_a_unit(tmp_path):
    # '년' alone reads as a calendar year in an article; as a fact's unit it is a duration (사업 기간 5년).
    rules = load_rules(write(tmp_path, GOOD.replace("unit: 억원", "unit: 년").replace("100억원", "5년")))
    assert [v.value for fact in rules.facts if fact.unit == "duration_year" for v in fact.versions][:1] == [5]
