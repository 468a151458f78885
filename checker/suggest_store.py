"""Reads the archive for checker/suggest.py: each article's latest checked version's findings and claims."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from sqlite_utils import Database

from checker.models import local_day
from checker.suggest import Report, Unlinked, label_of, normalize_written

# The latest checked version of every article (an edit replaces what the article says).
_LATEST = (
    "select max(v2.id) from article_versions v2 where v2.article_id = v.article_id "
    "and v2.extracted_at is not null and v2.copy_of is null"
)


def _day(text: str | None):
    if not text:
        return None
    try:
        return local_day(datetime.fromisoformat(text))
    except ValueError:
        return None


def value_key(claim: dict, written: str) -> str:
    if claim.get("kind") == "quantity" and claim.get("value") is not None:
        return f"{claim.get('unit')}|{Decimal(claim['value']).normalize()}|{claim.get('hedge_kind') or 'exact'}"
    return f"{claim.get('kind')}|{normalize_written(claim.get('person') or written)}"


def load_reports(db: Database, fact_ids: set[str] | None = None, verdicts: tuple[str, ...] | None = None) -> list[Report]:
    """Every figure judged against a fact (only `verdicts`, if given), from each article's latest checked version."""
    only = f" and f.verdict in ({', '.join('?' for _ in verdicts)})" if verdicts else ""
    rows = db.query(
        "select f.id as finding_id, f.fact_id, f.verdict, f.claimed, f.claim_id, f.data as finding, c.data as claim, "
        "v.id as version_id, v.published, v.title, a.id as article_id, a.outlet, a.url, a.story_id "
        "from findings f join article_versions v on v.id = f.version_id join articles a on a.id = v.article_id "
        f"left join claims c on c.id = f.claim_id where f.fact_id is not null{only} and v.id = ({_LATEST}) order by f.id",
        list(verdicts or ()),
    )
    reports = []
    for row in rows:
        if fact_ids is not None and row["fact_id"] not in fact_ids:
            continue
        claim = json.loads(row["claim"] or "{}")
        written = (claim.get("text") or row["claimed"] or "").strip()
        version = (json.loads(row["finding"] or "{}").get("version") or {})
        reports.append(Report(
            fact_id=row["fact_id"], key=value_key(claim, written), written=written,
            exact=(claim.get("hedge_kind") or "exact") == "exact", verdict=row["verdict"],
            sentence=claim.get("sentence") or "", published=_day(row["published"]), outlet=row["outlet"] or "",
            url=row["url"], title=row["title"] or "", story_id=row["story_id"] or row["article_id"],
            article_id=row["article_id"], version_id=row["version_id"], finding_id=row["finding_id"],
            claim_id=row["claim_id"],
            value=Decimal(claim["value"]) if claim.get("kind") == "quantity" and claim.get("value") is not None else None,
            kind=claim.get("kind") or "quantity",
            matched=version.get("display") if row["verdict"] == "match" else None,
        ))
    return reports


def load_unlinked(db: Database) -> list[Unlinked]:
    """Quantities with a label of their own that no fact took, from each article's latest version."""
    rows = db.query(
        "select c.data, v.published, a.outlet, a.story_id, a.id as article_id from claims c "
        "join article_versions v on v.id = c.version_id join articles a on a.id = v.article_id "
        f"where c.kind = 'quantity' and v.id = ({_LATEST}) "
        "and not exists (select 1 from findings f where f.claim_id = c.id and f.fact_id is not null) order by c.id"
    )
    items = []
    for row in rows:
        claim = json.loads(row["data"])
        label = label_of(claim.get("left") or "")
        if label is None or claim.get("value") is None:
            continue
        written = (claim.get("text") or "").strip()
        items.append(Unlinked(
            label=label, unit=claim.get("unit") or "", key=value_key(claim, written), written=written,
            sentence=claim.get("sentence") or "", published=_day(row["published"]), outlet=row["outlet"] or "",
            story_id=row["story_id"] or row["article_id"],
        ))
    return items
