"""Queries on extracted claims, and on article versions as the checker marks them checked.

The checker encodes a claim (checker/claim_codec.py) and hands the store its JSON with the
columns people query; the store does not look inside `data`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from factwatch.store.articles import _VERSION_COLUMNS, ArticleVersion
from factwatch.store.rows import record


@dataclass(frozen=True)
class ClaimRow:
    """One claim as stored: its place in the article and its encoded JSON."""

    seq: int
    kind: str
    start: int
    end: int
    text: str
    sentence: str
    data: str
    match_key: str  # which facts it could be about ('unit:KRW', 'kind:date', 'sum'), for recheck


@dataclass(frozen=True)
class StoredClaim:
    id: int
    version_id: int
    data: str


def claims_of(db: Database, version_id: int) -> list[StoredClaim]:
    """The claims stored for one version, in article order."""
    return [StoredClaim(row["id"], row["version_id"], row["data"])
            for row in db.query("select id, version_id, data from claims where version_id = ? order by seq", [version_id])]


def insert_claims(db: Database, version_id: int, rows: Sequence[ClaimRow]) -> list[int]:
    """Store a version's claims (extracted once); their ids, in order."""
    ids = []
    with db.atomic():
        for row in rows:
            cursor = db.conn.execute(
                'insert into claims (version_id, seq, kind, start, "end", text, sentence, data, match_key) '
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [version_id, row.seq, row.kind, row.start, row.end, row.text, row.sentence, row.data, row.match_key],
            )
            ids.append(int(cursor.lastrowid or 0))
    return ids


def claims_by_version(db: Database, match_keys: Sequence[str]) -> dict[int, list[StoredClaim]]:
    """Every stored claim whose match key is one of `match_keys`, grouped by version."""
    grouped: dict[int, list[StoredClaim]] = {}
    if not match_keys:
        return grouped
    marks = ", ".join("?" for _ in match_keys)
    for row in db.query(f"select id, version_id, data from claims where match_key in ({marks}) order by version_id, seq",
                        list(match_keys)):
        grouped.setdefault(row["version_id"], []).append(StoredClaim(row["id"], row["version_id"], row["data"]))
    return grouped


def count_claims(db: Database) -> int:
    return int(db.execute("select count(*) from claims").fetchone()[0])


def mark_checked(db: Database, version_id: int, when: str, error: str | None = None) -> None:
    """The version's claims were extracted and judged (or, with `error`, it could not be: it is
    then skipped, not retried every cycle; clearing both columns retries it)."""
    values: dict[str, str | None] = {"extracted_at": when}
    if error is not None:
        values["check_error"] = error[:500]
    with db.atomic():
        db.table("article_versions").update(version_id, values)


def checked_versions(db: Database) -> list[ArticleVersion]:
    """Every version already checked, syndicated copies excluded (what `recheck` re-judges)."""
    return [record(ArticleVersion, row) for row in db.query(
        f"select {_VERSION_COLUMNS} from article_versions v join articles a on a.id = v.article_id "
        "where v.extracted_at is not null and v.copy_of is null order by v.id")]


def latest_version(db: Database, article_id: int) -> ArticleVersion:
    """The article's newest stored version."""
    row = next(db.query(
        f"select {_VERSION_COLUMNS} from article_versions v join articles a on a.id = v.article_id "
        "where v.article_id = ? order by v.version desc limit 1", [article_id]))
    return record(ArticleVersion, row)
