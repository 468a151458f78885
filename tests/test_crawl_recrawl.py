"""Re-crawls are cheap and retries come when documented (issue 8, item 20).

Validators (ETag/Last-Modified) are kept for every fetched URL, skipped pages included, so an
unchanged off-topic or empty page costs a 304 — unless what it was judged with changed (the
topics, the site's selectors, the extractor), then it is fetched in full. A retried 500 goes to
the front of the queue, so it waits the documented back-off, not for every other page.
"""

from __future__ import annotations

from conftest_crawl import article_page, rss, site_crawler, write_site
from test_crawl_regressions import DATA_CENTRE, FEED_SOURCE
from test_crawl_rules import MARKET


def _conditional(log: list, prefix: str) -> dict[str, bool]:
    return {path: "If-Modified-Since" in headers for _, path, headers in log if path.startswith(prefix)}


SITE_FILES = {
    "gaon/rss.xml": rss(["/gaon/news/1.html", "/gaon/news/2.html", "/gaon/news/3.html"]),
    "gaon/news/1.html": article_page("사업단 데이터센터 1200억 투입", DATA_CENTRE),
    "gaon/news/2.html": article_page("양동시장 주말 야시장", MARKET),  # off_topic
    "gaon/news/3.html": article_page("사업단 사진", ["사업단 현판식."]),  # no_text
}


def test_skipped_pages_cost_a_304_next_time_and_stay_skipped(tmp_path):
    site = write_site(tmp_path / "site", SITE_FILES)
    log: list = []
    with site_crawler(site, FEED_SOURCE, tmp_path / "store.db", log=log) as crawl:
        assert crawl().returncode == 0
        log.clear()
        second = crawl()
    assert second.returncode == 0, second.log[-3000:]
    assert _conditional(log, "/gaon/news/") == {
        "/gaon/news/1.html": True, "/gaon/news/2.html": True, "/gaon/news/3.html": True,
    }
    # A 304 of a skipped page is that skip again (not "unchanged", which would hide an empty outlet).
    skips = {row["url"].rsplit("/", 1)[1]: row["reason"] for row in second.db["crawl_skips"].rows_where("run_id = 2")}
    assert skips == {"2.html": "off_topic", "3.html": "no_text"}
    run = second.db["crawl_runs"].get(2)
    assert (run["unchanged"], run["skipped"], run["new"]) == (1, 2, 0)


def test_a_skipped_page_is_judged_again_in_full_when_the_topics_or_selectors_change(tmp_path):
    site = write_site(tmp_path / "site", SITE_FILES)
    log: list = []
    with site_crawler(site, FEED_SOURCE, tmp_path / "store.db", log=log) as crawl:
        assert crawl().returncode == 0
        log.clear()
        second = crawl(FACTWATCH_TOPIC_KEYWORDS="사업단,야시장")  # the topics changed
        assert second.returncode == 0, second.log[-3000:]
        assert _conditional(log, "/gaon/news/")["/gaon/news/2.html"] is False
        assert _conditional(log, "/gaon/news/")["/gaon/news/1.html"] is True  # stored: a 304 is enough
        assert second.db["articles"].count == 2  # the market page is now on topic

        with_selectors = FEED_SOURCE + "    selectors:\n      body: article\n"
        sources = tmp_path / "store.sources.yaml"
        sources.write_text(with_selectors.replace("{{base_url}}", crawl.base_url), encoding="utf-8")
        log.clear()
        third = crawl(FACTWATCH_TOPIC_KEYWORDS="사업단,야시장")  # the site's selectors changed
    assert third.returncode == 0, third.log[-3000:]
    assert _conditional(log, "/gaon/news/")["/gaon/news/3.html"] is False


def test_a_500_is_retried_next_not_after_every_other_page(tmp_path):
    pages = {f"gaon/news/{n}.html": article_page(f"사업단 소식 {n}", [f"{n}번째 " + line for line in DATA_CENTRE]) for n in range(1, 21)}
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss([f"/gaon/news/{n}.html" for n in range(1, 21)]),
        "_site.yaml": "paths:\n  /gaon/news/20.html: {status: 500, fail_times: 1}\n",
        **pages,
    })
    log: list = []
    with site_crawler(site, FEED_SOURCE, tmp_path / "store.db", log=log,
                      CONCURRENT_REQUESTS="1", CONCURRENT_REQUESTS_PER_DOMAIN="1") as crawl:
        result = crawl()
    assert result.returncode == 0, result.log[-3000:]
    paths = [path for _, path, _ in log if path.startswith("/gaon/news/")]
    first, retry = [i for i, path in enumerate(paths) if path == "/gaon/news/20.html"]
    assert retry - first <= 2, paths  # at once (after its back-off), not behind the other pages
    assert result.db["articles"].count == 20
