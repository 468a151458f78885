"""Queries on the checker's findings, and the checked versions the bot has not seen yet.

The checker writes findings here (`replace_findings`); the bot reads them back
(`versions_to_alert`, `findings_of`) and checker/alertable.py `read_version` turns them into
`AlertableFinding` records, so neither knows the other's tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class FindingRow:
    """One finding as the checker stores it: the columns people query, and `data` (the JSON of
    checker/alertable.py FindingData, dumped by the checker: the store does not look inside)."""

    claim_id: int | None
    fact_id: str | None
    verdict: str
    alert: bool
    claimed: str
    canonical: str | None
    explanation: str
    data: str
    rules_hash: str
    judged_at: str


def replace_findings(db: Database, version_id: int, rows: Sequence[FindingRow]) -> list[int]:
    """The findings of one version, replacing those of an earlier judgement; their new ids."""
    ids = []
    with db.atomic():  # a savepoint inside the checker's own transaction
        db.execute("delete from findings where version_id = ?", [version_id])
        for row in rows:
            cursor = db.conn.execute(
                "insert into findings (version_id, claim_id, fact_id, verdict, alert, claimed, canonical, explanation, "
                "data, rules_hash, judged_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [version_id, row.claim_id, row.fact_id, str(row.verdict), int(row.alert), row.claimed, row.canonical,
                 row.explanation, row.data, row.rules_hash, row.judged_at],
            )
            ids.append(int(cursor.lastrowid or 0))
    return ids


@dataclass(frozen=True)
class VersionToAlert:
    """A checked article version the bot has not seen yet, with the article as alerts name it."""

    version_id: int
    article_id: int
    story_id: int | None
    version: int  # 1 = first version; more = an edit
    url: str
    title: str  # the version's title, else the article's
    outlet: str | None
    published: str | None  # ISO: the version's, else the article's


@dataclass(frozen=True)
class StoredFinding:
    """A findings row; checker/alertable.py read_version makes AlertableFinding records of them."""

    id: int
    fact_id: str | None
    verdict: str
    alert: bool
    claimed: str
    canonical: str | None
    explanation: str
    data: str  # FindingData JSON


def versions_to_alert(db: Database) -> list[VersionToAlert]:
    """Checked versions not yet in `bot_versions_seen`, oldest first."""
    rows = db.execute(
        "select v.id, v.article_id, a.story_id, v.version, a.url, coalesce(nullif(v.title, ''), a.title), a.outlet, "
        "coalesce(nullif(v.published, ''), a.published) from article_versions v join articles a on a.id = v.article_id "
        "where v.extracted_at is not null and v.id not in (select version_id from bot_versions_seen) order by v.id"
    ).fetchall()
    return [VersionToAlert(version_id, article_id, story_id, number or 1, url, title or "", outlet, published)
            for version_id, article_id, story_id, number, url, title, outlet, published in rows]


def findings_of(db: Database, version_id: int) -> list[StoredFinding]:
    """Every finding of one version, alerting or not, in the order they were judged."""
    return [
        StoredFinding(finding_id, fact_id, verdict, bool(alert), claimed or "", canonical, explanation or "", data or "{}")
        for finding_id, fact_id, verdict, alert, claimed, canonical, explanation, data in db.execute(
            "select id, fact_id, verdict, alert, claimed, canonical, explanation, data from findings "
            "where version_id = ? order by id",
            [version_id],
        )
    ]


def alerting_claims(db: Database, fact_id: str, version_id: int | None = None) -> list[str]:
    """The figures, as written, of the alerting findings about `fact_id` (in one version, or all)."""
    sql = "select claimed from findings where fact_id = ? and alert = 1"
    params: list = [fact_id]
    if version_id is not None:
        sql += " and version_id = ?"
        params.append(version_id)
    return [row[0] for row in db.execute(sql, params)]


def articles_seen_between(db: Database, start: str, end: str) -> int:
    """How many articles a crawl saw in [start, end) (UTC ISO strings)."""
    return int(db.execute("select count(*) from articles where last_seen >= ? and last_seen < ?", [start, end])
               .fetchone()[0] or 0)


__all__ = ["FindingRow", "StoredFinding", "VersionToAlert", "alerting_claims", "articles_seen_between", "findings_of",
           "replace_findings", "versions_to_alert"]
