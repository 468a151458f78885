"""Rule-file mistakes that used to pass `rules check` silently, and how rule folders are found."""

from __future__ import annotations

import re

import pytest

from checker.rules import RuleFileErrors, load_rules, rules_fingerprint
from conftest import DEMO_RULE as GOOD
from conftest import run_cli
from conftest import write_rule_file as write



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


# ---------------------------------------------------------------- item 6: mistakes that passed silently

ROLE = GOOD + """\
  - id: demo-head
    description: 시범사업단장
    kind: role
    role: [단장]
    cues: [시범사업단]
    versions:
      - value: 홍길동
        from: 2020-01-01
"""


@pytest.mark.parametrize("key, line, text", [
    ("cues", 9, GOOD.replace("cues: [사업비]", "cues: 사업비, 총사업비")),
    ("exclude", 10, GOOD.replace("cues: [사업비]", "cues: [사업비]\n    exclude: 민간 투자")),
    ("require", 10, GOOD.replace("cues: [사업비]", "cues: [사업비]\n    require: 시범사업")),
    ("recognise", 3, GOOD.replace("recognise: [시범사업]", "recognise: 시범사업")),
    ("role", 16, ROLE.replace("role: [단장]", "role: 단장")),
])
def test_a_word_list_written_as_one_plain_string_is_an_error(tmp_path, key, line, text):
    lines, code = problems(tmp_path, text)
    assert code == 2
    (message,) = [m for m in lines if f"'{key}:'" in m]
    assert f"demo.yaml:{line}:" in message
    assert "목록" in message


def test_the_error_for_a_comma_string_shows_the_list_to_write(tmp_path):
    lines, _ = problems(tmp_path, GOOD.replace("cues: [사업비]", "cues: 사업비, 총사업비"))
    assert "[사업비, 총사업비]" in lines[0]


def test_a_bare_number_in_a_fact_whose_unit_has_a_multiplier_is_an_error(tmp_path):
    lines, code = problems(tmp_path, GOOD.replace("value: 100억원", "value: 100"))
    assert code == 2
    (message,) = lines
    assert "demo.yaml:11:" in message
    assert "100억원" in message and "단위" in message  # says what to write, and why


def test_a_bare_number_is_still_fine_when_the_unit_has_no_multiplier(tmp_path):
    text = GOOD.replace("unit: 억원", "unit: 명").replace("value: 100억원", "value: 48")
    rules = load_rules(write(tmp_path, text))
    assert rules.facts[0].versions[0].value == 48


def test_a_bare_number_in_a_won_fact_is_read_as_won(tmp_path):
    text = GOOD.replace("unit: 억원", "unit: 원").replace("value: 100억원", "value: 5000")
    assert load_rules(write(tmp_path, text)).facts[0].versions[0].value == 5000


@pytest.mark.parametrize("score", ["150", "-5", "101"])
def test_min_score_outside_0_to_100_is_an_error(tmp_path, score):
    lines, code = problems(tmp_path, GOOD.replace("cues: [사업비]", f"cues: [사업비]\n    min_score: {score}"))
    assert code == 2
    (message,) = lines
    assert "demo.yaml:10:" in message and "0" in message and "100" in message


def test_a_role_value_that_includes_the_title_is_a_warning(tmp_path):
    lines, code = problems(tmp_path, ROLE.replace("value: 홍길동", "value: 홍길동 단장"))
    assert code == 0  # a warning: the file still loads
    (message,) = lines
    assert message.startswith("경고:")
    assert "demo.yaml:19:" in message and "'단장'" in message and "홍길동" in message


def test_a_clean_role_value_has_no_warning(tmp_path):
    lines, code = problems(tmp_path, ROLE)
    assert (lines, code) == ([], 0)


def test_warnings_are_shown_next_to_errors(tmp_path):
    text = ROLE.replace("value: 홍길동", "value: 홍길동 단장").replace("value: 100억원", "value: 100")
    lines, code = problems(tmp_path, text)
    assert code == 2
    assert any(m.startswith("경고:") for m in lines) and any(m.startswith("오류:") for m in lines)


# ---------------------------------------------------------------- item 23: messages a maintainer can act on

SOURCE = GOOD + "        source: 뉴스 2020\n"


@pytest.mark.parametrize("name, text, line", [
    ("unclosed list", GOOD.replace("cues: [사업비]", "cues: [사업비, 예산\n\n    # 메모\n    severity: high"), 9),
    ("unclosed quote", SOURCE.replace("source: 뉴스 2020", 'source: "뉴스 2020'), 13),
    ("unclosed quote early", SOURCE.replace("recognise: [시범사업]", 'recognise: ["시범사업]'), 3),
    ("colon in a value", SOURCE.replace("source: 뉴스 2020", "source: 뉴스: 2020: 보도"), 13),
    ("tab", GOOD.replace("    kind: quantity", "\tkind: quantity"), 7),
    ("indent", GOOD.replace("    kind: quantity", "   kind: quantity"), 7),
    ("missing colon", GOOD.replace("    kind: quantity", "    kind quantity"), 7),
    ("at sign", SOURCE.replace("source: 뉴스 2020", "source: @뉴스"), 13),
    ("alias", SOURCE.replace("source: 뉴스 2020", "source: *뉴스"), 13),
    ("tag", SOURCE.replace("source: 뉴스 2020", "source: !뉴스 2020"), 13),
    ("text after quotes", SOURCE.replace("source: 뉴스 2020", 'source: "뉴스" 2020'), 13),
    ("list item in a mapping", GOOD.replace("    kind: quantity", "    kind: quantity\n    - 예산"), 8),
    ("unclosed brace", GOOD.replace("cues: [사업비]", "cues: {사업비"), 9),
])
def test_yaml_syntax_errors_are_explained_in_korean_at_the_right_line(tmp_path, name, text, line):
    with pytest.raises(RuleFileErrors) as caught:
        load_rules(write(tmp_path, text))
    (error,) = caught.value.errors
    assert error.line == line, str(error)
    assert "YAML 문법 오류" in error.message
    reason = error.message.split("YAML 문법 오류", 1)[1]
    assert not re.search(r"[A-Za-z]{2,}[ ,']+[A-Za-z]{2,}", reason), reason  # no English phrase left
    assert re.search(r"[가-힣]", reason)


def test_no_message_shows_python_none(tmp_path):
    text = GOOD.replace("    kind: quantity\n", "").replace("    cues: [사업비]", "    cues: [사업비]\n    ~: 메모\n    note:")
    text += "        until:\n      - value:\n        from: 2021-01-01\n"
    lines, code = problems(tmp_path, text)
    assert code == 2 and lines
    assert not any("None" in line for line in lines), lines
    assert any("이름 없는 항목" in line for line in lines)


@pytest.mark.parametrize("value", ["2024~2020", "2024-06 ~ 2024-01", "2022-12-31 ~ 2022-01-01"])
def test_a_reversed_period_is_called_reversed(tmp_path, value):
    text = GOOD.replace("kind: quantity\n    unit: 억원", "kind: period").replace("value: 100억원", f'value: "{value}"')
    lines, code = problems(tmp_path, text)
    assert code == 2
    (message,) = lines
    assert "demo.yaml:10:" in message
    assert re.search(r"기간의 끝\(.+\)이 시작\(.+\)보다 앞섭니다", message)
    assert "날짜로 읽을 수 없습니다" not in message
