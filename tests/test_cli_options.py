"""The command line does what the README says: options before or after any command, real defaults, -V."""

from __future__ import annotations

import shutil

import pytest

from conftest import RULES, run_cli


@pytest.fixture
def rules_copy(tmp_path):
    folder = tmp_path / "myrules"
    shutil.copytree(RULES, folder)
    return folder


@pytest.mark.parametrize("args", [
    ["--rules", "{rules}", "rules", "check"],
    ["rules", "--rules", "{rules}", "check"],
    ["rules", "check", "--rules", "{rules}"],
])
def test_rules_options_go_before_or_after_the_sub_command(tmp_path, rules_copy, monkeypatch, args):
    monkeypatch.chdir(tmp_path)  # no rules/ here: only the option can find them
    result = run_cli(*[a.format(rules=rules_copy) for a in args])
    assert result.exit_code == 0, result.output
    assert "문제 없습니다" in result.output


def test_the_closest_option_wins(tmp_path, rules_copy, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("--rules", str(tmp_path / "wrong"), "rules", "--rules", str(rules_copy), "test")
    assert result.exit_code == 0, result.output
    result = run_cli("rules", "--rules", str(tmp_path / "wrong"), "check", "--rules", str(rules_copy))
    assert result.exit_code == 0, result.output


def test_rules_group_options_reach_both_sub_commands(tmp_path, rules_copy, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("rules", "--rules", str(rules_copy), "test").exit_code == 0


def test_demo_help_shows_the_store_it_really_uses():
    result = run_cli("demo", "--help")
    assert result.exit_code == 0
    db_help = result.output[result.output.index("--db"):].split("--rules")[0]
    assert "factwatch-demo.db" in db_help
    assert "default factwatch.db" not in db_help


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag):
    from importlib.metadata import version

    result = run_cli(flag)
    assert result.exit_code == 0
    assert version("factwatch") in result.output
