"""Rule-file mistakes that used to pass `rules check` silently, and how rule folders are found."""

from __future__ import annotations

import textwrap

import pytest

from checker.rules import RuleFileErrors, load_rules, rules_fingerprint
from conftest import run_cli

GOOD = """\
topic:
  id: demo
  recognise: [시범사업]
facts:
  - id: demo-budget
    description: 시범사업 총사업비
    kind: quantity
    unit: 억원
    cues: [사업비]
    versions:
      - value: 100억원
        from: 2020-01-01
"""


def write(tmp_path, text, name="demo.yaml"):
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def problems(tmp_path, text) -> list[str]:
    """Errors and warnings `rules check` prints for one file (stderr and stdout)."""
    result = run_cli("rules", "check", "--rules", str(write(tmp_path, text)))
    return [line for line in result.output.splitlines() if "demo.yaml:" in line], result.exit_code


# ---------------------------------------------------------------- item 5: finding the rule files


def test_yml_rule_files_are_loaded_like_yaml(tmp_path):
    folder = write(tmp_path, GOOD, name="demo.yml")
    second = GOOD.replace("id: demo\n", "id: other\n").replace("demo-budget", "other-budget")
    (folder / "other.yaml").write_text(second, encoding="utf-8")
    rules = load_rules(folder)
    assert sorted(f.id for f in rules.facts) == ["demo-budget", "other-budget"]
    assert any(name.endswith("demo.yml") for name in rules.files)
    assert any(str(entry[0]).endswith("demo.yml") for entry in rules_fingerprint(folder))


def test_a_folder_of_only_yml_files_is_not_empty(tmp_path):
    folder = write(tmp_path, GOOD, name="demo.yml")
    result = run_cli("rules", "check", "--rules", str(folder))
    assert result.exit_code == 0, result.output
    assert "사실 1개" in result.output


def test_a_missing_rules_folder_says_how_to_point_at_one(tmp_path):
    result = run_cli("rules", "check", "--rules", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    message = result.stderr
    assert "nowhere" in message and "규칙 폴더가 없습니다" in message
    assert "--rules" in message and "FACTWATCH_RULES" in message
    assert ":0:" not in message  # a folder has no line


def test_an_empty_rules_folder_names_both_extensions(tmp_path):
    (tmp_path / "rules").mkdir()
    result = run_cli("rules", "check", "--rules", str(tmp_path / "rules"))
    assert result.exit_code == 2
    assert "*.yaml" in result.stderr and "*.yml" in result.stderr
