"""Slack delivery through a fake Web API on 127.0.0.1: exactly once through 429/500, outages, setup errors."""

from __future__ import annotations

import json

import pytest
from fake_slack import FakeSlack
from test_bot_support import NOW, checked_article

from bot.delivery import deliver_pending
from bot.notices import load_open_operator_alerts
from bot.outbox import count_by_status, enqueue_findings
from bot.sender import SlackSender, build_client
from factwatch.db import open_db

TOKEN = "xoxb-test"


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "factwatch.db")


@pytest.fixture
def slack():
    with FakeSlack(token=TOKEN) as fake:
        yield fake


def sender_for(slack, token=TOKEN):
    return SlackSender(build_client(token, slack.base_url, backoff=0.01, timeout=5))


def route(topic):
    return "#factcheck"


def three_alerts(db):
    for n in range(3):
        checked_article(db, f"https://news.example/{n}", claim=f"{80 + n}명",
                        text=f"사업단은 {80 + n}명 규모로 꾸려졌다.")
    return enqueue_findings(db, route, NOW)


def alert_ids_posted(slack):
    return [m["metadata"]["event_payload"]["alert_id"] for m in slack.posts()]


def test_each_alert_is_delivered_once_through_a_429_and_a_500(db, slack):
    ids = three_alerts(db)
    slack.fail_next(429, retry_after=0)
    slack.fail_next(500, times=1)

    report = deliver_pending(db, sender_for(slack), NOW)

    assert report.sent == 3
    assert sorted(alert_ids_posted(slack)) == sorted(ids)
    assert ("chat.postMessage", 429) in slack.calls and ("chat.postMessage", 500) in slack.calls
    assert count_by_status(db) == {"sent": 3}
    # A second cycle (or a restart) finds nothing left to send.
    assert deliver_pending(db, sender_for(slack), NOW).sent == 0
    assert len(slack.posts()) == 3


def test_nothing_is_lost_while_slack_is_down(db, slack):
    ids = three_alerts(db)
    slack.outage(503)
    first = deliver_pending(db, sender_for(slack), NOW)
    assert first.sent == 0 and first.left_pending == 3
    assert slack.posts() == []

    slack.recover()
    second = deliver_pending(db, sender_for(slack), NOW)
    assert second.sent == 3
    assert sorted(alert_ids_posted(slack)) == sorted(ids)


def test_nothing_is_lost_while_slack_refuses_connections(db, slack):
    ids = three_alerts(db)
    sender = sender_for(slack)
    slack.stop()
    report = deliver_pending(db, sender, NOW)
    assert report.sent == 0 and report.errors
    assert count_by_status(db).get("sent") is None

    slack.start()  # same port
    assert deliver_pending(db, sender, NOW).sent == 3
    assert sorted(alert_ids_posted(slack)) == sorted(ids)


def test_invalid_auth_keeps_alerts_pending_and_says_what_to_fix(db, slack):
    three_alerts(db)
    report = deliver_pending(db, sender_for(slack, token="xoxb-wrong"), NOW)

    assert report.sent == 0
    assert "SLACK_BOT_TOKEN" in report.errors[0]
    assert count_by_status(db) == {"pending": 3}
    assert [a.key for a in load_open_operator_alerts(db)] == ["slack_setup:invalid_auth"]

    assert deliver_pending(db, sender_for(slack), NOW).sent == 3


def test_channel_not_found_holds_that_channel_only(db, slack):
    slack.channels = {"#factcheck"}
    checked_article(db, "https://news.example/staff", topic="staff")
    checked_article(db, "https://news.example/budget", topic="budget", fact_id="budget.total",
                    claim="4000여억원", text="총사업비 4000여억원이 들어간다.", canonical="4116억원")
    enqueue_findings(db, lambda topic: "#budget-desk" if topic == "budget" else "#factcheck", NOW)

    report = deliver_pending(db, sender_for(slack), NOW)

    assert report.sent == 1
    assert "channel_not_found" in report.errors[0] and "#budget-desk" in report.errors[0]
    assert count_by_status(db) == {"sent": 1, "pending": 1}


def test_a_syndicated_copy_does_not_alert_again(db, slack):
    checked_article(db, "https://a.example/1", story_key="yonhap-123", outlet="연합뉴스")
    checked_article(db, "https://b.example/9", story_key="yonhap-123", outlet="지역일보",
                    text="새만금 사업단은 80명 규모로 꾸려졌다고 밝혔다.")
    enqueue_findings(db, route, NOW)
    deliver_pending(db, sender_for(slack), NOW)
    assert len(slack.posts()) == 1


def test_enqueueing_twice_adds_nothing(db):
    three_alerts(db)
    assert enqueue_findings(db, route, NOW) == []
    assert count_by_status(db) == {"pending": 3}


def test_hostile_article_text_arrives_in_slack_inert(db, slack):
    hostile = "<!channel> 사업단은 <@U123> 80명 규모다 <http://evil.example|정부 발표>"
    checked_article(db, "https://news.example/evil", text=hostile, title="<!here> 긴급 <http://evil.example|속보>")
    enqueue_findings(db, route, NOW)
    deliver_pending(db, sender_for(slack), NOW)

    posted = json.dumps(slack.posts()[0], ensure_ascii=False)
    for live in ("<!channel>", "<!here>", "<@U123>", "<http://evil.example|"):
        assert live not in posted
    assert "&lt;!channel&gt;" in posted
