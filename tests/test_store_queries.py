"""The store's query modules return frozen records, on a real SQLite file."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from checker.models import Article
from factwatch.store import bot_runs, counts, crawl, open_db
from factwatch.store.articles import ArticleVersion, save_article, stored_spelling, versions_to_check

T0 = datetime(2021, 11, 22, 6, 0, tzinfo=timezone.utc)
TEXT = "광주 인공지능 사업단은 2021년 11월 현재 직원 61명이 일하고 있다고 밝혔다. " * 3


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "store.db")


def test_versions_to_check_are_records_with_their_article_and_skip_exact_copies(db):
    first = save_article(db, Article(url="https://a.example/1", text=TEXT, title="사업단 현황", outlet="가신문",
                                     story_key="s1"), T0)
    copy = save_article(db, Article(url="https://b.example/9", text=TEXT, title="사업단 현황", outlet="나신문",
                                    story_key="s1"), T0)
    assert (first.status, copy.status) == ("new", "copy")
    (version,) = versions_to_check(db)
    assert isinstance(version, ArticleVersion)
    assert (version.id, version.url, version.outlet, version.story_id) == (first.version_id, "https://a.example/1", "가신문",
                                                                          first.story_id)
    with pytest.raises(dataclasses.FrozenInstanceError):
        version.text = "다른 본문"  # type: ignore[misc]


def test_a_stored_article_keeps_its_spelling_of_the_url(db):
    save_article(db, Article(url="https://a.example/news/1/", text=TEXT, title="사업단 현황"), T0)
    assert stored_spelling(db, "https://a.example/news/1") == "https://a.example/news/1/"
    assert stored_spelling(db, "https://a.example/news/2") == "https://a.example/news/2"


def test_source_counts_refuse_a_name_that_is_no_counter():
    assert crawl.SourceRun.counted("hankook", {"pages": 3, "new": 1}).kept == 1
    with pytest.raises(ValueError, match="stored"):
        crawl.SourceRun.counted("hankook", {"stored": 1})


def test_a_job_run_records_only_its_own_columns(db):
    bot_runs.save_job_run(db, "digest", {"last_started": T0.isoformat(), "last_ok": T0.isoformat()})
    assert bot_runs.last_ok(db, "digest") == T0.isoformat()
    assert [job.job for job in bot_runs.load_job_runs(db)] == ["digest"]
    with pytest.raises(ValueError, match="last_okay"):
        bot_runs.save_job_run(db, "digest", {"last_okay": T0.isoformat()})


def test_crawl_children_newest_first_and_the_progress_read_is_read_only(db, tmp_path):
    first = bot_runs.start_crawl_run(db, T0, pid=1)
    bot_runs.finish_crawl_run(db, first, "timeout", None, "시간 초과", T0 + timedelta(minutes=5))
    second = bot_runs.start_crawl_run(db, T0 + timedelta(hours=1), pid=1)
    assert [run.id for run in bot_runs.latest_crawl_runs(db)] == [second, first]
    assert bot_runs.recent_crawl_statuses(db, 5) == ["timeout"]
    assert bot_runs.latest_crawl_status(tmp_path / "store.db") == ("running", 0)
    assert bot_runs.latest_crawl_status(tmp_path / "none.db") is None
    assert not (tmp_path / "none.db").exists()


def test_held_among_counts_only_held_alerts_of_those_ids(db):
    assert counts.held_among(db, []) == 0
    assert counts.held_among(db, range(1, 1200)) == 0  # more ids than one statement binds
