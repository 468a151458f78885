"""An updated article whose finding changes gets a thread reply on the first alert, not a new alert."""

from __future__ import annotations

import pytest
from fake_slack import FakeSlack
from test_bot_support import NOW, add_finding, store_version

from bot.delivery import deliver_pending
from bot.outbox import enqueue_findings
from bot.sender import SlackSender, build_client
from factwatch.store import open_db

URL = "https://news.example/saemangeum"


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "factwatch.db")


@pytest.fixture
def slack():
    with FakeSlack(token="xoxb-test") as fake:
        yield fake


def cycle(db, slack):
    enqueue_findings(db, lambda topic: "#factcheck", NOW)
    deliver_pending(db, SlackSender(build_client("xoxb-test", slack.base_url, backoff=0.01)), NOW)


def publish(db, text, claim, alert=True, verdict="conflict"):
    saved = store_version(db, URL, text)
    add_finding(db, saved.version_id, sentence=text, claim=claim, alert=alert, verdict=verdict)
    return saved


def test_a_changed_figure_is_a_thread_reply_on_the_first_alert(db, slack):
    publish(db, "사업단은 80명 규모로 꾸려졌다.", "80명")
    cycle(db, slack)
    first = slack.posts()[0]

    publish(db, "사업단은 70명 규모로 꾸려졌다.", "70명")
    cycle(db, slack)

    assert len(slack.posts()) == 2
    reply = slack.posts()[1]
    assert reply["thread_ts"] == first["ts"]
    assert "70명" in reply["text"] and "처음 알림: 80명" in str(reply["blocks"])


def test_a_corrected_article_gets_a_corrected_reply(db, slack):
    publish(db, "사업단은 80명 규모로 꾸려졌다.", "80명")
    cycle(db, slack)
    publish(db, "사업단은 48명 규모로 꾸려졌다.", "48명", alert=False, verdict="match")
    cycle(db, slack)

    reply = slack.posts()[1]
    assert reply["thread_ts"] == slack.posts()[0]["ts"]
    assert "바로잡혔습니다" in reply["text"]


def test_an_update_that_keeps_the_same_error_says_nothing_new(db, slack):
    publish(db, "사업단은 80명 규모로 꾸려졌다.", "80명")
    cycle(db, slack)
    publish(db, "사업단은 80명 규모로 꾸려졌다. 사진 설명을 고쳤다.", "80명")
    cycle(db, slack)
    assert len(slack.posts()) == 1


def test_two_wrong_figures_for_one_fact_in_a_fresh_article_are_two_alerts_not_an_edit(db, slack):
    text = "사업단은 80명이라고 했다가 70명이라고 했다."
    saved = store_version(db, URL, text)
    for claim in ("80명", "70명"):
        add_finding(db, saved.version_id, sentence=text, claim=claim)
    cycle(db, slack)

    assert len(slack.posts()) == 2
    assert all(post["thread_ts"] is None and "기사 수정 후에도" not in post["text"] + str(post["blocks"])
               for post in slack.posts())


def test_a_correction_is_announced_once_however_often_the_article_is_edited_after(db, slack):
    publish(db, "사업단은 80명 규모로 꾸려졌다.", "80명")
    cycle(db, slack)
    for text in ("사업단은 48명 규모로 꾸려졌다.", "사업단은 48명 규모로 꾸려졌다. 사진 설명 수정.",
                 "사업단은 48명 규모로 꾸려졌다. 오타 수정."):
        publish(db, text, "48명", alert=False, verdict="match")
        cycle(db, slack)

    assert [("바로잡혔습니다" in post["text"]) for post in slack.posts()] == [False, True]


def test_an_article_edited_back_to_the_wrong_figure_gets_a_reply_and_a_new_correction(db, slack):
    publish(db, "사업단은 80명 규모로 꾸려졌다.", "80명")
    cycle(db, slack)
    publish(db, "사업단은 48명 규모로 꾸려졌다.", "48명", alert=False, verdict="match")
    cycle(db, slack)
    publish(db, "사업단은 80명 규모로 꾸려졌다. 다시.", "80명")  # edited back
    cycle(db, slack)
    publish(db, "사업단은 80명 규모로 꾸려졌다. 다시, 또.", "80명")  # still wrong: nothing new to say
    cycle(db, slack)
    publish(db, "사업단은 48명 규모로 꾸려졌다. 최종.", "48명", alert=False, verdict="match")
    cycle(db, slack)

    first, corrected, regressed, corrected_again = slack.posts()
    assert all(post["thread_ts"] == first["ts"] for post in (corrected, regressed, corrected_again))
    assert "기사 수정 후에도" in regressed["text"] + str(regressed["blocks"]) and "80명" in regressed["text"]
    assert "바로잡혔습니다" in corrected["text"] and "바로잡혔습니다" in corrected_again["text"]
