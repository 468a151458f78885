"""The parsing and judging core does no I/O: no database, network, environment or clock."""

from __future__ import annotations

import ast

import pytest

from conftest import REPO

PURE = [
    "checker/numbers.py", "checker/quantities.py", "checker/dates.py", "checker/expressions.py",
    "checker/sentences.py", "checker/claims.py", "checker/match.py", "checker/judge.py",
    "checker/display.py", "checker/check.py", "checker/examples.py", "checker/report.py",
    "checker/models.py", "checker/alertable.py", "bot/message.py", "bot/alert_policy.py",
]
IO_MODULES = {"sqlite3", "sqlite_utils", "os", "subprocess", "socket", "requests", "urllib.request", "http",
              "slack_sdk.web", "scrapy", "twisted", "pathlib", "shutil", "time"}
CLOCK_CALLS = ("now(", "today(", "utcnow(", "environ")


@pytest.mark.parametrize("module", PURE)
def test_pure_module_does_no_io(module):
    path = REPO / module
    if not path.exists():
        pytest.skip(f"{module} not present")
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    offending = {name for name in imported for io in IO_MODULES if name == io or name.startswith(io + ".")}
    assert offending == set()
    code = ast.unparse(tree)
    assert [call for call in CLOCK_CALLS if call in code] == []
