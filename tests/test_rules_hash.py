"""`RuleSet.content_hash` names the rules, not the working directory they were loaded from."""

from __future__ import annotations

import shutil

from checker.rules import load_rules
from conftest import RULES


def _copy(tmp_path):
    root = tmp_path / "project" / "rules"
    shutil.copytree(RULES, root)
    return root


def test_same_rules_from_two_working_directories_hash_alike(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    monkeypatch.chdir(root.parent)
    from_project = load_rules("rules")
    monkeypatch.chdir(root)
    from_inside = load_rules(".")
    monkeypatch.chdir(tmp_path)
    from_elsewhere = load_rules(root.resolve())
    # what a person is shown still follows the working directory …
    assert from_project.files != from_inside.files
    # … but the hash does not
    assert from_project.content_hash == from_inside.content_hash == from_elsewhere.content_hash
    assert from_project.content_hash == load_rules(RULES).content_hash


def test_hash_still_follows_content_and_names(tmp_path):
    root = _copy(tmp_path)
    before = load_rules(root).content_hash
    first = sorted(root.glob("*.yaml"))[0]
    first.rename(root / f"renamed-{first.name}")
    renamed = load_rules(root).content_hash
    assert renamed != before
    path = root / f"renamed-{first.name}"
    path.write_text(path.read_text(encoding="utf-8") + "\n# 주석 한 줄\n", encoding="utf-8")
    assert load_rules(root).content_hash != renamed
