"""The parsing, matching, judging and message-building core does no I/O: no database, network,
files, terminal, environment, sleeping or clock (the date to judge by is always an argument:
an article's publication date, or a `now` passed in by the shell)."""

from __future__ import annotations

import ast

import pytest

from conftest import REPO

PURE = [
    "checker/numbers.py", "checker/quantities.py", "checker/dates.py", "checker/expressions.py",
    "checker/sentences.py", "checker/claims.py", "checker/match.py", "checker/judge.py", "checker/link.py",
    "checker/topics.py", "checker/verdicts.py", "checker/display.py", "checker/check.py", "checker/examples.py",
    "checker/report.py", "checker/models.py", "checker/schema.py", "factwatch/fileschema.py", "bot/message.py",
    "checker/alertable.py", "bot/alert_policy.py",
]
IO_MODULES = {"sqlite3", "sqlite_utils", "os", "subprocess", "socket", "requests", "urllib.request", "http",
              "slack_sdk.web", "scrapy", "twisted", "pathlib", "shutil", "time", "io", "tempfile", "glob",
              "asyncio", "selectors", "ssl", "urllib3", "httpx", "aiohttp", "importlib", "builtins"}
# Builtins that read or write the outside world, or get around the import check.
IO_BUILTINS = {"open", "print", "input", "exec", "eval", "breakpoint", "__import__", "compile"}
# Methods that do file or network I/O whatever object they are called on (a Path passed in, a socket).
IO_METHODS = {"read_text", "write_text", "read_bytes", "write_bytes", "open", "mkdir", "unlink", "rmdir", "touch",
              "rename", "replace_file", "iterdir", "glob", "rglob", "connect", "sendall", "recv", "sleep"}
# The clock and the environment: the day to judge by is an argument, never read here.
CLOCK_CALLS = {"now", "today", "utcnow", "time", "monotonic", "perf_counter", "getenv", "sleep"}
CLOCK_NAMES = {"environ"}


def impurities(source: str) -> list[str]:
    """What in `source` does I/O, each as `line: what`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [f"{line}: import {a.name}" for a in node.names if _io_module(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and _io_module(node.module):
            found.append(f"{line}: from {node.module} import …")
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id in IO_BUILTINS:
                found.append(f"{line}: {function.id}()")
            elif isinstance(function, ast.Attribute):
                if function.attr in IO_METHODS and not _is_str_method(function):
                    found.append(f"{line}: .{function.attr}()")
                elif function.attr in CLOCK_CALLS:
                    found.append(f"{line}: .{function.attr}()")
        elif isinstance(node, (ast.Name, ast.Attribute)):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in CLOCK_NAMES:
                found.append(f"{line}: {name}")
    return found


def _io_module(name: str) -> bool:
    return any(name == io or name.startswith(io + ".") for io in IO_MODULES)


def _is_str_method(function: ast.Attribute) -> bool:
    # `"…".replace(…)` is not a file rename; only the names above that str also has need this.
    return isinstance(function.value, ast.Constant) and isinstance(function.value.value, str)


@pytest.mark.parametrize("module", PURE)
def test_pure_module_does_no_io(module):
    path = REPO / module
    if not path.exists():
        pytest.skip(f"{module} not present")
    assert impurities(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("snippet, what", [
    ("def f(p):\n    return open(p).read()\n", "2: open()"),
    ("def f(x):\n    print(x)\n", "2: print()"),
    ("def f():\n    return input('?')\n", "2: input()"),
    ("def f(path):\n    return path.read_text(encoding='utf-8')\n", "2: .read_text()"),
    ("def f(path, text):\n    path.write_text(text)\n", "2: .write_text()"),
    ("import os\n", "1: import os"),
    ("from pathlib import Path\n", "1: from pathlib import …"),
    ("import socket\n", "1: import socket"),
    ("from time import sleep\n", "1: from time import …"),
    ("def f(clock):\n    clock.sleep(1)\n", "2: .sleep()"),
    ("from datetime import datetime\ndef f():\n    return datetime.now()\n", "3: .now()"),
    ("from datetime import date\ndef f():\n    return date.today()\n", "3: .today()"),
    ("def f():\n    return __import__('os').environ\n", "2: __import__()"),
    ("def f(conn):\n    conn.connect(('127.0.0.1', 80))\n", "2: .connect()"),
])
def test_the_purity_check_catches_io(snippet, what):
    assert what in impurities(snippet)


def test_the_purity_check_passes_pure_code():
    pure = ("import re\nfrom datetime import date\n\n"
            "def f(text: str, published: date) -> str:\n"
            "    return re.sub('a', 'b', text).replace('x', 'y') + published.isoformat()\n")
    assert impurities(pure) == []
