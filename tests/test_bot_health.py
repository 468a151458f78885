"""Health: a hung or failing crawl is killed and recorded; repeated failures and silent sources alert once."""

from __future__ import annotations

import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.crawl_job import run_crawl
from bot.health import build_status_text, check_health, load_status
from bot.notices import load_open_operator_alerts
from conftest_crawl import source_results
from crawler.run_health import finish_run
from factwatch.store.crawl import save_source_results, start_run
from factwatch.config import Settings
from factwatch.store import open_db

NOW = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "factwatch.db")


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "factwatch.db", tmp_path / "rules", tmp_path / "sources.yaml", tmp_path / "none.yaml")


def test_a_hung_crawl_is_killed_at_its_time_limit_and_recorded(db, settings):
    hang = [sys.executable, "-c", "import threading; threading.Event().wait()"]
    outcome = run_crawl(db, settings, time_limit=0.5, command=hang)
    assert outcome.status == "timeout"
    assert db["bot_crawl_runs"].get(outcome.run_id)["status"] == "timeout"


def test_a_crashed_crawl_is_recorded_with_its_error(db, settings):
    crash = [sys.executable, "-c", "import sys; sys.exit('소스 파일을 읽을 수 없습니다')"]
    outcome = run_crawl(db, settings, time_limit=30, command=crash)
    assert (outcome.status, outcome.returncode) == ("failed", 1)
    assert "소스 파일을 읽을 수 없습니다" in outcome.stderr_tail


def test_a_shutdown_stops_a_running_crawl(db, settings):
    stop = threading.Event()
    stop.set()
    hang = [sys.executable, "-c", "import threading; threading.Event().wait()"]
    assert run_crawl(db, settings, time_limit=60, stop=stop, command=hang).status == "interrupted"


def test_repeated_crawl_failures_raise_one_operator_alert_and_a_success_clears_it(db, settings):
    crash = [sys.executable, "-c", "raise SystemExit(2)"]
    for _ in range(5):
        run_crawl(db, settings, time_limit=30, command=crash)
        check_health(db, NOW, failures_before_alert=3, silent_seconds=86400)
    assert [a.key for a in load_open_operator_alerts(db)] == ["crawl_failing"]
    assert db.execute("select count(*) from bot_operator_alerts").fetchone()[0] == 1  # no storm

    run_crawl(db, settings, time_limit=30, command=[sys.executable, "-c", "pass"])
    check_health(db, NOW, failures_before_alert=3, silent_seconds=86400)
    assert load_open_operator_alerts(db) == []


def crawl_run(db, when: datetime, results: dict):
    run_id = start_run(db, when)
    save_source_results(db, run_id, source_results(results))
    finish_run(db, run_id, when)


def test_a_source_that_silently_stops_yielding_articles_alerts_once(db):
    start = NOW - timedelta(days=5)
    crawl_run(db, start, {"hankook": {"pages": 3, "new": 2}, "quiet": {"pages": 1, "new": 1}})
    for day in range(1, 5):  # the pages still load, but no article is found on them any more
        crawl_run(db, start + timedelta(days=day), {"hankook": {"pages": 1}, "quiet": {"pages": 1, "unchanged": 1}})
        check_health(db, start + timedelta(days=day), failures_before_alert=3, silent_seconds=2 * 86400)
    assert [a.key for a in load_open_operator_alerts(db)] == ["source_silent:hankook"]
    assert "hankook" in build_status_text(load_status(db))


def test_a_source_failing_repeatedly_alerts_once(db):
    for n in range(4):
        crawl_run(db, NOW + timedelta(hours=n), {"broken": {"failed": True, "last_error": "HTTP 500"}})
        check_health(db, NOW + timedelta(hours=n), failures_before_alert=3, silent_seconds=86400)
    assert [a.key for a in load_open_operator_alerts(db)] == ["source_failing:broken"]
    assert "HTTP 500" in load_open_operator_alerts(db)[0].message


def test_status_names_sources_alerts_and_problems(db):
    crawl_run(db, NOW, {"hankook": {"pages": 3, "new": 2}})
    text = build_status_text(load_status(db))
    assert "hankook: 마지막 수집 2024-05-02 18:00:00" in text  # 09:00 UTC, shown in Korean time
    assert "KST" in text.splitlines()[0]
    assert "알림: 보냄 0 · 대기 0 · 실패 0" in text


def test_status_command_on_a_missing_store_says_what_to_run(tmp_path):
    from click.testing import CliRunner

    from factwatch.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(Path(tmp_path) / "nope.db"), "status"])
    assert result.exit_code == 1 and "factwatch demo" in result.output


def test_a_source_taken_out_of_the_sources_file_is_not_judged_silent(db):
    crawl_run(db, NOW, {"hankook": {"pages": 3, "new": 2}, "retired": {"pages": 2, "new": 1}})
    for hour in range(1, 80, 6):  # "retired" was removed from sources.yaml: only hankook is crawled
        when = NOW + timedelta(hours=hour)
        crawl_run(db, when, {"hankook": {"pages": 3, "new": 1}})
        check_health(db, when, failures_before_alert=3, silent_seconds=2 * 86400, sources={"hankook"})
    assert load_open_operator_alerts(db) == []
    assert "retired" not in build_status_text(load_status(db, {"hankook"}))


def test_the_problems_of_a_removed_source_are_cleared(db):
    for n in range(3):
        crawl_run(db, NOW + timedelta(hours=n), {"broken": {"failed": True, "last_error": "HTTP 500"},
                                                 "ok": {"pages": 1, "new": 1}})
        check_health(db, NOW + timedelta(hours=n), 3, 86400, sources={"broken", "ok"})
    assert [a.key for a in load_open_operator_alerts(db)] == ["source_failing:broken"]

    crawl_run(db, NOW + timedelta(hours=3), {"ok": {"pages": 1, "new": 1}})
    check_health(db, NOW + timedelta(hours=3), 3, 86400, sources={"ok"})

    assert load_open_operator_alerts(db) == []


def test_the_source_names_come_from_the_sources_file(tmp_path):
    from bot.health import load_source_names

    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        "  - {name: hankook, kind: feed, url: 'https://hankook.example/rss'}\n"
        "  - {name: paused, kind: feed, url: 'https://paused.example/rss', enabled: false}\n",
        encoding="utf-8",
    )
    assert load_source_names(path) == {"hankook"}
    assert load_source_names(tmp_path / "missing.yaml") is None


def test_status_names_crawl_outcomes_in_korean(db, settings):
    run_crawl(db, settings, time_limit=30, command=[sys.executable, "-c", "raise SystemExit(2)"])
    stop = threading.Event()
    stop.set()
    run_crawl(db, settings, time_limit=30, stop=stop, command=[sys.executable, "-c", "import time; time.sleep(60)"])
    text = build_status_text(load_status(db))
    assert " 실패 (종료 코드 2)" in text and " 중단" in text
    assert " failed" not in text and " interrupted" not in text


def test_a_silent_source_notice_gives_the_time_in_korean_time(db):
    start = datetime(2024, 5, 1, 3, 0, tzinfo=timezone.utc)  # 12:00 KST
    crawl_run(db, start, {"quiet": {"pages": 1, "new": 1}})
    crawl_run(db, start + timedelta(days=3), {"quiet": {"pages": 1}})
    check_health(db, start + timedelta(days=3), failures_before_alert=3, silent_seconds=86400)
    assert "2024-05-01 12:00 KST" in load_open_operator_alerts(db)[0].message
