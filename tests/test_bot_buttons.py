"""Answer buttons: on alerts only when configured; the interactivity endpoint (real HTTP on 127.0.0.1)
records a signed click and refuses a forged or stale one."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from fake_slack import FakeSlack
from slack_sdk.signature import SignatureVerifier
from test_bot_support import NOW, checked_article

from bot.delivery import deliver_pending
from bot.interactive import ACTIONS_PATH, build_server
from bot.jobs import build_sender
from bot.outbox import enqueue_findings
from bot.settings import parse_bot_settings
from factwatch.store import open_db

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def slack():
    with FakeSlack(token="xoxb-test") as fake:
        yield fake


@pytest.fixture
def path(tmp_path):
    return tmp_path / "factwatch.db"


def deliver(path, slack, buttons: bool):
    bot = parse_bot_settings({"answers": {"buttons": buttons}}, {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.base_url})
    db = open_db(path)
    try:
        checked_article(db, "https://news.example/1")
        enqueue_findings(db, lambda topic: "#factcheck", NOW)
        deliver_pending(db, build_sender(bot), NOW)
    finally:
        db.close()
    return slack.posts()[0]


def actions_of(post):
    return [b for b in post["blocks"] if b["type"] == "actions"]


def test_alerts_carry_no_buttons_unless_configured(path, slack):
    assert actions_of(deliver(path, slack, buttons=False)) == []


@pytest.fixture
def endpoint(path, slack):
    post = deliver(path, slack, buttons=True)
    server = build_server(path, SECRET, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{ACTIONS_PATH}", post
    server.shutdown()
    server.server_close()


def click(url, post, kind="false_alarm", *, user="U1", ts=None, secret=SECRET, stamp=None, alert_id="1"):
    payload = {"type": "block_actions", "user": {"id": user}, "channel": {"id": "C0123"},
               "container": {"type": "message", "message_ts": ts or post["ts"]},
               "actions": [{"action_id": f"factwatch_answer:{kind}", "value": alert_id, "action_ts": f"{time.time():.6f}"}]}
    body = urlencode({"payload": json.dumps(payload)})
    stamp = str(int(time.time())) if stamp is None else stamp
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def stored(path):
    db = open_db(path)
    try:
        return ([tuple(r) for r in db.execute("select user, kind, via from bot_answers order by id")],
                [tuple(r) for r in db.execute("select kind from bot_alert_answers")],
                [tuple(r) for r in db.execute("select status from bot_answer_notes")])
    finally:
        db.close()


def test_a_configured_alert_carries_the_three_buttons_and_thread_replies_do_not(endpoint):
    _url, post = endpoint
    (actions,) = actions_of(post)
    assert [e["text"]["text"] for e in actions["elements"]] == ["⭕ 맞음", "❌ 오탐", "🙈 무시"]
    assert {e["value"] for e in actions["elements"]} == {"1"}


def test_a_signed_click_is_recorded_once_and_a_false_alarm_queues_the_thread_note(endpoint, path):
    url, post = endpoint
    assert click(url, post) == 200
    answers, in_force, notes = stored(path)
    assert answers == [("U1", "false_alarm", "button")] and in_force == [("false_alarm",)] and notes == [("pending",)]
    assert click(url, post, "confirmed") == 200  # a second press changes the answer
    assert stored(path)[1] == [("confirmed",)]


def test_a_forged_or_stale_click_is_refused(endpoint, path):
    url, post = endpoint
    assert click(url, post, secret="not-the-secret") == 401
    assert click(url, post, stamp=str(int(time.time()) - 600)) == 401  # replayed ten minutes later
    assert stored(path) == ([], [], [])


def test_a_click_on_a_message_the_bot_did_not_post_is_ignored(endpoint, path):
    url, post = endpoint
    assert click(url, post, ts="1700000000.000100") == 200
    assert click(url, post, alert_id="99") == 200
    assert stored(path)[0] == []


def test_serve_refuses_to_start_without_the_signing_secret(path, slack, monkeypatch):
    from conftest import run_cli

    deliver(path, slack, buttons=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    result = run_cli("--db", str(path), "answers", "serve", "--port", "0")
    assert result.exit_code != 0 and "SLACK_SIGNING_SECRET" in result.output
