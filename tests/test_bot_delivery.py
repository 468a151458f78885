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
from factwatch.store import open_db

TOKEN = "xoxb-test"


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "factwatch.db")


@pytest.fixture
def slack():
    with FakeSlack(token=TOKEN) as fake:
        yield fake


def sender_for(slack, token=TOKEN):
    return SlackSender(build_client(token, slack.base_url, backoff=0.01, timeout=5), backoff=0.01)


def route(topic):
    return "#factcheck"


def three_alerts(db):
    for n in range(3):
        checked_article(db, f"https://news.example/{n}", claim=f"{80 + n}명",
                        text=f"사업단은 {80 + n}명 규모로 꾸려졌다.")
    return enqueue_findings(db, route, NOW)


def alert_ids_posted(slack):
    return [m["metadata"]["event_payload"]["alert_id"] for m in slack.posts()]


def test_a_5xx_after_slack_already_posted_is_not_posted_again(db, slack):
    """A gateway answering 502 after Slack posted: look in the channel before any resend."""
    ids = three_alerts(db)
    slack.fail_after_posting(502, times=2)

    report = deliver_pending(db, sender_for(slack), NOW)

    assert report.sent == 3
    assert sorted(alert_ids_posted(slack)) == sorted(ids)  # each once, none twice
    assert [status for method, status in slack.calls if method == "chat.postMessage"].count(502) == 2
    assert count_by_status(db) == {"sent": 3}
    posted = {m["metadata"]["event_payload"]["alert_id"]: m["ts"] for m in slack.posts()}
    stored = {r["id"]: r["slack_ts"] for r in db.query("select id, slack_ts from bot_alerts")}
    assert stored == posted


def test_the_look_in_the_channel_reads_it_by_id_as_slack_requires(db, slack):
    """Alerts go to '#factcheck'; Slack reads history only by channel ID (conversations.list)."""
    slack.reads_need_ids = True
    slack.channels = {"#factcheck"}
    ids = three_alerts(db)
    slack.fail_after_posting(502, times=1)

    report = deliver_pending(db, sender_for(slack), NOW)

    assert report.sent == 3
    assert sorted(alert_ids_posted(slack)) == sorted(ids)  # the 502'd post was found, not posted again
    assert ("conversations.list", 200) in slack.calls
    assert ("conversations.history", 200) in slack.calls


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


# -- Slack's own trouble is not the message's fault ---------------------------------------


def test_slack_internal_errors_keep_alerts_for_reconciliation_and_post_each_once(db, slack):
    ids = three_alerts(db)
    slack.fail_next(200, "internal_error", times=3)  # HTTP 200 {"ok": false}: Slack may have posted

    first = deliver_pending(db, sender_for(slack), NOW)

    assert first.failed == 0 and first.stopped
    assert count_by_status(db) == {"sending": 3}  # checked against history before any resend
    deliver_pending(db, sender_for(slack), NOW)
    assert sorted(alert_ids_posted(slack)) == sorted(ids)
    assert count_by_status(db) == {"sent": 3}


def test_a_slack_side_outage_answered_as_ok_false_fails_nothing_and_stops_the_cycle(db, slack):
    # A store that has sent before (a fresh one reads the channel's history first, and an
    # outage stops it there, before any post).
    checked_article(db, "https://news.example/first", claim="70명", text="사업단은 70명 규모로 꾸려졌다.")
    enqueue_findings(db, route, NOW)
    assert deliver_pending(db, sender_for(slack), NOW).sent == 1
    slack.messages.clear()
    slack.calls.clear()
    ids = three_alerts(db)
    checked_article(db, "https://news.example/4", claim="90명", text="사업단은 90명 규모로 꾸려졌다.")
    ids += enqueue_findings(db, route, NOW)
    slack.outage(200, "service_unavailable")

    report = deliver_pending(db, sender_for(slack), NOW)

    assert count_by_status(db) == {"pending": 4, "sent": 1}
    assert report.stopped and [m for m, _ in slack.calls].count("chat.postMessage") == 3  # a few, not all
    slack.recover()
    deliver_pending(db, sender_for(slack), NOW)
    assert sorted(alert_ids_posted(slack)) == sorted(ids)


def test_a_proxy_page_instead_of_slack_fails_nothing(db, slack):
    ids = three_alerts(db)
    slack.outage(200, body="<html><body>Proxy maintenance</body></html>")

    deliver_pending(db, sender_for(slack), NOW)

    assert "failed" not in count_by_status(db)
    slack.recover()
    deliver_pending(db, sender_for(slack), NOW)
    assert sorted(alert_ids_posted(slack)) == sorted(ids)


def test_failed_alerts_can_be_queued_again(db, slack, tmp_path):
    from conftest import run_cli

    ids = three_alerts(db)
    slack.fail_next(200, "invalid_blocks", times=1)  # a real refusal of one message
    deliver_pending(db, sender_for(slack), NOW)
    assert count_by_status(db) == {"sent": 2, "failed": 1}

    result = run_cli("--db", str(tmp_path / "factwatch.db"), "status", "--retry-failed")

    assert result.exit_code == 0 and "1건" in result.output
    assert count_by_status(db) == {"sent": 2, "pending": 1}
    deliver_pending(db, sender_for(slack), NOW)
    assert sorted(alert_ids_posted(slack)) == sorted(ids)


# -- setup errors and operator alerts -----------------------------------------------------


def two_channels(db):
    checked_article(db, "https://news.example/staff", topic="staff")
    checked_article(db, "https://news.example/budget", topic="budget", fact_id="budget.total",
                    claim="4000여억원", text="총사업비 4000여억원이 들어간다.", canonical="4116억원")
    enqueue_findings(db, lambda topic: "#budget-desk" if topic == "budget" else "#factcheck", NOW)


def test_a_broken_alert_channel_is_still_reported_to_the_operator_channel(db, slack):
    from bot.notices import load_unsent_operator_alerts

    slack.channels = {"#factcheck"}
    two_channels(db)

    deliver_pending(db, sender_for(slack), NOW, operator_channel="#factcheck")

    assert load_unsent_operator_alerts(db) == []
    notices = [m for m in slack.posts("#factcheck") if "운영" in m["text"]]
    assert len(notices) == 1 and "#budget-desk" in notices[0]["text"]


def test_setup_problems_clear_once_posts_go_through(db, slack):
    three_alerts(db)
    report = deliver_pending(db, sender_for(slack, "xoxb-wrong"), NOW, operator_channel="#factcheck")
    assert "[채널" not in report.errors[0]  # a refused token is not about one channel

    assert deliver_pending(db, sender_for(slack), NOW, operator_channel="#factcheck").sent == 3

    assert load_open_operator_alerts(db) == []
    assert not [m for m in slack.posts() if "운영" in m["text"]]  # over before it could be said


def test_a_channel_problem_clears_when_that_channel_works_again(db, slack):
    slack.channels = {"#factcheck"}
    two_channels(db)
    deliver_pending(db, sender_for(slack), NOW)
    assert [a.key for a in load_open_operator_alerts(db)] == ["slack_setup:channel_not_found:#budget-desk"]

    slack.channels = None  # the channel is created
    assert deliver_pending(db, sender_for(slack), NOW).sent == 1
    assert load_open_operator_alerts(db) == []


def test_an_operator_problem_cleared_before_slack_came_back_is_not_posted(db, slack):
    from bot.delivery import deliver_operator_alerts
    from bot.notices import clear_operator_alert, raise_operator_alert

    raise_operator_alert(db, "crawl_failing", "수집이 3회 연속 실패했습니다", NOW)  # while Slack was down
    clear_operator_alert(db, "crawl_failing", NOW)  # the next crawl worked

    deliver_operator_alerts(db, sender_for(slack), "#ops", NOW)

    assert slack.posts() == []


def test_an_in_flight_alert_in_a_dead_channel_holds_only_that_channel(db, slack):
    from bot.outbox import load_alerts, save_sending

    checked_article(db, "https://news.example/budget", topic="budget", fact_id="budget.total",
                    claim="4000여억원", text="총사업비 4000여억원이 들어간다.", canonical="4116억원")
    enqueue_findings(db, lambda topic: "#budget-desk", NOW)
    save_sending(db, load_alerts(db, "pending")[0], None)  # the process died mid-post
    slack.channels = {"#factcheck"}  # since then the bot lost #budget-desk
    checked_article(db, "https://news.example/staff", topic="staff")
    enqueue_findings(db, route, NOW)

    report = deliver_pending(db, sender_for(slack), NOW)

    assert report.sent == 1 and len(slack.posts("#factcheck")) == 1
    assert count_by_status(db) == {"sent": 1, "sending": 1}  # still to be checked once readable


# -- the outbox does not depend on the checker's rows --------------------------------------


def test_a_recheck_between_enqueue_and_delivery_does_not_wedge_the_outbox(db, slack):
    first = checked_article(db, "https://news.example/1")
    checked_article(db, "https://news.example/2", claim="81명", text="사업단은 81명 규모로 꾸려졌다.")
    enqueue_findings(db, route, NOW)
    # `factwatch recheck` deletes a version's findings and inserts them again with new ids.
    rows = [dict(row) for row in db["findings"].rows_where("version_id = ?", [first])]
    db.execute("delete from findings where version_id = ?", [first])
    db["findings"].insert_all([{k: v for k, v in row.items() if k != "id"} for row in rows])
    db.conn.commit()

    report = deliver_pending(db, sender_for(slack), NOW)

    assert report.sent == 2 and count_by_status(db) == {"sent": 2}
    assert "새만금 사업단 구성원 수" in slack.posts()[0]["text"]


def test_an_alert_whose_message_cannot_be_built_fails_alone(db, slack):
    ids = three_alerts(db)
    # An alert with nothing to build its message from (e.g. a row enqueued by an old version
    # whose finding was deleted since).
    db.execute("update bot_alerts set view = null where id = ?", [ids[0]])
    db.execute("delete from findings where id = (select finding_id from bot_alerts where id = ?)", [ids[0]])
    db.conn.commit()

    report = deliver_pending(db, sender_for(slack), NOW)

    assert report.sent == 2 and report.failed == 1
    assert count_by_status(db) == {"sent": 2, "failed": 1}


def test_one_figure_written_differently_in_a_syndicated_copy_is_one_alert(db, slack):
    checked_article(db, "https://a.example/1", story_key="yonhap-1", outlet="연합뉴스", fact_id="budget.total",
                    text="사업단은 4,000억원을 쓴다.", claim="4,000억원", canonical="4116억원")
    checked_article(db, "https://b.example/9", story_key="yonhap-1", outlet="지역일보", fact_id="budget.total",
                    text="사업단은 4000억\u200b 원을 쓴다고 밝혔다.", claim="4000억\u200b 원", canonical="4116억원")
    enqueue_findings(db, route, NOW)
    deliver_pending(db, sender_for(slack), NOW)
    assert len(slack.posts()) == 1


def test_the_invite_hint_is_a_command_to_copy():
    from bot.sender import SlackSetupError

    assert "채널에서 `/invite @봇이름`을 실행하세요" in str(SlackSetupError("not_in_channel", "#factcheck"))
