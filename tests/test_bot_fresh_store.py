"""A fresh or wrong store does not re-post what factwatch already posted, and says which store it uses."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fake_slack import FakeSlack
from test_bot_support import NOW, checked_article

from bot.delivery import deliver_pending
from bot.outbox import count_by_status, enqueue_findings
from bot.sender import SlackSender, build_client
from factwatch.store import open_db

TOKEN = "xoxb-test"


@pytest.fixture
def slack():
    with FakeSlack(token=TOKEN) as fake:
        yield fake


def sender_for(slack):
    return SlackSender(build_client(TOKEN, slack.base_url, backoff=0.01, timeout=5), backoff=0.01)


def route(topic):
    return "#factcheck"


def alerts_in(db, count=3, first=0):
    for n in range(first, first + count):
        checked_article(db, f"https://news.example/{n}", claim=f"{80 + n}명", text=f"사업단은 {80 + n}명 규모로 꾸려졌다.")
    return enqueue_findings(db, route, NOW)


def test_a_fresh_store_does_not_repost_the_alerts_already_in_the_channel(tmp_path, slack, caplog):
    old = open_db(tmp_path / "old.db")
    alerts_in(old)
    assert deliver_pending(old, sender_for(slack), NOW).sent == 3

    # The bot restarts on an empty store (e.g. a relative FACTWATCH_DB in another folder): it
    # crawls the same articles, in another order, so even the story ids differ, and finds one more.
    fresh = open_db(tmp_path / "fresh.db")
    checked_article(fresh, "https://news.example/other", claim="90명", text="사업단은 90명 규모로 꾸려졌다.")
    alerts_in(fresh, count=3)
    with caplog.at_level(logging.WARNING):
        report = deliver_pending(fresh, sender_for(slack), NOW)

    assert len(slack.posts()) == 4  # only the new one was posted
    assert report.reconciled == 3 and report.sent == 1
    assert count_by_status(fresh) == {"sent": 4}
    posted = {m["metadata"]["event_payload"]["url"]: m["ts"] for m in slack.posts()}
    for url, ts in fresh.execute("select a.url, b.slack_ts from bot_alerts b join articles a on a.id = b.article_id"):
        assert posted[url] == ts
    assert "이미" in caplog.text and "3" in caplog.text


def test_messages_posted_before_alerts_carried_their_url_are_matched_by_key(tmp_path, slack):
    db = open_db(tmp_path / "f.db")
    alerts_in(db, count=2)
    keys = [row[0] for row in db.execute("select dedup_key from bot_alerts order by id")]
    # An older factwatch posted the first one with only its id and key.
    slack._post({"channel": "#factcheck", "text": "예전 알림",
                 "metadata": {"event_type": "factwatch_alert", "event_payload": {"alert_id": 1, "key": keys[0]}}})

    report = deliver_pending(db, sender_for(slack), NOW)

    assert report.reconciled == 1 and report.sent == 1 and len(slack.posts()) == 2


def test_a_store_that_has_sent_before_does_not_read_the_whole_history(tmp_path, slack):
    db = open_db(tmp_path / "f.db")
    alerts_in(db, count=1)
    deliver_pending(db, sender_for(slack), NOW)
    alerts_in(db, count=1, first=5)
    slack.calls.clear()

    deliver_pending(db, sender_for(slack), NOW)

    assert [method for method, _ in slack.calls] == ["chat.postMessage"]


def test_run_says_which_store_it_uses_and_that_it_is_new(tmp_path, monkeypatch, caplog):
    from bot.commands import announce_store
    from factwatch.config import Settings

    monkeypatch.chdir(tmp_path)
    settings = Settings(Path("relative/factwatch.db"), tmp_path / "rules", tmp_path / "s.yaml", tmp_path / "c.yaml")
    with caplog.at_level(logging.INFO):
        announce_store(settings, logging.getLogger("factwatch"))
    absolute = str(tmp_path / "relative" / "factwatch.db")
    assert absolute in caplog.text
    assert any(r.levelno == logging.WARNING and "새로" in r.getMessage() for r in caplog.records)

    caplog.clear()
    open_db(tmp_path / "relative" / "factwatch.db").close()
    with caplog.at_level(logging.INFO):
        announce_store(settings, logging.getLogger("factwatch"))
    assert absolute in caplog.text and "새로" not in caplog.text
