"""`factwatch crawl` and `scrapy crawl NAME`: child processes, options, environment, run records."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest_crawl import FAST, NAVER_ENV, REPO, SITE, run_crawl, stored, write_sources
from crawler.localsite import serve_site
from crawler.middlewares import backoff_delay
from factwatch.store.crawl import last_runs_by_source, run_report
from sqlite_utils import Database

FACTWATCH = [sys.executable, "-c", "from factwatch.cli import main; main()"]


def _factwatch(*args, env=None):
    settings = [item for name, value in FAST.items() for item in ("-s", f"{name}={value}")]
    return subprocess.run(
        [*FACTWATCH, *args, *settings], cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**os.environ, **NAVER_ENV, **(env or {})},
    )


def test_factwatch_crawl_records_one_run_and_prints_a_summary(tmp_path):
    with serve_site(SITE) as base_url:
        sources = write_sources(base_url, tmp_path)
        result = _factwatch("crawl", "--db", str(tmp_path / "s.db"), "--sources", str(sources), "--rules", str(REPO / "rules"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "\ncrawl #1 partial: " in result.stdout
    assert " 8 new," in result.stdout and " 1 copies," in result.stdout  # the near-copy is checked on its own
    db = Database(tmp_path / "s.db")
    assert db["crawl_runs"].count == 1  # the parent's run: the child recorded into it
    assert run_report(db, 1).status == "partial"


def test_factwatch_crawl_paths_from_the_environment_and_one_source(tmp_path):
    with serve_site(SITE) as base_url:
        sources = write_sources(base_url, tmp_path)
        result = _factwatch("crawl", "--source", "daum_local",
                            env={"FACTWATCH_DB": str(tmp_path / "env.db"), "FACTWATCH_SOURCES": str(sources)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert [row.source for row in last_runs_by_source(Database(tmp_path / "env.db"))] == ["daum_local"]


def test_factwatch_crawl_reports_a_bad_sources_file(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - {name: a, kind: rss}\n", encoding="utf-8")
    result = _factwatch("crawl", "--db", str(tmp_path / "s.db"), "--sources", str(bad))
    assert result.returncode == 1
    assert f"{bad}:2: sources[0].kind" in result.stderr


def test_scrapy_crawl_feed_spider_crawls_only_feeds(tmp_path):
    with serve_site(SITE) as base_url:
        crawl = run_crawl(write_sources(base_url, tmp_path), tmp_path / "s.db", spider="feed")
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert {row.source for row in last_runs_by_source(crawl.db)} == {"bitgoeul_rss", "broken_feed"}
    assert sorted(stored(crawl.db)) == ["bitgoeul/news/1001.html", "bitgoeul/news/1004.html", "bitgoeul/news/1005.html"]


def test_naver_source_without_credentials_fails_that_source_only(tmp_path):
    with serve_site(SITE) as base_url:
        sources = write_sources(base_url, tmp_path)
        env = {key: value for key, value in os.environ.items() if key not in NAVER_ENV}
        command = [sys.executable, "-m", "scrapy", "crawl", "naver_api", "-s", f"FACTWATCH_DB={tmp_path / 's.db'}",
                   "-s", f"FACTWATCH_SOURCES={sources}", "-s", "REMOTE_CONTROL_ENABLED=False"]
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    health = last_runs_by_source(Database(tmp_path / "s.db"))
    assert [(row.source, row.consecutive_failures) for row in health] == [("naver_search", 1)]
    assert "no_credentials" in health[0].last_error


@pytest.mark.parametrize("attempt, delay", [(0, 0.0), (1, 2.0), (2, 4.0), (3, 8.0), (10, 60.0)])
def test_retry_backoff_doubles_up_to_a_cap(attempt, delay):
    assert backoff_delay(attempt, base=2.0, cap=60.0) == delay


def test_scrapy_crawl_without_a_sources_file_says_so_in_one_line(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "FACTWATCH_SOURCES": str(tmp_path / "none.yaml"), "FACTWATCH_DB": str(tmp_path / "x.db")}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"오류: {tmp_path / 'none.yaml'}: 소스 파일이 없습니다 (예시: sources.example.yaml)"
    assert "Traceback" not in result.stderr


# Issue 8, item 7: a short report by default, Scrapy's log behind -v, non-zero when nothing worked --


SOURCES = ["bitgoeul_rss", "namdo_sitemap", "daum_local", "naver_search", "broken_feed"]


def test_default_output_is_a_line_per_source_and_a_summary_table(tmp_path):
    with serve_site(SITE) as base_url:
        sources = write_sources(base_url, tmp_path)
        result = _factwatch("crawl", "--db", str(tmp_path / "s.db"), "--sources", str(sources), "--rules", str(REPO / "rules"))
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    progress = [line.strip().split(":")[0] for line in lines if line.startswith("  ")]
    assert sorted(progress) == sorted(SOURCES)  # one line each
    assert "broken_feed: 실패" in result.stdout
    table = {line.split()[0]: line.split() for line in lines if line.split() and line.split()[0] in SOURCES}
    assert table["namdo_sitemap"][1:6] == ["2", "0", "0", "0", "0"]  # new, updated, unchanged, copies, duplicates
    assert "robots 1" in next(line for line in lines if line.startswith("namdo_sitemap"))
    assert "off_topic 1" in next(line for line in lines if line.startswith("bitgoeul_rss"))
    assert "http_404 1" in next(line for line in lines if line.startswith("bitgoeul_rss"))
    assert table["broken_feed"][-1] == "실패" and table["daum_local"][-1] == "정상"
    assert len(lines) < 20
    assert "[scrapy" not in result.stdout + result.stderr


def test_verbose_shows_scrapys_log(tmp_path):
    with serve_site(SITE) as base_url:
        sources = write_sources(base_url, tmp_path)
        result = _factwatch("crawl", "-v", "--source", "daum_local", "--db", str(tmp_path / "s.db"), "--sources", str(sources))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "[scrapy.core.engine]" in result.stderr


def test_a_crawl_where_no_source_succeeded_exits_non_zero_and_says_why(tmp_path):
    with serve_site(SITE) as base_url:
        sources = tmp_path / "sources.yaml"
        sources.write_text(
            f'sources:\n  - {{name: broken_feed, kind: feed, url: "{base_url}/broken/rss.xml"}}\n'
            f'  - {{name: gone_feed, kind: feed, url: "{base_url}/gone/rss.xml"}}\n', encoding="utf-8")
        result = _factwatch("crawl", "--db", str(tmp_path / "s.db"), "--sources", str(sources))
    assert result.returncode == 1
    assert "crawl #1 failed" in result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert "성공한 소스가 없습니다" in last and "broken_feed: malformed_listing" in last and "gone_feed: http_404" in last


def test_the_crawl_failing_notice_says_why_the_crawl_process_failed(tmp_path):
    from datetime import datetime, timezone

    from bot.crawl_job import run_crawl as bot_run_crawl
    from bot.health import check_health
    from bot.notices import load_open_operator_alerts
    from factwatch.config import Settings
    from factwatch.store import open_db

    with serve_site(SITE) as base_url:
        settings = Settings(tmp_path / "s.db", REPO / "rules", write_sources(base_url, tmp_path), tmp_path / "none.yaml")
        db = open_db(settings.db_path)
        broken = ("-s", 'ITEM_PIPELINES={"nowhere.Pipeline": 100}')  # the child cannot start its pipelines
        for _ in range(3):
            outcome = bot_run_crawl(db, settings, time_limit=120, extra_args=broken)
            assert outcome.status == "failed"
            check_health(db, datetime.now(timezone.utc), failures_before_alert=3, silent_seconds=86400)
    (alert,) = [alert for alert in load_open_operator_alerts(db) if alert.key == "crawl_failing"]
    assert "No module named 'nowhere'" in alert.message, alert.message
