"""Alert messages: what a fact-checker sees, hostile article text made inert, Slack's size limits kept."""

from __future__ import annotations

import json

from bot.message import (
    AlertView,
    DigestView,
    build_alert_message,
    build_digest_message,
    escape_mrkdwn,
    render_console,
)


def view(**changes) -> AlertView:
    base = dict(
        alert_id=7,
        kind="alert",
        verdict="conflict",
        fact_description="새만금 사업단 구성원 수",
        claimed="80명",
        canonical="48명",
        explanation="사업단 구성원은 48명입니다.",
        hint="×10 차이는 아닙니다",
        sentence="새만금 사업단은 80명 규모로 꾸려졌다.",
        claim_start=9,
        claim_end=12,
        rule="rules/staff.yaml:12",
        version_display="48명",
        version_valid_from="2022-04-13",
        version_valid_until=None,
        version_source="https://example.go.kr/press/48",
        article_title="새만금 사업 점검",
        outlet="한국일보",
        published="2024-05-01T08:00:00+09:00",
        url="https://news.example/1",
    )
    base.update(changes)
    return AlertView(**base)


def all_text(message) -> str:
    return json.dumps(message.blocks, ensure_ascii=False) + message.text


def test_an_alert_shows_verdict_fact_marked_claim_values_reason_article_and_rule():
    text = render_console(build_alert_message(view()))
    assert "사실과 다름 · 새만금 사업단 구성원 수" in text
    assert "새만금 사업단은 【80명】 규모로 꾸려졌다." in text
    assert "기사 표기: 80명" in text
    assert "기준값: 48명 (2022-04-13 기준) 출처 (https://example.go.kr/press/48)" in text
    assert "×10 차이는 아닙니다" in text
    assert "새만금 사업 점검 (https://news.example/1) · 한국일보 · 2024-05-01" in text
    assert "rules/staff.yaml:12" in text


def test_escaping_makes_mentions_and_links_inert():
    assert escape_mrkdwn("<!channel> & <@U123> <http://evil|click>") == (
        "&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;http://evil|click&gt;"
    )


def test_hostile_article_text_cannot_ping_or_disguise_links():
    hostile = "<!channel> 긴급 <@U123> <http://evil.example|정부 발표> 80명"
    message = build_alert_message(
        view(
            sentence=hostile,
            claim_start=hostile.index("80명"),
            claim_end=hostile.index("80명") + 3,
            article_title="<!here> 제목 <http://evil.example|클릭>",
            outlet="<@U999>",
            url="http://evil.example/a>|<!channel",
        )
    )
    dumped = all_text(message)
    for live in ("<!channel>", "<!here>", "<@U123>", "<@U999>", "<http://evil.example|"):
        assert live not in dumped
    assert "&lt;!channel&gt;" in dumped
    # The article link stays one link: the URL's own | and > are percent-encoded.
    assert "<http://evil.example/a%3E%7C%3C!channel|" in dumped


def test_a_non_http_link_is_shown_as_text():
    dumped = all_text(build_alert_message(view(url="javascript:alert(1)")))
    assert "<javascript:" not in dumped


def test_huge_article_text_is_clipped_to_slack_limits():
    sentence = "가" * 10000 + " 80명 " + "&" * 5000
    message = build_alert_message(
        view(sentence=sentence, claim_start=10001, claim_end=10004, explanation="<" * 5000, article_title="나" * 5000)
    )
    for block in message.blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
    assert "【80명】" in all_text(message)


def test_a_digest_with_many_facts_stays_under_fifty_blocks_and_3000_chars():
    digest = DigestView(
        day="2024-05-02",
        articles_seen=1000,
        versions_checked=1200,
        alerts_sent=40,
        alerts_pending=2,
        crawl_ok=47,
        crawl_failed=1,
        top_facts=tuple((f"사실 {n}" * 20, n) for n in range(500)),
        open_problems=("수집 실패가 3회 이어졌습니다",),
    )
    message = build_digest_message(digest)
    assert len(message.blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in message.blocks if b["type"] == "section")
    assert "외" in all_text(message)


def test_the_claim_is_marked_at_its_offsets_in_a_sentence_with_runs_of_spaces():
    sentence = "새만금  사업단은   80명 규모로\n꾸려졌다."  # as extracted: offsets count every space
    start = sentence.index("80명")
    text = render_console(build_alert_message(view(sentence=sentence, claim_start=start, claim_end=start + 3)))
    assert "> 새만금 사업단은 【80명】 규모로 꾸려졌다." in text


def test_the_article_context_fits_slacks_limit_with_a_very_long_address():
    url = "https://news.example/" + "가나다라마바사아자차" * 40  # 400 characters, ~3,600 once encoded
    for title in ("짧은 제목", "긴 제목 " * 400):
        message = build_alert_message(view(url=url, article_title=title, article_version=3))
        context = next(b for b in message.blocks if b["type"] == "context" and "📰" in b["elements"][0]["text"])
        text = context["elements"][0]["text"]
        assert len(text) <= 3000
        assert "한국일보" in text and "수정된 기사(3번째 판)" in text


def test_a_long_title_gives_way_to_a_link_that_fits():
    message = build_alert_message(view(article_title="제목 " * 2000))
    context = next(b for b in message.blocks if b["type"] == "context" and "📰" in b["elements"][0]["text"])
    assert len(context["elements"][0]["text"]) <= 3000 and "<https://news.example/1|" in context["elements"][0]["text"]


def test_korean_wording_of_corrections_and_digest():
    corrected = build_alert_message(view(kind="corrected", claimed="48명", article_version=2))
    assert "수정된 기사(2번째 판)" in all_text(corrected) and "판 2" not in all_text(corrected)
    digest = build_digest_message(DigestView("2024-05-02", 10, 4, 2, 0, 3, 0, (("구성원 수", 2),), ()))
    assert "자주 틀린 사실" in all_text(digest) and "새 기사·수정본 4건 검사" in all_text(digest)

