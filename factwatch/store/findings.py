"""Queries on the checker's findings, and the checked versions the bot has not seen yet.

The checker writes findings here (`replace_findings`); the bot reads them back as
`AlertableFinding` records (`versions_to_alert`), so neither knows the other's tables.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from pydantic import ValidationError
from sqlite_utils import Database

from checker.alertable import AlertableFinding, ArticleRef, CheckedVersion, FindingData, fact_key


@dataclass(frozen=True)
class FindingRow:
    """One finding as the checker stores it: the columns people query, and `data`."""

    claim_id: int | None
    fact_id: str | None
    verdict: str
    alert: bool
    claimed: str
    canonical: str | None
    explanation: str
    data: FindingData
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
                 row.explanation, row.data.model_dump_json(), row.rules_hash, row.judged_at],
            )
            ids.append(int(cursor.lastrowid or 0))
    return ids


class StoredFindingError(ValueError):
    """A `findings` row whose data does not read as a FindingData (written by hand, or damaged)."""


def versions_to_alert(db: Database) -> list[CheckedVersion]:
    """Checked versions not yet in `bot_versions_seen`, oldest first, without their findings
    (`with_findings` reads them, one version at a time, so the caller may write in between)."""
    rows = db.execute(
        "select v.id, v.article_id, a.story_id, v.version, a.url, coalesce(nullif(v.title, ''), a.title), a.outlet, "
        "coalesce(nullif(v.published, ''), a.published) from article_versions v join articles a on a.id = v.article_id "
        "where v.extracted_at is not null and v.id not in (select version_id from bot_versions_seen) order by v.id"
    ).fetchall()
    return [
        CheckedVersion(version_id, article_id, story_id, number or 1,
                       ArticleRef(url=url, title=title or "", outlet=outlet, published=published, version=number or 1), ())
        for version_id, article_id, story_id, number, url, title, outlet, published in rows
    ]


def with_findings(db: Database, version: CheckedVersion) -> CheckedVersion:
    """`version` with all its findings. Raises StoredFindingError (Korean, naming the row) for
    a row that does not read."""
    return replace(version, findings=tuple(
        _findings_of(db, version.version_id, version.article_id, version.story_id, version.article)))


def _findings_of(db: Database, version_id: int, article_id: int, story_id: int | None,
                 article: ArticleRef) -> Iterator[AlertableFinding]:
    for (finding_id, fact_id, verdict, alert, claimed, canonical, explanation, data) in db.execute(
        "select id, fact_id, verdict, alert, claimed, canonical, explanation, data from findings "
        "where version_id = ? order by id",
        [version_id],
    ):
        try:
            stored = FindingData.model_validate_json(data or "{}")
            yield AlertableFinding(
                **dict(stored), finding_id=finding_id, story_id=story_id, article_id=article_id,
                version_id=version_id, fact_key=fact_key(fact_id, verdict), verdict=verdict, alert=bool(alert),
                claimed=claimed or "", canonical=canonical, explanation=explanation or "", article=article,
            )
        except ValidationError as error:
            raise StoredFindingError(
                f"판정 기록 findings #{finding_id}(기사 판 {version_id})을 읽을 수 없습니다: {error}") from error


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


__all__ = ["CheckedVersion", "FindingRow", "StoredFindingError", "alerting_claims", "articles_seen_between",
           "replace_findings", "versions_to_alert", "with_findings"]
