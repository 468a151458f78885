"""The archive as checker/suggest.py's records: `Report`s and `Unlinked`s from factwatch/store/archive.py's rows."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlite_utils import Database

from checker.models import local_day
from checker.suggest import Report, Unlinked, label_of, normalize_written
from factwatch.store.archive import judged_claims, unlinked_quantities


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
    reports = []
    for row in judged_claims(db, verdicts):
        if fact_ids is not None and row.fact_id not in fact_ids:
            continue
        claim = row.claim
        written = (claim.get("text") or row.claimed or "").strip()
        version = row.finding.get("version") or {}
        reports.append(Report(
            fact_id=row.fact_id, key=value_key(claim, written), written=written,
            exact=(claim.get("hedge_kind") or "exact") == "exact", verdict=row.verdict,
            sentence=claim.get("sentence") or "", published=_day(row.published), outlet=row.outlet or "",
            url=row.url, title=row.title or "", story_id=row.story_id or row.article_id,
            article_id=row.article_id, version_id=row.version_id, finding_id=row.finding_id,
            claim_id=row.claim_id,
            value=Decimal(claim["value"]) if claim.get("kind") == "quantity" and claim.get("value") is not None else None,
            kind=claim.get("kind") or "quantity",
            matched=version.get("display") if row.verdict == "match" else None,
        ))
    return reports


def load_unlinked(db: Database) -> list[Unlinked]:
    """Quantities with a label of their own that no fact took, from each article's latest version."""
    items = []
    for row in unlinked_quantities(db):
        claim = row.claim
        label = label_of(claim.get("left") or "")
        if label is None or claim.get("value") is None:
            continue
        written = (claim.get("text") or "").strip()
        items.append(Unlinked(
            label=label, unit=claim.get("unit") or "", key=value_key(claim, written), written=written,
            sentence=claim.get("sentence") or "", published=_day(row.published), outlet=row.outlet or "",
            story_id=row.story_id or row.article_id,
        ))
    return items
