"""The shared part of the declared schemas of the YAML files people edit (rule files, sources, settings).

A schema is a tree of pydantic models (`Spec` subclasses) that declares every key: its type,
allowed values, default and description. This module checks a parsed YAML tree against one and
words every problem in Korean at the line of the offending key (the tree comes from
`checker.rulefile`'s loaders, whose mappings and lists remember their lines; a plain dict gives
line 0, "unknown"). The same models export JSON Schema for editors and the key tables of the docs
(`factwatch/schema_docs.py`), so the loader, the editor and the docs read one declaration.

Pure: no file is read here.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import annotated_types
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError, PydanticUndefined
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Condition:
    """A key that is required (or allowed at all) only for some values of another key:
    `unit` is required for `kind: quantity` and refused otherwise."""

    key: str
    when: str  # the deciding key, e.g. "kind"
    values: tuple[str, ...]  # the deciding key's values that make `key` required
    required: bool = True  # required (and non-empty) when `when` has one of `values`
    only: bool = False  # refused when `when` has another value
    missing: str = ""  # message when required and absent ("" → the generic one)
    refused: str = ""  # message when present but refused; {value} is the deciding key's value


class Spec(BaseModel):
    """Base of every schema model: frozen, and remembers the YAML mapping it was read from,
    so the compiler after it can still name the line of a key."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True,
                              json_schema_extra={"additionalProperties": False})

    # Shown when the value where this model belongs is not a mapping.
    NOT_A_MAPPING: ClassVar[str] = "'이름: 값' 형태의 항목들이어야 합니다"
    # Per key: the message for a missing value or one of the wrong shape (instead of the generic one).
    MESSAGES: ClassVar[dict[str, str]] = {}
    CONDITIONS: ClassVar[tuple[Condition, ...]] = ()
    # Per key: how the docs' "required" column says when it is needed (e.g. "quantity only").
    REQUIRED_NOTE: ClassVar[dict[str, str]] = {}

    _node: Any = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_node(cls, data, handler):
        model = handler(data)
        model._node = data
        return model

    @property
    def line(self) -> int:
        return getattr(self._node, "line", 0)

    def line_of(self, key: str) -> int:
        line_of = getattr(self._node, "line_of", None)
        return line_of(key) if line_of else 0

    def raw(self, key: str):
        """The value as written (e.g. the list whose item lines the compiler needs)."""
        return self._node.get(key) if isinstance(self._node, dict) else None

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        rules = []
        for condition in cls.CONDITIONS:
            if condition.required:
                rules.append({"if": {"properties": {condition.when: {"enum": list(condition.values)}},
                                     "required": [condition.when]},
                              "then": {"required": [condition.key]}})
            if condition.only:
                rules.append({"if": {"properties": {condition.when: {"not": {"enum": list(condition.values)}}},
                                     "required": [condition.when]},
                              "then": {"not": {"required": [condition.key]}}})
        if rules:
            target["allOf"] = rules
        return schema


def keys_of(model: type[BaseModel]) -> list[str]:
    """The keys a model allows, as written in the file (aliases: `from`, not `from_`)."""
    return [field.alias or name for name, field in model.model_fields.items()]


@functools.cache
def _shape(model: type[BaseModel]) -> tuple[frozenset[str], list[str], dict[str, tuple[str, type[BaseModel]]]]:
    """(allowed keys, the same sorted, {key: nested models}) of a model, worked out once: the
    walk over 10,000 facts must not redo the type introspection per fact."""
    keys = keys_of(model)
    inner = {key: found for key in keys if (found := nested(field_of(model, key).annotation))}  # type: ignore[union-attr]
    return frozenset(keys), sorted(keys), inner


@functools.cache
def _deciding_values(model: type[BaseModel], key: str) -> tuple:
    field = field_of(model, key)
    return literal_values(field.annotation) if field is not None else ()


def field_of(model: type[BaseModel], key: str) -> FieldInfo | None:
    for name, field in model.model_fields.items():
        if (field.alias or name) == key:
            return field
    return None


def nested(annotation) -> tuple[str, type[BaseModel]] | None:
    """("one" | "list" | "dict", model) when a field holds Spec models, else None."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return nested(args[0])
    if origin in (typing.Union, types.UnionType):
        return next((found for arg in args if (found := nested(arg))), None)
    if origin in (list, tuple) and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return "list", args[0]
    if origin is dict and len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
        return "dict", args[1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "one", annotation
    return None


# ---------------------------------------------------------------- checking


@dataclass(frozen=True)
class Problem:
    """One mistake: the line to fix (0: unknown), where in the file, and what to write instead."""

    line: int
    path: Path
    message: str


def line_at(data, path: Path) -> int:
    """The line of the key or list item at `path` in a line-aware tree; the nearest known line
    above it when the key is absent (a missing key is fixed in its parent mapping)."""
    node, line = data, getattr(data, "line", 0)
    for step in path:
        if isinstance(node, dict) and step in node:
            line = node.line_of(step) if hasattr(node, "line_of") else line
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            line = node.line_at(step) if hasattr(node, "line_at") else line
            node = node[step]
        else:
            break
    return line


def unknown_keys(model: type[BaseModel], data, path: Path, where: Callable[[Path], str]) -> list[Problem]:
    """Every key the schema does not declare, with the nearest declared key as a suggestion,
    walked through the whole tree (also inside parts that are otherwise broken)."""
    if not isinstance(data, dict):
        return []
    problems = []
    allowed, listed, inner = _shape(model)
    for key in data:
        if key is None or str(key).strip() == "":
            problems.append(Problem(line_at(data, (key,)), (*path, ""),
                                    f"{where(path)}: 이름 없는 항목이 있습니다 (':' 앞에 항목 이름을 쓰세요)"))
        elif key not in allowed:
            problems.append(Problem(line_at(data, (key,)), (*path, key), unknown_key_message(where(path), str(key), listed)))
    for key, (how, sub) in inner.items():
        if key not in data:
            continue
        value = data[key]
        if how == "one":
            problems += unknown_keys(sub, value, (*path, key), where)
        elif how == "list" and isinstance(value, list):
            for index, item in enumerate(value):
                problems += [_at(p, value, index) for p in unknown_keys(sub, item, (*path, key, index), where)]
        elif how == "dict" and isinstance(value, dict):
            for name, item in value.items():
                problems += unknown_keys(sub, item, (*path, key, name), where)
    return problems


def _at(problem: Problem, items, index: int) -> Problem:
    return problem if problem.line else Problem(line_at(items, (index,)), problem.path, problem.message)


def unknown_key_message(where: str, key: str, allowed: list[str]) -> str:
    guess = process.extractOne(key, sorted(allowed), scorer=Levenshtein.normalized_similarity, score_cutoff=0.5)
    hint = f" '{guess[0]}'을(를) 쓰려던 것인가요?" if guess else ""
    return f"{where}: '{key}'은(는) 알 수 없는 항목입니다.{hint} 쓸 수 있는 항목: {', '.join(sorted(allowed))}"


def validate(model: type[Spec], data, path: Path = (), named: bool = True):
    """(the model, []) or (None, problems). `named`: messages name their key themselves
    (rule files); otherwise the caller puts the path in front (`sources[1].url: …`)."""
    try:
        instance, problems = model.model_validate(data), []
    except ValidationError as error:
        instance, problems = None, [_problem(model, data, path, detail, named) for detail in error.errors()]
    # Conditions are read from the file as written, so they are reported next to the other
    # problems of the part, not only once those are fixed.
    seen = {problem.path[len(path):len(path) + 1] for problem in problems}
    problems += [p for p in conditions(model, data, path, named) if p.path[len(path):len(path) + 1] not in seen]
    return (None if problems else instance), problems


def conditions(model: type[Spec], data, path: Path, named: bool) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return problems
    for condition in model.CONDITIONS:
        deciding = data.get(condition.when)
        if not isinstance(deciding, str) or deciding not in _deciding_values(model, condition.when):
            continue
        value = data.get(condition.key)
        applies = deciding in condition.values
        if condition.required and applies and value in (None, "", [], ()):
            if value is None:
                message = condition.missing or missing_message(model, condition.key, named)
                problems.append(Problem(line_at(data, ()), (*path, condition.key), message))
            else:
                problems.append(Problem(line_at(data, (condition.key,)), (*path, condition.key),
                                        f"'{condition.key}:' 목록이 비어 있습니다" if named else "목록이 비어 있습니다"))
        if condition.only and not applies and value not in (None, "", [], ()):
            problems.append(Problem(line_at(data, (condition.key,)), (*path, condition.key),
                                    condition.refused.format(value=deciding)))
    return problems


def literal_values(annotation) -> tuple:
    """The allowed values of a Literal field (also inside Optional)."""
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    for arg in typing.get_args(annotation):
        found = literal_values(arg)
        if found:
            return found
    return ()


def _attr(model: type[BaseModel], key: str) -> str:
    return next(name for name, field in model.model_fields.items() if (field.alias or name) == key)


def missing_message(model: type[BaseModel], key: str, named: bool) -> str:
    if key in getattr(model, "MESSAGES", {}):
        return model.MESSAGES[key]  # type: ignore[attr-defined]
    field = field_of(model, key)
    if field is not None and _is_list(field):
        return f"'{key}:' 목록이 빠졌습니다 (예: {key}: [낱말1, 낱말2])" if named else "목록이 빠졌습니다 (예: [낱말1, 낱말2])"
    return f"'{key}:' 항목이 빠졌습니다" if named else "항목이 빠졌습니다"


def _is_list(field: FieldInfo) -> bool:
    schema_type = (field.json_schema_extra or {}).get("type") if isinstance(field.json_schema_extra, dict) else None
    origin = typing.get_origin(field.annotation)
    inner = typing.get_args(field.annotation)[0] if origin is typing.Annotated else field.annotation
    return schema_type == "array" or typing.get_origin(inner) in (list, tuple)


def _problem(model: type[Spec], data, path: Path, detail, named: bool) -> Problem:
    loc: Path = tuple(detail["loc"])
    kind = detail["type"]
    line = line_at(data, loc)
    owner, key = _owner(model, loc)
    if kind == "missing":
        return Problem(line, (*path, *loc), missing_message(owner, str(key), named) if owner else "항목이 빠졌습니다")
    if isinstance(detail.get("ctx"), dict) and detail["ctx"].get("fw"):  # our validators' own words
        at = detail["ctx"].get("at")  # a key inside the value (`cron` of `schedule.crawl: {cron: …}`)
        return Problem(line, (*path, *loc, *((at,) if at else ())), detail["msg"])
    return Problem(line, (*path, *loc), _explain(owner, key, kind, detail, named))


def _owner(model: type[BaseModel], loc: Path) -> tuple[type[BaseModel] | None, str | int]:
    """The model whose key the error is about, and that key (an int for a list item)."""
    current: type[BaseModel] | None = model
    key: str | int = ""
    for step in loc:
        if current is None:
            break
        if isinstance(step, int) or key and not isinstance(step, str):
            key = step
            continue
        field = field_of(current, step)
        if field is None:  # a dict key (e.g. a topic under slack.topics): keep the owner
            key = step
            continue
        key = step
        found = nested(field.annotation)
        if found and step != loc[-1]:
            current = found[1]
    return current, key


def _explain(owner: type[BaseModel] | None, key: str | int, kind: str, detail, named: bool) -> str:
    value = detail.get("input")
    if isinstance(key, int) or owner is None:
        found = None
        if owner is not None:
            for candidate in owner.model_fields.values():
                hit = nested(candidate.annotation)
                if hit and hit[0] == "list":
                    found = hit[1]
        if kind in ("model_type", "model_attributes_type", "dict_type") and found is not None:
            return getattr(found, "NOT_A_MAPPING", Spec.NOT_A_MAPPING)
        return "형식이 맞지 않습니다"
    messages = getattr(owner, "MESSAGES", {})
    field = field_of(owner, key)
    sub = nested(field.annotation) if field else None
    if kind in ("model_type", "model_attributes_type", "dict_type") and key not in messages:
        if sub and sub[0] == "one":
            return (f"'{key}:' " if named else "") + sub[1].NOT_A_MAPPING  # type: ignore[attr-defined]
        return (f"'{key}:'은(는) " if named else "") + "'이름: 값' 형태의 항목들이어야 합니다"
    if key in messages:
        return messages[key]

    def say(particle: str) -> str:  # "'min_score:'에는 …" in a rule file, "… " after `sources[1].max_pages:`
        return f"'{key}:'{particle} " if named else ""

    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(detail.get("ctx", {}).get("expected", "")))
        return f"{key + ' ' if named else ''}'{value}'은(는) 쓸 수 없습니다. 쓸 수 있는 값: {', '.join(allowed)}"
    example = _example(field)
    if kind.startswith("int_"):
        return f"{say('에는')}정수를 씁니다{example}"
    if kind.startswith("float_") or kind.startswith("decimal_"):
        return f"{say('에는')}숫자를 씁니다{example}"
    if kind.startswith("bool_"):
        return f"{say('에는')}true 또는 false를 씁니다"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _bounds(field)
        span = f"{low}~{high} 사이" if low is not None and high is not None else f"{low} 이상" if low is not None else f"{high} 이하"
        default = f"기본 {field.default}, " if field is not None and field.default not in (None, PydanticUndefined) else ""
        return f"{say('는')}{span}의 값입니다 ({default}지금 {value})"
    if kind in ("string_type", "str_type"):
        return f"{say('에는')}글자 하나만 씁니다 (목록이나 하위 항목이 아니라)"
    if kind in ("list_type", "tuple_type", "too_short"):
        return f"{say('은(는)')}목록이어야 합니다"
    return f"{say('')}값의 형식이 맞지 않습니다{example}"


def _example(field: FieldInfo | None) -> str:
    if field is not None and field.examples:
        return f" (예: {field.examples[0]})"
    if field is not None and field.default not in (None, PydanticUndefined, (), []):
        return f" (예: {field.default})"
    return ""


def _bounds(field: FieldInfo | None) -> tuple[Any, Any]:
    low: Any = None
    high: Any = None
    for item in field.metadata if field else ():
        if isinstance(item, annotated_types.Ge):
            low = item.ge
        elif isinstance(item, annotated_types.Gt):
            low = item.gt
        elif isinstance(item, annotated_types.Le):
            high = item.le
        elif isinstance(item, annotated_types.Lt):
            high = item.lt
    return low, high


def fail(message: str, **context) -> PydanticCustomError:
    """An error in our own words (a validator's message is final, not re-worded)."""
    return PydanticCustomError("factwatch", message.replace("{", "{{").replace("}", "}}"), {"fw": True, **context})


# ---------------------------------------------------------------- JSON Schema for editors

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(model: type[BaseModel], title: str, description: str) -> dict:
    """The model as JSON Schema, for `# yaml-language-server: $schema=…` (VS Code's YAML extension)."""
    schema = model.model_json_schema(by_alias=True)
    return {"$schema": SCHEMA_DIALECT, "title": title, "description": description,
            **{k: v for k, v in schema.items() if k not in ("title", "description")}}


def dotted(path: Path) -> str:
    """`sources[1].selectors.title`, `schedule.crawl.cron`: a place in a file as its keys read."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text
