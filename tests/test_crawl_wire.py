"""A wire dateline lead keeps its sentence (issue 8, item 9).

A portal copy opens with "기사제공 매체" and then the wire lead "(광주=매체) 홍길동 기자(메일) = …";
the lead must lose only its dateline, "기사제공 …" is boilerplate, and the copy groups with the
outlet's own page. Pages are invented for the project.
"""

from __future__ import annotations

from datetime import datetime, timezone

from conftest_crawl import REPO, article_page, rss, site_crawler, stored, write_site
from checker.check_store import check_pending
from checker.rules import load_rules
from crawler.textclean import clean_article_text

LEAD = "인공지능산업융합사업단 구성원은 현재 80명이라고 사업단은 밝혔다."
REST = [
    "사업단은 올해 입주 기업 지원 예산을 지난해보다 늘려 실증 장비 예약 체계를 손본다.",
    "광주시 관계자는 기업들이 장비를 기다리는 시간을 절반으로 줄이겠다고 설명했다.",
    "사업단은 다음 달 입주 기업 설명회를 열고 새 예약 방식을 안내할 계획이다.",
]


def test_the_dateline_goes_and_the_lead_sentence_stays():
    for lead in (
        f"(광주=남도통신) 오한결 기자 = {LEAD}",
        f"[광주=남도통신] 오한결 기자(hangyeol@namdo-wire.example) = {LEAD}",
        f"(광주=남도통신) 오한결·김하늘 기자 hangyeol@namdo-wire.example = {LEAD}",
    ):
        assert clean_article_text("\n".join(["기사제공 남도통신", lead, *REST])) == "\n".join([LEAD, *REST]), lead
    # A dateline on a line of its own is dropped; the paragraph after it is the lead.
    assert clean_article_text("\n".join(["(광주=남도통신) 오한결 기자 =", LEAD, *REST])) == "\n".join([LEAD, *REST])
    # A bracket in the middle of a paragraph is not a dateline.
    middle = "사업단은 (광주=전남) 공동 협약에 따라 예산을 나눈다고 밝혔다."
    assert clean_article_text("\n".join([LEAD, middle])) == "\n".join([LEAD, middle])


def test_a_portal_copy_with_a_wire_lead_groups_with_its_original_and_its_lead_is_checked(tmp_path):
    original = article_page("사업단 구성원 80명", [f"[광주=남도통신] 오한결 기자 = {LEAD}", *REST])
    portal = (
        '<html><head><meta charset="utf-8"><meta property="og:title" content="사업단 구성원 80명">'
        '<meta property="og:site_name" content="포털 뉴스"></head><body><h3 class="tit_view">사업단 구성원 80명</h3>'
        '<div class="article_view"><p>기사제공 남도통신</p>'
        f"<p>(광주=남도통신) 오한결 기자(hangyeol@namdo-wire.example) = {LEAD}</p>"
        + "".join(f"<p>{line}</p>" for line in REST)
        + "<p>기사제공 남도통신</p></div></body></html>"
    )
    site = write_site(tmp_path / "site", {
        "wire/rss.xml": rss(["/wire/1.html"]),
        "portal/rss.xml": rss(["/portal/v/1.html"]),
        "wire/1.html": original,
        "portal/v/1.html": portal,
    })
    sources = """sources:
  - name: wire_rss
    kind: feed
    url: "{{base_url}}/wire/rss.xml"
  - name: portal_rss
    kind: feed
    url: "{{base_url}}/portal/rss.xml"
"""
    with site_crawler(site, sources, tmp_path / "store.db") as crawl:
        result = crawl()
    assert result.returncode == 0, result.log[-3000:]
    rows = stored(result.db)
    copy, source = rows["portal/v/1.html"], rows["wire/1.html"]
    assert copy["text"] == source["text"] == "\n".join([LEAD, *REST])
    assert copy["story_id"] == source["story_id"]
    check_pending(result.db, load_rules(REPO / "rules"), datetime.now(timezone.utc))
    sentences = [row[0] for row in result.db.execute(
        "select c.sentence from findings f join claims c on c.id = f.claim_id where f.alert = 1")]
    assert sentences == [LEAD]  # checked once for the story, the copy is not alerted again
