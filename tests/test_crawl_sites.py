"""Extraction settings belong to the site, not to the source that found the URL (issue 8, item 2).

A search source returns pages of every outlet; listed first, it used to read another outlet's
pages with its own selectors, and the duplicate filter then kept the outlet's own source from
fetching them: the order of sources decided what was stored.
"""

from __future__ import annotations

import json

import pytest
import yaml

from conftest_crawl import NEWSWEB, SITE, article_page, rss, run_crawl, site_crawler, stored, write_site
from crawler.localsite import serve_site
from crawler.sources import SourcesError, load_sources
from test_crawl_regressions import DATA_CENTRE

COLUMNS = ("title", "text", "outlet", "author", "published", "updated", "version")


def _snapshot(db) -> tuple[dict, set]:
    rows = stored(db)
    stories: dict = {}
    for path, row in rows.items():
        stories.setdefault(row["story_id"], set()).add(path)
    return {path: tuple(row[c] for c in COLUMNS) for path, row in rows.items()}, {frozenset(g) for g in stories.values()}


def _crawl_in_order(tmp_path, reverse: bool):
    data = yaml.safe_load((NEWSWEB / "sources.yaml").read_text(encoding="utf-8"))
    if reverse:
        data["sources"].reverse()
    folder = tmp_path / ("reversed" if reverse else "listed")
    folder.mkdir()
    with serve_site(SITE) as base_url:
        sources = folder / "sources.yaml"
        sources.write_text(yaml.safe_dump(data, allow_unicode=True).replace("{{base_url}}", base_url), encoding="utf-8")
        crawl = run_crawl(sources, folder / "store.db")
    assert crawl.returncode == 0, crawl.log[-3000:]
    return _snapshot(crawl.db)


def test_swapping_the_order_of_the_fixture_sources_changes_nothing_stored(tmp_path):
    assert _crawl_in_order(tmp_path, reverse=False) == _crawl_in_order(tmp_path, reverse=True)


TEASER = '<div class="article_body">사업단 소식 더 보기</div>'  # the portal's body class, here a teaser box
SEARCH = {
    "total": 2, "start": 1, "display": 2,
    "items": [
        {"title": "사업단 데이터센터", "originallink": "{{base_url}}/gaon/news/1.html", "link": "{{base_url}}/gaon/news/1.html",
         "description": "", "pubDate": "Mon, 22 Nov 2021 16:07:00 +0900"},
        {"title": "사업단 데이터센터", "originallink": "{{base_url}}/gaon/news/1.html", "link": "{{base_url}}/portal/v/1.html",
         "description": "", "pubDate": "Mon, 22 Nov 2021 16:30:00 +0900"},
    ],
}
OUTLET = """  - name: gaon_rss
    kind: feed
    url: "{{base_url}}/gaon/rss.xml"
    outlet: 가온일보
"""
SEARCH_SOURCE = """  - name: portal_search
    kind: naver_api
    api_base: "{{base_url}}"
    query: 사업단
    site: "{{base_url}}/portal/"
    outlet: 포털뉴스
    selectors:
      body: div.article_body
"""


@pytest.mark.parametrize("order", ["search first", "outlet first"])
def test_a_search_source_never_reads_an_outlet_page_with_its_own_selectors(tmp_path, order):
    portal = article_page("사업단 데이터센터 1200억 투입", ["포털 안내"], after=f'<div class="article_body">{"".join(DATA_CENTRE)}</div>')
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/news/1.html"]),
        "gaon/news/1.html": article_page("사업단 데이터센터 1200억 투입", DATA_CENTRE, after=TEASER),
        "portal/v/1.html": portal,
        "v1/search/news.json": json.dumps(SEARCH, ensure_ascii=False),
    })
    sources = "sources:\n" + (SEARCH_SOURCE + OUTLET if order == "search first" else OUTLET + SEARCH_SOURCE)
    with site_crawler(site, sources, tmp_path / "store.db") as crawl:
        result = crawl()
    assert result.returncode == 0, result.log[-3000:]
    rows = stored(result.db)
    assert rows["gaon/news/1.html"]["text"] == "\n".join(DATA_CENTRE)
    assert rows["gaon/news/1.html"]["outlet"] == "가온일보"
    assert rows["portal/v/1.html"]["outlet"] == "포털뉴스"


@pytest.mark.parametrize("entries, message", [
    (
        "  - {name: a, kind: feed, url: 'https://x.kr/rss', outlet: 가온일보}\n"
        "  - {name: b, kind: sitemap, url: 'https://www.x.kr/sitemap.xml', outlet: 나온일보}\n",
        ":3: sources[1]: 소스 'a'와 같은 사이트(x.kr)에 다른 selectors/outlet",
    ),
    (
        "  - {name: a, kind: naver_api, query: 사업단, selectors: {body: article}}\n",
        ":2: sources[0].site: naver_api 소스의 selectors/outlet 은 어느 사이트의 것인지 site: 로",
    ),
])
def test_settings_that_would_depend_on_the_order_are_refused_with_file_and_line(tmp_path, entries, message):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n" + entries, encoding="utf-8")
    with pytest.raises(SourcesError) as error:
        load_sources(path)
    assert message in str(error.value)


def test_one_outlet_with_two_feeds_may_repeat_its_settings(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - {name: a, kind: feed, url: 'https://x.kr/rss/1.xml', outlet: 가온일보}\n"
        "  - {name: b, kind: feed, url: 'https://x.kr/rss/2.xml', outlet: 가온일보}\n", encoding="utf-8")
    assert [source.name for source in load_sources(path)] == ["a", "b"]
