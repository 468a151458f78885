"""The README's promises: its two commands, CI running the test one, and every command documented."""

from __future__ import annotations

import re

from conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```\n(.+?)\n```", text)[:2]


def test_readme_opens_with_the_demo_and_the_test_command():
    demo, tests = readme_commands()
    assert demo.endswith("factwatch demo")
    assert tests.endswith("pytest -q")


def test_ci_runs_the_readme_test_command():
    """CI runs the README's install and test command, with the lint and type check in between."""
    _, tests = readme_commands()
    install, _, pytest = tests.rpartition(" && ")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    steps = [install, ".venv/bin/ruff check", ".venv/bin/mypy", pytest]
    where = [ci.find(step) for step in steps]
    assert -1 not in where and where == sorted(where), dict(zip(steps, where, strict=True))


def test_readme_names_the_lint_and_type_check_next_to_the_tests():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after_tests = text.split("pytest -q\n```", 1)[1].split("---", 1)[0]
    assert "ruff check" in after_tests and "mypy" in after_tests


def test_every_command_is_documented_in_the_readme():
    from factwatch.cli import cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"factwatch {name}" in readme, name


def test_every_rule_key_is_documented_for_maintainers():
    from checker.rules import FACT_KEYS, TOPIC_KEYS, VERSION_KEYS

    guide = (REPO / "rules" / "README.md").read_text(encoding="utf-8")
    for key in FACT_KEYS | TOPIC_KEYS | VERSION_KEYS - {"note"}:
        assert f"`{key}`" in guide or f"{key}:" in guide, key


def test_every_command_takes_the_path_options():
    """The store, rules, sources and settings paths can be pointed elsewhere on every command."""
    import click

    from factwatch.cli import cli

    def leaves(group, prefix=""):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from leaves(command, f"{prefix}{name} ")
            else:
                yield f"{prefix}{name}", command

    for name, command in leaves(cli):
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert {"--db", "--rules", "--sources", "--config"} <= options, name
