"""The declared schema of a rule file (rules/*.yaml): every key, its type, allowed values,
default and meaning, for the loader (shape checks in Korean at file:line), for editors (JSON
Schema) and for the key tables of rules/README.md (factwatch/schema_docs.py).

Only the shape is declared here; what needs the number and date grammar (a unit the parser
knows, a value in that unit, real calendar days, overlapping versions) is checked after it by
checker/rulecompile.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema

from checker.rulefile import Node
from checker.verdicts import EXAMPLE_VERDICTS
from factwatch.fileschema import Condition, Spec, fail

KINDS = ("quantity", "period", "date", "role")
SEVERITIES = ("high", "medium", "low")
VERDICTS = tuple(str(v) for v in EXAMPLE_VERDICTS)

# The loader keeps every scalar as written ("2020-01-29", "4116억원", "48"); an editor reads
# `48` or `2020` as a number, so text keys accept both in the JSON Schema.
_SCALAR = {"type": ["string", "number"]}


def _text(value, info: ValidationInfo, required: bool = False):
    key = info.field_name
    if value is None:
        if required:
            raise fail(f"'{key}:' 항목이 빠졌습니다")
        return None
    if isinstance(value, (dict, list)):
        raise fail(f"'{key}:'에는 글자 하나만 씁니다 (목록이나 하위 항목이 아니라)")
    return str(value).strip()


def _required_text(value, info: ValidationInfo):
    return _text(value, info, required=True)


Text = Annotated[str, BeforeValidator(_required_text), WithJsonSchema(_SCALAR)]
OptText = Annotated[str | None, BeforeValidator(_text), WithJsonSchema(_SCALAR)]


def _words(value, info: ValidationInfo) -> tuple[str, ...]:
    key = info.field_name
    if value is None:
        return ()
    if isinstance(value, str):
        # `cues: 사업비, 총사업비` is one word with a comma in it: the fact would never match.
        words = [w.strip() for w in re.split(r"[,，、]", value) if w.strip()]
        raise fail(f"'{key}:'은(는) 낱말 목록으로 씁니다. 글자 하나로 쓰면 '{value}' 전체가 낱말 하나로 읽힙니다 "
                   f"(예: {key}: [{', '.join(words) or '낱말1, 낱말2'}])")
    if not isinstance(value, list) or any(isinstance(v, (dict, list)) or v is None for v in value):
        raise fail(f"'{key}:'은(는) 낱말 목록이어야 합니다 (예: {key}: [낱말1, 낱말2])")
    return tuple(str(v).strip() for v in value if str(v).strip())


_WORDS_SCHEMA = {"type": "array", "items": _SCALAR}
Words = Annotated[tuple[str, ...], BeforeValidator(_words), WithJsonSchema(_WORDS_SCHEMA)]


def _require(value, info: ValidationInfo) -> tuple[tuple[str, ...], ...]:
    """`require: [a, b]` means a or b; `require: [[a, b], [c]]` means (a or b) and c."""
    if value is None:
        return ()
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return tuple(group for group in (_words(v, info) for v in value) if group)
    return (_words(value, info),)


Require = Annotated[tuple[tuple[str, ...], ...], BeforeValidator(_require),
                    WithJsonSchema({"anyOf": [_WORDS_SCHEMA, {"type": "array", "items": _WORDS_SCHEMA}]})]

_PERCENT = r"^\s*(\d+(?:\.\d+)?)\s*%\s*$"


def _percent(value, info: ValidationInfo) -> Decimal:
    match = re.fullmatch(_PERCENT[1:-1], str(value)) if value is not None else None
    if not match:
        raise fail(f"'{info.field_name}:'은(는) 퍼센트로 씁니다 (예: {info.field_name}: 1%)")
    return Decimal(match.group(1)) / 100


Percent = Annotated[Decimal, BeforeValidator(_percent), WithJsonSchema({"type": "string", "pattern": _PERCENT})]


def _fact_id(value, info: ValidationInfo):
    text = _text(value, info, required=True)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
        raise fail(f"id '{text}'에는 영어 소문자, 숫자, 하이픈(-)만 쓸 수 있습니다 (예: budget-total)")
    return text


FactId = Annotated[str, BeforeValidator(_fact_id), WithJsonSchema({"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"})]

_DAY = "a day `2021-03-09`, a month `2022-12` or a year `2020`"


class TopicSpec(Spec):
    """The program a rule file is about: `topic:` at the top of the file."""

    NOT_A_MAPPING: ClassVar[str] = "'topic:' 항목(주제 id, 이름, 알아보는 낱말)이 있어야 합니다"

    id: Text = Field(description="The topic's short name, lower-case letters, digits and hyphens, unique across files: "
                                 "`gwangju-ai-cluster`. Slack routes alerts by it (`slack.topics`).")
    name: OptText = Field(None, description="The program's name as people write it: `광주 국가 인공지능 중심 산업융합 집적단지` "
                                            "(default: the id).")
    recognise: Words = Field(min_length=1, description="Words of which one makes an article about this program "
                                                       "(spacing, brackets, `(재)` and `AI`/`인공지능` do not matter): "
                                                       "`[인공지능산업융합사업단, AI 집적단지]`.")
    min_mentions: int = Field(1, ge=1, description="How many mentions of the `recognise` words make an article about it.")
    description: OptText = Field(None, description="A note for maintainers; not used by the checker.")
    exclude_in_sentence: Words = Field((), description="Words that, in a sentence, mean it is about another place or "
                                                       "program: no fact of this topic is judged in it: `[부산, 대구]`.")

    MESSAGES: ClassVar[dict[str, str]] = {"recognise": "'recognise:' 목록이 비어 있습니다"}


def _example_item(value):
    # A plain sentence is an example with only its text.
    return {"text": value} if isinstance(value, str) or value is None else value


def _example_text(value, info: ValidationInfo):
    if value is None or isinstance(value, (dict, list)) or not str(value).strip():
        raise fail("예문이 비어 있습니다")
    return str(value)


class ExampleSpec(Spec):
    """One example sentence, written as the sentence alone or with the keys below."""

    text: Annotated[str, BeforeValidator(_example_text), WithJsonSchema({"type": "string"})] = Field(
        description="The sentence, in your own words: `시범사업 사업비는 100억원이다.`")
    published: OptText = Field(None, description=f"Judge as of this day ({_DAY}); default: the latest version.")
    verdict: Literal[VERDICTS] | None = Field(  # type: ignore[valid-type]
        None, description="`flag` examples only: the verdict it must get, "
                          f"{', '.join(f'`{v}`' for v in VERDICTS)}.")


Example = Annotated[ExampleSpec, BeforeValidator(_example_item, json_schema_input_type=str | ExampleSpec)]


class ExamplesSpec(Spec):
    """Sentences `factwatch rules test` runs against the fact."""

    NOT_A_MAPPING: ClassVar[str] = "'examples:' 아래에는 'flag:'(잡아야 할 문장)와 'pass:'(잡으면 안 되는 문장) 목록을 씁니다"
    MESSAGES: ClassVar[dict[str, str]] = {"flag": "'flag:'은(는) 문장 목록이어야 합니다",
                                          "pass": "'pass:'은(는) 문장 목록이어야 합니다"}

    flag: tuple[Example, ...] = Field((), description="Sentences that must raise an alert for this fact.")
    pass_: tuple[Example, ...] = Field((), alias="pass", description="Sentences that must raise no alert at all.")


class VersionSpec(Spec):
    """One value of the fact and the days it holds."""

    NOT_A_MAPPING: ClassVar[str] = "버전 하나는 'value:', 'from:', 'source:' 같은 항목들로 이루어져야 합니다"

    value: Text = Field(description=(
        "The exact value with its unit (`4116억원`, `48명`, `88.5PF`, `4만7256㎡`); for a period `2020~2024` or "
        "`2020-01-01 ~ 2024-12-31`; for a date `2020-01-29` or `2022-12`; for a role the person's name. No hedges: "
        "`4000여억원` is refused. A bare number (`48`) is read with the fact's unit only when that unit has no "
        "multiplier: in an `억원` fact write `4116억원` (a bare `4116` is refused, it would mean 4116원)."))
    from_: OptText = Field(None, alias="from", description=(
        f"The first day the value holds ({_DAY}): the day it was first reported. Without `from`, a version holds from "
        "the first date written in its `source` (`더코리아 2021-03-09 …`), so older articles are not judged against a "
        "value nobody had reported yet."))
    until: OptText = Field(None, description=(
        "The last day it holds. Leave it out while the value still holds: the next version's `from` closes it. Two "
        "versions may not overlap. For a post, a gap between one holder's `until` and the next `from` means the post "
        "was vacant; a holder known only by an ordinal may be written with `from` = `until` on one day."))
    source: OptText = Field(None, description="Where the value comes from: an article (outlet, date, title) or an official "
                                              "document, shown to the fact-checker next to the value: "
                                              "`광주일보 2022-04-13 임차식 단장 인터뷰`.")
    note: OptText = Field(None, description="Anything a future maintainer should know.")
    ordinal: int | None = Field(None, ge=1, description="Roles: which holder this is (`1` for 초대, `3` for 제3대), so "
                                                        "`제3대 단장 임차식` is caught.")


class FactSpec(Spec):
    """One canonical fact: an entry under `facts:`."""

    NOT_A_MAPPING: ClassVar[str] = "사실 하나는 'id:', 'kind:' 같은 항목들로 이루어져야 합니다"
    MESSAGES: ClassVar[dict[str, str]] = {
        "versions": "'versions:' 아래에 값이 하나 이상 있어야 합니다 (예: - value: 4116억원)",
    }
    CONDITIONS: ClassVar[tuple[Condition, ...]] = (
        Condition("unit", "kind", ("quantity",), only=True,
                  refused="'unit'은 kind: quantity 인 사실에만 씁니다 (이 사실은 {value})"),
        Condition("role", "kind", ("role",)),
        Condition("cues", "kind", ("quantity", "period", "date")),
    )
    REQUIRED_NOTE: ClassVar[dict[str, str]] = {
        "unit": "quantity only", "role": "role only", "cues": "yes (roles: the organisation's names)",
        "examples": "strongly advised",
    }

    id: FactId = Field(description="A short name for the fact, unique across all files: `phase1-budget`.")
    description: Text = Field(description="What the fact is, in Korean, as the alert will show it: `집적단지 1단계 조성사업 총사업비`.")
    kind: Literal[KINDS] = Field(description=(  # type: ignore[valid-type]
        "`quantity` (a number with a unit), `period` (from–to years), `date` (a day or month), `role` (who holds a post)."))
    unit: OptText = Field(None, description=(
        "How the number is counted: `원` `억원` `조원` `명` `개` `개사` `곳` `건` `%` `배` `㎡` `PF` `PB` `TF` `TB` `년` "
        "(a length of time: `5년`) `개월` `회`; standard measures `㎞` `m` `㎞/h` `분` `초` `시간` `톤` `㎏` `MW` `kW` `MWh` (a figure in another unit "
        "of the same measure is converted: `3만2300m` is `32.3㎞`, `21분 30초` is `21.5분`, `시속 180㎞` is `180㎞/h`); and "
        "**any counter word** the program uses — `량`, `종`, `편성`, `개역` (for \"5개 역\") — becomes a unit just by being "
        "written here."))
    cues: Words = Field((), description=(
        "Words that say a figure is this fact — best the words a reporter puts **right before the number** (`총사업비는`, "
        "`국비`) or the noun the number describes after it (`규모의 펀드`, `을 들인 수서~동탄 구간`): `[총사업비, 예산, 투입]`. "
        "A cue that several facts of the same unit share counts for little; give each fact at least one word of its own "
        "(a facility, a route, a fund's name). The words of `description` count too, a little."))
    require: Require = Field((), description=(
        "Words of which at least one must be **in the sentence or the sentence before it**: `[사업단]`. A list of lists "
        "means \"one of each\": `[[사업단], [직원, 구성원]]`."))
    exclude: Words = Field((), description=(
        "Words **next to the number** (its own label before it, up to the previous figure of the same unit, and the few "
        "words after it up to a bracket or comma) that mean \"a different thing\" with the same unit: `[국비, 펀드]` keeps "
        "\"국비 645억원\" or a 1100억원 fund from being judged as the total budget, while \"국비 2939억원 등 총 4161억원\" "
        "still checks the 4161."))
    exclude_in_sentence: Words = Field((), description=(
        "Words that, **in the figure's clause** (the part of the sentence between commas and connectives like `…하고`, "
        "`…이며`), mean it is about something else: `[올해, 내년, 연간]` for a multi-year total. In \"1단계에 4천억원, "
        "2단계에 6천억원을 들인다\" a `2단계` exclusion silences only the second figure."))
    tolerance: Percent = Field(Decimal(0), json_schema_extra={"default": "0%"}, description=(
        "How far a figure may differ and still be **right**: `tolerance: 1%`."))
    rounding: Percent = Field(Decimal("0.01"), json_schema_extra={"default": "1%"}, description=(
        "How far a rounded or hedged figure (`4000여억원`, `약 4100억원`, `4100억원`) may stray before it is reported as "
        "**imprecise** (지나친 어림): `rounding: 5%`."))
    severity: Literal[SEVERITIES] = Field("medium", description=(  # type: ignore[valid-type]
        "`high`, `medium` or `low`: kept with every finding of the fact (the store's `facts` table and `findings.data`, "
        "for queries and `factwatch browse`); the report and the Slack alert do not show it and treat every level alike."))
    role: Words = Field((), description=(
        "The title words: `[단장]` (a title with something else in front, like `부단장`, does not count; an acting head, "
        "`단장 직무대행`, is not judged). For a role, `cues` are the organisation's names, and one must stand **at** the "
        "title: in it (`인공지능산업융합사업단장`), between the name and the title, or right before the name — another "
        "body's 단장 elsewhere in the sentence is not this post."))
    min_score: int = Field(85, ge=0, le=100, description=(
        "How closely a cue must match, 0–100; raise it if a fact matches too eagerly."))
    refresh_after: int = Field(0, ge=0, examples=["refresh_after: 365"], description=(
        "Days after which a value that holds \"as of\" a day (a staff count, a number of tenants) is too old to accuse an "
        "article with: past it, a differing figure is 판단 보류 instead of 사실과 다름, and the bot asks the maintainers, "
        "once, for a fresh source (the request closes when you add a newer version): `refresh_after: 365`. "
        "`0` (the default): never."))
    versions: tuple[VersionSpec, ...] = Field(min_length=1, description="The values over time (see `versions` below).")
    examples: ExamplesSpec | None = Field(None, description=(
        "Sentences that must be flagged (`flag`) and must not (`pass`), see `examples` below."))
    note: OptText = Field(None, description="Anything a future maintainer should know.")


class RuleFileSpec(Spec):
    """A rule file: one program (`topic:`) and its canonical facts (`facts:`)."""

    NOT_A_MAPPING: ClassVar[str] = "파일의 맨 위는 'topic:'과 'facts:' 같은 'key: value' 항목이어야 합니다"
    MESSAGES: ClassVar[dict[str, str]] = {
        "topic": TopicSpec.NOT_A_MAPPING,
        "facts": "'facts:' 아래에 사실 목록이 있어야 합니다",
    }

    topic: TopicSpec = Field(description="The program this file is about.")
    facts: tuple[FactSpec, ...] = Field(min_length=1, description="The canonical facts reporters keep restating about it.")


def where(path) -> str:
    """How an unknown-key message names the place in a rule file (as the journalist sees it)."""
    if not path:
        return "파일 맨 위"
    if path[0] == "topic":
        return "topic"
    rest = list(path[2:])
    if not rest:
        return "사실"
    if rest[0] == "versions" and len(rest) > 1:
        return f"versions[{int(rest[1]) + 1}]"
    if rest[0] == "examples":
        if len(rest) > 2:
            return f"examples.{rest[1]}[{int(rest[2]) + 1}]"
        return "examples"
    return "사실"


def fact_id_of(raw) -> str | None:
    value = raw.get("id") if isinstance(raw, Node) else None
    return str(value).strip() if isinstance(value, str) and value.strip() else None


FACT_KEYS = {field.alias or name for name, field in FactSpec.model_fields.items()}
VERSION_KEYS = {field.alias or name for name, field in VersionSpec.model_fields.items()}
EXAMPLE_KEYS = {field.alias or name for name, field in ExampleSpec.model_fields.items()}
TOPIC_KEYS = {field.alias or name for name, field in TopicSpec.model_fields.items()}
