"""Operator notices and the digest are exactly-once like alerts: a lost answer never posts them twice."""

from __future__ import annotations

from datetime import datetime, time, timezone

import pytest
from fake_slack import FakeSlack
from test_bot_support import NOW

from bot.delivery import deliver_operator_alerts, deliver_pending
from bot.digest import post_digest, retry_pending_digests
from bot.notices import load_unsent_operator_alerts, raise_operator_alert
from bot.sender import DeliveryError, SlackSender, build_client
from factwatch.store import open_db

TOKEN = "xoxb-test"
AFTER_NINE = datetime(2024, 5, 2, 1, 0, tzinfo=timezone.utc)  # 10:00 KST


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "factwatch.db")


@pytest.fixture
def slack():
    with FakeSlack(token=TOKEN) as fake:
        yield fake


def sender_for(slack):
    return SlackSender(build_client(TOKEN, slack.base_url, backoff=0.01, timeout=5), backoff=0.01)


def test_an_operator_notice_whose_answer_was_lost_is_posted_once(db, slack):
    raise_operator_alert(db, "crawl_failing", "수집이 3회 연속 실패했습니다", NOW)
    slack.drop_responses(1)  # Slack stores the post, the answer never comes back

    deliver_operator_alerts(db, sender_for(slack), "#ops", NOW)
    assert len(slack.posts("#ops")) == 1
    deliver_operator_alerts(db, sender_for(slack), "#ops", NOW)
    deliver_pending(db, sender_for(slack), NOW, operator_channel="#ops")

    assert len(slack.posts("#ops")) == 1
    assert load_unsent_operator_alerts(db) == []
    posted = slack.posts("#ops")[0]
    assert posted["metadata"]["event_type"] == "factwatch_alert"
    stored = db.execute("select status, slack_ts from bot_operator_alerts").fetchone()
    assert stored == ("sent", posted["ts"])


def test_an_operator_notice_that_never_reached_slack_is_sent_after_the_history_check(db, slack):
    raise_operator_alert(db, "crawl_failing", "수집이 3회 연속 실패했습니다", NOW)
    slack.fail_next(503, times=3)  # nothing stored: the 5xx came before Slack took it

    deliver_operator_alerts(db, sender_for(slack), "#ops", NOW)
    assert slack.posts("#ops") == []
    deliver_operator_alerts(db, sender_for(slack), "#ops", NOW)

    assert len(slack.posts("#ops")) == 1


def test_the_digest_whose_answer_was_lost_is_posted_once(db, slack):
    slack.drop_responses(1)

    with pytest.raises(DeliveryError):
        post_digest(db, sender_for(slack), "#digest", AFTER_NINE, time(9, 0), "Asia/Seoul")
    assert len(slack.posts("#digest")) == 1

    retry_pending_digests(db, sender_for(slack), AFTER_NINE)
    post_digest(db, sender_for(slack), "#digest", AFTER_NINE, time(9, 0), "Asia/Seoul")
    retry_pending_digests(db, sender_for(slack), AFTER_NINE)

    digests = slack.posts("#digest")
    assert len(digests) == 1 and "2024-05-02" in digests[0]["text"]
    assert digests[0]["metadata"]["event_payload"]["key"] == "digest:2024-05-02"
    assert db.execute("select status, slack_ts from bot_digests").fetchone() == ("sent", digests[0]["ts"])


def test_a_digest_lost_in_flight_is_not_rebuilt_and_reposted_by_the_daily_job(db, slack):
    slack.drop_responses(1)
    with pytest.raises(DeliveryError):
        post_digest(db, sender_for(slack), "#digest", AFTER_NINE, time(9, 0), "Asia/Seoul")

    # The digest job runs again the same day (e.g. the catch-up after a restart).
    post_digest(db, sender_for(slack), "#digest", AFTER_NINE, time(9, 0), "Asia/Seoul")

    assert len(slack.posts("#digest")) == 1
