"""The checker's side of the store: a RuleSet as fact records, and a claim's match key.

The queries live in factwatch/store/ (articles.py, facts.py). `save_article`,
`versions_to_check` and `dumps` are re-exported here for checker/check_store.py, which issue 9's
findings/alerts branch moves onto the store layer itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from checker.models import Fact
from checker.rules import RuleSet
from factwatch.store import articles, facts
from factwatch.store.articles import SavedArticle, hash_content, save_article
from factwatch.store.rows import dumps

__all__ = ["SavedArticle", "claim_match_key", "dumps", "fact_record", "hash_content", "save_article", "save_facts",
           "versions_to_check"]


def fact_record(fact: Fact) -> facts.FactRecord:
    """How one fact of the rule files is mirrored in the `facts` table."""
    return facts.FactRecord(
        id=fact.id, topic=fact.topic, kind=fact.kind, description=fact.description, file=fact.file, line=fact.line,
        data={
            "unit": fact.unit, "cues": fact.cues, "exclude": fact.exclude, "severity": fact.severity,
            "tolerance": fact.tolerance, "rounding": fact.rounding,
            "versions": [
                {"display": v.display, "from": v.valid_from, "until": v.valid_until, "source": v.source,
                 "ordinal": v.ordinal, "line": v.line}
                for v in fact.versions
            ],
        },
    )


def save_facts(db: Database, rules: RuleSet, now: datetime | None = None) -> bool:
    """Mirror the rule files' facts into the `facts` table (the files stay the source of truth).

    Returns False when this exact rule set was synced already.
    """
    return facts.save_facts(db, rules.content_hash, rules.files, [fact_record(fact) for fact in rules.facts], now)


def versions_to_check(db: Database) -> list[dict[str, Any]]:
    """Stored versions whose claims have not been extracted yet, as rows (see articles.versions_to_check)."""
    return [version.as_row() for version in articles.versions_to_check(db)]


def claim_match_key(claim: dict) -> str:
    kind = claim.get("kind")
    if kind == "quantity":
        return f"unit:{claim.get('unit')}"
    if kind in ("date", "period"):
        return "kind:date"
    return f"kind:{kind}" if kind == "role" else str(kind)
