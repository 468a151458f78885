"""Collects one crawl's per-source counts, skips and seen URLs in memory, and writes them when it closes."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from crawler import records
from factwatch.store import open_db


class RunRecorder:
    """Shared by the spider, the pipelines and the run extension of one crawler (see `of`)."""

    def __init__(self, db_path: str):
        self.db_path = db_path
        self._db = None
        self.run_id: int | None = None
        self.counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
        self.errors: dict[str, str] = {}
        self.failed: set[str] = set()
        self.skips: list[dict] = []
        self.seen: dict[str, dict] = {}
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
    def db(self):
        if self._db is None:
            self._db = open_db(self.db_path)
        return self._db

    def count(self, source: str, name: str, n: int = 1) -> None:
        self.counts[source][name] += n

    def skip(self, source: str, url: str, reason: str, detail: str = "") -> None:
        self.count(source, "skipped")
        self.skips.append({"source": source, "url": url, "reason": reason, "detail": detail[:500]})

    def error(self, source: str, url: str, reason: str, detail: str = "", entry: bool = False) -> None:
        """A page that should have worked did not; `entry` (feed/sitemap/listing/API) fails the source."""
        self.count(source, "errors")
        self.errors[source] = f"{reason}: {url} {detail}".strip()
        self.skips.append({"source": source, "url": url, "reason": reason, "detail": detail[:500]})
        if entry:
            self.failed.add(source)

    def note(self, message: str) -> None:
        self.notes.append(message)

    def saw(self, url: str, source: str, etag: str | None, last_modified: str | None,
            skip_reason: str | None = None, judged_with: str | None = None) -> None:
        self.seen[url] = {"source": source, "etag": etag, "last_modified": last_modified,
                          "skip_reason": skip_reason, "judged_with": judged_with}

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

    def flush(self, now: datetime | None = None) -> None:
        """Write this run's per-source results, skips and seen URLs."""
        now = now or datetime.now(UTC)
        results = {
            source: {**counts, "failed": source in self.failed, "last_error": self.errors.get(source)}
            for source, counts in self.counts.items()
        }
        for source in self.failed - set(results):
            results[source] = {"failed": True, "last_error": self.errors.get(source)}
        records.save_source_results(self.db, self.run_id, results)
        records.save_skips(self.db, self.run_id, self.skips)
        records.save_seen(self.db, self.seen, now)
        if self.notes:
            records.save_run_note(self.db, self.run_id, "\n".join(self.notes))
