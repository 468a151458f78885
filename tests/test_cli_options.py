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


def test_shell_completion_works_as_the_readme_says(tmp_path):
    """The README's completion line produces a bash script, and completing `factwatch ru` offers `rules`."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"_FACTWATCH_COMPLETE=bash_source factwatch", readme)
    assert "zsh_source" in readme and "fish_source" in readme
    factwatch = Path(sys.executable).with_name("factwatch")
    env = {**os.environ, "_FACTWATCH_COMPLETE": "bash_source"}
    script = subprocess.run([str(factwatch)], env=env, capture_output=True, text=True, timeout=60)
    assert script.returncode == 0 and "complete " in script.stdout
    env = {**os.environ, "_FACTWATCH_COMPLETE": "bash_complete", "COMP_WORDS": "factwatch ru", "COMP_CWORD": "1"}
    words = subprocess.run([str(factwatch)], env=env, capture_output=True, text=True, timeout=60)
    assert "rules" in words.stdout


@pytest.mark.parametrize("option, name", [("--config", "factwatch.yaml"), ("--sources", "sources.yaml")])
def test_settings_files_explain_yaml_mistakes_in_korean_at_the_opening_line(tmp_path, option, name):
    path = tmp_path / name
    path.write_text('slack:\n  channel: "#팩트체크\n\n# 메모\nschedule:\n  crawl: 30m\n', encoding="utf-8")
    args = [option, str(path), "status"] if option == "--config" else [option, str(path), "crawl"]
    result = run_cli("--db", str(tmp_path / "fw.db"), *args)
    assert result.exit_code != 0
    assert f"{name}:2:" in result.output and "따옴표" in result.output
    assert "found unexpected" not in result.output and "while scanning" not in result.output
