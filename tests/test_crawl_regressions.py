"""Regressions from the crawler review: each test failed before its fix.

Pages are invented for the project (short Korean articles about the watched program) and
served from a temporary folder on 127.0.0.1 by `crawler.localsite.serve_site`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from conftest_crawl import article_page, site_crawler, edit_page, rss, versions, write_site
from crawler.canonical import choose_canonical

KST = timezone(timedelta(hours=9))

# Two different articles of one outlet (invented).
DATA_CENTRE = [
    "인공지능산업융합사업단은 22일 광주 첨단3지구에 데이터센터를 짓는 데 예산 1200억원을 투입한다고 밝혔다.",
    "사업단 관계자는 입주 기업이 지난해 58곳에서 올해 120곳으로 늘었다고 설명했다.",
    "광주시는 2024년까지 실증 장비 300여종을 구축할 계획이다.",
]
CES = [
    "인공지능산업융합사업단이 지원한 스타트업 12곳이 다음 달 미국 라스베이거스 전시회에 참가한다.",
    "이들 기업은 의료 영상 판독과 자율주행 실증 분야에서 시제품 40여종을 선보인다.",
    "사업단은 참가비의 70%를 지원했다고 밝혔다.",
]
FEED_SOURCE = """sources:
  - name: gaon_rss
    kind: feed
    url: "{{base_url}}/gaon/rss.xml"
    outlet: 가온일보
"""


# 1. A template canonical must not merge two articles ------------------------------------------


def test_canonical_that_drops_the_article_id_or_points_at_an_index_is_ignored():
    view = "https://news.example.kr/news/articleView.html?idxno=124"
    for declared in (
        "https://news.example.kr/news/articleView.html",  # the view script without its id
        "https://news.example.kr/news/articleView.html?idxno=123",  # another article's id
        "https://news.example.kr/news/articleList.html",
        "/index.html",
    ):
        assert choose_canonical(view, declared) == view, declared
    page = "https://news.example.kr/news/2021/1001.html"
    assert choose_canonical(page, "https://news.example.kr/news") == page  # a parent: the section
    assert choose_canonical(page, "https://news.example.kr/news/2021/") == page
    # What a canonical is for still works: AMP/mobile copies, tracking, portal section ids.
    assert choose_canonical("https://m.news.example.kr/amp/news/1", "https://news.example.kr/news/1") == (
        "https://news.example.kr/news/1"
    )
    assert choose_canonical(view + "&utm_source=fb", view) == view
    assert choose_canonical("https://n.news.example.kr/mnews/article/001/0012345678?sid=100",
                            "https://n.news.example.kr/article/001/0012345678") == (
        "https://n.news.example.kr/article/001/0012345678"
    )


def test_two_articles_sharing_a_template_canonical_stay_two_articles_across_runs(tmp_path):
    shared = '<link rel="canonical" href="/gaon/news/articleView.html">'
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/news/1.html", "/gaon/news/2.html"]),
        "gaon/news/1.html": article_page("사업단 데이터센터 1200억 투입", DATA_CENTRE, head=shared),
        "gaon/news/2.html": article_page("사업단 스타트업 전시회 참가", CES, head=shared),
    })
    with site_crawler(site, FEED_SOURCE, tmp_path / "store.db") as crawl:
        first = crawl()
        assert first.returncode == 0, first.log[-3000:]
        assert sorted(versions(first.db)) == [
            ("/gaon/news/1.html", 1, DATA_CENTRE[0][:20]),
            ("/gaon/news/2.html", 1, CES[0][:20]),
        ]
        # Editing one of them is a new version of that article, not of the other.
        edit_page(site / "gaon/news/2.html", "40여종", "50여종")
        second = crawl()
        assert second.returncode == 0, second.log[-3000:]
    assert sorted(versions(second.db)) == [
        ("/gaon/news/1.html", 1, DATA_CENTRE[0][:20]),
        ("/gaon/news/2.html", 1, CES[0][:20]),
        ("/gaon/news/2.html", 2, CES[0][:20]),
    ]


# 2. A failing store is a source error, and the page is fetched in full next time ----------------

OFF_TOPIC = [
    "광주 양동시장 상인회는 다음 달부터 주말 야시장을 연다고 밝혔다.",
    "상인회는 먹거리 부스 30곳과 공연 무대를 마련할 계획이다.",
]


def _conditional(log: list, prefix: str) -> dict[str, bool]:
    return {path: "If-Modified-Since" in headers for _, path, headers in log if path.startswith(prefix)}


# Skipped pages now keep their validators and are judged again in full only when the topics,
# the site's selectors or the extractor change (issue 8, item 20): test_crawl_recrawl.py.


def test_a_failing_store_is_a_source_error_and_the_page_is_fetched_again(tmp_path):
    from factwatch.store import open_db

    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/news/1.html"]),
        "gaon/news/1.html": article_page("사업단 데이터센터 1200억 투입", DATA_CENTRE),
    })
    db_path = tmp_path / "store.db"
    store = open_db(db_path)  # the store refuses every version, as a full disk would
    store.execute("create trigger refuse before insert on article_versions begin select raise(abort, '디스크 가득 참'); end")
    store.conn.commit()
    log: list = []
    with site_crawler(site, FEED_SOURCE, db_path, log=log) as crawl:
        first = crawl()
        assert first.returncode == 0, first.log[-3000:]
        run = first.db["crawl_runs"].get(1)
        assert run["status"] == "failed" and run["new"] == 0 and run["errors"] == 1
        source = next(first.db["crawl_run_sources"].rows_where("run_id = 1"))
        assert source["failed"] == 1 and "디스크 가득 참" in source["last_error"]
        assert [row["reason"] for row in first.db["crawl_skips"].rows] == ["item_error"]
        assert first.db["crawl_seen"].count == 0

        store.execute("drop trigger refuse")
        store.conn.commit()
        log.clear()
        second = crawl()
    assert second.returncode == 0, second.log[-3000:]
    assert _conditional(log, "/gaon/news/") == {"/gaon/news/1.html": False}
    assert versions(second.db) == [("/gaon/news/1.html", 1, DATA_CENTRE[0][:20])]
    assert second.db["crawl_runs"].get(2)["status"] == "ok"


# 3. A body selector's text keeps its line breaks and loses its captions -----------------------


def test_body_selector_splits_lines_at_br_and_blocks_and_drops_captions():
    from crawler.extract import extract_article

    cell = "<br><br>".join(DATA_CENTRE[:2]) + "<br><br>오은별 기자 eunbyeol@namdo.example.kr<br>ⓒ 남도경제 무단전재 및 재배포 금지"
    table_page = f"""<html><head><meta charset="utf-8"></head><body><table>
        <tr><td class="news_title">사업단 데이터센터 1200억 투입</td></tr>
        <tr><td class="news_body"><table class="photo"><tr><td><img src="1.jpg"><br>
        지난 15일 착공식에서 관계자 30명이 기념촬영을 하고 있다.</td></tr></table>{cell}</td></tr>
        </table></body></html>"""
    page = extract_article(table_page.encode(), "https://namdo.example.kr/2001.html",
                           selectors={"title": "td.news_title", "body": "td.news_body"})
    assert page.text == "\n".join(DATA_CENTRE[:2])

    portal_page = f"""<html><head><meta charset="utf-8"></head><body><h2 id="title_area">사업단 스타트업</h2>
        <article id="dic_area"><span class="end_photo_org"><img src="2.jpg"><em class="img_desc">시제품을
        살펴보는 관람객들. 사업단 제공</em></span><figure><img src="3.jpg"><figcaption>전시 부스 40곳</figcaption></figure>
        {CES[0]}<br><br>{CES[1]}<div>{CES[2]}</div>한지우 기자 (jiwoo@example.kr)</article></body></html>"""
    page = extract_article(portal_page.encode(), "https://n.news.example.kr/article/001/1",
                           selectors={"title": "h2#title_area", "body": "article#dic_area"})
    assert page.text == "\n".join(CES)


# 4. A Western label does not beat an EUC-KR <meta> or a body that reads as CP949 ---------------


def test_latin1_or_windows_1252_label_loses_to_euc_kr_meta_and_to_cp949_hangul():
    from crawler.encoding import decode_html

    prose = "<p>사업단 앞 카페 '똠' 주인은 입주 기업 직원 48명이 단골이라고 말했다.</p>"

    def page(meta: str) -> bytes:
        return f"<html><head>{meta}</head><body>{prose}</body></html>".encode("cp949")

    euc_kr_meta = page('<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">')
    for body, content_type in (
        (euc_kr_meta, "text/html; charset=ISO-8859-1"),  # a server default header
        (page(""), "text/html; charset=iso-8859-1"),  # no meta at all
        (page('<meta charset="windows-1252">'), None),  # a template's wrong meta
    ):
        text, codec = decode_html(body, content_type)
        assert (codec, prose in text) == ("cp949", True), content_type
    # A real Western page keeps its label.
    assert decode_html("<p>Café crème</p>".encode("cp1252"), "text/html; charset=windows-1252") == (
        "<p>Café crème</p>", "cp1252")


# 5, 6. Feeds with entity/encoding mistakes are recovered; gzipped sitemaps are read -------------

DRONE = [
    "인공지능산업융합사업단은 드론 실증센터를 광산구에 열고 기업 15곳의 시험 비행을 지원한다.",
    "센터에는 비행 시험장 2곳과 정비동이 들어섰으며 사업비는 85억원이다.",
]
RECOVERY_SOURCES = """sources:
  - name: amp_feed
    kind: feed
    url: "{{base_url}}/gaon/rss.xml"
  - name: euckr_feed
    kind: feed
    url: "{{base_url}}/namdo/rss.xml"
  - name: gz_sitemap
    kind: sitemap
    url: "{{base_url}}/bit/sitemap.xml.gz"
"""


def test_feeds_with_entity_and_cp949_mistakes_and_gzipped_sitemaps_are_read(tmp_path):
    import gzip

    # A bare '&' in a link and an HTML entity in a title: what CMS feeds get wrong most.
    amp_feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>가온</title>'
        "<item><title>사업단&nbsp;데이터센터 R&D 예산</title><link>{{base_url}}/gaon/view.html?cat=3&no=1</link></item>"
        "</channel></rss>"
    )
    # Declared euc-kr, with a syllable (똠) only CP949 has.
    euckr_feed = (
        '<?xml version="1.0" encoding="euc-kr"?><rss version="2.0"><channel><title>남도</title>'
        "<item><title>카페 '똠' 앞 사업단 전시</title><link>{{base_url}}/namdo/2.html</link></item></channel></rss>"
    ).encode("cp949")
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>{base_url}/bit/3.html</loc></url></urlset>"
    )
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": amp_feed,
        "gaon/view.html": article_page("사업단 데이터센터 1200억 투입", DATA_CENTRE),
        "namdo/rss.xml": euckr_feed,
        "namdo/2.html": article_page("사업단 스타트업 전시회 참가", CES),
        "bit/3.html": article_page("사업단 드론 실증센터 개소", DRONE),
    })
    with site_crawler(site, RECOVERY_SOURCES, tmp_path / "store.db") as crawl:
        # Served as the bytes of a .xml.gz file (no Content-Encoding), as sites do.
        write_site(site, {"bit/sitemap.xml.gz": gzip.compress(sitemap.format(base_url=crawl.base_url).encode())})
        result = crawl()
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(path for path, _, _ in versions(result.db)) == ["/bit/3.html", "/gaon/view.html?cat=3&no=1", "/namdo/2.html"]
    run = result.db["crawl_runs"].get(1)
    assert (run["status"], run["errors"]) == ("ok", 0)
    assert result.log.count("목록을 복구해 읽음") == 2  # logged as recovered, not failed


# 7, 8, 9. Dates: the article's JSON-LD object, not a fetch-time stamp, not another article's byline

def _dated(head: str = "", before: str = "", after: str = "", fetched_at=None):
    from crawler.extract import extract_article

    fetched_at = fetched_at or datetime(2021, 11, 30, 9, 0, tzinfo=KST)
    body = article_page("사업단 데이터센터 1200억 투입", DATA_CENTRE, head=head, before=before, after=after)
    return extract_article(body.encode(), "https://gaon.example.kr/news/1", fetched_at=fetched_at)


def _ld(data) -> str:
    import json

    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def test_json_ld_date_is_the_first_article_object_in_document_order():
    article = {"@type": "NewsArticle", "headline": "사업단 데이터센터", "datePublished": "2021-11-22T16:07:00+09:00"}
    related = {"@type": "NewsArticle", "headline": "관련 기사", "datePublished": "2021-11-29T10:00:00+09:00"}
    web_page = {"@type": "WebPage", "datePublished": "2019-01-01T00:00:00+09:00"}
    for head in (
        _ld([article, related]),  # a list: the page's own article comes first
        _ld({"@context": "https://schema.org", "@graph": [article, web_page]}),
        _ld({"@context": "https://schema.org", "@graph": [web_page, article]}),  # *Article beats WebPage
        _ld(web_page) + _ld(article),
    ):
        page = _dated(head=head)
        assert (page.published, page.date_source) == (datetime(2021, 11, 22, 16, 7, tzinfo=KST), "json-ld"), head


def test_meta_date_stamped_at_fetch_time_loses_to_an_older_byline():
    fetched_at = datetime(2021, 11, 30, 9, 0, tzinfo=KST)
    stamp = f'<meta property="article:published_time" content="{(fetched_at - timedelta(minutes=2)).isoformat()}">'
    page = _dated(head=stamp, before="<div class='info'>입력 2021.11.22 16:07</div>", fetched_at=fetched_at)
    assert (page.published, page.date_source) == (datetime(2021, 11, 22, 16, 7, tzinfo=KST), "byline")
    # An article really published minutes ago keeps its date.
    assert _dated(head=stamp, fetched_at=fetched_at).published == fetched_at - timedelta(minutes=2)


def test_byline_dates_in_related_ranking_and_comment_boxes_are_not_the_article_date():
    most_read = "<div class='top'>많이 본 뉴스<ul><li>입력 2021.10.01 10:00 다른 기사</li></ul></div>"
    related = "<div class='rel_news'><ul><li>관련 기사 입력 2021.12.05 10:00</li></ul></div>"
    comments = "<div class='cmt_box'><p>작성 2021.12.24 10:00 좋은 기사네요</p></div>"
    page = _dated(before=most_read + related + "<div class='info'>입력 2021.11.22 16:07</div>", after=comments)
    assert (page.published, page.date_source) == (datetime(2021, 11, 22, 16, 7, tzinfo=KST), "byline")
    assert _dated(after=related + comments).published is None  # no date rather than another article's


# 10. View counters and ad lines are not the article (they would make every fetch a version) -----


def test_view_counters_and_ad_lines_are_dropped_so_two_fetches_read_the_same():
    from crawler.extract import extract_article
    from crawler.textclean import clean_article_text

    def fetch(views: str, ad: str) -> str:
        info = f"<ul class='info'><li>입력 2021.11.22 16:07</li><li>조회수 {views}</li></ul>"
        paragraphs = [DATA_CENTRE[0], ad, *DATA_CENTRE[1:], f"조회 {views}회"]
        body = article_page("사업단 데이터센터 1200억 투입", paragraphs, before=info).encode()
        return extract_article(body, "https://gaon.example.kr/news/1").text

    first, second = fetch("1,234", "[광고] 오늘의 특가 30% 할인"), fetch("5,678", "AD 겨울 패딩 최대 50%")
    assert first == second == "\n".join(DATA_CENTRE)
    assert clean_article_text("조회수 : 57 | 댓글 0\n(광고)\n" + CES[0]) == CES[0]
    # Prose that mentions views or ads stays.
    prose = "사업단 홍보 영상은 조회수 10만회를 넘겼고 광고 효과도 컸다고 관계자가 말했다."
    assert clean_article_text(prose) == prose


# 11. A shared series footer does not make two articles one story -------------------------------

SERIES_FOOTER = (
    "이 기사는 광주광역시와 인공지능산업융합사업단이 함께 진행하는 'AI 중심도시 광주' 기획 보도의 일환으로, "
    "지역 AI 기업의 성장과 과제를 짚어보는 연속 기획입니다. 사업단은 2020년부터 2024년까지 총 4,000억원을 "
    "투입해 데이터센터와 실증 인프라를 구축하고 있으며, 입주 기업은 300곳을 넘어섰습니다. 다음 회에서는 "
    "기업 지원 사업의 성과를 살펴봅니다."
)


def test_two_articles_with_one_long_series_footer_are_not_one_story():
    from crawler.storykey import SAME_STORY, fingerprint_body, similarity

    first = "광주 첨단3지구 AI 데이터센터가 22일 준공됐다. 연산 능력은 88.5페타플롭스로 국내 최대 규모다.\n" + SERIES_FOOTER
    second = "AI 스타트업 한 곳은 사업단 지원으로 시제품 12종을 개발해 매출이 3배 늘었다고 밝혔다.\n" + SERIES_FOOTER
    assert similarity(fingerprint_body(first), fingerprint_body(second)) < SAME_STORY
    # A syndicated copy (other byline, same lead and footer) is still one story.
    copy = "[광주=남도통신] 오한결 기자 = " + first + "\n오한결 기자 hangyeol@example.kr"
    assert similarity(fingerprint_body(first), fingerprint_body(copy)) >= SAME_STORY


# 12. Bad CSS selectors are caught at load; a spider callback that raises fails its source --------


def test_a_bad_css_selector_is_reported_at_load_with_file_and_line(tmp_path):
    import pytest

    from crawler.sources import SourcesError, load_sources

    for field, css, where in (
        ("next_page: 'a.btn_next::attr(href'", "", "sources[1].next_page"),
        ("selectors: {body: 'div[class=article'}", "", "sources[1].selectors.body"),
        ("selectors: {title: 'h2:nth-child('}", "", "sources[1].selectors.title"),
    ):
        path = tmp_path / "sources.yaml"
        path.write_text(
            "sources:\n  - {name: ok, kind: feed, url: 'https://x.kr/rss'}\n"
            f"  - {{name: gaon, kind: listing, url: 'https://x.kr/list', link_pattern: '/n/', {field}}}\n",
            encoding="utf-8",
        )
        with pytest.raises(SourcesError) as error:
            load_sources(path)
        assert str(error.value).startswith(f"{path}:3: {where}: CSS 선택자 오류"), str(error.value)


def test_a_spider_error_fails_its_source_in_the_run_record(tmp_path):
    sources = """sources:
  - name: gaon_rss
    kind: feed
    url: "{{base_url}}/gaon/rss.xml"
  - name: odd_search
    kind: naver_api
    api_base: "{{base_url}}"
    query: 인공지능산업융합사업단
"""
    site = write_site(tmp_path / "site", {
        "gaon/rss.xml": rss(["/gaon/news/1.html"]),
        "gaon/news/1.html": article_page("사업단 데이터센터 1200억 투입", DATA_CENTRE),
        # An answer the parser does not expect: items that are not objects.
        "v1/search/news.json": '{"total": 1, "items": ["사업단"]}',
    })
    with site_crawler(site, sources, tmp_path / "store.db") as crawl:
        result = crawl()
    assert result.returncode == 0, result.log[-3000:]
    rows = {row["source"]: row for row in result.db["crawl_run_sources"].rows_where("run_id = 1")}
    assert (rows["odd_search"]["failed"], rows["odd_search"]["errors"]) == (1, 1)
    assert rows["odd_search"]["last_error"].startswith("spider_error:")
    assert (rows["gaon_rss"]["failed"], rows["gaon_rss"]["new"]) == (0, 1)
    assert result.db["crawl_runs"].get(1)["status"] == "partial"


# 13. `factwatch crawl --source` with a name the file does not have --------------------------------


def test_factwatch_crawl_with_an_unknown_source_name_lists_the_valid_ones(tmp_path):
    import subprocess
    import sys

    from conftest_crawl import REPO

    sources = tmp_path / "sources.yaml"
    sources.write_text(FEED_SOURCE.replace("{{base_url}}", "http://127.0.0.1:9"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", "from factwatch.cli import main; main()", "crawl", "--source", "gaon_rss,gaon_rs",
         "--db", str(tmp_path / "s.db"), "--sources", str(sources)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "gaon_rs:" in result.stderr and "(가능: gaon_rss)" in result.stderr
    assert not (tmp_path / "s.db").exists()  # nothing crawled, no empty "ok" run recorded


# Minor: "오후 4시 07분" ------------------------------------------------------------------------------


def test_hour_and_minute_written_in_korean_are_read():
    from crawler.dates import parse_byline_dates, parse_datetime

    assert parse_datetime("2021년 11월 22일 (월) 오후 4시 07분") == datetime(2021, 11, 22, 16, 7, tzinfo=KST)
    assert parse_byline_dates("등록 2021년 11월 22일 (월) 오후 4시 07분 · 수정 2021.11.23 09:10") == (
        datetime(2021, 11, 22, 16, 7, tzinfo=KST), datetime(2021, 11, 23, 9, 10, tzinfo=KST))


# Minor: Naver search paging stops at max_results --------------------------------------------------


def test_naver_search_paging_never_goes_past_max_results(tmp_path):
    import json
    from urllib.parse import parse_qs, urlsplit

    # A static answer: two hits of ten, whatever start/display ask for.
    items = [{"title": f"사업단 {n}", "link": f"{{{{base_url}}}}/naver/{n}.html", "pubDate": ""} for n in (1, 2)]
    site = write_site(tmp_path / "site", {
        "v1/search/news.json": json.dumps({"total": 10, "items": items}, ensure_ascii=False),
        **{f"naver/{n}.html": article_page(f"사업단 소식 {n}", [f"{n}번째 기사. " + DATA_CENTRE[0], *DATA_CENTRE[1:]]) for n in range(1, 11)},
    })
    sources = """sources:
  - name: naver_search
    kind: naver_api
    api_base: "{{base_url}}"
    query: 인공지능산업융합사업단
    display: 2
    max_results: 3
"""
    log: list = []
    with site_crawler(site, sources, tmp_path / "store.db", log=log) as crawl:
        result = crawl()
    assert result.returncode == 0, result.log[-3000:]
    calls = [parse_qs(urlsplit(path).query) for _, path, _ in log if path.startswith("/v1/search/")]
    # The second page asks for the one hit left, not for two more.
    assert [(call["start"], call["display"]) for call in calls] == [(["1"], ["2"]), (["3"], ["1"])]
    assert sorted(path for path, _, _ in versions(result.db)) == ["/naver/1.html", "/naver/2.html"]
