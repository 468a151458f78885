"""Collects one crawl's per-source counts, skips and seen URLs in memory, and writes them when it closes."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlite_utils import Database

from factwatch.store import crawl, open_db
from factwatch.store.crawl import SeenPage, SkippedPage, SourceRun


class RunRecorder:
    """Shared by the spider, the pipelines and the run extension of one crawler (see `of`)."""

    def __init__(self, db_path: str):
        self.db_path = db_path
        self._db: Database | None = None
        self.run_id: int | None = None
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.errors: dict[str, str] = {}
        self.failed: set[str] = set()
        self.skips: list[SkippedPage] = []
        self.seen: dict[str, SeenPage] = {}
        self.stored_urls: set[str] = set()  # url_key of articles handled this run: later variants are duplicates
        self._stored_ok: set[str] = set()  # url_key of articles the store accepted this run
        self._waiting: dict[str, list[tuple]] = defaultdict(list)  # validators of variants, by url_key
        # What the topic filter judges with (crawler/topic.py); None while no rules load, and then
        # skipped pages keep no validators, so they are fetched in full once the rules load.
        self.topic_fingerprint: str | None = None
        self.notes: list[str] = []  # run-wide problems (broken rule files) for the record and the summary

    @classmethod
    def of(cls, crawler) -> RunRecorder:
        recorder = getattr(crawler, "_factwatch_recorder", None)
        if recorder is None:
            recorder = cls(crawler.settings.get("FACTWATCH_DB") or "factwatch.db")
            crawler._factwatch_recorder = recorder
        return recorder

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_db(self.db_path)
        return self._db

    def count(self, source: str, name: str, n: int = 1) -> None:
        self.counts[source][name] += n

    def skip(self, source: str, url: str, reason: str, detail: str = "") -> None:
        self.count(source, "skipped")
        self.skips.append(SkippedPage(source, url, reason, detail[:500]))

    def error(self, source: str, url: str, reason: str, detail: str = "", entry: bool = False) -> None:
        """A page that should have worked did not; `entry` (feed/sitemap/listing/API) fails the source."""
        self.count(source, "errors")
        self.errors[source] = f"{reason}: {url} {detail}".strip()
        self.skips.append(SkippedPage(source, url, reason, detail[:500]))
        if entry:
            self.failed.add(source)

    def note(self, message: str) -> None:
        self.notes.append(message)

    def saw(self, url: str, source: str, etag: str | None, last_modified: str | None,
            skip_reason: str | None = None, judged_with: str | None = None) -> None:
        self.seen[url] = SeenPage(url, source, etag, last_modified, skip_reason, judged_with)

    def stored(self, url: str, source: str, request_url: str, etag: str | None, last_modified: str | None) -> None:
        """The store accepted the article at canonical `url`: remember the validators of the
        request that fetched it and of any variant (AMP, mobile) that was waiting on it."""
        self._stored_ok.add(url)
        self.saw(request_url, source, etag, last_modified)
        for waiting in self._waiting.pop(url, []):
            self.saw(*waiting)

    def saw_variant(self, url: str, source: str, request_url: str, etag: str | None, last_modified: str | None) -> None:
        """A variant of canonical `url` dropped as a duplicate: its validators count once `url` is stored."""
        if url in self._stored_ok:
            self.saw(request_url, source, etag, last_modified)
        else:
            self._waiting[url].append((request_url, source, etag, last_modified))

    def results(self) -> list[SourceRun]:
        """This run's per-source counts so far; a source that failed before counting anything is there too."""
        results = [
            SourceRun.counted(source, counts, failed=source in self.failed, last_error=self.errors.get(source))
            for source, counts in self.counts.items()
        ]
        results += [SourceRun(source, failed=True, last_error=self.errors.get(source))
                    for source in sorted(self.failed - set(self.counts))]
        return results

    def flush(self, now: datetime | None = None) -> None:
        """Write this run's per-source results, skips and seen URLs."""
        if self.run_id is None:
            raise RuntimeError("RunRecorder.flush before the run was opened (spider_opened sets run_id)")
        now = now or datetime.now(UTC)
        crawl.save_source_results(self.db, self.run_id, self.results())
        crawl.save_skips(self.db, self.run_id, self.skips)
        crawl.save_seen(self.db, self.seen.values(), now)
        if self.notes:
            crawl.save_run_note(self.db, self.run_id, "\n".join(self.notes))
