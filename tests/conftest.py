"""Shared paths and helpers for the checker tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
RULES = REPO / "rules"
ARTICLES = REPO / "tests" / "articles"
OTHER_PROGRAM_RULES = REPO / "tests" / "other_program" / "rules"

# Publication dates of the seed articles, from ../shared/seeds/README.md.
SEED_DATES = {
    "000": "2024-08-01T14:57:00+09:00",
    "001": "2020-01-29T00:00:00+09:00",
    "002": "2022-04-13T21:50:00+09:00",
    "003": "2021-11-22T16:07:00+09:00",
    "004": "2021-03-09T00:00:00+09:00",
}


@pytest.fixture(scope="session")
def shipped_rules():
    from checker.rules import load_rules

    return load_rules(RULES)


def seed_articles():
    from checker.article_input import parse_published
    from checker.models import Article

    articles = {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        key = path.name[:3]
        articles[key] = Article(url=path.name, text=text, title=text.splitlines()[0],
                                published=parse_published(SEED_DATES[key], key))
    return articles


def run_cli(*args, input=None):
    """Run `factwatch ARGS…` in-process; returns click's Result (exit_code, output)."""
    from factwatch.cli import cli

    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip().startswith("{")]


def run_with_terminal_stderr(command: list[str], cwd, env=None, timeout: int = 300) -> tuple[int, str, str]:
    """Run `command` with stderr on a pseudo-terminal and stdout on a pipe (results to a file, a
    person watching): returns (exit status, what the terminal showed, stdout)."""
    import os
    import pty
    import subprocess

    terminal, child_end = pty.openpty()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=child_end)
    os.close(child_end)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        shown += chunk
    out = process.stdout.read().decode("utf-8")
    status = process.wait(timeout)
    os.close(terminal)
    return status, shown.decode("utf-8", "replace"), out


# A minimal valid rule file, shared by the rule-file tests (each edits it to make one mistake).
DEMO_RULE = """\
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


def write_rule_file(tmp_path, text, name="demo.yaml"):
    """`text` written as rules/NAME under tmp_path; returns the rules folder."""
    import textwrap

    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder
