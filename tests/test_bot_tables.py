"""The bot reads no checker or crawler table: it gets AlertableFinding records and counts from
the store's query modules (factwatch/store/findings.py), never from the SQL of those tables."""

from __future__ import annotations

import ast
import re

from conftest import REPO

# Every bot module is clean now (the store layer, issue 9); a name here would excuse one.
NOT_YET: set[str] = set()


def _tables_created_in(module: str) -> set[str]:
    tree = ast.parse((REPO / "factwatch" / "store" / "schema" / module).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        # db.table("X").create(...)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "create"
                and isinstance(node.func.value, ast.Call) and node.func.value.args
                and isinstance(node.func.value.args[0], ast.Constant)):
            names.add(node.func.value.args[0].value)
    return names


OTHER_PARTS_TABLES = _tables_created_in("checker.py") | _tables_created_in("crawler.py")


def _uses(path, tables: set[str]) -> list[str]:
    """Places in `path` that name one of `tables` as a table: db["t"], table("t"), or SQL `from/join/into/update t`."""
    sql = re.compile(rf"\b(?:from|join|into|update)\s+({'|'.join(sorted(tables))})\b", re.IGNORECASE)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        named = None
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "db":
            named = node.slice  # db["findings"]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "table"
              and node.args):
            named = node.args[0]  # db.table("findings")
        if isinstance(named, ast.Constant) and named.value in tables:
            found.append(f"{path.name}:{node.lineno}: {named.value!r}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (match := sql.search(node.value)):
            found.append(f"{path.name}:{node.lineno}: …{match.group(0)}…")
    return found


def test_the_schema_names_the_tables_this_test_guards():
    assert {"articles", "article_versions", "findings", "claims", "crawl_runs"} <= OTHER_PARTS_TABLES


def test_bot_modules_run_no_sql_on_checker_or_crawler_tables():
    offending = []
    for path in sorted((REPO / "bot").glob("*.py")):
        if path.name not in NOT_YET:
            offending += _uses(path, OTHER_PARTS_TABLES)
    assert offending == []


def test_the_guard_sees_a_query_when_there_is_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('rows = db.query("select v.id from article_versions v join articles a on a.id = v.article_id")\n'
                      'one = db["findings"].get(3)\n', encoding="utf-8")
    assert len(_uses(sample, OTHER_PARTS_TABLES)) == 2
