"""Reads a rule file's YAML keeping the line of every key, so errors can say file:line."""

from __future__ import annotations

from pathlib import Path

import yaml


class RuleError(ValueError):
    """A problem in a rule file, worded for the journalist who maintains it."""

    def __init__(self, file: str, line: int, message: str, fact_id: str | None = None):
        self.file, self.line, self.message, self.fact_id = file, line, message, fact_id
        where = f"{file}:{line}" if line else file  # line 0: the problem is a folder, not a line
        about = f" [{fact_id}]" if fact_id else ""
        super().__init__(f"{where}:{about} {message}")


class RuleWarning(RuleError):
    """A likely mistake that still leaves a usable rule (shown by `rules check`, never fatal)."""


class Node(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Items(list):
    """A YAML list that remembers the line of each item."""

    line: int = 0
    item_lines: list

    def line_at(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~10× faster on big rule sets
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Node:
    result = Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{key}' 키가 두 번 나옵니다", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> Items:
    result = Items(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_plain(loader: _LineLoader, node: yaml.ScalarNode):
    # Dates and numbers stay strings: the rule engine parses "2020-01-29" and "4116억원"
    # itself, so a maintainer's "2020-1-29" gets a clear message instead of a silent type.
    return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
for _tag in ("timestamp", "int", "float", "bool"):
    _LineLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _construct_plain)
_LineLoader.add_constructor("tag:yaml.org,2002:null", lambda loader, node: None)


def read_rule_yaml(path: Path, display: str) -> Node:
    """Parse one rule file; YAML mistakes become RuleError with the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RuleError(display, 1, "UTF-8로 저장된 파일이 아닙니다 (메모장이라면 'UTF-8'로 다시 저장하세요)") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or str(error)
        raise RuleError(display, line, f"YAML 문법 오류: {_explain_yaml(problem)}") from None
    if data is None:
        raise RuleError(display, 1, "빈 파일입니다")
    if not isinstance(data, Node):
        raise RuleError(display, 1, "파일의 맨 위는 'topic:'과 'facts:' 같은 'key: value' 항목이어야 합니다")
    return data


def _explain_yaml(problem: str) -> str:
    hints = {
        "mapping values are not allowed here": "콜론(:)이 잘못된 곳에 있습니다. 값에 콜론이 있으면 따옴표로 감싸세요",
        "could not find expected ':'": "'이름: 값' 형태에서 콜론(:)이 빠졌습니다",
        "found character '\\t' that cannot start any token": "탭 문자는 쓸 수 없습니다. 띄어쓰기로 들여쓰세요",
        "did not find expected key": "들여쓰기가 맞지 않습니다",
        "did not find expected '-' indicator": "목록 항목의 들여쓰기가 맞지 않습니다",
    }
    for english, korean in hints.items():
        if english in problem:
            return f"{korean} ({problem})"
    return problem
