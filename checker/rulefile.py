"""Reads a rule file's YAML keeping the line of every key, so errors can say file:line."""

from __future__ import annotations

import re
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


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml: ~10× faster on big rule sets
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


class _NativeLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Lines too, but numbers and booleans as YAML reads them (the sources and settings files,
    whose `max_pages: 3` and `enabled: false` are meant as such)."""


_NativeLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_NativeLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml_with_lines(text: str):
    """A sources or settings file as Node/Items that remember their lines (for file:line
    messages); raises yaml.YAMLError like yaml.safe_load, and on a key written twice."""
    return yaml.load(text, Loader=_NativeLineLoader)  # noqa: S506 - SafeLoader subclass


def read_rule_yaml(path: Path, display: str) -> Node:
    """Parse one rule file; YAML mistakes become RuleError with the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RuleError(display, 1, "UTF-8로 저장된 파일이 아닙니다 (메모장이라면 'UTF-8'로 다시 저장하세요)") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        line, reason = explain_yaml_error(error)
        raise RuleError(display, line, f"YAML 문법 오류: {reason}") from None
    if data is None:
        raise RuleError(display, 1, "빈 파일입니다")
    if not isinstance(data, Node):
        raise RuleError(display, 1, "파일의 맨 위는 'topic:'과 'facts:' 같은 'key: value' 항목이어야 합니다")
    return data


# Where an unclosed bracket or quote was opened is the line to fix; the parser notices only
# at the next token, which can be lines later (after blank lines and comments).
_OPENED_AT = {
    "while parsing a flow sequence", "while parsing a flow mapping", "while scanning a quoted scalar",
    "while scanning a simple key",
}

_QUOTE_IT = "값 전체를 따옴표로 감싸세요 (예: source: \"…\")"

# (words of libyaml's or PyYAML's problem, words of its context or "") → the reason in Korean.
_REASONS = (
    ("expected ',' or ']'", "", "'['로 연 목록이 이 줄에서 닫히지 않았습니다: ']'를 빠뜨렸거나 항목 사이에 쉼표(,)가 없습니다"),
    ("expected ',' or '}'", "", "'{'로 연 항목이 이 줄에서 닫히지 않았습니다: '}'를 빠뜨렸습니다"),
    ("end of stream", "quoted scalar", "이 줄에서 연 따옴표가 닫히지 않았습니다: 여는 따옴표와 닫는 따옴표의 짝을 맞추세요"),
    ("end of stream", "", "파일이 중간에 끝났습니다: 닫히지 않은 괄호나 따옴표가 있는지 확인하세요"),
    ("mapping values are not allowed", "", "콜론(:)이 잘못된 곳에 있습니다. 값에 콜론이 있으면 " + _QUOTE_IT
     + ". 들여쓰기가 위 줄과 맞는지도 확인하세요"),
    ("tab character", "", "탭 문자는 쓸 수 없습니다. 띄어쓰기로 들여쓰세요"),
    ("'\\t'", "", "탭 문자는 쓸 수 없습니다. 띄어쓰기로 들여쓰세요"),
    ("expected '-' indicator", "", "목록 항목의 들여쓰기가 맞지 않습니다: 같은 목록의 항목은 같은 칸에서 시작합니다"),
    ("could not find expected ':'", "", "'이름: 값' 형태에서 콜론(:)이 빠졌습니다"),
    ("expected key", "", "들여쓰기가 맞지 않거나, 따옴표로 감싼 값 뒤에 글자가 더 있습니다. " + _QUOTE_IT),
    ("expected <block end>", "", "들여쓰기가 맞지 않습니다: 같은 단계의 항목은 같은 칸에서 시작합니다"),
    ("block sequence entries are not allowed", "", "목록 항목('-')이 잘못된 곳에 있습니다: 들여쓰기를 확인하세요"),
    ("", "alias", "'*'로 시작하는 값은 YAML의 특수 기호로 읽힙니다. " + _QUOTE_IT),
    ("undefined alias", "", "'*'로 시작하는 값은 YAML의 특수 기호로 읽힙니다. " + _QUOTE_IT),
    ("", "anchor", "'&'로 시작하는 값은 YAML의 특수 기호로 읽힙니다. " + _QUOTE_IT),
    ("", "tag", "'!'로 시작하는 값은 YAML의 특수 기호로 읽힙니다. " + _QUOTE_IT),
    ("cannot start any token", "", "'@', '`', '%' 같은 글자로는 값을 시작할 수 없습니다. " + _QUOTE_IT),
    ("unknown escape character", "", "큰따옴표 안의 역슬래시(\\)는 특수 기호입니다: 작은따옴표로 감싸거나 \\\\로 쓰세요"),
    ("control characters are not allowed", "", "보이지 않는 제어 문자가 들어 있습니다: 그 줄을 다시 입력하세요"),
)


def explain_yaml_error(error: yaml.MarkedYAMLError) -> tuple[int, str]:
    """(line to fix, reason in Korean) for a YAML syntax error."""
    problem, context = error.problem or str(error), error.context or ""
    mark = error.problem_mark or error.context_mark
    if error.context_mark is not None and context in _OPENED_AT:
        mark = error.context_mark
    line = mark.line + 1 if mark else 1
    if re.search(r"[가-힣]", problem):  # our own (a duplicate key)
        return line, problem
    for in_problem, in_context, korean in _REASONS:
        if in_problem in problem and in_context in context:
            return line, korean
    return line, "이 줄을 읽을 수 없습니다: 들여쓰기, 콜론(:), 따옴표, 괄호의 짝을 확인하세요"
