"""A second, made-up program is added by writing a rule file alone; programs don't leak into each other."""

from __future__ import annotations

from conftest import ARTICLES, OTHER_PROGRAM_RULES, jsonl, run_cli

OTHER_ARTICLES = OTHER_PROGRAM_RULES.parent / "articles"


def test_second_program_is_checked_with_its_own_rules():
    result = run_cli("check", "--no-store", "--rules", str(OTHER_PROGRAM_RULES), "--format", "jsonl",
                     str(OTHER_ARTICLES / "hydrogen_outdated.json"), str(OTHER_ARTICLES / "hydrogen_current.json"))
    records = jsonl(result.output)
    assert result.exit_code == 1
    assert [(r["article"].rsplit("/", 1)[1], r["fact"], r["verdict"]) for r in records] == [
        ("hydrogen_outdated", "hydrogen-budget", "outdated"),
        ("hydrogen_outdated", "hydrogen-head", "outdated"),
        ("hydrogen_current", "hydrogen-budget", "match"),
        ("hydrogen_current", "hydrogen-head", "match"),
    ]


def test_both_programs_side_by_side_keep_to_their_own_articles(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    for source in [*(OTHER_PROGRAM_RULES.glob("*.yaml")), *((ARTICLES.parent.parent / "rules").glob("*.yaml"))]:
        (rules / source.name).write_bytes(source.read_bytes())
    result = run_cli("check", "--no-store", "--rules", str(rules), "--format", "jsonl",
                     str(OTHER_ARTICLES / "hydrogen_outdated.json"), str(ARTICLES / "hedge_beyond.json"))
    facts = {(r["article"].rsplit("/", 1)[1], r["fact"]) for r in jsonl(result.output)}
    assert facts == {
        ("hydrogen_outdated", "hydrogen-budget"), ("hydrogen_outdated", "hydrogen-head"),
        ("hedge_beyond", "phase1-budget"), ("hedge_beyond", "phase1-period"),
    }


def _code_strings(path):
    """String constants a module computes with: docstrings, comments, "(예: …)" examples in
    messages and a schema key's `description=` (the docs of a rule-file key) are documentation,
    not knowledge of a program."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    docstrings |= {
        id(inner) for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg == "description"
        for inner in ast.walk(node.value)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if "예:" not in node.value and "예시" not in node.value:
                yield node.value


def test_no_program_word_lives_in_the_code():
    """Every program-specific word lives in rule files: the code must not know the program."""
    from conftest import REPO

    words = ["인공지능산업융합사업단", "사업단", "임차식", "오상진", "4116", "88.5", "집적단지", "해양수소"]
    for folder in ("checker", "crawler", "bot", "factwatch"):
        for path in (REPO / folder).rglob("*.py"):
            found = {w for text in _code_strings(path) for w in words if w in text}
            assert found == set(), path


def test_stage_numbers_are_no_proper_names_and_venues_are():
    from checker.models import Fact
    from checker.topics import proper_names

    def fact(*cues):
        return Fact(id="f", topic="t", kind="quantity", description="", unit="KRW", versions=(), cues=cues, required=(),
                    exclude=(), tolerance=0, rounding=0, severity="medium", file="f.yaml", line=1)

    names = proper_names((fact("1단계", "2차", "부산오페라하우스", "시민공원", "씨베이파크", "대극장"),))
    assert names == ("부산오페라하우스", "시민공원", "씨베이파크")
