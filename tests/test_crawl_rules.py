"""A typo in a rule file does not stop crawling (issue 8, item 8).

The crawl's topic filter goes on with the topics of the last rules that loaded (kept in the
store by every crawl that loads them) and reports the file:line to fix; with none, it keeps
crawling, skips pages as rules_invalid and fetches them again once the rules load. Real crawls
against a site on 127.0.0.1 with the repository's rule files.
"""

from __future__ import annotations

import shutil

from conftest_crawl import REPO, article_page, rss, site_crawler, versions, write_site
from test_crawl_regressions import CES, DATA_CENTRE, FEED_SOURCE, OFF_TOPIC

MARKET = [*OFF_TOPIC, "야시장은 매주 금요일과 토요일 저녁 7시부터 자정까지 열리며 지역 예술인 공연도 이어진다."]
ON_TOPIC = ["광주 국가 인공지능 집적단지 조성 사업이 2단계로 넘어간다.", *DATA_CENTRE]


def _broken_copy(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    return rules


def _break(rules):
    rule_file = rules / "gwangju_ai.yaml"
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace("unit: 명", "unit: 사람", 1), encoding="utf-8")


def test_a_broken_rule_file_crawls_with_the_last_good_topics_and_names_the_line(tmp_path):
    rules = _broken_copy(tmp_path)
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/news/1.html"]),
        "gaon/news/1.html": article_page("AI 집적단지 데이터센터 1200억 투입", ON_TOPIC),
    })
    with site_crawler(site, FEED_SOURCE, tmp_path / "store.db", FACTWATCH_TOPIC_KEYWORDS="", FACTWATCH_RULES=str(rules)) as crawl:
        assert crawl().returncode == 0
        _break(rules)
        write_site(site, {
            "gaon/rss.xml": rss(["/gaon/news/1.html", "/gaon/news/2.html", "/gaon/news/3.html"]),
            "gaon/news/2.html": article_page("AI 집적단지 스타트업 전시회", ["광주 국가 인공지능 집적단지 입주 기업들이 전시회에 나간다.", *CES]),
            "gaon/news/3.html": article_page("양동시장 주말 야시장", MARKET),
        })
        second = crawl()
    assert second.returncode == 0, second.log[-3000:]
    assert [path for path, _, _ in versions(second.db)] == ["/gaon/news/1.html", "/gaon/news/2.html"]
    assert {row["url"].rsplit("/", 1)[1]: row["reason"] for row in second.db["crawl_skips"].rows} == {"3.html": "off_topic"}
    run = second.db["crawl_runs"].get(2)
    assert run["status"] == "ok"
    assert "마지막으로 정상이던 규칙" in run["note"] and "gwangju_ai.yaml:" in run["note"]


def test_with_no_good_rules_ever_the_crawl_goes_on_and_fetches_again_once_fixed(tmp_path):
    rules = _broken_copy(tmp_path)
    _break(rules)
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/news/1.html"]),
        "gaon/news/1.html": article_page("AI 집적단지 데이터센터 1200억 투입", ON_TOPIC),
    })
    log: list = []
    with site_crawler(site, FEED_SOURCE, tmp_path / "store.db", log=log, FACTWATCH_TOPIC_KEYWORDS="",
                      FACTWATCH_RULES=str(rules)) as crawl:
        first = crawl()
        assert first.returncode == 0, first.log[-3000:]
        assert [row["reason"] for row in first.db["crawl_skips"].rows] == ["rules_invalid"]
        assert "gwangju_ai.yaml:" in first.db["crawl_runs"].get(1)["note"]
        shutil.copy(REPO / "rules" / "gwangju_ai.yaml", rules / "gwangju_ai.yaml")
        log.clear()
        second = crawl()
    assert second.returncode == 0, second.log[-3000:]
    assert not any("If-Modified-Since" in headers for _, path, headers in log if path == "/gaon/news/1.html")
    assert [path for path, _, _ in versions(second.db)] == ["/gaon/news/1.html"]


def test_the_bot_keeps_crawling_through_a_rule_typo_and_names_the_line(tmp_path):
    from bot.jobs import BotJobs
    from bot.notices import load_open_operator_alerts
    from bot.sender import ConsoleSender
    from bot.settings import parse_bot_settings
    from crawler.localsite import serve_site
    from factwatch.config import Settings
    from conftest_crawl import FAST

    rules = _broken_copy(tmp_path)
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/news/1.html"]),
        "gaon/news/1.html": article_page("AI 집적단지 데이터센터 1200억 투입", ON_TOPIC),
    })
    with serve_site(site) as base_url:
        sources = tmp_path / "sources.yaml"
        sources.write_text(FEED_SOURCE.replace("{{base_url}}", base_url), encoding="utf-8")
        settings = Settings(tmp_path / "f.db", rules, sources, tmp_path / "none.yaml")
        fast = tuple(item for name, value in FAST.items() for item in ("-s", f"{name}={value}"))
        jobs = BotJobs(settings, parse_bot_settings({}, {}), sender=ConsoleSender(), crawl_args=fast)
        jobs.crawl()  # good rules: their topics are kept
        _break(rules)
        for _ in range(3):
            outcome = jobs.crawl()
            assert outcome is not None and outcome.status == "ok"
    from factwatch.store import open_db

    keys = {alert.key: alert.message for alert in load_open_operator_alerts(open_db(settings.db_path))}
    assert "crawl_failing" not in keys
    assert "gwangju_ai.yaml:" in keys["rules_invalid"]
