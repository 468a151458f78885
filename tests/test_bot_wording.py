"""What operators and fact-checkers read: no internal keys, times with their zone, one line per cycle."""

from __future__ import annotations

import io
import logging
from datetime import datetime, timezone

from test_bot_support import NOW, checked_article

from bot.delivery import deliver_pending, load_alert_view
from bot.digest import load_digest_view
from bot.message import build_alert_message, build_digest_message
from bot.outbox import enqueue_findings, load_alerts
from bot.sender import ConsoleSender
from factwatch.store import open_db


def sum_alert(db):
    checked_article(db, "https://news.example/sum", fact_id=None, verdict="sum_mismatch", topic=None,
                    claim="총 300억원", canonical="310억원", text="총 300억원(국비 200억원, 시비 110억원)이 든다.")
    # A sum finding has no fact, so no fact description either.
    db.execute("update findings set data = json_remove(data, '$.fact_description')")
    db.conn.commit()
    return enqueue_findings(db, lambda topic: "#factcheck", NOW)


def test_a_sum_mismatch_alert_and_the_digest_name_it_in_korean(tmp_path):
    db = open_db(tmp_path / "f.db")
    sum_alert(db)
    (alert,) = load_alerts(db, "pending")
    message = build_alert_message(load_alert_view(db, alert))
    assert "<sum_mismatch>" not in message.text and "sum_mismatch" not in str(message.blocks)
    assert "합계" in message.text

    deliver_pending(db, ConsoleSender(stream=io.StringIO()), NOW)
    digest = build_digest_message(load_digest_view(db, datetime(2024, 5, 3, 0, 0, tzinfo=timezone.utc)))
    assert "sum_mismatch" not in digest.text + str(digest.blocks)
    assert "합계" in str(digest.blocks)


def test_an_alert_queued_before_the_fix_is_also_shown_in_korean(tmp_path):
    db = open_db(tmp_path / "f.db")
    sum_alert(db)
    db.execute("update bot_alerts set view = json_set(view, '$.fact_description', '<sum_mismatch>')")
    db.conn.commit()
    (alert,) = load_alerts(db, "pending")
    assert "sum_mismatch" not in build_alert_message(load_alert_view(db, alert)).text
    digest = load_digest_view(db, datetime(2024, 5, 3, 0, 0, tzinfo=timezone.utc))
    assert digest.top_facts and "sum_mismatch" not in digest.top_facts[0][0]


# -- the operator's log -------------------------------------------------------------------


def test_log_times_and_schedule_lines_carry_the_zone(tmp_path):
    from bot.jobs import BotJobs
    from bot.logs import ZonedFormatter
    from bot.scheduler import build_scheduler, schedule_lines
    from bot.settings import parse_bot_settings
    from factwatch.config import Settings

    record = logging.LogRecord("factwatch", logging.INFO, __file__, 1, "시작", None, None)
    record.created = NOW.timestamp()  # 09:00 UTC
    assert ZonedFormatter("Asia/Seoul").format(record).startswith("2024-05-02 18:00:00 KST INFO factwatch: 시작")

    settings = Settings(tmp_path / "f.db", tmp_path / "rules", tmp_path / "sources.yaml", tmp_path / "none.yaml")
    open_db(settings.db_path).close()
    jobs = BotJobs(settings, parse_bot_settings({}, {}))
    scheduler = build_scheduler(jobs, jobs.bot, NOW)
    scheduler.start(paused=True)
    try:
        lines = schedule_lines(scheduler, "Asia/Seoul")
    finally:
        scheduler.shutdown(wait=False)
    assert len(lines) == 5 and all(line.endswith(" KST") for line in lines), lines


# Scrapy's stderr ends in its settings and stats dump, which says nothing about what went wrong.
DUMP = ("2024-05-02 09:00:01 [scrapy.crawler] INFO: Overridden settings:\\n"
        "{'BOT_NAME': 'factwatch', 'CONCURRENT_REQUESTS_PER_DOMAIN': 2, 'DOWNLOAD_DELAY': 1.0,\\n"
        " 'ROBOTSTXT_OBEY': True, 'SPIDER_MODULES': ['crawler.spiders']}\\n")


def test_the_interrupted_crawl_warning_does_not_end_in_scrapys_settings_dump(tmp_path, caplog):
    import sys
    import threading

    from bot.crawl_job import run_crawl
    from factwatch.config import Settings

    settings = Settings(tmp_path / "f.db", tmp_path / "rules", tmp_path / "sources.yaml", tmp_path / "none.yaml")
    db = open_db(settings.db_path)
    stop = threading.Event()
    # Writes the dump and hangs: the bot is stopped mid-crawl.
    hang = [sys.executable, "-c",
            f"import sys, threading; sys.stderr.write({DUMP!r}); sys.stderr.flush(); threading.Event().wait()"]
    threading.Timer(0, stop.set).start()
    with caplog.at_level(logging.WARNING):
        assert run_crawl(db, settings, time_limit=60, stop=stop, command=hang).status == "interrupted"
    assert "중단" in caplog.text
    assert "BOT_NAME" not in caplog.text and "SPIDER_MODULES" not in caplog.text and "'" not in caplog.text

    caplog.clear()
    crash = [sys.executable, "-c",
             "import sys; sys.stderr.write('2024-05-02 09:00:01 [scrapy.core.engine] ERROR: 소스 mudeung 응답 없음\\n'"
             f" + {DUMP!r}); sys.exit(1)"]
    with caplog.at_level(logging.WARNING):
        assert run_crawl(db, settings, time_limit=60, command=crash).status == "failed"
    assert "ERROR: 소스 mudeung 응답 없음" in caplog.text and "BOT_NAME" not in caplog.text


def test_a_healthy_cycle_logs_one_line_crawled_checked_alerted(tmp_path, caplog):
    from pathlib import Path

    from bot.demo import run_demo
    from bot.settings import parse_bot_settings
    from factwatch.config import Settings

    repo = Path(__file__).resolve().parent.parent
    settings = Settings(tmp_path / "f.db", repo / "rules", tmp_path / "sources.yaml", tmp_path / "none.yaml")
    with caplog.at_level(logging.INFO):
        result = run_demo(settings, parse_bot_settings({}, {}), ConsoleSender(stream=io.StringIO()))
    assert result["crawl_status"] == "ok"
    cycle = [r.getMessage() for r in caplog.records if r.getMessage().startswith("주기:")]
    assert len(cycle) == 1, caplog.text[-2000:]
    line = cycle[0]
    assert "수집 성공" in line and "새·수정 기사 4건" in line and "검사 4건" in line, line
    assert "새 알림 2건" in line and "전송 2건 (대기 0건)" in line, line
