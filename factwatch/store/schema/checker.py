"""The checker's tables: stories, articles and their versions, claims, findings, facts, rule sets.

Frozen: a migration that has shipped is never edited, and never calls live code (a data
migration carries its own copy of what it needs), so a store of any age opens the same way.
New columns and tables are a new function at the end.
"""

from __future__ import annotations

import json

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("factwatch.checker")


@MIGRATIONS()
def m001_articles_claims_findings(db: Database) -> None:
    db.table("stories").create({"id": int, "story_key": str, "first_article_id": int}, pk="id")
    db.table("stories").create_index(["story_key"], unique=True)
    db.table("articles").create(
        {
            "id": int,
            "url": str,
            "outlet": str,
            "source": str,
            "author": str,
            "title": str,
            "published": str,
            "story_id": int,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
    )
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["story_id"])
    db.table("article_versions").create(
        {
            "id": int,
            "article_id": int,
            "version": int,
            "content_hash": str,
            "title": str,
            "text": str,
            "published": str,
            "updated": str,
            "fetched_at": str,
            # Set when another article of the same story already has this exact text:
            # a syndicated copy is stored but checked (and alerted) once.
            "copy_of": int,
            "extracted_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("article_versions").create_index(["article_id", "content_hash"], unique=True)
    db.table("article_versions").create_index(["content_hash"])
    db.table("claims").create(
        {
            "id": int,
            "version_id": int,
            "seq": int,
            "kind": str,
            "start": int,
            "end": int,
            "text": str,
            "sentence": str,
            "data": str,
        },
        pk="id",
        foreign_keys=[("version_id", "article_versions", "id")],
    )
    db.table("claims").create_index(["version_id"])
    db.table("facts").create(
        {"id": str, "topic": str, "kind": str, "description": str, "file": str, "line": int, "data": str},
        pk="id",
    )
    db.table("findings").create(
        {
            "id": int,
            "version_id": int,
            "claim_id": int,
            "fact_id": str,
            "verdict": str,
            "alert": int,
            "claimed": str,
            "canonical": str,
            "explanation": str,
            "data": str,
            "rules_hash": str,
            "judged_at": str,
        },
        pk="id",
        foreign_keys=[("version_id", "article_versions", "id")],
    )
    db.table("findings").create_index(["version_id"])
    db.table("findings").create_index(["alert"])


@MIGRATIONS()
def m002_rule_sets(db: Database) -> None:
    # Which rule files the facts table was last synced from, so a sync is skipped when the
    # files have not changed and findings can be traced to the rules that produced them.
    db.table("rule_sets").create({"hash": str, "loaded_at": str, "files": str, "facts": int}, pk="hash")
    db.table("facts").add_column("rules_hash", str)


@MIGRATIONS()
def m003_claim_match_key(db: Database) -> None:
    # Which facts a stored claim could be about ("unit:KRW", "kind:date", "kind:role", "sum"),
    # so `recheck` decodes only the claims some fact in the current rules could match.
    db.table("claims").add_column("match_key", str)
    for row in list(db.query("select id, data from claims")):
        db.table("claims").update(row["id"], {"match_key": _match_key(json.loads(row["data"]))})
    db.table("claims").create_index(["match_key"])


@MIGRATIONS()
def m004_versions_by_edit(db: Database) -> None:
    # A version is an edit, not a distinct text: the same text can come back (an edit undone)
    # or stay with a new 수정 time, so (article, text) is no longer unique.
    db.execute("drop index if exists idx_article_versions_article_id_content_hash")
    db.table("article_versions").create_index(["article_id", "version"], unique=True)


@MIGRATIONS()
def m005_check_error(db: Database) -> None:
    # Why a version could not be checked (it is then skipped, not retried every cycle).
    db.table("article_versions").add_column("check_error", str)


def _match_key(claim: dict) -> str:
    # As claim match keys were written when m003 shipped.
    kind = claim.get("kind")
    if kind == "quantity":
        return f"unit:{claim.get('unit')}"
    if kind in ("date", "period"):
        return "kind:date"
    return f"kind:{kind}" if kind == "role" else str(kind)
