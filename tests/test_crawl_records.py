"""Crawl run records and per-source health, as the bot reads them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from conftest_crawl import skipped, source_results
from crawler.run_health import finish_run
from factwatch.store import crawl as records
from factwatch.store import open_db
from factwatch.store.crawl import SeenPage

T0 = datetime(2021, 11, 22, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "store.db")


def _run(db, when, results, error=None):
    run_id = records.start_run(db, when)
    records.save_source_results(db, run_id, source_results(results))
    return finish_run(db, run_id, when + timedelta(minutes=1), error=error)


def test_a_run_totals_its_sources(db):
    run = _run(db, T0, {"a": {"pages": 5, "new": 2, "errors": 1}, "b": {"pages": 1, "unchanged": 1}})
    assert (run.status, run.pages, run.new, run.errors, run.unchanged) == ("ok", 6, 2, 1, 1)
    assert run.finished == (T0 + timedelta(minutes=1)).isoformat()


def test_status_partial_when_a_source_fails_and_failed_when_all_do(db):
    assert _run(db, T0, {"a": {"new": 1}, "b": {"failed": True, "last_error": "http_500"}}).status == "partial"
    assert _run(db, T0, {"b": {"failed": True}}).status == "failed"


def test_consecutive_failures_count_and_reset(db):
    _run(db, T0, {"b": {"failed": True, "last_error": "malformed_listing: feed"}})
    _run(db, T0 + timedelta(hours=1), {"b": {"failed": True, "last_error": "http_503: feed"}})
    health = {row.source: row for row in records.last_runs_by_source(db)}
    assert health["b"].consecutive_failures == 2
    assert health["b"].last_error == "http_503: feed"
    assert health["b"].last_success is None
    _run(db, T0 + timedelta(hours=2), {"b": {"new": 3, "updated": 1}})
    health = {row.source: row for row in records.last_runs_by_source(db)}
    assert health["b"].consecutive_failures == 0
    assert health["b"].articles_yielded == 4
    assert health["b"].last_success == (T0 + timedelta(hours=2, minutes=1)).isoformat()


def test_a_killed_crawl_fails_every_source_it_had_reached(db):
    run = _run(db, T0, {"a": {"new": 1}}, error="crawl timed out")
    assert run.status == "failed"
    assert records.last_runs_by_source(db)[0].last_error == "crawl timed out"


def test_health_lists_worst_first(db):
    _run(db, T0, {"good": {"new": 1}, "bad": {"failed": True}})
    assert [row.source for row in records.last_runs_by_source(db)] == ["bad", "good"]


def test_run_report_has_sources_and_skips(db):
    run_id = records.start_run(db, T0)
    records.save_source_results(db, run_id, source_results({"a": {"skipped": 1}}))
    records.save_skips(db, run_id, skipped([{"source": "a", "url": "http://x/1", "reason": "off_topic", "detail": "김장"}]))
    report = records.run_report(db, run_id)
    assert report.sources[0].source == "a"
    assert report.skips[0].reason == "off_topic"


def test_seen_keeps_validators_and_first_seen(db):
    records.save_seen(db, [SeenPage("http://x/1", source="a", etag='"v1"', last_modified=None)], T0)
    records.save_seen(db, [SeenPage("http://x/1", source="a", etag=None, last_modified="Mon, 22 Nov 2021 07:00:00 GMT")],
                      T0 + timedelta(days=1))
    row = records.load_seen(db)["http://x/1"]
    assert (row.etag, row.last_modified) == ('"v1"', "Mon, 22 Nov 2021 07:00:00 GMT")
    assert (row.first_seen, row.last_seen) == (T0.isoformat(), (T0 + timedelta(days=1)).isoformat())


def test_story_prints_within_a_window(db):
    records.save_story_print(db, "body:1", "http://x/1", (1, 2, 3), T0)
    assert records.load_story_prints(db, T0 - timedelta(days=1)) == [("body:1", (1, 2, 3))]
    assert records.load_story_prints(db, T0 + timedelta(days=1)) == []
