"""The records an article turns into on its way through the checker: Article → Claim → Finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import ClassVar, Literal, TypeAlias

from checker.verdicts import Verdict

# Korean newsrooms date articles in KST: "published 2024-07-31T16:00Z" is 1 August there.
NEWSROOM_TZ = timezone(timedelta(hours=9), "KST")


def local_day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(NEWSROOM_TZ)
    return moment.date()


@dataclass(frozen=True)
class Article:
    """One version of an article as it reaches the checker (from a file, the CLI or the crawler)."""

    url: str
    text: str
    title: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    outlet: str | None = None
    author: str | None = None
    source: str | None = None  # the crawl source name, or the file it came from
    story_key: str | None = None  # same value for syndicated copies of one story (set by the crawler)

    @property
    def published_date(self) -> date | None:
        return local_day(self.published)


@dataclass(frozen=True, kw_only=True)
class ClaimBase:
    """What every claim has: where it stands in the article and the words around it.

    A claim is one of the classes below, told apart by `kind` (the `Claim` union); code that
    handles one kind narrows with isinstance and sees only that kind's fields.
    """

    kind: str  # each class below fixes it: "quantity" | "sum" | "date" | "period" | "role"
    start: int  # character offsets into the article text
    end: int
    text: str  # the claim as written
    sentence: str
    sentence_start: int
    left: str  # words just before the claim in its sentence: what it counts, usually
    right: str  # words just after it (의 대상, 을 투입해 …)
    previous: str = ""  # the sentence before, whose words count for a fact's `require`


@dataclass(frozen=True, kw_only=True)
class QuantityClaim(ClaimBase):
    """A figure: "4116억원", "약 4000억원", "100명 이상". Values are in the unit's base (원, 명, ㎡ …)."""

    kind: Literal["quantity"] = "quantity"
    unit: str
    counter: str = ""  # as written, spaces dropped ("억원", "명")
    value: Decimal
    low: Decimal | None = None  # the interval the writer commits to; None = unbounded
    high: Decimal | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    hedge: str | None = None  # the hedge words as written ("약", "여"); None if exact
    hedge_kind: str = "exact"  # "exact" | "over" | "approx" | "under" | "vague"
    step: Decimal = Decimal(0)  # place value of the last written digit: "4100억원" is ±50억


@dataclass(frozen=True, kw_only=True)
class SumClaim(ClaimBase):
    """A total with its breakdown in brackets: "1000억원(국비 645억원, 시비 300억원 …)"."""

    kind: Literal["sum"] = "sum"
    unit: str
    counter: str = ""
    value: Decimal  # the stated total
    step: Decimal = Decimal(0)
    parts: tuple[tuple[str, Decimal], ...] = ()  # (label, value) of each part, in the total's base unit


@dataclass(frozen=True, kw_only=True)
class DatedClaim(ClaimBase):
    """What dates and periods share: the first and last day they cover (both included)."""

    unit: ClassVar[None] = None  # a date counts nothing (match keys and finding records read `unit` of any claim)
    first: date
    last: date
    grain: str  # "day" | "month" | "quarter" | "half" | "year": how precisely it was written
    relative: bool = False  # resolved against the publication date ("올해", "지난달")

    # The judge and the linker compare day intervals with a fact's, whose bounds are ordinal
    # day numbers (FactVersion.low/high): these give a claim's days in the same numbers.
    @property
    def low(self) -> Decimal:
        return Decimal(self.first.toordinal())

    @property
    def high(self) -> Decimal:
        return Decimal(self.last.toordinal())

    @property
    def value(self) -> Decimal:
        return self.low


@dataclass(frozen=True, kw_only=True)
class DateClaim(DatedClaim):
    """A point in time, maybe coarse: "2020년 1월 29일", "2023년 상반기", "올해"."""

    kind: Literal["date"] = "date"
    until: bool = False  # "2025년까지": the end of something, so it can state a period fact's end


@dataclass(frozen=True, kw_only=True)
class PeriodClaim(DatedClaim):
    """A span written with both ends: "2025~2029년", "'19년부터 '23년까지", "2020년부터 5년간", "연내"."""

    kind: Literal["period"] = "period"


@dataclass(frozen=True, kw_only=True)
class RoleClaim(ClaimBase):
    """Someone holding a post: "제3대 단장 오상진", "임차식(65) 단장", "제9대 이사장에 오른"."""

    kind: Literal["role"] = "role"
    unit: ClassVar[None] = None
    person: str | None  # the name as written; None for "제9대 이사장에 오른 그의" (see checker.check)
    ordinal: int | None = None  # 제3대 → 3, 초대 → 1
    role_tense: str = "current"  # "current" | "former" (전 단장) | "incoming" (신임)
    role: str = ""  # the title as written, org included ("인공지능산업융합사업단장")
    as_of: date | None = None  # a day the sentence ties the claim to ("2020년 1월 … 취임" → 2020-01-01)


Claim: TypeAlias = QuantityClaim | SumClaim | DateClaim | PeriodClaim | RoleClaim


@dataclass(frozen=True)
class FactVersion:
    """The value a fact had during a period, with where that is documented."""

    value: Decimal | None
    low: Decimal | None  # a period fact's first/last day as ordinals; equal to value otherwise
    high: Decimal | None
    display: str  # the value as a maintainer wrote it: "4116억원", "2020년~2024년", "오상진"
    valid_from: date | None
    valid_until: date | None
    source: str | None
    note: str | None
    line: int  # line in the rule file, for "edit here" pointers
    person: str | None = None
    ordinal: int | None = None

    def valid_on(self, day: date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_until and day > self.valid_until:
            return False
        return True


@dataclass(frozen=True)
class Fact:
    """A canonical fact from a rule file."""

    id: str
    topic: str
    kind: str  # "quantity" | "period" | "date" | "role"
    description: str
    unit: str | None
    versions: tuple[FactVersion, ...]
    cues: tuple[str, ...]  # words that identify this fact in a sentence
    required: tuple[tuple[str, ...], ...]  # each group: at least one word must appear
    exclude: tuple[str, ...]  # words near the claim that mean "a different thing"
    tolerance: Decimal  # relative; a claim this close to canonical is right
    rounding: Decimal  # relative; how far a rounded/hedged figure may stray before it is "imprecise"
    severity: str
    file: str
    line: int
    role_words: tuple[str, ...] = ()
    exclude_in_sentence: tuple[str, ...] = ()  # words anywhere in the sentence that mean "not this fact"
    topic_words: tuple[str, ...] = ()  # the topic's `recognise` words: a sentence without them takes its subject from context
    min_score: int = 60
    # Days after which a still-open value "as of" a day (a staff count) is too old to accuse an
    # article with: the checker holds its judgement and the bot asks maintainers for a new source.
    refresh_after: int = 0
    # (sentence, published or None, line, expected verdict or None)
    examples_flag: tuple[tuple[str, str | None, int, str | None], ...] = ()
    examples_pass: tuple[tuple[str, str | None, int, str | None], ...] = ()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Finding:
    """The judgement of one claim (or one sum inside a sentence)."""

    claim: Claim
    fact: Fact | None
    verdict: Verdict  # a str: the stored value is the enum's value (checker/verdicts.py)
    alert: bool
    explanation: str  # Korean, for the fact-checker
    claimed: str
    canonical: str | None
    version: FactVersion | None = None
    hint: str | None = None  # e.g. "×10 차이: 자릿수 실수일 수 있습니다"
    score: float = 0.0
    details: dict = field(default_factory=dict, compare=False)

    @property
    def rule(self) -> str | None:
        """Where a maintainer edits what this finding was judged against: the version's line."""
        if self.fact is None:
            return None
        return f"{self.fact.file}:{self.version.line if self.version else self.fact.line}"


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    recognise: tuple[str, ...]
    min_mentions: int
    file: str
    line: int
    # Words that put a sentence outside this program for every fact (other regions' clusters).
    exclude_in_sentence: tuple[str, ...] = ()

    def mentions(self, title: str, text: str) -> int:
        from checker.sentences import normalise

        haystack = normalise(f"{title}\n{text}")
        return sum(haystack.count(normalise(word)) for word in self.recognise)
