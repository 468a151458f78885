"""Compiles one parsed rule file into Topic and Fact records, collecting every mistake as file:line."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import pairwise

from checker.models import Fact, FactVersion, Topic
from checker.quantities import GENERIC_UNIT_PREFIX, parse_quantities, register_counter, unit_of
from checker.rulefile import Items, Node, RuleError, RuleWarning
from checker.schema import (
    EXAMPLE_KEYS,
    FACT_KEYS,
    KINDS,
    SEVERITIES,
    TOPIC_KEYS,
    VERDICTS,
    VERSION_KEYS,
    ExamplesSpec,
    FactSpec,
    RuleFileSpec,
    TopicSpec,
    VersionSpec,
    fact_id_of,
    where,
)
from factwatch.fileschema import Problem, unknown_keys, validate

__all__ = ["EXAMPLE_KEYS", "FACT_KEYS", "KINDS", "SEVERITIES", "TOPIC_KEYS", "VERDICTS", "VERSION_KEYS",
           "compile_rule_file", "parse_day", "parse_span", "parse_value", "unit_code"]


# ---------------------------------------------------------------- compiling one file


class _Collector:
    """Gathers a file's errors so the linter reports them all at once, not one per run."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[RuleError] = []
        self.fact_id: str | None = None

    def error(self, line: int, message: str) -> None:
        self.errors.append(RuleError(self.file, line, message, self.fact_id))

    def warn(self, line: int, message: str) -> None:
        self.errors.append(RuleWarning(self.file, line, message, self.fact_id))

    def problems(self, problems: list[Problem], fact_id: str | None = None) -> None:
        for problem in problems:
            self.errors.append(RuleError(self.file, problem.line, problem.message, fact_id))


def compile_rule_file(data: Node, file: str) -> tuple[Topic | None, list[Fact], list[RuleError]]:
    """The schema (checker/schema.py) first: every key known, of the right shape; then what
    needs the value grammar, for each part whose shape is right."""
    out = _Collector(file)
    for problem in unknown_keys(RuleFileSpec, data, (), where):
        fact = problem.path[1] if len(problem.path) > 2 and problem.path[0] == "facts" else None
        raw_fact = data["facts"][fact] if isinstance(fact, int) else None
        out.problems([problem], fact_id_of(raw_fact))
    topic = _compile_topic(out, data)
    facts: list[Fact] = []
    raw_facts = data.get("facts")
    if not isinstance(raw_facts, Items) or not raw_facts:
        out.error(data.line_of("facts"), RuleFileSpec.MESSAGES["facts"])
        return topic, facts, out.errors
    for index, raw in enumerate(raw_facts):
        if not isinstance(raw, Node):
            out.error(raw_facts.line_at(index), FactSpec.NOT_A_MAPPING)
            continue
        spec, problems = validate(FactSpec, raw, ("facts", index))
        out.problems(problems, fact_id_of(raw))
        if spec is None:
            continue
        out.fact_id = spec.id
        fact = _compile_fact(out, spec, topic)
        out.fact_id = None
        if fact:
            facts.append(fact)
    return topic, facts, out.errors


def _compile_topic(out: _Collector, data: Node) -> Topic | None:
    raw = data.get("topic")
    if not isinstance(raw, Node):
        out.error(data.line_of("topic"), TopicSpec.NOT_A_MAPPING)
        return None
    spec, problems = validate(TopicSpec, raw, ("topic",))
    out.problems(problems)
    if spec is None:
        return None
    return Topic(spec.id, spec.name or spec.id, spec.recognise, spec.min_mentions, out.file, spec.line,
                 spec.exclude_in_sentence)


def _compile_fact(out: _Collector, spec: FactSpec, topic: Topic | None) -> Fact | None:
    topic_id = topic.id if topic else ""
    topic_excludes = topic.exclude_in_sentence if topic else ()
    kind = spec.kind
    unit = unit_text = None
    if kind == "quantity":
        unit_text = spec.unit or ""
        unit = unit_code(unit_text)
        if unit is None:
            out.error(spec.line_of("unit"), f"단위 '{unit_text}'을(를) 알 수 없습니다. 쓸 수 있는 단위: {', '.join(UNIT_EXAMPLES)}")
    versions = _versions(out, spec, kind, unit, unit_text)
    if kind == "quantity" and unit is not None:
        _check_bare_values(out, spec, unit_text or "")
    if kind == "role":
        _check_role_values(out, versions, spec.role)
    flag, pass_ = _examples(out, spec.examples)
    if (kind == "quantity" and unit is None) or not versions:
        return None
    return Fact(
        id=spec.id, topic=topic_id, kind=kind, description=spec.description or spec.id,
        unit=unit, versions=versions, cues=spec.cues, required=spec.require, exclude=spec.exclude,
        tolerance=spec.tolerance, rounding=spec.rounding, severity=spec.severity, file=out.file, line=spec.line,
        role_words=spec.role, min_score=spec.min_score, refresh_after=spec.refresh_after, examples_flag=flag,
        examples_pass=pass_, exclude_in_sentence=spec.exclude_in_sentence + topic_excludes,
        topic_words=topic.recognise if topic else (),
    )


def _check_bare_values(out: _Collector, spec: FactSpec, unit_text: str) -> None:
    """A bare `value: 4116` in an 억원 fact reads as 4116원 (the base unit), so every correct
    article would be flagged "약 100000000배": with a multiplying unit the unit must be written."""
    found = parse_quantities(f"1{unit_text}")
    if not found or found[0].value == 1:
        return
    base = (_COUNTER_FOR_UNIT.get(found[0].unit) or ("",))[0]
    for version in spec.versions:
        value = version.value
        if re.fullmatch(r"\s*[\d.,]+\s*", value):
            out.error(version.line_of("value"), f"value: '{value.strip()}'에 단위가 없습니다. 이 사실의 unit은 {unit_text}이니 "
                                                f"'{value.strip()}{unit_text}'처럼 단위를 붙여 쓰세요 (숫자만으로는 '{value.strip()}{base}'인지 알 수 없습니다)")


def _check_role_values(out: _Collector, versions: tuple[FactVersion, ...], role_words: tuple[str, ...]) -> None:
    # The title is matched by `role:`; a value "오상진 단장" would never equal the name an
    # article gives ("오상진"), so every correct mention would look like another person.
    for version in versions:
        for word in role_words:
            if version.person and word in version.person and version.person.strip() != word:
                out.warn(version.line, f"역할 값 '{version.person}'에 직함 '{word}'이(가) 들어 있습니다. value에는 이름만 씁니다 "
                                       f"(예: value: {version.person.replace(word, '').strip()}); 직함은 role:에 있습니다")
                break


# ---------------------------------------------------------------- values and versions

UNIT_EXAMPLES = ("원", "억원", "조원", "명", "개", "개사", "곳", "건", "%", "배", "㎡", "ha", "PF", "PB", "TF", "TB", "년간", "개월", "회",
                 "㎞", "m", "㎞/h", "분", "시간", "톤", "MW", "kW", "ℓ", "또는 량·종·가구·TEU 같은 셈 단위 (만가구처럼 앞에 만·억을 붙여도 됩니다)")


def unit_code(unit_text: str) -> str | None:
    """The canonical unit code of a unit as a maintainer writes it (억원 → KRW, ㎡ → m2, 가구 → counter:가구)."""
    word = unit_text.strip()
    if word == "년":
        return "duration_year"  # '1년' alone reads as a calendar year in articles; as a unit it is a length
    # '만가구', '억달러', '만TEU': a magnitude before the counter is part of how values are written.
    counter = re.sub(r"^[십백천만억조]+", "", word) or word
    if re.fullmatch(r"[가-힣]{1,3}", counter) and parse_quantities(f"1{counter}") == [] \
            or re.fullmatch(r"[A-Za-z]{2,6}", counter) and unit_of(counter).startswith(GENERIC_UNIT_PREFIX):
        # A counter the generic reader would take for a particle ('가구'), or a Latin one no
        # table knows, which articles also write after a space ('250만 TEU').
        register_counter(counter)
    found = parse_quantities(f"1{word}")
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(word) + 1:
        return found[0].unit
    return None


def parse_value(text: str, unit: str | None, unit_text: str | None = None):
    """A quantity value as written in a rule file ("4116억원", "48명", or "48" in the fact's unit:
    with `unit: 억원`, a bare 4116 is 4116억원, as the maintainer wrote the unit)."""
    text = text.strip()
    candidates = [text, f"{text}간"] if unit == "duration_year" and text.endswith("년") else [text]
    if unit and re.fullmatch(r"[\d.,]+", text):
        candidates = ([f"{text}{unit_text.strip()}"] if unit_text else []) + [
            f"{text}{counter}" for counter in _COUNTER_FOR_UNIT.get(unit, ())]
    for candidate in candidates:
        found = parse_quantities(candidate)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(candidate):
            return found[0]
    return None


# A bare number in `value:` is read with the fact's unit's usual counter.
_COUNTER_FOR_UNIT = {
    "KRW": ("원",), "person": ("명",), "count": ("개",), "company": ("개사",), "place": ("곳",),
    "case": ("건",), "percent": ("%",), "times": ("배",), "m2": ("㎡",), "PF": ("PF",), "PB": ("PB",),
    "TF": ("TF",), "TB": ("TB",), "duration_year": ("년간",), "duration_month": ("개월",), "round": ("회",),
}

_DATE = r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"


def parse_day(text: str, end_of_range: bool = False) -> date | None:
    """`2020-01-29`, `2020-01` or `2020` → the first (or, for range ends, the last) day it covers."""
    match = re.fullmatch(_DATE, text.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            return date(year, month, day)
        if month:
            if not end_of_range:
                return date(year, month, 1)
            following = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date(year, 12, 31) if end_of_range else date(year, 1, 1)
    except ValueError:
        return None


def parse_span(text: str) -> tuple[date, date] | None:
    """`2020~2024`, `2020-01-29 ~ 2024-12-31` → first and last day; a single date is its own span."""
    parts = re.split(r"\s*[~∼〜]\s*", text.strip())
    if len(parts) == 1:
        first, last = parse_day(parts[0]), parse_day(parts[0], end_of_range=True)
    elif len(parts) == 2:
        first, last = parse_day(parts[0]), parse_day(parts[1], end_of_range=True)
    else:
        return None
    if first is None or last is None or last < first:
        return None
    return first, last


def _versions(out: _Collector, spec: FactSpec, kind: str, unit: str | None,
              unit_text: str | None = None) -> tuple[FactVersion, ...]:
    versions: list[FactVersion] = []
    for index, item in enumerate(spec.versions):
        version = _version(out, item, kind, unit, index, unit_text)
        if version:
            versions.append(version)
    _check_overlaps(out, versions)
    return tuple(sorted(versions, key=lambda v: v.valid_from or date.min))


def _version(out: _Collector, item: VersionSpec, kind: str, unit: str | None, index: int,
             unit_text: str | None = None) -> FactVersion | None:
    where = f"versions[{index + 1}]"
    value_text = item.value
    valid_from = _version_day(out, item, "from", item.from_, where)
    if valid_from is None and item.from_ is None:
        valid_from = _first_source_day(item.source)
    valid_until = _version_day(out, item, "until", item.until, where, end=True)
    if valid_from and valid_until and valid_until < valid_from:
        out.error(item.line_of("until"), f"{where}: 'until'({valid_until})이 'from'({valid_from})보다 앞섭니다")
    common = dict(
        display=value_text, valid_from=valid_from, valid_until=valid_until,
        source=item.source, note=item.note, line=item.line,
    )
    if kind == "quantity":
        if unit is None:
            return None
        quantity = parse_value(value_text, unit, unit_text)
        if quantity is None:
            out.error(item.line_of("value"), f"{where}.value: '{value_text}'을(를) 수량으로 읽을 수 없습니다 (예: 4116억원, 48명, 88.5PF)")
            return None
        if quantity.unit != unit:
            out.error(item.line_of("value"), f"{where}.value: '{value_text}'의 단위가 사실의 unit과 다릅니다")
            return None
        if quantity.hedge_kind != "exact":
            out.error(item.line_of("value"), f"{where}.value: 정확한 값을 씁니다 ('{quantity.hedge}' 같은 어림 표현 없이)")
            return None
        return FactVersion(value=quantity.value, low=quantity.value, high=quantity.value, **common)
    if kind in ("period", "date"):
        span = parse_span(value_text)
        if span is None:
            example = "2020~2024 또는 2020-01-01 ~ 2024-12-31" if kind == "period" else "2020-01-29"
            reason = _reversed_span(value_text)
            out.error(item.line_of("value"), f"{where}.value: {reason} (예: {example})" if reason else
                      f"{where}.value: '{value_text}'을(를) 날짜로 읽을 수 없습니다 (예: {example})")
            return None
        first, last = (Decimal(d.toordinal()) for d in span)
        return FactVersion(value=first, low=first, high=last, **common)
    return FactVersion(value=None, low=None, high=None, person=value_text, ordinal=item.ordinal, **common)


def _reversed_span(text: str) -> str | None:
    """The message for `2024~2020` (both ends are dates, in the wrong order), else None."""
    parts = re.split(r"\s*[~∼〜]\s*", text.strip())
    if len(parts) != 2 or parse_day(parts[0]) is None or parse_day(parts[1], end_of_range=True) is None:
        return None
    if parse_day(parts[1], end_of_range=True) >= parse_day(parts[0]):
        return None
    return f"기간의 끝({parts[1]})이 시작({parts[0]})보다 앞섭니다: '{parts[1]}~{parts[0]}'처럼 시작을 앞에 쓰세요"


_SOURCE_DAY = re.compile(r"(?<!\d)((?:19|20)\d{2})[-.](\d{1,2})[-.](\d{1,2})(?!\d)")


def _first_source_day(source: str | None) -> date | None:
    """A version with no `from` is known from its source's date ("더코리아 2021-03-09 …"): an
    article older than every source is not judged against a value nobody had reported yet."""
    days = []
    for year, month, day in _SOURCE_DAY.findall(source or ""):
        try:
            days.append(date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return min(days) if days else None


def _version_day(out: _Collector, item: VersionSpec, key: str, text: str | None, where: str,
                 end: bool = False) -> date | None:
    if not text:
        return None
    day = parse_day(text, end_of_range=end)
    if day is None:
        out.error(item.line_of(key), f"{where}.{key}: 날짜 형식이 아닙니다 (예: 2021-03-09)")
    return day


def _check_overlaps(out: _Collector, versions: list[FactVersion]) -> None:
    # A holder known only by an ordinal is written with a one-day placeholder period
    # (from = until): a record of who was 제N대, not a claim about who held the post then.
    ordered = sorted((v for v in versions if not (v.ordinal and v.valid_from and v.valid_from == v.valid_until)),
                     key=lambda v: v.valid_from or date.min)
    for before, after in pairwise(ordered):
        if before.valid_until is None or before.valid_until >= (after.valid_from or date.min):
            if before.valid_until is None and after.valid_from is not None:
                # An open-ended version is closed by the next one: a director serves until the
                # next takes office. Only two versions starting the same day truly collide.
                if (before.valid_from or date.min) < after.valid_from:
                    continue
            out.error(after.line, f"이 버전의 기간이 {before.line}행 버전의 기간과 겹칩니다: 'from'/'until' 날짜를 확인하세요")


def _examples(out: _Collector, spec: ExamplesSpec | None):
    if spec is None:
        return (), ()
    return _example_list(out, spec, "flag"), _example_list(out, spec, "pass")


def _example_list(out: _Collector, spec: ExamplesSpec, key: str):
    written = spec.raw(key)
    result = []
    for index, item in enumerate(spec.flag if key == "flag" else spec.pass_):
        line = written.line_at(index) if isinstance(written, Items) else spec.line_of(key)
        if item.published and parse_day(item.published) is None:
            out.error(item.line_of("published") or line, "published: 날짜 형식이 아닙니다 (예: 2021-03-09)")
        result.append((item.text, item.published, line, item.verdict))
    return tuple(result)
