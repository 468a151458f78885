"""The records an article turns into on its way through the checker: Article → Claim → Finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

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


@dataclass(frozen=True)
class Claim:
    """Something an article asserts that can be checked: a quantity, a date/period or a role holder.

    `value`, `low`, `high` are in the unit's base (원, 명, ㎡ …); for dates they are ordinal day
    numbers (date.toordinal()) of the first and last day covered; for roles `value` is None and
    `person` carries the name.
    """

    kind: str  # "quantity" | "date" | "role" | "sum"
    start: int  # character offsets into the article text
    end: int
    text: str  # the claim as written
    sentence: str
    sentence_start: int
    left: str  # words just before the claim in its sentence: what it counts, usually
    right: str  # words just after it (의 대상, 을 투입해 …)
    unit: str | None = None
    counter: str | None = None
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    hedge: str | None = None
    hedge_kind: str = "exact"
    step: Decimal | None = None
    grain: str | None = None  # dates: day | month | quarter | half | year
    person: str | None = None  # roles: the name as written
    ordinal: int | None = None  # roles: 제3대 → 3, 초대 → 1
    role_tense: str = "current"  # roles: "current" | "former" (전 단장) | "incoming" (신임)
    role: str | None = None  # roles: the title as written, org included ("인공지능산업융합사업단장")
    as_of: int | None = None  # roles: ordinal day of a date the sentence ties the claim to (2020년 → that year)
    parts: tuple[tuple[str, Decimal], ...] = ()  # sums: (label, value) of each part in the parenthesis
    previous: str = ""  # the sentence before, whose words count for a fact's `require`
    until: bool = False  # dates: "2025년까지" — the end of something, so it can state a period fact's end


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
