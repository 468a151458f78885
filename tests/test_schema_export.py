"""The JSON Schema editors use is the loader's own schema: the committed export is what the models
export, every shipped rule file and example file passes it (checked with the `jsonschema`
library), and it refuses what the loader refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import DEMO_RULE, OTHER_PROGRAM_RULES, REPO, RULES, run_cli
from conftest import write_rule_file as write
from factwatch.schemas import NAMES, export, export_text, schema_file


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2: `2020-01-29` stays a string)."""


_EditorLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def editor_view(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorLoader)  # noqa: S506


def validator(name: str):
    schema = export(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


SHIPPED_RULES = sorted([*RULES.glob("*.yaml"), *OTHER_PROGRAM_RULES.glob("*.yaml")])
EXAMPLES = {"sources": REPO / "sources.example.yaml", "settings": REPO / "factwatch.example.yaml"}


@pytest.mark.parametrize("name", NAMES)
def test_the_committed_schema_files_are_what_the_loader_exports(name):
    committed = (REPO / schema_file(name)).read_text(encoding="utf-8")
    assert committed == export_text(name), f"run: factwatch schema {name} --out {schema_file(name)}"


@pytest.mark.parametrize("path", SHIPPED_RULES, ids=lambda p: p.name)
def test_every_shipped_rule_file_passes_the_exported_schema(path):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator("rules").iter_errors(editor_view(path))]
    assert errors == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_example_files_pass_the_exported_schema(name):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(editor_view(EXAMPLES[name]))]
    assert errors == []


def test_the_crawl_fixture_sources_pass_the_exported_schema():
    text = (REPO / "tests/newsweb/sources.yaml").read_text(encoding="utf-8").replace("{{base_url}}", "http://127.0.0.1:1")
    assert [e.message for e in validator("sources").iter_errors(yaml.safe_load(text))] == []


@pytest.mark.parametrize("path", [*RULES.glob("*.yaml"), *EXAMPLES.values()], ids=lambda p: p.name)
def test_shipped_files_name_their_schema_for_the_editor(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    assert (path.parent / match.group(1)).resolve().is_file()


# What the loader refuses, the editor's schema refuses too (and the other way round).
REFUSED = {
    "a misspelt key": DEMO_RULE.replace("    cues: [사업비]", "    cuse: [사업비]"),
    "a quantity without its unit": DEMO_RULE.replace("    unit: 억원\n", ""),
    "an unknown kind": DEMO_RULE.replace("kind: quantity", "kind: amount"),
    "a unit on a role": DEMO_RULE.replace("kind: quantity", "kind: role\n    role: [단장]"),
    "a score out of range": DEMO_RULE.replace("    cues: [사업비]", "    cues: [사업비]\n    min_score: 150"),
    "a percent without %": DEMO_RULE.replace("    cues: [사업비]", "    cues: [사업비]\n    rounding: 5"),
    "no versions": DEMO_RULE.split("    versions:")[0] + "    versions: []\n",
    "an unknown verdict": DEMO_RULE + "    examples:\n      flag:\n        - text: 사업비는 90억원이다.\n          verdict: wrong\n",
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_the_loader_refuses_the_editor_schema_refuses(tmp_path, case):
    from checker.rules import RuleFileErrors, load_rules

    with pytest.raises(RuleFileErrors):
        load_rules(write(tmp_path, REFUSED[case]))
    assert list(validator("rules").iter_errors(yaml.load(REFUSED[case], Loader=_EditorLoader))) != []  # noqa: S506


def test_the_demo_rule_passes_both():
    from checker.rules import load_rules

    assert list(validator("rules").iter_errors(yaml.load(DEMO_RULE, Loader=_EditorLoader))) == []  # noqa: S506
    assert load_rules(write(Path(__import__("tempfile").mkdtemp()), DEMO_RULE)).facts


def test_the_commands_print_and_write_the_schema(tmp_path):
    printed = run_cli("rules", "schema")
    assert printed.exit_code == 0
    assert json.loads(printed.output)["title"] == "factwatch rule file"
    assert run_cli("schema", "rules").output == printed.output
    out = tmp_path / "sources.schema.json"
    assert run_cli("schema", "sources", "--out", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == export("sources")


def test_the_editor_schema_lists_every_fact_key_with_a_description():
    from checker.schema import FACT_KEYS

    fact = export("rules")["$defs"]["FactSpec"]
    assert set(fact["properties"]) == FACT_KEYS
    assert all(prop.get("description") for prop in fact["properties"].values())
    assert fact["additionalProperties"] is False
