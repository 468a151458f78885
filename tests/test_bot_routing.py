"""Pending alerts are routed at delivery time from the current settings, not stuck to their first channel."""

from __future__ import annotations

import pytest
from fake_slack import FakeSlack
from test_bot_support import NOW, add_finding, checked_article, store_version

from bot.health import build_status_text, load_status
from bot.jobs import BotJobs
from bot.notices import load_open_operator_alerts
from bot.outbox import count_by_status, enqueue_findings, requeue_failed
from bot.sender import SlackSender, build_client
from bot.settings import parse_bot_settings
from factwatch.config import Settings
from factwatch.store import open_db

TOKEN = "xoxb-test"


@pytest.fixture
def slack():
    with FakeSlack(token=TOKEN) as fake:
        fake.channels = {"#factcheck", "#ops"}  # "#facts" does not exist
        yield fake


def start_bot(tmp_path, slack, channel):
    """A bot process as `factwatch run` builds it from factwatch.yaml (a restart is a new one)."""
    settings = Settings(tmp_path / "f.db", tmp_path / "rules", tmp_path / "sources.yaml", tmp_path / "none.yaml")
    bot = parse_bot_settings({"slack": {"channel": channel, "operator_channel": "#ops"}},
                             {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": slack.base_url})
    sender = SlackSender(build_client(TOKEN, slack.base_url, backoff=0.01, timeout=5), backoff=0.01)
    return BotJobs(settings, bot, sender=sender, clock=lambda: NOW)


def test_after_the_channel_is_fixed_and_the_bot_restarted_pending_alerts_go_to_the_new_channel(tmp_path, slack):
    db = open_db(tmp_path / "f.db")
    wrong = start_bot(tmp_path, slack, "#facts")  # a typo in factwatch.yaml
    for n in range(3):
        checked_article(db, f"https://news.example/{n}", claim=f"{80 + n}명", text=f"사업단은 {80 + n}명 규모로 꾸려졌다.")
    enqueue_findings(db, wrong.bot.route, NOW)
    wrong.deliver()
    assert count_by_status(db) == {"pending": 3}
    assert "slack_setup:channel_not_found:#facts" in [a.key for a in load_open_operator_alerts(db)]

    fixed = start_bot(tmp_path, slack, "#factcheck")
    fixed.deliver()

    assert len(slack.posts("#factcheck")) == 3
    assert count_by_status(db) == {"sent": 3}
    assert [r[0] for r in db.execute("select distinct channel from bot_alerts")] == ["#factcheck"]
    # Nothing is meant for "#facts" any more: its problem is over.
    assert "slack_setup:channel_not_found:#facts" not in [a.key for a in load_open_operator_alerts(db)]


def test_retry_failed_re_routes_and_status_says_where_alerts_will_go(tmp_path, slack):
    db = open_db(tmp_path / "f.db")
    old = start_bot(tmp_path, slack, "#factcheck")
    checked_article(db, "https://news.example/1")
    enqueue_findings(db, old.bot.route, NOW)
    slack.fail_next(200, "invalid_blocks")
    old.deliver()
    assert count_by_status(db) == {"failed": 1}

    slack.channels.add("#desk")
    new = start_bot(tmp_path, slack, "#desk")
    requeue_failed(db)
    text = build_status_text(load_status(db, None, route=new.bot.route))
    assert "#desk" in text and "보낼 때" in text

    new.deliver()
    assert len(slack.posts("#desk")) == 1 and slack.posts("#factcheck") == []


def test_a_thread_reply_stays_in_the_channel_of_its_first_alert(tmp_path, slack):
    db = open_db(tmp_path / "f.db")
    first = start_bot(tmp_path, slack, "#factcheck")
    url = "https://news.example/edited"
    saved = store_version(db, url, "사업단은 80명 규모로 꾸려졌다.")
    add_finding(db, saved.version_id, sentence="사업단은 80명 규모로 꾸려졌다.", claim="80명")
    enqueue_findings(db, first.bot.route, NOW)
    first.deliver()

    slack.channels.add("#desk")
    moved = start_bot(tmp_path, slack, "#desk")
    saved = store_version(db, url, "사업단은 70명 규모로 꾸려졌다.")
    add_finding(db, saved.version_id, sentence="사업단은 70명 규모로 꾸려졌다.", claim="70명")
    enqueue_findings(db, moved.bot.route, NOW)
    moved.deliver()

    (top, reply) = slack.posts("#factcheck")
    assert reply["thread_ts"] == top["ts"] and slack.posts("#desk") == []
