"""Article extraction from saved fixture pages: text, title, dates, author, encodings, canonical URL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from conftest_crawl import SITE
from crawler.extract import extract_article

KST = timezone(timedelta(hours=9))
BASE = "http://127.0.0.1:8000"


def _page(path: str, content_type: str | None = None, selectors: dict | None = None, listed=None):
    body = (SITE / path).read_bytes().replace(b"{{base_url}}", BASE.encode())
    return extract_article(body, f"{BASE}/{path}", content_type, selectors, listed)


def test_generic_page_text_title_dates_author():
    page = _page("bitgoeul/news/1001.html")
    assert page.title == "국가 AI 집적단지 2단계 예산 확보 '청신호'"  # og:title without " - 빛고을일보"
    assert page.published == datetime(2021, 11, 22, 16, 7, tzinfo=KST)
    assert page.updated == datetime(2021, 11, 23, 9, 30, tzinfo=KST)
    assert page.author == "정하늘"
    assert page.outlet == "빛고을일보"
    assert page.date_source == "article:published_time"
    assert page.text.splitlines()[1].startswith("1단계 사업은 2020년부터 2024년까지 5년간")
    assert "무단전재" not in page.text and "공유하기" not in page.text


def test_amp_page_canonical_is_the_article_url():
    assert _page("bitgoeul/amp/news/1001.html").url == f"{BASE}/bitgoeul/news/1001.html"


def test_weather_widget_date_is_not_the_publication_date():
    page = _page("bitgoeul/news/1005.html")
    assert page.published == datetime(2021, 11, 24, 10, 15, tzinfo=KST)
    assert page.date_source == "byline"
    assert "맑음" not in page.text and "흐림" not in page.text
    assert page.title == "실증 장비 첫 가동… 기업 문의 이어져"  # <title> is only the site name


def test_listing_date_is_used_only_when_the_page_has_none():
    listed = datetime(2020, 1, 1, tzinfo=KST)
    assert _page("bitgoeul/news/1005.html", listed=listed).published.year == 2021


def test_naver_style_page():
    page = _page(
        "naver/article/555/0000111.html",
        selectors={"title": "h2#title_area", "body": "article#dic_area", "outlet": ".media_end_head_top_logo img::attr(alt)"},
    )
    assert page.title == '광주 AI 집적단지 성과 발표회… "후속 예산 확보 총력"'
    assert page.published == datetime(2021, 11, 23, 10, 0, tzinfo=KST)
    assert page.updated == datetime(2021, 11, 23, 10, 40, tzinfo=KST)
    assert page.date_source == "naver"
    assert page.outlet == "남도통신"
    assert page.text.startswith("광주시와 인공지능산업융합사업단이")  # "[광주=남도통신] 오한결 기자 =" removed
    assert len(page.text.splitlines()) == 4  # <br> paragraphs, email line dropped


def test_naver_style_page_without_selectors_still_gets_date_and_text():
    page = _page("naver/article/555/0000111.html")
    assert page.published == datetime(2021, 11, 23, 10, 0, tzinfo=KST)
    assert "4116억원의 집행 현황" in page.text
    assert "많이 본 뉴스" not in page.text


def test_daum_style_page():
    page = _page("daum/v/20211125090000333.html", selectors={"body": ".article_view p[dmcf-ptype=general]"})
    assert page.title == "AI 집적단지 입주사들, 지역 청년 48명 채용"
    assert page.published == datetime(2021, 11, 25, 9, 0, tzinfo=KST)
    assert page.date_source == "daum"
    assert page.text.splitlines()[0] == "광주 AI 집적단지에 입주한 기업들이 올해 하반기 지역 청년 48명을 새로 채용했다."


def test_euc_kr_page_decodes_as_cp949():
    page = _page("namdo/2001.html", "text/html", {"title": "td.news_title", "body": "td.news_body", "published": "td.news_date"})
    assert page.encoding == "cp949"
    assert "카페 '똠'을" in page.text
    assert page.title.startswith("집적단지 입주 앞둔 지역 기업들")
    assert page.published == datetime(2021, 11, 25, 14, 30, tzinfo=KST)
    assert page.updated == datetime(2021, 11, 25, 17, 10, tzinfo=KST)
    assert "sea@namdo.example" not in page.text


def test_page_whose_charset_lies_decodes_as_utf8():
    page = _page("namdo/2002.html", "text/html; charset=euc-kr", {"body": "td.news_body"})
    assert page.encoding == "utf-8"
    assert page.text.startswith("4000여억원이 들어간")


@pytest.mark.parametrize("copyright_year_page", [b"<html><body><p>" + "본문 ".encode() * 40 + b"</p><footer>Copyright 2019</footer></body></html>"])
def test_no_date_is_none_never_today_or_copyright_year(copyright_year_page):
    page = extract_article(copyright_year_page, f"{BASE}/x.html")
    assert page.published is None


# Issue 8, item 1: a cp949 table layout read without per-site selectors -----------------------


@pytest.mark.parametrize("path, title, first", [
    ("namdo/2001.html", '집적단지 입주 앞둔 지역 기업들 "장비 예약이 관건"', "국가 인공지능 집적단지 입주를 앞둔 광주 지역 기업들이"),
    ("namdo/2002.html", "4000여억원 투입 AI 집적단지, 2단계는 어디로", "4000여억원이 들어간 AI 집적단지 1단계 사업이"),
])
def test_a_table_layout_is_read_without_selectors(path, title, first):
    page = _page(path)
    assert page.text.startswith(first)
    assert len(page.text.splitlines()) >= 3  # every <br><br> paragraph, each a line
    assert "기자" not in page.text and "Copyright" not in page.text and "산업 | 지역" not in page.text
    assert page.title == title  # not the site name in <title>


def test_the_largest_block_fallback_does_not_replace_what_trafilatura_reads():
    page = _page("bitgoeul/news/1001.html")
    assert page.text.startswith("광주 첨단3지구에")


# Issue 8, item 14: the press name comes from the page's metadata, not the portal's name ----------


@pytest.mark.parametrize("path, outlet", [
    ("naver/article/555/0000111.html", "남도통신"),  # og:article:author "남도통신 | 네이버"
    ("daum/v/20211123100000111.html", "남도통신"),  # og:site_name is "Daum 뉴스": the portal
    ("daum/v/20211123113000222.html", "광남타임스"),
    ("bitgoeul/news/1001.html", "빛고을일보"),  # og:site_name of the outlet itself
])
def test_the_outlet_is_read_from_page_metadata_without_selectors(path, outlet):
    assert _page(path).outlet == outlet


def _meta_page(head: str) -> bytes:
    body = "".join(f"<p>{n}번째 문단: 인공지능산업융합사업단은 입주 기업 지원 계획을 밝혔다.</p>" for n in range(4))
    return f'<html><head><meta charset="utf-8"><title>기사</title>{head}</head><body><article>{body}</article></body></html>'.encode()


@pytest.mark.parametrize("head, outlet", [
    ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "기사", '
     '"publisher": {"@type": "Organization", "name": "가온일보"}}</script><meta property="og:site_name" content="네이버 뉴스">', "가온일보"),
    ('<meta property="article:publisher" content="https://www.facebook.com/gaon"><meta property="og:site_name" content="가온일보">', "가온일보"),
    ('<meta property="article:publisher" content="가온일보">', "가온일보"),
    ('<meta name="article:media_name" content="가온일보"><meta property="og:site_name" content="Daum 뉴스">', "가온일보"),
    ('<meta name="twitter:creator" content="@가온일보"><meta property="og:site_name" content="네이버 뉴스">', "가온일보"),
    ('<meta property="og:site_name" content="네이버 뉴스">', None),  # only the portal: the site's outlet, if any, decides
])
def test_press_name_metadata_in_order(head, outlet):
    assert extract_article(_meta_page(head), "https://portal.example.kr/v/1").outlet == outlet
