"""The shape of the code (docs/architecture.md): one store layer owns every query, the parts
import each other only downstream (crawl → check → alert), and migrations stay frozen.

Each check reads the source with `ast` (every import, also those inside functions: an import
moved into a function still is an arrow between the parts) and names file:line of what breaks it.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from conftest import REPO

PARTS = ("factwatch", "checker", "crawler", "bot")

# issue 9, not moved yet: the digest's and the value candidates' queries on the bot's own tables,
# and the claim rows of checker/check_store.py (the tagged-union Claim). bot/outbox.py and
# bot/delivery.py went through factwatch/store/findings.py and alerts.py (branch policy-9).
SQL_ALLOWED: set[str] = set()

# Which groups a group may import (besides the standard library and third-party packages).
# The flow is crawl → extract → check → alert; the store is the floor every part stands on,
# and the command line is the roof that wires the parts together.
MAY_IMPORT = {
    # factwatch/fileschema.py: how a declared file schema is checked and worded (pure, no part's code)
    "fileschema": {"fileschema"},
    "store": {"store"},
    "checker": {"checker", "store", "fileschema"},
    "crawler": {"crawler", "checker", "store", "fileschema"},
    "config": {"config", "checker", "fileschema"},  # factwatch.yaml's YAML errors are explained as the rule files' are
    "bot": {"bot", "crawler", "checker", "store", "config", "fileschema"},
    "cli": {"cli", "bot", "crawler", "checker", "store", "config", "fileschema"},
}
# The command line: each part's commands, the `factwatch` group and its options, `factwatch
# browse`, the crawl child's main (it runs `factwatch crawl` in the child process), and the
# answers' commands (`factwatch answers`, `factwatch export`: bot/answer_commands.py).
CLI_MODULES = {"factwatch.cli", "factwatch.options", "factwatch.browse", "bot.crawl_child", "bot.answer_commands"}

_CALLS_THAT_RUN_SQL = {"execute", "executemany", "executescript", "query", "rows_where", "count_where", "delete_where",
                       "insert_all", "upsert", "upsert_all", "table", "create_table", "add_column"}
_SQL_TEXT = re.compile(r"^\s*(select\s.*\bfrom\b|select\s+\d|insert\s+into|update\s+\w+\s+set|delete\s+from|"
                       r"create\s+(table|index)|pragma\s)", re.IGNORECASE | re.DOTALL)


def product_files() -> list[Path]:
    return sorted(path for part in PARTS for path in (REPO / part).rglob("*.py") if ".venv" not in path.parts)


def module_name(path: Path, root: Path = REPO) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def group_of(module: str) -> str | None:
    """The layer a first-party module belongs to; None for the standard library and third parties."""
    top = module.split(".")[0]
    if top not in PARTS:
        return None
    def within(name: str) -> bool:
        return module == name or module.startswith(name + ".")

    if any(within(name) for name in CLI_MODULES) or module.split(".")[1:2] == ["commands"]:
        return "cli"
    if within("factwatch.store"):
        return "store"
    if within("factwatch.config"):
        return "config"
    if within("factwatch.fileschema"):
        return "fileschema"
    if top == "factwatch":
        return "cli"
    return top


def imports_of(path: Path, root: Path = REPO) -> list[tuple[int, str]]:
    """(line, imported module) of every import in the file, wherever it is."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module_name(path, root).rsplit(".", 0 if path.name == "__init__.py" else 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # One entry per name: `from factwatch import store` imports factwatch.store, not the
            # command line's package; a name that is not a module (`from checker.models import
            # Article`) still falls in its module's group.
            found += [(node.lineno, f"{base}.{alias.name}" if alias.name != "*" else base) for alias in node.names]
    return sorted(found)


def layer_violations(files: list[Path], root: Path = REPO) -> list[str]:
    problems = []
    for path in files:
        group = group_of(module_name(path, root))
        for line, imported in imports_of(path, root):
            target = group_of(imported)
            if group is not None and target is not None and target not in MAY_IMPORT[group]:
                problems.append(f"{path.relative_to(root)}:{line}: {group} imports {imported} ({target})")
    return problems


def sql_sites(path: Path) -> list[str]:
    """file:line of every place that runs SQL or holds SQL text."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            receiver = node.func.value
            if name in _CALLS_THAT_RUN_SQL:
                found.append(f"{node.lineno}: .{name}(")
            elif name == "connect" and isinstance(receiver, ast.Name) and receiver.id == "sqlite3":
                found.append(f"{node.lineno}: sqlite3.connect(")
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "db":
            found.append(f"{node.lineno}: db[…]")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL_TEXT.match(node.value):
            found.append(f"{node.lineno}: SQL text {node.value[:40]!r}")
    return sorted(found, key=lambda site: int(site.split(":")[0]))


def test_no_module_outside_the_store_runs_sql():
    problems = []
    for path in product_files():
        relative = path.relative_to(REPO).as_posix()
        if relative.startswith("factwatch/store/") or relative in SQL_ALLOWED:
            continue
        problems += [f"{relative}:{site}" for site in sql_sites(path)]
    assert problems == [], "SQL belongs in factwatch/store/ (a query module with typed records):\n" + "\n".join(problems)


def test_the_sql_allow_list_names_files_that_exist_and_still_need_it():
    # When the findings/alerts branch lands, its files leave the list (and this keeps it honest).
    for relative in sorted(SQL_ALLOWED):
        path = REPO / relative
        assert path.exists(), f"{relative} is gone: take it off SQL_ALLOWED"
        assert sql_sites(path), f"{relative} runs no SQL any more: take it off SQL_ALLOWED"


def test_the_parts_import_each_other_only_downstream():
    problems = layer_violations(product_files())
    assert problems == [], "imports against the flow (docs/architecture.md, 'Who may import whom'):\n" + "\n".join(problems)


def _third_party(module: str) -> bool:
    top = module.split(".")[0]
    return top not in sys.stdlib_module_names and top not in PARTS and top != "__future__"


def test_the_store_imports_only_the_standard_library_sqlite_utils_and_itself():
    problems = []
    for path in sorted((REPO / "factwatch" / "store").rglob("*.py")):
        for line, imported in imports_of(path):
            if (_third_party(imported) and imported.split(".")[0] != "sqlite_utils") or group_of(imported) not in (None, "store"):
                problems.append(f"{path.relative_to(REPO)}:{line}: {imported}")
    assert problems == [], "\n".join(problems)


def test_migrations_import_nothing_but_the_standard_library_and_sqlite_utils():
    # Frozen: a migration that called live code would change when that code does, and a store
    # of some age would then open differently (docs/architecture.md, "Migrations").
    problems = []
    for path in sorted((REPO / "factwatch" / "store" / "schema").glob("*.py")):
        for line, imported in imports_of(path):
            if imported.startswith("factwatch.store.schema"):
                continue  # the registry imports its own set modules
            if _third_party(imported) and imported.split(".")[0] != "sqlite_utils" or imported.split(".")[0] in PARTS:
                problems.append(f"{path.relative_to(REPO)}:{line}: {imported}")
    assert problems == [], "migrations must not import live code:\n" + "\n".join(problems)


# -- the checks themselves catch what they are for --------------------------------------------

@pytest.fixture
def tree(tmp_path):
    def write(relative: str, text: str) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_an_import_against_the_flow_is_caught_even_inside_a_function(tree, tmp_path):
    bad = tree("checker/reader.py", "def read():\n    from crawler.extract import extract_article\n")
    store = tree("factwatch/store/articles.py", "from checker.models import Article\n")
    fine = tree("crawler/pipelines.py", "from checker.models import Article\nfrom factwatch.store import crawl\n")
    assert layer_violations([bad, store, fine], tmp_path) == [
        "checker/reader.py:2: checker imports crawler.extract.extract_article (crawler)",
        "factwatch/store/articles.py:1: store imports checker.models.Article (checker)",
    ]


def test_sql_is_found_in_calls_subscripts_and_text(tree):
    path = tree("bot/jobs.py", 'def f(db, t):\n    db["bot_job_runs"].get(1)\n    t.rows_where("x = 1")\n'
                               '    return "select count(*) from articles"\n')
    assert [site.split(":")[0] for site in sql_sites(path)] == ["2", "3", "4"]
