"""The crawler's tables: runs, per-source results and health, skipped and seen pages, story prints, topic snapshots.

Frozen: a migration that has shipped is never edited, and never calls live code (a data
migration carries its own copy of what it needs), so a store of any age opens the same way.
New columns and tables are a new function at the end.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("factwatch.crawler")

# The per-run counters as they were when m001 shipped.
_COUNTERS = ("pages", "new", "updated", "unchanged", "copies", "duplicates", "skipped", "errors")


@MIGRATIONS()
def m001_runs_sources_seen(db: Database) -> None:
    db.table("crawl_runs").create(
        {"id": int, "spider": str, "started": str, "finished": str, "status": str, **{name: int for name in _COUNTERS}},
        pk="id",
    )
    db.table("crawl_run_sources").create(
        {"run_id": int, "source": str, "failed": int, "last_error": str, **{name: int for name in _COUNTERS}},
        pk=("run_id", "source"),
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db.table("crawl_skips").create(
        {"id": int, "run_id": int, "source": str, "url": str, "reason": str, "detail": str},
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db.table("crawl_skips").create_index(["run_id"])
    db.table("crawl_sources").create(
        {
            "source": str,
            "last_run_id": int,
            "last_run_end": str,
            "last_success": str,
            "articles_yielded": int,
            "consecutive_failures": int,
            "last_error": str,
        },
        pk="source",
    )
    # Validators of every article URL fetched, for conditional GETs: an unchanged page costs a 304.
    db.table("crawl_seen").create(
        {"url": str, "source": str, "etag": str, "last_modified": str, "first_seen": str, "last_seen": str},
        pk="url",
    )
    # MinHash signatures of stored bodies, to give syndicated copies the story_key of the first.
    db.table("crawl_story_prints").create(
        {"id": int, "story_key": str, "url": str, "signature": str, "stored_at": str}, pk="id"
    )
    db.table("crawl_story_prints").create_index(["stored_at"])


@MIGRATIONS()
def m002_source_problems(db: Database) -> None:
    # Why a source that did not fail is still unhealthy (e.g. every page came out empty), per
    # run and as its current health: an outlet yielding nothing must not read as 정상.
    db.table("crawl_run_sources").add_column("problem", str)
    db.table("crawl_sources").add_column("problem", str)


@MIGRATIONS()
def m003_run_notes_and_topics(db: Database) -> None:
    # A run-wide problem the crawl worked around (a broken rule file), for the summary and status.
    db.table("crawl_runs").add_column("note", str)
    # The topics of the last rules that loaded: the topic filter of a crawl that finds them broken.
    db.table("crawl_topic_snapshot").create({"id": int, "rules_hash": str, "topics": str, "saved_at": str}, pk="id")


@MIGRATIONS()
def m004_seen_skips(db: Database) -> None:
    # Validators are kept for skipped pages too (a re-crawl then costs a 304), with why the page
    # was skipped and what it was judged with: when the topics, the site's selectors or the
    # extractor change, the page is fetched in full and judged again.
    db.table("crawl_seen").add_column("skip_reason", str)
    db.table("crawl_seen").add_column("judged_with", str)
