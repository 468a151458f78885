"""Compiles one parsed rule file into Topic and Fact records, collecting every mistake as file:line."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import pairwise

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from checker.models import Fact, FactVersion, Topic
from checker.quantities import GENERIC_UNIT_PREFIX, parse_quantities, register_counter, unit_of
from checker.rulefile import Items, Node, RuleError, RuleWarning
from checker.verdicts import EXAMPLE_VERDICTS

TOPIC_KEYS = {"id", "name", "recognise", "min_mentions", "description", "exclude_in_sentence"}
FACT_KEYS = {
    "id", "description", "kind", "unit", "cues", "require", "exclude", "exclude_in_sentence", "tolerance",
    "rounding", "severity", "role", "versions", "examples", "min_score", "note", "refresh_after",
}
VERSION_KEYS = {"value", "from", "until", "source", "note", "ordinal"}
EXAMPLE_KEYS = {"text", "published", "verdict"}
KINDS = ("quantity", "period", "date", "role")
SEVERITIES = ("high", "medium", "low")
VERDICTS = tuple(str(v) for v in EXAMPLE_VERDICTS)


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


def compile_rule_file(data: Node, file: str) -> tuple[Topic | None, list[Fact], list[RuleError]]:
    out = _Collector(file)
    _check_keys(out, data, {"topic", "facts"}, "파일 맨 위")
    topic = _compile_topic(out, data)
    facts: list[Fact] = []
    raw_facts = data.get("facts")
    if not isinstance(raw_facts, Items) or not raw_facts:
        out.error(data.line_of("facts"), "'facts:' 아래에 사실 목록이 있어야 합니다")
        return topic, facts, out.errors
    for index, raw in enumerate(raw_facts):
        if not isinstance(raw, Node):
            out.error(raw_facts.line_at(index), "사실 하나는 'id:', 'kind:' 같은 항목들로 이루어져야 합니다")
            continue
        fact = _compile_fact(out, raw, topic)
        out.fact_id = None
        if fact:
            facts.append(fact)
    return topic, facts, out.errors


def _check_keys(out: _Collector, node: Node, allowed: set[str], where: str) -> None:
    for key in node:
        if key is None or str(key).strip() == "":
            out.error(node.line_of(key), f"{where}: 이름 없는 항목이 있습니다 (':' 앞에 항목 이름을 쓰세요)")
            continue
        if key not in allowed:
            guess = process.extractOne(str(key), sorted(allowed), scorer=Levenshtein.normalized_similarity, score_cutoff=0.5)
            hint = f" '{guess[0]}'을(를) 쓰려던 것인가요?" if guess else ""
            out.error(node.line_of(key), f"{where}: '{key}'은(는) 알 수 없는 항목입니다.{hint} 쓸 수 있는 항목: {', '.join(sorted(allowed))}")


def _compile_topic(out: _Collector, data: Node) -> Topic | None:
    raw = data.get("topic")
    if not isinstance(raw, Node):
        out.error(data.line_of("topic"), "'topic:' 항목(주제 id, 이름, 알아보는 낱말)이 있어야 합니다")
        return None
    _check_keys(out, raw, TOPIC_KEYS, "topic")
    topic_id = _text(out, raw, "id", required=True)
    recognise = _words(out, raw, "recognise", required=True)
    min_mentions = _int(out, raw, "min_mentions", default=1)
    exclude_in_sentence = _words(out, raw, "exclude_in_sentence")
    if not topic_id:
        return None
    return Topic(topic_id, _text(out, raw, "name") or topic_id, recognise, min_mentions, out.file, raw.line,
                 exclude_in_sentence)


def _compile_fact(out: _Collector, raw: Node, topic: Topic | None) -> Fact | None:
    topic_id = topic.id if topic else ""
    topic_excludes = topic.exclude_in_sentence if topic else ()
    fact_id = _text(out, raw, "id", required=True)
    out.fact_id = fact_id
    _check_keys(out, raw, FACT_KEYS, "사실")
    if fact_id and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", fact_id):
        out.error(raw.line_of("id"), f"id '{fact_id}'에는 영어 소문자, 숫자, 하이픈(-)만 쓸 수 있습니다 (예: budget-total)")
    kind = _text(out, raw, "kind", required=True)
    if kind and kind not in KINDS:
        out.error(raw.line_of("kind"), f"kind '{kind}'은(는) 쓸 수 없습니다. 쓸 수 있는 값: {', '.join(KINDS)}")
        return None
    unit = None
    if kind == "quantity":
        unit_text = _text(out, raw, "unit", required=True)
        unit = unit_code(unit_text) if unit_text else None
        if unit_text and unit is None:
            out.error(raw.line_of("unit"), f"단위 '{unit_text}'을(를) 알 수 없습니다. 쓸 수 있는 단위: {', '.join(UNIT_EXAMPLES)}")
    elif "unit" in raw and kind:  # without a kind, "'kind:' 항목이 빠졌습니다" says it all
        out.error(raw.line_of("unit"), f"'unit'은 kind: quantity 인 사실에만 씁니다 (이 사실은 {kind})")
    role_words = _words(out, raw, "role", required=kind == "role")
    cues = _words(out, raw, "cues", required=kind != "role")
    require = _require(out, raw)
    exclude = _words(out, raw, "exclude")
    exclude_in_sentence = _words(out, raw, "exclude_in_sentence") + topic_excludes
    severity = _text(out, raw, "severity") or "medium"
    if severity not in SEVERITIES:
        out.error(raw.line_of("severity"), f"severity '{severity}'은(는) 쓸 수 없습니다. 쓸 수 있는 값: {', '.join(SEVERITIES)}")
    tolerance = _percent(out, raw, "tolerance", Decimal(0))
    rounding = _percent(out, raw, "rounding", Decimal("0.01"))
    min_score = _int(out, raw, "min_score", default=85)
    refresh_after = _int(out, raw, "refresh_after", default=0)
    if refresh_after < 0:
        out.error(raw.line_of("refresh_after"), f"'refresh_after:'는 날수입니다 (예: refresh_after: 365, 지금 {refresh_after})")
    if not 0 <= min_score <= 100:
        out.error(raw.line_of("min_score"), f"'min_score:'는 0~100 사이의 점수입니다 (기본 85, 지금 {min_score})")
    versions = _versions(out, raw, kind, unit, unit_text if kind == "quantity" else None)
    if kind == "quantity" and unit is not None:
        _check_bare_values(out, raw, unit_text)
    if kind == "role":
        _check_role_values(out, versions, role_words)
    flag, pass_ = _examples(out, raw)
    if not fact_id or not kind or (kind == "quantity" and unit is None) or not versions:
        return None
    return Fact(
        id=fact_id, topic=topic_id, kind=kind, description=_text(out, raw, "description", required=True) or fact_id,
        unit=unit, versions=versions, cues=cues, required=require, exclude=exclude, tolerance=tolerance,
        rounding=rounding, severity=severity, file=out.file, line=raw.line, role_words=role_words,
        min_score=min_score, refresh_after=max(refresh_after, 0), examples_flag=flag, examples_pass=pass_, exclude_in_sentence=exclude_in_sentence,
        topic_words=topic.recognise if topic else (),
    )


def _text(out: _Collector, node: Node, key: str, required: bool = False) -> str | None:
    value = node.get(key)
    if value is None:
        if required:
            out.error(node.line, f"'{key}:' 항목이 빠졌습니다")
        return None
    if isinstance(value, (Node, Items)):
        out.error(node.line_of(key), f"'{key}:'에는 글자 하나만 씁니다 (목록이나 하위 항목이 아니라)")
        return None
    return str(value).strip()


def _words(out: _Collector, node: Node, key: str, required: bool = False) -> tuple[str, ...]:
    value = node.get(key)
    if value is None:
        if required:
            out.error(node.line, f"'{key}:' 목록이 빠졌습니다 (예: {key}: [낱말1, 낱말2])")
        return ()
    if isinstance(value, str):
        # `cues: 사업비, 총사업비` is one word with a comma in it: the fact would never match.
        words = [w.strip() for w in re.split(r"[,，、]", value) if w.strip()]
        out.error(node.line_of(key), f"'{key}:'은(는) 낱말 목록으로 씁니다. 글자 하나로 쓰면 '{value}' 전체가 낱말 하나로 읽힙니다 "
                                     f"(예: {key}: [{', '.join(words) or '낱말1, 낱말2'}])")
        return ()
    if not isinstance(value, list) or any(isinstance(v, (Node, list)) or v is None for v in value):
        out.error(node.line_of(key), f"'{key}:'은(는) 낱말 목록이어야 합니다 (예: {key}: [낱말1, 낱말2])")
        return ()
    words = tuple(str(v).strip() for v in value if str(v).strip())
    if required and not words:
        out.error(node.line_of(key), f"'{key}:' 목록이 비어 있습니다")
    return words


def _require(out: _Collector, node: Node) -> tuple[tuple[str, ...], ...]:
    """`require: [a, b]` means a or b; `require: [[a, b], [c]]` means (a or b) and c."""
    value = node.get("require")
    if value is None:
        return ()
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return tuple(tuple(str(w) for w in group) for group in value if group)
    return (_words(out, node, "require"),)


def _int(out: _Collector, node: Node, key: str, default: int) -> int:
    value = node.get(key)
    if value is None:
        return default
    try:
        return int(str(value))
    except ValueError:
        out.error(node.line_of(key), f"'{key}:'에는 정수를 씁니다 (예: {key}: {default})")
        return default


def _percent(out: _Collector, node: Node, key: str, default: Decimal) -> Decimal:
    value = node.get(key)
    if value is None:
        return default
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", str(value))
    if not match:
        out.error(node.line_of(key), f"'{key}:'은(는) 퍼센트로 씁니다 (예: {key}: 1%)")
        return default
    return Decimal(match.group(1)) / 100


def _check_bare_values(out: _Collector, raw: Node, unit_text: str) -> None:
    """A bare `value: 4116` in an 억원 fact reads as 4116원 (the base unit), so every correct
    article would be flagged "약 100000000배": with a multiplying unit the unit must be written."""
    found = parse_quantities(f"1{unit_text}")
    if not found or found[0].value == 1:
        return
    base = (_COUNTER_FOR_UNIT.get(found[0].unit) or ("",))[0]
    items = raw.get("versions")
    for item in items if isinstance(items, Items) else ():
        value = item.get("value") if isinstance(item, Node) else None
        if isinstance(value, str) and re.fullmatch(r"\s*[\d.,]+\s*", value):
            out.error(item.line_of("value"), f"value: '{value.strip()}'에 단위가 없습니다. 이 사실의 unit은 {unit_text}이니 "
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


def _versions(out: _Collector, raw: Node, kind: str | None, unit: str | None,
              unit_text: str | None = None) -> tuple[FactVersion, ...]:
    items = raw.get("versions")
    if not isinstance(items, Items) or not items:
        out.error(raw.line_of("versions"), "'versions:' 아래에 값이 하나 이상 있어야 합니다 (예: - value: 4116억원)")
        return ()
    versions: list[FactVersion] = []
    for index, item in enumerate(items):
        line = items.line_at(index)
        if not isinstance(item, Node):
            out.error(line, "버전 하나는 'value:', 'from:', 'source:' 같은 항목들로 이루어져야 합니다")
            continue
        _check_keys(out, item, VERSION_KEYS, f"versions[{index + 1}]")
        version = _version(out, item, kind, unit, index, unit_text)
        if version:
            versions.append(version)
    _check_overlaps(out, versions)
    return tuple(sorted(versions, key=lambda v: v.valid_from or date.min))


def _version(out: _Collector, item: Node, kind: str | None, unit: str | None, index: int,
             unit_text: str | None = None) -> FactVersion | None:
    where = f"versions[{index + 1}]"
    value_text = _text(out, item, "value", required=True)
    valid_from = _version_day(out, item, "from", where)
    if valid_from is None and "from" not in item:
        valid_from = _first_source_day(_text(out, item, "source"))
    valid_until = _version_day(out, item, "until", where, end=True)
    if valid_from and valid_until and valid_until < valid_from:
        out.error(item.line_of("until"), f"{where}: 'until'({valid_until})이 'from'({valid_from})보다 앞섭니다")
    ordinal = _int(out, item, "ordinal", default=0) or None
    common = dict(
        display=value_text or "", valid_from=valid_from, valid_until=valid_until,
        source=_text(out, item, "source"), note=_text(out, item, "note"), line=item.line,
    )
    if value_text is None or kind is None:
        return None
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
    return FactVersion(value=None, low=None, high=None, person=value_text, ordinal=ordinal, **common)


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


def _version_day(out: _Collector, item: Node, key: str, where: str, end: bool = False) -> date | None:
    text = _text(out, item, key)
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


def _examples(out: _Collector, raw: Node):
    node = raw.get("examples")
    if node is None:
        return (), ()
    if not isinstance(node, Node):
        out.error(raw.line_of("examples"), "'examples:' 아래에는 'flag:'(잡아야 할 문장)와 'pass:'(잡으면 안 되는 문장) 목록을 씁니다")
        return (), ()
    _check_keys(out, node, {"flag", "pass"}, "examples")
    return _example_list(out, node, "flag"), _example_list(out, node, "pass")


def _example_list(out: _Collector, node: Node, key: str):
    items = node.get(key)
    if items is None:
        return ()
    if not isinstance(items, Items):
        out.error(node.line_of(key), f"'{key}:'은(는) 문장 목록이어야 합니다")
        return ()
    result = []
    for index, item in enumerate(items):
        line = items.line_at(index)
        if isinstance(item, Node):
            _check_keys(out, item, EXAMPLE_KEYS, f"examples.{key}[{index + 1}]")
            text, published, verdict = item.get("text"), item.get("published"), item.get("verdict")
            if published and parse_day(str(published)) is None:
                out.error(item.line_of("published"), "published: 날짜 형식이 아닙니다 (예: 2021-03-09)")
            if verdict and verdict not in VERDICTS:
                out.error(item.line_of("verdict"), f"verdict '{verdict}'은(는) 쓸 수 없습니다. 쓸 수 있는 값: {', '.join(VERDICTS)}")
        else:
            text, published, verdict = item, None, None
        if not text or not str(text).strip():
            out.error(line, "예문이 비어 있습니다")
            continue
        result.append((str(text), str(published) if published else None, line, verdict))
    return tuple(result)
