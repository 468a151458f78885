"""The finding the checker hands the bot: one typed record per judged claim.

Two shapes, one definition:
- `FindingData` is what a `findings` row keeps in its `data` column (written by
  checker/check_store.py, read back by factwatch/store/findings.py). Every field has a default,
  so rows written before a field existed still read (the parsed figure came last).
- `AlertableFinding` is that plus the row's columns and the article it came from: the record
  the bot receives. The bot never reads `findings`, `articles` or `article_versions` itself.

Same figure = same parsed value: "4천억원", "4000억원" and "4,000억 원" are one figure (`figure`),
so syndicated copies that write one number differently are alerted once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from checker.models import FactVersion, Finding
from checker.verdicts import Verdict

if TYPE_CHECKING:  # the store's row records; this module itself does no I/O
    from factwatch.store.findings import StoredFinding, VersionToAlert


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class FactVersionRef(_Frozen):
    """The fact's value a claim was judged against, as the alert shows it."""

    display: str
    valid_from: date | None = None
    valid_until: date | None = None
    source: str | None = None
    line: int | None = None  # line of this version in the rule file

    @classmethod
    def of(cls, version: FactVersion | None) -> FactVersionRef | None:
        if version is None:
            return None
        return cls(display=version.display, valid_from=version.valid_from, valid_until=version.valid_until,
                   source=version.source, line=version.line)


class FindingData(_Frozen):
    """The `findings.data` JSON: the claim as written and where, and what it was judged against."""

    kind: str | None = None  # the claim's kind: quantity | date | period | role | sum
    unit: str | None = None  # canonical unit code ("KRW", "person"); None for dates and roles
    value: Decimal | None = None  # the checker's number, in the unit's base (4천억원 → 400000000000)
    figure: str | None = None  # the parsed figure as a key, unit included (see figure_key); None: not parsed
    text: str = ""  # the claim as written
    sentence: str = ""
    sentence_start: int | None = None  # offsets into the article text
    start: int | None = None
    end: int | None = None
    hint: str | None = None
    fact_description: str | None = None
    rule: str | None = None  # rule file:line a maintainer edits
    version: FactVersionRef | None = None
    severity: str = "medium"
    topic: str | None = None
    score: float = 0.0

    @property
    def claim_start(self) -> int | None:
        """The claim's start inside `sentence`."""
        return _relative(self.start, self.sentence_start)

    @property
    def claim_end(self) -> int | None:
        return _relative(self.end, self.sentence_start)


class ArticleRef(_Frozen):
    """The article version a finding is about, as the alert names it."""

    url: str
    title: str = ""
    outlet: str | None = None
    published: str | None = None  # ISO, as stored
    version: int = 1  # 1 = first version; more = an edit


class AlertableFinding(FindingData):
    """One judged claim of one article version, with everything an alert about it needs."""

    finding_id: int
    story_id: int | None
    article_id: int
    version_id: int
    fact_key: str  # the fact's id, or `<verdict>` for an arithmetic check without a fact
    verdict: Verdict
    alert: bool
    claimed: str
    canonical: str | None = None
    explanation: str = ""
    article: ArticleRef


@dataclass(frozen=True)
class CheckedVersion:
    """A checked article version the bot has not turned into alerts yet, with all its findings."""

    version_id: int
    article_id: int
    story_id: int | None
    version: int  # 1 = first version; more = an edit
    article: ArticleRef
    findings: tuple[AlertableFinding, ...]  # alerting or not, in the order they were judged


class UnreadableFinding(ValueError):
    """A stored finding whose data does not read as a FindingData (written by hand, or damaged)."""


def read_version(version: VersionToAlert, rows: Sequence[StoredFinding]) -> CheckedVersion:
    """A checked version and its stored findings as the records the bot works with.

    Raises UnreadableFinding (Korean, naming the row) for a row that does not read.
    """
    article = ArticleRef(url=version.url, title=version.title, outlet=version.outlet, published=version.published,
                         version=version.version)
    findings = []
    for row in rows:
        try:
            stored = FindingData.model_validate_json(row.data)
            findings.append(AlertableFinding(
                **dict(stored), finding_id=row.id, story_id=version.story_id, article_id=version.article_id,
                version_id=version.version_id, fact_key=fact_key(row.fact_id, row.verdict), verdict=Verdict(row.verdict),
                alert=row.alert, claimed=row.claimed, canonical=row.canonical, explanation=row.explanation,
                article=article,
            ))
        except ValueError as error:  # pydantic's ValidationError, or a verdict no version knows
            raise UnreadableFinding(
                f"판정 기록 findings #{row.id}(기사 판 {version.version_id})을 읽을 수 없습니다: {error}") from error
    return CheckedVersion(version.version_id, version.article_id, version.story_id, version.version, article,
                          tuple(findings))


def fact_key(fact_id: str | None, verdict: str) -> str:
    """Arithmetic findings have no fact; the verdict stands in so a sum error is still one key."""
    return fact_id or f"<{verdict}>"


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def figure_key(claim: object) -> str | None:
    """The claim's parsed figure as a key: unit, value and the interval it commits to.

    "4천억원", "4000억원", "4,000억 원" → "KRW:400000000000"; "약 4000억원" keeps its interval
    ("KRW:400000000000[350000000000,450000000000]"), so it is another figure. Dates use their
    day numbers, roles the person's name, sums their parts too. None when the claim carries no
    parsed value (the bot then compares the text as written).
    """
    # Read by name: the claim kinds do not all carry every field.
    kind = getattr(claim, "kind", None)
    unit = getattr(claim, "unit", None) or ""
    person = getattr(claim, "person", None)
    if kind == "role" or (person and getattr(claim, "value", None) is None):
        if not person:
            return None
        return f"person:{''.join(unicodedata.normalize('NFKC', person).split())}"
    value = getattr(claim, "value", None)
    if value is None:
        return None
    key = f"{unit or kind}:{_number(value)}"
    low, high = getattr(claim, "low", None), getattr(claim, "high", None)
    if (low, high) != (value, value):
        key += f"[{_number(low)},{_number(high)}]"
    parts = getattr(claim, "parts", ()) or ()
    if parts:
        key += "=" + "+".join(_number(part) for _label, part in parts)
    return key


def finding_data(finding: Finding) -> FindingData:
    """What the checker stores about one finding (`findings.data`)."""
    claim, fact = finding.claim, finding.fact
    return FindingData(
        kind=claim.kind,
        unit=getattr(claim, "unit", None),
        value=getattr(claim, "value", None),
        figure=figure_key(claim),
        text=claim.text,
        sentence=claim.sentence,
        sentence_start=claim.sentence_start,
        start=claim.start,
        end=claim.end,
        hint=finding.hint,
        fact_description=fact.description if fact else None,
        rule=finding.rule,
        version=FactVersionRef.of(finding.version),
        severity=fact.severity if fact else "medium",
        topic=fact.topic if fact else None,
        score=finding.score,
    )


def _relative(offset: int | None, sentence_start: int | None) -> int | None:
    if offset is None or sentence_start is None:
        return None
    return int(offset) - int(sentence_start)


__all__ = ["AlertableFinding", "ArticleRef", "CheckedVersion", "FactVersionRef", "FindingData", "fact_key", "figure_key", "finding_data", "read_version", "UnreadableFinding"]
