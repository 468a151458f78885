"""The crawler's records: runs and their per-source results, skipped pages, each source's health,
the validators of pages seen, story prints (syndication) and the last good topics.

Tables: `crawl_runs` (one per crawl process: what was crawled, totals, status),
`crawl_run_sources` (one per source in a run), `crawl_skips` (why pages were skipped),
`crawl_sources` (each source's health after its latest run), `crawl_seen` (validators for
conditional GETs), `crawl_story_prints` (body signatures), `crawl_topic_snapshot` (one row).
How a run ends — its status, a source's problem — is decided in crawler/run_health.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from factwatch.store.rows import inserted_id, record

COUNTERS = ("pages", "new", "updated", "unchanged", "copies", "duplicates", "skipped", "errors")


@dataclass(frozen=True)
class CrawlRun:
    """One crawl process's run, its totals over every source."""

    id: int
    spider: str
    started: str
    finished: str | None
    status: str  # running | ok | partial | failed
    pages: int
    new: int
    updated: int
    unchanged: int
    copies: int
    duplicates: int
    skipped: int
    errors: int
    note: str | None = None  # run-wide problems the crawl worked around (a broken rule file)


@dataclass(frozen=True)
class SourceRun:
    """One source's counts in one run. It *fails* when its entry point (feed, sitemap, listing,
    API call) could not be read; errors on single articles are counted but do not fail it."""

    source: str
    failed: bool = False
    last_error: str | None = None
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    copies: int = 0
    duplicates: int = 0
    skipped: int = 0
    errors: int = 0
    problem: str | None = None  # why it is unhealthy though it did not fail (most pages empty)

    @classmethod
    def counted(cls, source: str, counts: Mapping[str, int], failed: bool = False,
                last_error: str | None = None) -> SourceRun:
        """From counters by name (pages, new …); a name that is not a counter is a bug, not a column."""
        unknown = set(counts) - set(COUNTERS)
        if unknown:
            raise ValueError(f"not crawl counters: {', '.join(sorted(unknown))}")
        n = {name: int(counts.get(name, 0)) for name in COUNTERS}
        return cls(source, failed, last_error, n["pages"], n["new"], n["updated"], n["unchanged"], n["copies"],
                   n["duplicates"], n["skipped"], n["errors"])

    @property
    def kept(self) -> int:
        """Pages stored or already known: the ones that held an article."""
        return self.new + self.updated + self.unchanged + self.copies + self.duplicates


@dataclass(frozen=True)
class SkippedPage:
    source: str
    url: str
    reason: str  # off_topic, no_text, duplicate, http_404 …
    detail: str = ""


@dataclass(frozen=True)
class RunReport(CrawlRun):
    """A run with its per-source counts and its skipped pages, for the summary and health messages."""

    sources: tuple[SourceRun, ...] = ()
    skips: tuple[SkippedPage, ...] = ()


@dataclass(frozen=True)
class SourceLastRun:
    """A source's health after its latest run."""

    source: str
    last_run_id: int | None
    last_run_end: str | None
    last_success: str | None
    articles_yielded: int  # new + updated + copies stored in its last run
    consecutive_failures: int
    last_error: str | None
    problem: str | None


@dataclass(frozen=True)
class SeenPage:
    """An article URL fetched before: its validators, and why it was skipped (then judged with what)."""

    url: str
    source: str | None
    etag: str | None = None
    last_modified: str | None = None
    skip_reason: str | None = None
    judged_with: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None


@dataclass(frozen=True)
class SnapshotTopic:
    id: str
    name: str
    recognise: tuple[str, ...]
    min_mentions: int
    file: str
    line: int


@dataclass(frozen=True)
class TopicSnapshot:
    """The topics of the last rules that loaded: a crawl that finds the rule files broken filters with them."""

    rules_hash: str
    saved_at: str
    topics: tuple[SnapshotTopic, ...] = field(default_factory=tuple)


# -- runs ------------------------------------------------------------------------------------

def start_run(db: Database, now: datetime, spider: str = "news") -> int:
    """Open a crawl run (status "running") and return its id."""
    return inserted_id(db.table("crawl_runs").insert(
        {"spider": spider, "started": now.isoformat(), "status": "running", **{name: 0 for name in COUNTERS}}))


def save_run_note(db: Database, run_id: int, note: str) -> None:
    with db.atomic():
        db.table("crawl_runs").update(run_id, {"note": note})


def load_run(db: Database, run_id: int) -> CrawlRun:
    return _run(db.table("crawl_runs").get(run_id))


def _run(row: dict[str, Any]) -> CrawlRun:
    counts = {name: row.get(name) or 0 for name in COUNTERS}
    return CrawlRun(id=row["id"], spider=row["spider"], started=row["started"], finished=row.get("finished"),
                    status=row["status"], note=row.get("note"), **counts)


def running_runs_since(db: Database, since: datetime) -> list[int]:
    """Runs still "running" that started at or after `since` (a killed crawl cannot close its own)."""
    return [row[0] for row in db.execute(
        "select id from crawl_runs where status = 'running' and started >= ? order by id", [since.isoformat()])]


def totals_between(db: Database, start: str, end: str) -> tuple[int, int]:
    """(pages, new + updated articles) of the runs started between two ISO times."""
    pages, articles = db.execute(
        "select coalesce(sum(pages), 0), coalesce(sum(new), 0) + coalesce(sum(updated), 0) from crawl_runs "
        "where started >= ? and started <= ?", [start, end],
    ).fetchone()
    return int(pages), int(articles)


def close_run(db: Database, run_id: int, now: datetime, status: str, sources: Sequence[SourceRun]) -> CrawlRun:
    """Record a run's end: its status, its totals over `sources`, each source's problem and health."""
    totals = {name: sum(getattr(source, name) for source in sources) for name in COUNTERS}
    with db.atomic():
        db.table("crawl_runs").update(run_id, {"finished": now.isoformat(), "status": status, **totals})
        for source in sources:
            db.table("crawl_run_sources").update((run_id, source.source), {"problem": source.problem})
            _update_source_health(db, run_id, source, now)
    return load_run(db, run_id)


def _update_source_health(db: Database, run_id: int, source: SourceRun, now: datetime) -> None:
    previous = next(db.table("crawl_sources").rows_where("source = ?", [source.source]), None) or {}
    failed = source.failed
    db.table("crawl_sources").upsert(
        {
            "source": source.source,
            "last_run_id": run_id,
            "last_run_end": now.isoformat(),
            "last_success": previous.get("last_success") if failed else now.isoformat(),
            "articles_yielded": source.new + source.updated + source.copies,
            "consecutive_failures": (previous.get("consecutive_failures") or 0) + 1 if failed else 0,
            "last_error": source.last_error if failed else previous.get("last_error"),
            "problem": source.problem,
        },
        pk="source",
    )


def run_report(db: Database, run_id: int) -> RunReport:
    """A run with its per-source counts (by source name) and its skipped pages (in order)."""
    run = load_run(db, run_id)
    return RunReport(**{name: getattr(run, name) for name in CrawlRun.__dataclass_fields__},
                     sources=tuple(source_runs(db, run_id)), skips=tuple(skipped_pages(db, run_id)))


# -- per-source results and skips ------------------------------------------------------------

def save_source_results(db: Database, run_id: int, results: Iterable[SourceRun]) -> None:
    """Store (or replace) the per-source counts of a run."""
    with db.atomic():
        for result in results:
            db.table("crawl_run_sources").upsert(
                {"run_id": run_id, "source": result.source, "failed": int(result.failed), "last_error": result.last_error,
                 **{name: int(getattr(result, name)) for name in COUNTERS}},
                pk=("run_id", "source"),
            )


def source_runs(db: Database, run_id: int) -> list[SourceRun]:
    return [_source_run(row) for row in db.table("crawl_run_sources").rows_where("run_id = ?", [run_id], order_by="source")]


def source_run(db: Database, run_id: int, source: str) -> SourceRun | None:
    row = next(db.table("crawl_run_sources").rows_where("run_id = ? and source = ?", [run_id, source]), None)
    return _source_run(row) if row is not None else None


def _source_run(row: dict[str, Any]) -> SourceRun:
    return SourceRun(source=row["source"], failed=bool(row["failed"]), last_error=row.get("last_error"),
                     problem=row.get("problem"), **{name: row.get(name) or 0 for name in COUNTERS})


def previous_good_run(db: Database, source: str, before_run_id: int) -> int | None:
    """The latest run before `before_run_id` in which `source` did not fail."""
    return db.execute(
        "select max(run_id) from crawl_run_sources where source = ? and run_id < ? and failed = 0", [source, before_run_id]
    ).fetchone()[0]


def save_skips(db: Database, run_id: int, skips: Iterable[SkippedPage]) -> None:
    """Store why pages were skipped."""
    rows = [{"run_id": run_id, "source": s.source, "url": s.url, "reason": s.reason, "detail": s.detail} for s in skips]
    if rows:
        db.table("crawl_skips").insert_all(rows)


def skipped_pages(db: Database, run_id: int) -> list[SkippedPage]:
    return [record(SkippedPage, row) for row in db.table("crawl_skips").rows_where("run_id = ?", [run_id], order_by="id")]


def skip_reasons(db: Database, run_id: int, source: str) -> list[str]:
    return [row[0] for row in db.execute(
        "select reason from crawl_skips where run_id = ? and source = ? order by id", [run_id, source])]


# -- each source's health --------------------------------------------------------------------

def last_runs_by_source(db: Database) -> list[SourceLastRun]:
    """Each source's health after its latest run, worst first (most consecutive failures)."""
    return [
        SourceLastRun(
            source=row["source"], last_run_id=row.get("last_run_id"), last_run_end=row.get("last_run_end"),
            last_success=row.get("last_success"), articles_yielded=row.get("articles_yielded") or 0,
            consecutive_failures=row.get("consecutive_failures") or 0, last_error=row.get("last_error"),
            problem=row.get("problem"),
        )
        for row in db.query("select * from crawl_sources order by consecutive_failures desc, source")
    ]


def last_yields(db: Database) -> dict[str, str]:
    """Per source, when its latest run that held articles at all (stored or known) finished."""
    return {
        row["source"]: row["last_yield"]
        for row in db.query(
            "select s.source, max(r.finished) as last_yield from crawl_run_sources s join crawl_runs r on r.id = s.run_id "
            "where s.failed = 0 and (coalesce(s.new, 0) + coalesce(s.updated, 0) + coalesce(s.unchanged, 0) "
            "+ coalesce(s.copies, 0) + coalesce(s.duplicates, 0)) > 0 group by s.source"
        )
    }


def first_runs(db: Database) -> dict[str, str]:
    """Per source, when its first run finished."""
    return {
        row["source"]: row["first_run"]
        for row in db.query(
            "select s.source, min(r.finished) as first_run from crawl_run_sources s join crawl_runs r on r.id = s.run_id "
            "group by s.source"
        )
    }


# -- pages seen ------------------------------------------------------------------------------

def load_seen(db: Database) -> dict[str, SeenPage]:
    """Every article URL fetched before, by URL."""
    return {row["url"]: record(SeenPage, row) for row in db.table("crawl_seen").rows}


def save_seen(db: Database, seen: Iterable[SeenPage], now: datetime) -> None:
    """Remember the validators of the article URLs fetched in this run."""
    table = db.table("crawl_seen")
    with db.atomic():
        for page in seen:
            existing = next(table.rows_where("url = ?", [page.url]), None) or {}
            table.upsert(
                {
                    "url": page.url,
                    "source": page.source,
                    "etag": page.etag or existing.get("etag"),
                    "last_modified": page.last_modified or existing.get("last_modified"),
                    "first_seen": existing.get("first_seen") or now.isoformat(),
                    "last_seen": now.isoformat(),
                    # Overwritten, not merged: a page stored now is no longer a skipped one.
                    "skip_reason": page.skip_reason,
                    "judged_with": page.judged_with,
                },
                pk="url",
            )


# -- story prints ----------------------------------------------------------------------------

def load_story_prints(db: Database, since: datetime) -> list[tuple[str, tuple[int, ...]]]:
    """(story_key, signature) of bodies stored since `since`, newest first."""
    return [
        (row["story_key"], tuple(json.loads(row["signature"])))
        for row in db.table("crawl_story_prints").rows_where("stored_at >= ?", [since.isoformat()], order_by="id desc")
    ]


def save_story_print(db: Database, story_key: str, url: str, signature: tuple[int, ...], now: datetime) -> None:
    db.table("crawl_story_prints").insert(
        {"story_key": story_key, "url": url, "signature": json.dumps(signature), "stored_at": now.isoformat()}
    )


# -- the last good topics --------------------------------------------------------------------

def save_topic_snapshot(db: Database, snapshot: TopicSnapshot) -> None:
    topics = [
        {"id": t.id, "name": t.name, "recognise": list(t.recognise), "min_mentions": t.min_mentions, "file": t.file,
         "line": t.line}
        for t in snapshot.topics
    ]
    with db.atomic():
        db.table("crawl_topic_snapshot").upsert(
            {"id": 1, "rules_hash": snapshot.rules_hash, "topics": json.dumps(topics, ensure_ascii=False),
             "saved_at": snapshot.saved_at},
            pk="id",
        )


def load_topic_snapshot(db: Database) -> TopicSnapshot | None:
    row = next(db.table("crawl_topic_snapshot").rows_where("id = 1"), None)
    if row is None:
        return None
    topics = tuple(
        SnapshotTopic(id=t["id"], name=t["name"], recognise=tuple(t["recognise"]), min_mentions=t["min_mentions"],
                      file=t["file"], line=t["line"])
        for t in json.loads(row["topics"])
    )
    return TopicSnapshot(rules_hash=row["rules_hash"], saved_at=row["saved_at"], topics=topics)
