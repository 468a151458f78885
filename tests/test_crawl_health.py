"""An outlet that yields nothing is not reported healthy (issue 8, item 1).

A source whose pages are all skipped for want of text, or whose share of such pages jumps,
makes the run `partial`, raises the operator alert and is not 정상 in `factwatch status`; a
cp949 table layout with no per-site selectors is read by the generic extractor. Real crawls of
the fixture news web on 127.0.0.1.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import yaml

from bot.health import build_status_text, check_health, load_status
from bot.notices import load_open_operator_alerts
from conftest_crawl import NEWSWEB, SITE, article_page, rss, run_crawl, site_crawler, stored, write_site
from crawler.localsite import serve_site
from conftest_crawl import skipped, source_results
from crawler.run_health import finish_run
from factwatch.store.crawl import last_runs_by_source, save_skips, save_source_results, start_run
from factwatch.store import open_db
from test_crawl_regressions import CES, DATA_CENTRE, FEED_SOURCE

NOW = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)


def test_the_table_layout_outlet_is_stored_without_selectors(tmp_path):
    template = yaml.safe_load((NEWSWEB / "sources.yaml").read_text(encoding="utf-8"))
    for source in template["sources"]:
        if source["name"] == "namdo_sitemap":
            del source["selectors"]
    plain = tmp_path / "template.yaml"
    plain.write_text(yaml.safe_dump(template, allow_unicode=True), encoding="utf-8")
    with serve_site(SITE) as base_url:
        sources = tmp_path / "sources.yaml"
        sources.write_text(plain.read_text(encoding="utf-8").replace("{{base_url}}", base_url), encoding="utf-8")
        crawl = run_crawl(sources, tmp_path / "store.db")
    assert crawl.returncode == 0, crawl.log[-3000:]
    rows = stored(crawl.db)
    assert rows["namdo/2001.html"]["title"] == '집적단지 입주 앞둔 지역 기업들 "장비 예약이 관건"'
    assert "카페 '똠'을 운영하는" in rows["namdo/2001.html"]["text"]
    assert rows["namdo/2002.html"]["text"].startswith("4000여억원이 들어간 AI 집적단지")
    health = {row.source: row for row in last_runs_by_source(crawl.db)}
    assert health["namdo_sitemap"].problem is None


def test_a_source_whose_pages_all_come_out_empty_is_unhealthy(tmp_path):
    photo = '<html><head><meta charset="utf-8"><title>가온일보</title></head><body><img src="p.jpg"></body></html>'
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/news/1.html", "/gaon/news/2.html", "/gaon/news/3.html"]),
        **{f"gaon/news/{n}.html": photo for n in (1, 2, 3)},
    })
    with site_crawler(site, FEED_SOURCE, tmp_path / "store.db") as crawl:
        result = crawl()
    assert result.returncode == 0, result.log[-3000:]
    run = result.db["crawl_runs"].get(1)
    assert run["status"] == "partial"
    health = {row.source: row for row in last_runs_by_source(result.db)}
    assert "3쪽 중 3쪽" in health["gaon_rss"].problem

    db = open_db(tmp_path / "store.db")
    check_health(db, NOW, failures_before_alert=3, silent_seconds=86400)
    alerts = load_open_operator_alerts(db)
    assert [alert.key for alert in alerts] == ["source_degraded:gaon_rss"]
    assert "gaon_rss" in alerts[0].message and "selectors" in alerts[0].message
    line = next(line for line in build_status_text(load_status(db)).splitlines() if "gaon_rss" in line)
    assert "정상" not in line and "본문" in line


def _run(db, when, counts: dict, skips: list[str]) -> None:
    run_id = start_run(db, when)
    save_source_results(db, run_id, source_results({"hankook": counts}))
    save_skips(db, run_id, skipped([{"source": "hankook", "url": f"https://h.example/{i}", "reason": reason, "detail": ""}
                                    for i, reason in enumerate(skips)]))
    finish_run(db, run_id, when)


def test_a_jump_in_the_share_of_empty_pages_is_a_problem_and_recovery_clears_it(tmp_path):
    db = open_db(tmp_path / "store.db")
    _run(db, NOW, {"pages": 11, "new": 9, "skipped": 1}, ["no_text"])  # 10 %: a photo page now and then
    check_health(db, NOW, 3, 86400)
    assert load_open_operator_alerts(db) == []
    _run(db, NOW + timedelta(hours=1), {"pages": 11, "new": 6, "skipped": 4}, ["no_text"] * 4)  # 40 %
    assert db["crawl_runs"].get(2)["status"] == "partial"
    check_health(db, NOW + timedelta(hours=1), 3, 86400)
    assert [alert.key for alert in load_open_operator_alerts(db)] == ["source_degraded:hankook"]
    assert "10%" in load_open_operator_alerts(db)[0].message and "40%" in load_open_operator_alerts(db)[0].message
    _run(db, NOW + timedelta(hours=2), {"pages": 11, "new": 9, "skipped": 1}, ["off_topic"])
    check_health(db, NOW + timedelta(hours=2), 3, 86400)
    assert load_open_operator_alerts(db) == []
    assert "정상" in build_status_text(load_status(db))


def test_a_general_feed_whose_pages_are_all_off_topic_is_still_healthy(tmp_path):
    db = open_db(tmp_path / "store.db")
    _run(db, NOW, {"pages": 5, "skipped": 4}, ["off_topic"] * 4)  # no news about the program today
    assert db["crawl_runs"].get(1)["status"] == "ok"
    assert last_runs_by_source(db)[0].problem is None
