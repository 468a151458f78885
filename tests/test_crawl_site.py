"""A real Scrapy crawl of the fixture news web on 127.0.0.1: what is stored, what is skipped and why."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from conftest_crawl import ON_TOPIC, SITE, run_crawl, stored, write_sources
from crawler.localsite import serve_site
from factwatch.store.crawl import last_runs_by_source, run_report


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crawl")
    log: list = []
    with serve_site(SITE, requests_log=log) as base_url:
        crawl = run_crawl(write_sources(base_url, folder), folder / "store.db")
    assert crawl.returncode == 0, crawl.log[-3000:]
    return crawl, log


def _skips(db) -> dict[str, str]:
    return {row["url"].split("/", 3)[3]: row["reason"] for row in db["crawl_skips"].rows}


def test_stores_each_on_topic_article_once(first_crawl):
    crawl, _ = first_crawl
    assert sorted(stored(crawl.db)) == ON_TOPIC


def test_off_topic_404_robots_and_broken_feed_are_skipped_with_reasons(first_crawl):
    crawl, _ = first_crawl
    assert _skips(crawl.db) == {
        "bitgoeul/news/1002.html": "off_topic",
        "bitgoeul/news/1003.html": "http_404",
        "namdo/private/2003.html": "robots",
        "broken/rss.xml": "malformed_listing",
    }


def test_robots_disallowed_page_is_never_requested(first_crawl):
    _, log = first_crawl
    paths = [path for _, path, _ in log]
    assert "/robots.txt" in paths
    assert not any(path.startswith("/namdo/private/") for path in paths)


def test_requests_identify_the_crawler_with_a_contact_url(first_crawl):
    _, log = first_crawl
    agents = {headers.get("User-Agent") for _, _, headers in log}
    assert len(agents) == 1
    assert agents.pop().startswith("factwatch/0.1 (+http")


def test_naver_api_is_called_with_query_and_credentials(first_crawl):
    _, log = first_crawl
    calls = [(path, headers) for _, path, headers in log if path.startswith("/v1/search/news.json")]
    assert calls, "the search API was never called"
    path, headers = calls[0]
    assert "query=%EC%9D%B8%EA%B3%B5%EC%A7%80%EB%8A%A5" in path  # 인공지능…
    assert headers["X-Naver-Client-Id"] == "test-id"
    assert headers["X-Naver-Client-Secret"] == "test-secret"


def test_500_is_retried_and_the_page_stored(first_crawl):
    crawl, log = first_crawl
    assert [path for _, path, _ in log].count("/bitgoeul/news/1004.html") == 2
    assert stored(crawl.db)["bitgoeul/news/1004.html"]["title"] == "사업단, 입주기업 지원 설명회 연다"


@pytest.mark.parametrize(
    "path, published",
    [
        ("bitgoeul/news/1001.html", "2021-11-22T16:07:00+09:00"),  # article:published_time
        ("bitgoeul/news/1004.html", "2021-11-23T11:00:00+09:00"),  # JSON-LD
        ("bitgoeul/news/1005.html", "2021-11-24T10:15:00+09:00"),  # byline, not the 11.27 weather widget
        ("naver/article/555/0000111.html", "2021-11-23T10:00:00+09:00"),  # _ARTICLE_DATE_TIME, KST
        ("daum/v/20211125090000333.html", "2021-11-25T09:00:00+09:00"),  # og:regDate
        ("namdo/2001.html", "2021-11-25T14:30:00+09:00"),  # 기사입력 … 오후 2:30 (EUC-KR)
    ],
)
def test_publication_dates_come_from_page_metadata(first_crawl, path, published):
    crawl, _ = first_crawl
    assert stored(crawl.db)[path]["published"] == published


def test_update_times_are_kept(first_crawl):
    crawl, _ = first_crawl
    rows = stored(crawl.db)
    assert rows["naver/article/555/0000111.html"]["updated"] == "2021-11-23T10:40:00+09:00"
    assert rows["namdo/2001.html"]["updated"] == "2021-11-25T17:10:00+09:00"


def test_euc_kr_and_lying_charset_pages_decode(first_crawl):
    crawl, _ = first_crawl
    rows = stored(crawl.db)
    assert "카페 '똠'을 운영하는" in rows["namdo/2001.html"]["text"]  # a CP949-only syllable
    assert rows["namdo/2002.html"]["text"].startswith("4000여억원이 들어간 AI 집적단지")
    assert rows["namdo/2002.html"]["title"] == "4000여억원 투입 AI 집적단지, 2단계는 어디로"


def test_text_has_no_boilerplate(first_crawl):
    crawl, _ = first_crawl
    for path, row in stored(crawl.db).items():
        text = row["text"]
        for noise in ("무단", "Copyright", "ⓒ", "©", "공유하기", "맑음", "@", "구독", "기자 ="):
            assert noise not in text, f"{path}: {noise!r} in text"


def test_figures_reach_the_text(first_crawl):
    crawl, _ = first_crawl
    text = stored(crawl.db)["bitgoeul/news/1001.html"]["text"]
    assert "모두 4116억원을 들여" in text
    assert "48명의 직원이" in text
    assert text.startswith("광주 첨단3지구에")  # the headline is the title, not the first paragraph


def test_amp_and_tracking_variants_store_one_article(first_crawl):
    crawl, log = first_crawl
    paths = [path for _, path, _ in log]
    assert "/bitgoeul/amp/news/1001.html" in paths  # from the search API
    assert "/bitgoeul/news/1001.html" in paths  # from the feed, utm_* removed before fetching
    assert not any("utm_" in path for path in paths)
    assert crawl.db.execute("select count(*) from articles where url like '%1001%'").fetchone()[0] == 1


def test_syndicated_story_groups_and_exact_copy_is_checked_once(first_crawl):
    crawl, _ = first_crawl
    rows = stored(crawl.db)
    naver = rows["naver/article/555/0000111.html"]
    daum = rows["daum/v/20211123100000111.html"]
    other_outlet = rows["daum/v/20211123113000222.html"]  # other byline, one word changed
    assert naver["story_id"] == daum["story_id"] == other_outlet["story_id"]
    assert naver["text"] == daum["text"]
    # The exact copy is stored as a copy (not checked again), whichever of the two came second;
    # the near-copy (other byline, one word changed) is checked: an edit may carry its own error.
    assert (naver["copy_of"] is None) != (daum["copy_of"] is None)
    assert other_outlet["copy_of"] is None
    assert rows["bitgoeul/news/1001.html"]["story_id"] != naver["story_id"]


def test_outlets_come_from_the_page_or_the_source(first_crawl):
    crawl, _ = first_crawl
    rows = stored(crawl.db)
    assert rows["naver/article/555/0000111.html"]["outlet"] == "남도통신"
    assert rows["daum/v/20211123113000222.html"]["outlet"] == "광남타임스"
    assert rows["namdo/2001.html"]["outlet"] == "남도경제"
    assert rows["bitgoeul/news/1001.html"]["outlet"] == "빛고을일보"


def test_run_is_recorded_per_source(first_crawl):
    crawl, _ = first_crawl
    report = run_report(crawl.db, 1)
    assert report.status == "partial"  # the broken feed failed; the rest went on
    sources = {row.source: row for row in report.sources}
    assert sources["broken_feed"].failed == 1
    daum = sources["daum_local"]
    assert daum.new + daum.copies == 3 and daum.pages == 5  # 2 listing pages + 3 articles (order varies)
    assert sources["bitgoeul_rss"].errors == 1 and sources["bitgoeul_rss"].failed == 0
    assert report.new + report.copies == 9
    health = {row.source: row for row in last_runs_by_source(crawl.db)}
    assert health["broken_feed"].consecutive_failures == 1
    assert "XML" in health["broken_feed"].last_error
    assert health["namdo_sitemap"].consecutive_failures == 0
    assert health["namdo_sitemap"].articles_yielded == 2
    assert datetime.fromisoformat(health["namdo_sitemap"].last_success)


def test_second_crawl_stores_nothing_and_editing_a_page_adds_one_version(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    with serve_site(site) as base_url:
        sources = write_sources(base_url, tmp_path)
        db_path = tmp_path / "store.db"
        first = run_crawl(sources, db_path)
        assert first.returncode == 0, first.log[-3000:]
        versions = first.db.execute("select count(*) from article_versions").fetchone()[0]

        second = run_crawl(sources, db_path)
        assert second.returncode == 0, second.log[-3000:]
        assert second.db.execute("select count(*) from article_versions").fetchone()[0] == versions
        run = run_report(second.db, 2)
        assert (run.new, run.updated, run.copies) == (0, 0, 0)
        assert run.unchanged >= 8

        page = site / "bitgoeul" / "news" / "1005.html"
        page.write_text(page.read_text(encoding="utf-8").replace("24일 처음으로", "25일 처음으로"), encoding="utf-8")
        third = run_crawl(sources, db_path)
        assert third.returncode == 0, third.log[-3000:]
    assert third.db.execute("select count(*) from article_versions").fetchone()[0] == versions + 1
    edited = stored(third.db)["bitgoeul/news/1005.html"]
    assert edited["version"] == 2 and "25일 처음으로" in edited["text"]
    assert (run_report(third.db, 3).updated, run_report(third.db, 3).new) == (1, 0)


def test_second_crawl_costs_little_with_conditional_requests(tmp_path):
    log: list = []
    with serve_site(SITE, requests_log=log) as base_url:
        sources = write_sources(base_url, tmp_path)
        run_crawl(sources, tmp_path / "store.db")
        log.clear()
        second = run_crawl(sources, tmp_path / "store.db")
    conditional = {path: "If-Modified-Since" in headers for _, path, headers in log if path.startswith("/bitgoeul/news/")}
    assert conditional == {
        "/bitgoeul/news/1001.html": True,
        "/bitgoeul/news/1002.html": True,  # off-topic, unchanged, same topics: a 304 is enough
        "/bitgoeul/news/1003.html": False,  # a 404 has no validators to send
        "/bitgoeul/news/1004.html": True,
        "/bitgoeul/news/1005.html": True,
    }
    assert "'downloader/response_status_count/304'" in second.log
