"""Pure crawler helpers: dates, URLs, encodings, text cleaning, story fingerprints, listings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.canonical import canonicalize_url, choose_canonical
from crawler.dates import parse_byline_dates, parse_datetime
from crawler.encoding import decode_html
from crawler.listings import MalformedListing, parse_feed, parse_naver_search, parse_sitemap
from crawler.storykey import SAME_STORY, fingerprint_body, new_story_key, similarity
from crawler.textclean import clean_article_text

KST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2021-11-22T16:07:00+09:00", datetime(2021, 11, 22, 16, 7, tzinfo=KST)),
        ("2021-11-22T07:07:00Z", datetime(2021, 11, 22, 16, 7, tzinfo=KST)),
        ("2021-11-22 16:07:00", datetime(2021, 11, 22, 16, 7, tzinfo=KST)),  # no zone → KST
        ("2021.11.22 16:07", datetime(2021, 11, 22, 16, 7, tzinfo=KST)),
        ("2021. 11. 22. 16:07", datetime(2021, 11, 22, 16, 7, tzinfo=KST)),
        ("2021-11-22 오후 4:07", datetime(2021, 11, 22, 16, 7, tzinfo=KST)),
        ("2021년 11월 22일 오전 12:30", datetime(2021, 11, 22, 0, 30, tzinfo=KST)),
        ("20211122160700", datetime(2021, 11, 22, 16, 7, tzinfo=KST)),  # Daum og:regDate
        ("Mon, 22 Nov 2021 16:07:00 +0900", datetime(2021, 11, 22, 16, 7, tzinfo=KST)),
        ("2021.11.22", datetime(2021, 11, 22, tzinfo=KST)),
        ("맑음 12℃", None),
        ("2021-13-45", None),
        ("", None),
    ],
)
def test_parse_datetime(written, expected):
    assert parse_datetime(written) == expected


def test_byline_published_and_updated():
    published, updated = parse_byline_dates("정하늘 기자 | 입력 2021.11.22 16:07 | 수정 2021.11.23 09:30")
    assert published == datetime(2021, 11, 22, 16, 7, tzinfo=KST)
    assert updated == datetime(2021, 11, 23, 9, 30, tzinfo=KST)


def test_byline_ignores_unlabelled_dates():
    assert parse_byline_dates("2021.11.27 (토) 맑음\n승인 2021.11.24 10:15") == (datetime(2021, 11, 24, 10, 15, tzinfo=KST), None)


@pytest.mark.parametrize(
    "url, canonical",
    [
        ("https://news.example.kr/a/1?utm_source=x&utm_medium=y&fbclid=z", "https://news.example.kr/a/1"),
        ("https://m.news.example.kr/a/1", "https://news.example.kr/a/1"),
        ("https://mobile.example.kr/a/1", "https://example.kr/a/1"),
        ("https://www.example.kr/amp/a/1", "https://example.kr/a/1"),
        ("https://example.kr/a/1.amp.html", "https://example.kr/a/1.html"),
        ("https://example.kr/view.php?idxno=5&gclid=1#top", "https://example.kr/view.php?idxno=5"),
        ("https://example.kr/view.php?b=2&a=1", "https://example.kr/view.php?a=1&b=2"),
        ("HTTPS://Example.KR:443/a/", "https://example.kr/a/"),  # the slash the site published
        ("https://m.kr/a", "https://m.kr/a"),  # a bare two-label host keeps its name
    ],
)
def test_canonicalize_url(url, canonical):
    assert canonicalize_url(url) == canonical


def test_declared_canonical_only_when_same_site_and_not_the_front_page():
    page = "https://m.example.kr/amp/news/1"
    assert choose_canonical(page, "https://www.example.kr/news/1") == "https://example.kr/news/1"
    assert choose_canonical(page, "https://example.kr/") == "https://example.kr/news/1"
    assert choose_canonical(page, "https://portal.example.com/v/1") == "https://example.kr/news/1"
    assert choose_canonical(page, "/news/1?utm_source=a") == "https://example.kr/news/1"


def test_decode_cp949_with_uhc_syllable():
    body = '<meta charset="euc-kr"><p>똠방각하</p>'.encode("cp949")
    assert decode_html(body) == ('<meta charset="euc-kr"><p>똠방각하</p>', "cp949")


def test_decode_ks_c_5601_label_from_header():
    assert decode_html("광주".encode("cp949"), "text/html; charset=ks_c_5601-1987") == ("광주", "cp949")


def test_decode_utf8_wins_over_a_lying_declaration():
    body = '<meta charset="euc-kr"><p>광주</p>'.encode("utf-8")
    assert decode_html(body, "text/html; charset=euc-kr")[1] == "utf-8"


def test_decode_undeclared_korean_falls_back_to_cp949():
    assert decode_html("<p>인공지능</p>".encode("cp949")) == ("<p>인공지능</p>", "cp949")


def test_clean_article_text_removes_boilerplate_keeps_prose():
    text = "\n".join([
        "[광주=남도통신] 오한결 기자 = 광주시가 23일 발표회를 열었다.",
        "공유하기",
        "사업비는 4116억원이다.",
        "오한결 기자 hangyeol@wire.example",
        "hangyeol@wire.example",
        "▶ 남도통신 구독하기",
        "저작권자 © 빛고을일보 무단전재 및 재배포 금지",
    ])
    assert clean_article_text(text) == "광주시가 23일 발표회를 열었다.\n사업비는 4116억원이다."


def test_long_line_mentioning_copyright_is_prose():
    line = "저작권 침해 소송에서 법원은 " + "원고의 주장을 받아들여 손해배상을 명령했다. " * 3 + "ⓒ 표시가 쟁점이었다."
    assert clean_article_text(line) == line


BODY = (
    "광주시와 인공지능산업융합사업단이 국가 AI 집적단지 입주기업을 대상으로 한 성과 발표회를 23일 열었다.\n"
    "발표회에서는 1단계 사업에 투입된 4116억원의 집행 현황과 입주기업 매출 변화가 공개됐다.\n"
    "사업단은 또 데이터센터 이용률이 개소 첫해보다 두 배 가까이 올랐다고 설명했다.\n"
)


def test_syndicated_copies_with_other_bylines_are_one_story():
    wire = "[광주=남도통신] 오한결 기자 = " + BODY + "hangyeol@wire.example"
    local = "(광주=광남타임스) 서다온 기자 = " + BODY.replace("설명했다", "밝혔다") + "서다온 기자 daon@x.example"
    assert similarity(fingerprint_body(wire), fingerprint_body(local)) >= SAME_STORY
    assert new_story_key(wire) == new_story_key("[광주=뉴스1] 김하나 기자 = " + BODY)


def test_different_stories_are_not_one_story():
    other = "광주 남구 주민자치회가 홀로 사는 어르신을 위한 김장 나눔 행사를 열었다. 자원봉사자 300여명이 배추를 절였다."
    assert similarity(fingerprint_body(BODY), fingerprint_body(other)) < 0.2
    assert fingerprint_body("짧은 글") == ()


def test_parse_rss_and_atom():
    rss = b"""<rss version="2.0"><channel><item><title>A</title><link>https://x.kr/1</link>
        <pubDate>Mon, 22 Nov 2021 16:07:00 +0900</pubDate></item>
        <item><guid>https://x.kr/2</guid></item></channel></rss>"""
    assert [(i.url, i.published) for i in parse_feed(rss)] == [
        ("https://x.kr/1", datetime(2021, 11, 22, 16, 7, tzinfo=KST)),
        ("https://x.kr/2", None),
    ]
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="https://x.kr/3"/>
        <published>2021-11-22T16:07:00+09:00</published></entry></feed>"""
    assert [i.url for i in parse_feed(atom)] == ["https://x.kr/3"]


@pytest.mark.parametrize("body", [b"<rss><channel><item><link>https://x.kr/1</item>", b"<html><body>points</body></html>", b""])
def test_malformed_feed_raises(body):
    with pytest.raises(MalformedListing):
        parse_feed(body)


def test_parse_news_sitemap_and_index():
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://x.kr/1</loc>
        <news:news><news:publication_date>2021-11-25T14:30:00+09:00</news:publication_date>
        <news:title>T</news:title></news:news></url></urlset>"""
    listed, children = parse_sitemap(urlset)
    assert (listed[0].url, listed[0].published, listed[0].title, children) == (
        "https://x.kr/1", datetime(2021, 11, 25, 14, 30, tzinfo=KST), "T", [])
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>https://x.kr/s1.xml</loc></sitemap></sitemapindex>"""
    assert parse_sitemap(index) == ([], ["https://x.kr/s1.xml"])


def test_parse_naver_search_answer():
    body = """{"total": 7, "items": [{"title": "<b>AI</b> &quot;집적단지&quot;", "originallink": "https://o.kr/1",
        "link": "https://n.news.naver.com/article/001/1", "pubDate": "Tue, 23 Nov 2021 10:00:00 +0900"}]}""".encode()
    listed, total = parse_naver_search(body)
    assert total == 7
    assert (listed[0].url, listed[0].title) == ("https://n.news.naver.com/article/001/1", 'AI "집적단지"')
    assert parse_naver_search(body, follow="originallink")[0][0].url == "https://o.kr/1"
    with pytest.raises(MalformedListing, match="Authentication"):
        parse_naver_search(b'{"errorMessage": "Authentication failed", "errorCode": "024"}')


@pytest.mark.parametrize("variant, canonical", [
    # (AMP views by parameter, ?output=amp and the like, are recognised from the page: test_crawl_urls.py)
    ("https://v.daum.net/v/20211123100000111?f=o", "https://v.daum.net/v/20211123100000111"),
    ("https://n.news.naver.com/mnews/article/555/0000111?sid=105", "https://n.news.naver.com/article/555/0000111?sid=105"),
])
def test_portal_variants_of_one_article_share_one_url(variant, canonical):
    from crawler.canonical import canonicalize_url

    assert canonicalize_url(variant) == canonical


def test_a_parameter_named_f_still_identifies_articles_elsewhere():
    from crawler.canonical import canonicalize_url

    assert canonicalize_url("https://example.kr/view.php?f=12") == "https://example.kr/view.php?f=12"


@pytest.mark.parametrize("byline, published", [
    ("승인 2021.11.22 18:30 | 입력 2021.11.22 16:07", "2021-11-22T16:07:00+09:00"),
    ("승인 2021.11.22 18:30", "2021-11-22T18:30:00+09:00"),
    ("입력 21.11.22 16:07", "2021-11-22T16:07:00+09:00"),
])
def test_byline_prefers_the_input_time_and_reads_two_digit_years(byline, published):
    from crawler.dates import parse_byline_dates

    assert parse_byline_dates(byline)[0].isoformat() == published
