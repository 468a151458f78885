"""The key tables of rules/README.md and docs/ are generated from the declared schemas: the
committed docs are what the generator writes, and an edit by hand is caught."""

from __future__ import annotations

import shutil

import pytest

from conftest import DEMO_RULE, REPO, run_cli
from conftest import write_rule_file as write
from factwatch.schema_docs import TABLES, stale_docs, write_docs

DOCS = sorted({file for file, _ in TABLES.values()})


def test_the_committed_tables_are_what_the_schema_generates():
    assert stale_docs(REPO) == [], "run: factwatch schema docs --write (or python -m factwatch.schema_docs --write)"


@pytest.fixture
def docs_copy(tmp_path):
    for path in DOCS:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / path, tmp_path / path)
    return tmp_path


def test_a_table_edited_by_hand_is_caught_and_rewritten(docs_copy):
    guide = docs_copy / "rules/README.md"
    text = guide.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `severity` |"))
    guide.write_text(text.replace(row, "| `severity` | no | text | `medium` | shown in the alert |"), encoding="utf-8")
    assert stale_docs(docs_copy) == ["rules/README.md"]
    assert write_docs(docs_copy) == ["rules/README.md"]
    assert guide.read_text(encoding="utf-8") == text


def test_a_key_added_to_the_schema_without_docs_is_caught(docs_copy, monkeypatch):
    from checker import schema

    fields = dict(schema.FactSpec.model_fields)
    monkeypatch.setattr(schema.FactSpec, "model_fields", {**fields, "colour": fields["note"]})
    assert "rules/README.md" in stale_docs(docs_copy)


def test_every_table_is_between_its_markers():
    for name, (path, _) in TABLES.items():
        text = (REPO / path).read_text(encoding="utf-8")
        assert f"<!-- schema:{name} begin" in text and f"<!-- schema:{name} end -->" in text, (name, path)


def test_the_docs_command_checks_and_writes(docs_copy, monkeypatch):
    monkeypatch.chdir(docs_copy)
    assert run_cli("schema", "docs").exit_code == 0
    guide = docs_copy / "docs/bot.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("| `schedule.crawl` |", "| `schedule.crawl ` |"),
                     encoding="utf-8")
    result = run_cli("schema", "docs")
    assert result.exit_code == 1 and "docs/bot.md" in result.stderr
    assert run_cli("schema", "docs", "--write").exit_code == 0
    assert stale_docs(docs_copy) == []


def test_severity_is_documented_as_what_it_does(tmp_path):
    """The docs say severity is kept with each finding and not shown: the report of one article
    is the same whatever the fact's severity, and the level is in the stored fact."""
    from checker.rules import load_rules

    article = "시범사업 사업비는 90억원이다."
    outputs = []
    for level in ("high", "low"):
        (tmp_path / level).mkdir()
        folder = write(tmp_path / level, DEMO_RULE.replace("    cues: [사업비]", f"    cues: [사업비]\n    severity: {level}"))
        result = run_cli("--rules", str(folder), "check", "--no-store", "--published", "2021-01-01", "-", input=article)
        assert result.exit_code == 1, result.output  # an alert either way
        outputs.append(result.output.replace(f"/{level}/", "/LEVEL/"))
        assert load_rules(folder).facts[0].severity == level
    assert outputs[0] == outputs[1]
    guide = (REPO / "rules/README.md").read_text(encoding="utf-8")
    row = next(line for line in guide.splitlines() if line.startswith("| `severity` |"))
    assert "do not show it" in row
