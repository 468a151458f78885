"""Stored URLs are the ones the site publishes (they must open), and one article has one key.

Issue 8, items 3 and 4: a trailing slash was dropped (links that 404 on sites where only
`/…/CODE/` is the article), percent-encoded and raw Unicode forms were two keys, and AMP was
recognised only from a list of parameter spellings.
"""

from __future__ import annotations

import urllib.request

from conftest_crawl import article_page, rss, site_crawler, write_site
from crawler.canonical import canonicalize_url, choose_canonical, url_key
from test_crawl_regressions import DATA_CENTRE, FEED_SOURCE, CES


def test_the_trailing_slash_the_site_publishes_is_kept():
    assert canonicalize_url("https://news.example.kr/news/2020/01/30/AB12CD/") == (
        "https://news.example.kr/news/2020/01/30/AB12CD/"
    )
    assert canonicalize_url("https://news.example.kr/news/2020/01/30/AB12CD") == (
        "https://news.example.kr/news/2020/01/30/AB12CD"
    )
    # Compared by key, the two spellings are one article.
    assert url_key("https://news.example.kr/a/1/") == url_key("https://www.news.example.kr/a/1?utm_source=x")


def test_percent_encoded_and_raw_unicode_forms_are_one_url():
    raw = "https://news.example.kr/뉴스/인공지능/?id=가나"
    encoded = "https://news.example.kr/%eb%89%b4%ec%8a%a4/%EC%9D%B8%EA%B3%B5%EC%A7%80%EB%8A%A5/?id=%EA%B0%80%EB%82%98"
    assert canonicalize_url(raw) == canonicalize_url(encoded)
    assert canonicalize_url(raw).isascii()  # the form that works as a link anywhere
    assert choose_canonical(encoded, raw) == canonicalize_url(encoded)


SLASH_SITE = {
    "gaon/rss.xml": rss(["/gaon/news/2020/01/30/AB12CD/", "/gaon/%EB%89%B4%EC%8A%A4/7/"]),
    # The article lives at the directory URL; the same path without its slash is not a page.
    "gaon/news/2020/01/30/AB12CD/index.html": article_page(
        "사업단 데이터센터 1200억 투입", DATA_CENTRE,
        head='<link rel="canonical" href="{{base_url}}/gaon/news/2020/01/30/AB12CD/">',
    ),
    # A canonical written in raw Unicode for a page fetched percent-encoded.
    "gaon/뉴스/7/index.html": article_page(
        "사업단 스타트업 전시회 참가", CES, head='<link rel="canonical" href="{{base_url}}/gaon/뉴스/7/">',
    ),
    "_site.yaml": "paths:\n  /gaon/news/2020/01/30/AB12CD: {status: 404}\n  /gaon/뉴스/7: {status: 404}\n",
}


def test_stored_urls_open_and_a_recrawl_adds_no_second_key(tmp_path):
    site = write_site(tmp_path / "site", SLASH_SITE)
    with site_crawler(site, FEED_SOURCE, tmp_path / "store.db") as crawl:
        first = crawl()
        assert first.returncode == 0, first.log[-3000:]
        urls = sorted(row["url"] for row in first.db["articles"].rows)
        assert urls == [
            f"{crawl.base_url}/gaon/%EB%89%B4%EC%8A%A4/7/",
            f"{crawl.base_url}/gaon/news/2020/01/30/AB12CD/",
        ]
        for url in urls:  # what an alert links to must open
            with urllib.request.urlopen(url) as answer:
                assert answer.status == 200
        second = crawl(FACTWATCH_REVALIDATE="True")
        assert second.returncode == 0, second.log[-3000:]
    assert second.db["articles"].count == 2


def test_one_article_linked_with_and_without_its_slash_is_stored_once(tmp_path):
    # A CMS that serves the article under both spellings; no canonical to settle it.
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/a/1/"]),
        "gaon/rss2.xml": rss(["/gaon/a/1"]),
        "gaon/a/1/index.html": article_page("사업단 데이터센터 1200억 투입", DATA_CENTRE),
    })
    sources = FEED_SOURCE + '  - name: gaon_more\n    kind: feed\n    url: "{{base_url}}/gaon/rss2.xml"\n'
    with site_crawler(site, sources, tmp_path / "store.db") as crawl:
        first = crawl()
        assert first.returncode == 0, first.log[-3000:]
        second = crawl(FACTWATCH_REVALIDATE="True")
    assert second.db["articles"].count == 1
    assert second.db["article_versions"].count == 1


# Item 4: AMP is recognised from the page, whatever its URL spelling -------------------------


def amp_page(title: str, paragraphs: list[str], canonical: str, mark: str = "⚡") -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f'<!doctype html><html {mark} lang="ko"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="{canonical}"></head><body><h1>{title}</h1><article>{body}</article></body></html>'
    )


def test_an_amp_page_is_its_canonical_article_whatever_the_parameter_is_called():
    from crawler.extract import extract_article

    view = "https://news.example.kr/news/articleView.html?idxno=7"
    for url, mark in ((view + "&outputType=amp", "⚡"), (view + "&mode=amp", "amp"), (view + "&ampview=1", "amp")):
        page = extract_article(amp_page("사업단 데이터센터 1200억 투입", DATA_CENTRE, view, mark).encode(), url)
        assert page.url == view, url
    # A page that is not AMP still may not drop its id parameters through its canonical.
    normal = article_page("사업단 데이터센터 1200억 투입", DATA_CENTRE, head=f'<link rel="canonical" href="{view}">')
    assert extract_article(normal.encode(), view + "&page=2").url == view + "&page=2"
    # AMP or not, a canonical on another site or at the front page is not the article.
    for declared in ("https://portal.example.com/v/1", "https://news.example.kr/"):
        page = extract_article(amp_page("사업단", DATA_CENTRE, declared).encode(), view + "&outputType=amp")
        assert page.url == view + "&outputType=amp", declared


def test_an_amp_copy_with_an_unlisted_parameter_is_not_a_second_article(tmp_path):
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/view.html?idxno=7", "/gaon/view.html?idxno=7&amp;outputType=amp"]),
        # The local server ignores the query: both URLs get this page, as the AMP one would be.
        "gaon/view.html": amp_page("사업단 데이터센터 1200억 투입", DATA_CENTRE, "{{base_url}}/gaon/view.html?idxno=7"),
    })
    with site_crawler(site, FEED_SOURCE, tmp_path / "store.db") as crawl:
        result = crawl()
    assert result.returncode == 0, result.log[-3000:]
    assert [row["url"] for row in result.db["articles"].rows] == [f"{crawl.base_url}/gaon/view.html?idxno=7"]


def test_an_amp_copy_found_first_is_stored_from_its_original_page(tmp_path):
    # The AMP copy lacks the byline; which copy a source met first must not decide what is stored.
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/amp/1.html"]),
        "gaon/amp/1.html": amp_page("사업단 데이터센터 1200억 투입", DATA_CENTRE, "{{base_url}}/gaon/news/1.html", "amp"),
        "gaon/news/1.html": article_page("사업단 데이터센터 1200억 투입", DATA_CENTRE, head='<meta name="author" content="한지우">'),
    })
    log: list = []
    with site_crawler(site, FEED_SOURCE, tmp_path / "store.db", log=log) as crawl:
        result = crawl()
    assert result.returncode == 0, result.log[-3000:]
    rows = list(result.db["articles"].rows)
    assert [(row["url"], row["author"]) for row in rows] == [(f"{crawl.base_url}/gaon/news/1.html", "한지우")]
    assert "/gaon/news/1.html" in [path for _, path, _ in log]
