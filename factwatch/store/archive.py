"""The archive as `factwatch rules suggest` and the bot's holds read it: the figures each
article's latest checked version reported, with the finding and the claim behind each.

An edit replaces what an article says, so only its latest checked version counts; syndicated
exact copies are never checked and never counted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

# The latest checked version of every article.
_LATEST = (
    "select max(v2.id) from article_versions v2 where v2.article_id = v.article_id "
    "and v2.extracted_at is not null and v2.copy_of is null"
)


@dataclass(frozen=True)
class JudgedClaim:
    """A finding on a fact, with its claim (the stored JSON, decoded) and where it was printed."""

    finding_id: int
    fact_id: str
    verdict: str
    claimed: str | None
    claim_id: int | None
    finding: dict[str, Any]  # findings.data
    claim: dict[str, Any]  # claims.data ({} when the claim row is gone)
    version_id: int
    published: str | None
    title: str | None
    article_id: int
    outlet: str | None
    url: str
    story_id: int | None


@dataclass(frozen=True)
class UnlinkedQuantity:
    """A quantity claim no fact took, with where it was printed."""

    claim: dict[str, Any]  # claims.data
    published: str | None
    outlet: str | None
    story_id: int | None
    article_id: int


def judged_claims(db: Database, verdicts: Sequence[str] | None = None) -> list[JudgedClaim]:
    """Every claim judged against a fact (only `verdicts`, if given) in each article's latest checked version, in order."""
    only = f" and f.verdict in ({', '.join('?' for _ in verdicts)})" if verdicts else ""
    rows = db.query(
        "select f.id as finding_id, f.fact_id, f.verdict, f.claimed, f.claim_id, f.data as finding, c.data as claim, "
        "v.id as version_id, v.published, v.title, a.id as article_id, a.outlet, a.url, a.story_id "
        "from findings f join article_versions v on v.id = f.version_id join articles a on a.id = v.article_id "
        f"left join claims c on c.id = f.claim_id where f.fact_id is not null{only} and v.id = ({_LATEST}) order by f.id",
        list(verdicts or ()),
    )
    return [
        JudgedClaim(
            finding_id=row["finding_id"], fact_id=row["fact_id"], verdict=row["verdict"], claimed=row["claimed"],
            claim_id=row["claim_id"], finding=json.loads(row["finding"] or "{}"), claim=json.loads(row["claim"] or "{}"),
            version_id=row["version_id"], published=row["published"], title=row["title"], article_id=row["article_id"],
            outlet=row["outlet"], url=row["url"], story_id=row["story_id"],
        )
        for row in rows
    ]


def unlinked_quantities(db: Database) -> list[UnlinkedQuantity]:
    """Quantity claims that no fact took, from each article's latest checked version, in order."""
    rows = db.query(
        "select c.data, v.published, a.outlet, a.story_id, a.id as article_id from claims c "
        "join article_versions v on v.id = c.version_id join articles a on a.id = v.article_id "
        f"where c.kind = 'quantity' and v.id = ({_LATEST}) "
        "and not exists (select 1 from findings f where f.claim_id = c.id and f.fact_id is not null) order by c.id"
    )
    return [
        UnlinkedQuantity(claim=json.loads(row["data"]), published=row["published"], outlet=row["outlet"],
                         story_id=row["story_id"], article_id=row["article_id"])
        for row in rows
    ]
