"""Fact-checkers answer an alert (맞음 / 오탐 / 무시) with a reaction or a thread reply; the bot reads
the answers through the Web API of a fake Slack on 127.0.0.1 (real HTTP) and acts on them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fake_slack import FakeSlack
from test_bot_support import NOW, add_finding, checked_article, store_version

from bot.answer_effects import false_alarm_predicate, run_answers_cycle
from bot.answer_reader import SlackAnswerSource, post_notes, read_answers
from bot.answer_settings import AnswerSettings
from bot.answers import FALSE_ALARM_NOTE
from bot.delivery import deliver_pending
from bot.outbox import enqueue_findings
from bot.sender import SlackSender, build_client
from factwatch.store import open_db

CHANNEL = "#factcheck"
LATER = NOW + timedelta(minutes=5)
SETTINGS = AnswerSettings()


@pytest.fixture
def slack():
    with FakeSlack(token="xoxb-test") as fake:
        yield fake


@pytest.fixture
def path(tmp_path):
    return tmp_path / "factwatch.db"


@pytest.fixture
def db(path):
    store = open_db(path)
    yield store
    store.close()


def client(slack):
    return build_client("xoxb-test", slack.base_url, backoff=0.01)


def sender(slack):
    return SlackSender(client(slack), backoff=0.01)


def deliver(db, slack, suppress=None):
    enqueue_findings(db, lambda topic: CHANNEL, NOW, suppress=suppress)
    deliver_pending(db, sender(slack), NOW)


def read(db, slack, now=LATER):
    report = read_answers(db, SlackAnswerSource(client(slack)), now, SETTINGS)
    post_notes(db, sender(slack), now)
    return report


def answers(db):
    return [dict(row) for row in db.query(
        "select alert_id, user, kind, via, emoji, reason, withdrawn_at from bot_answers order by id")]


def in_force(db, alert_id=1):
    row = db.execute("select kind from bot_alert_answers where alert_id = ?", [alert_id]).fetchone()
    return row[0] if row else None


def alerted(db, slack, url="https://news.example/1", **kwargs):
    checked_article(db, url, **kwargs)
    deliver(db, slack)
    return slack.posts()[-1]["ts"]


def test_a_reaction_is_read_once_and_again_not_after_a_restart(db, path, slack):
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "x")

    first = read(db, slack)
    read(db, slack, LATER + timedelta(minutes=5))
    db.close()
    reopened = open_db(path)  # a restarted bot: the store says what was read
    try:
        read(reopened, slack, LATER + timedelta(minutes=10))
        assert first.answers == 1
        assert [(a["user"], a["kind"], a["via"], a["emoji"]) for a in answers(reopened)] == [("U1", "false_alarm", "reaction", "x")]
        assert in_force(reopened) == "false_alarm"
    finally:
        reopened.close()


def test_a_removed_reaction_withdraws_the_answer_and_a_changed_one_replaces_it(db, slack):
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "x")
    read(db, slack)
    slack.unreact(CHANNEL, ts, "U1", "x")
    read(db, slack, LATER + timedelta(minutes=1))
    assert in_force(db) is None and answers(db)[0]["withdrawn_at"] is not None

    slack.react(CHANNEL, ts, "U1", "x")
    read(db, slack, LATER + timedelta(minutes=2))
    slack.unreact(CHANNEL, ts, "U1", "x")
    slack.react(CHANNEL, ts, "U1", "o")  # ❌ → ⭕: the latest answer wins, the history stays
    read(db, slack, LATER + timedelta(minutes=3))

    assert in_force(db) == "confirmed"
    assert [(a["kind"], a["withdrawn_at"] is None) for a in answers(db)] == [
        ("false_alarm", False), ("false_alarm", False), ("confirmed", True)]


def test_the_latest_of_two_people_wins(db, slack):
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "white_check_mark")
    read(db, slack)
    slack.react(CHANNEL, ts, "U2", "see_no_evil")
    read(db, slack, LATER + timedelta(minutes=1))
    assert in_force(db) == "ignored"


def test_a_thread_reply_answers_with_its_reason_and_chat_is_not_an_answer(db, slack):
    ts = alerted(db, slack)
    slack.say(CHANNEL, "U2", "확인해 볼게요", thread_ts=ts)
    slack.say(CHANNEL, "U2", "오탐: 80여개 기업을 말한 문장입니다", thread_ts=ts)

    read(db, slack)
    read(db, slack, LATER + timedelta(minutes=1))

    assert [(a["user"], a["kind"], a["via"], a["reason"]) for a in answers(db)] == [
        ("U2", "false_alarm", "reply", "80여개 기업을 말한 문장입니다")]
    # The bot's own note in the thread is not read back as an answer.
    slack.say(CHANNEL, "U3", "<@UBOT> 맞음", thread_ts=ts)
    read(db, slack, LATER + timedelta(minutes=2))
    assert [a["kind"] for a in answers(db)] == ["false_alarm", "confirmed"] and in_force(db) == "confirmed"


def test_answers_on_a_message_the_bot_did_not_post_are_ignored(db, slack):
    alerted(db, slack)
    other = slack.say(CHANNEL, "U9", "오늘 회의는 3시입니다")
    slack.react(CHANNEL, other, "U1", "x")
    slack.say(CHANNEL, "U1", "오탐", thread_ts=other)
    slack.react(CHANNEL, slack.posts()[0]["ts"], "UBOT", "x")  # the bot's own reaction is no answer either

    report = read(db, slack)

    assert answers(db) == [] and report.answers == 0
    assert not any(method == "reactions.get" for method, _ in slack.calls)


def test_a_429_while_reading_is_honoured_and_nothing_is_lost_or_doubled(db, slack):
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "x")
    slack.say(CHANNEL, "U2", "오탐 — 80여개 기업", thread_ts=ts)
    slack.fail_next(429, retry_after=0, methods=("conversations.history",))

    read(db, slack)

    assert ("conversations.history", 429) in slack.calls  # waited Retry-After, asked again
    assert sorted(a["via"] for a in answers(db)) == ["reaction", "reply"]


def test_a_429_that_outlasts_the_retries_stops_the_read_and_the_next_read_gets_everything_once(db, slack):
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "x")
    slack.say(CHANNEL, "U2", "무시", thread_ts=ts)
    slack.fail_next(429, retry_after=0, times=10, methods=("conversations.replies",))

    report = read(db, slack)
    assert report.stopped and answers(db) == []  # the message's answers are stored together or not at all

    slack._failures.clear()
    read(db, slack, LATER + timedelta(minutes=1))
    read(db, slack, LATER + timedelta(minutes=2))
    assert sorted((a["via"], a["kind"]) for a in answers(db)) == [("reaction", "false_alarm"), ("reply", "ignored")]


def test_a_popular_reaction_truncated_in_the_history_is_read_in_full(db, slack):
    slack.history_reaction_users = 1
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "o")
    slack.react(CHANNEL, ts, "U2", "o")
    read(db, slack)
    assert {a["user"] for a in answers(db)} == {"U1", "U2"}
    assert ("reactions.get", 200) in slack.calls


def test_a_false_alarm_is_said_in_the_thread_exactly_once(db, path, slack):
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "x")
    read(db, slack)
    slack.unreact(CHANNEL, ts, "U1", "x")
    read(db, slack, LATER + timedelta(minutes=1))
    slack.react(CHANNEL, ts, "U1", "x")  # 오탐 again: already said
    read(db, slack, LATER + timedelta(minutes=2))
    db.close()
    reopened = open_db(path)
    try:
        read(reopened, slack, LATER + timedelta(minutes=3))
    finally:
        reopened.close()

    notes = [m for m in slack.posts() if m["thread_ts"] == ts]
    assert len(notes) == 1 and FALSE_ALARM_NOTE in notes[0]["text"]


def test_a_note_whose_answer_was_lost_is_found_in_the_thread_not_posted_again(db, slack):
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "x")
    slack.drop_responses(1)  # Slack records the note, then the connection drops
    read(db, slack)
    read(db, slack, LATER + timedelta(minutes=1))
    assert len([m for m in slack.posts() if m["thread_ts"] == ts]) == 1
    assert db.execute("select status from bot_answer_notes").fetchone()[0] == "sent"


URL = "https://news.example/saemangeum"


def publish(db, text, claim, url=URL, alert=True, verdict="conflict", story_key=None):
    saved = store_version(db, url, text, story_key=story_key)
    add_finding(db, saved.version_id, sentence=text, claim=claim, alert=alert, verdict=verdict)
    return saved


def test_a_false_alarm_keeps_the_alert_from_coming_back_for_the_storys_edits_and_copies(db, slack):
    publish(db, "사업단은 80명 규모로 꾸려졌다.", "80명", story_key="story-1")
    deliver(db, slack)
    slack.react(CHANNEL, slack.posts()[0]["ts"], "U1", "x")
    read(db, slack)
    posted = len(slack.posts())  # the alert and the note

    # The article is edited to 48명, then back to 80명: without the answer, "기사 수정 후에도" follows.
    publish(db, "사업단은 48명 규모로 꾸려졌다.", "48명", alert=False, verdict="match", story_key="story-1")
    deliver(db, slack, suppress=false_alarm_predicate(db))
    publish(db, "사업단은 80명 규모로 꾸려졌다. 사진을 바꿨다.", "80명", story_key="story-1")
    deliver(db, slack, suppress=false_alarm_predicate(db))
    # A copy of the story elsewhere, with the figure written another way.
    publish(db, "사업단은 80 명 규모로 꾸려졌다.", "80 명", url="https://copy.example/1", story_key="story-1")
    deliver(db, slack, suppress=false_alarm_predicate(db))

    later = [m["text"] for m in slack.posts()[posted:]]
    assert not any("기사 수정 후에도" in text or "80" in text for text in later), later


def test_the_same_figure_in_another_story_still_alerts(db, slack):
    publish(db, "사업단은 80명 규모로 꾸려졌다.", "80명", story_key="story-1")
    deliver(db, slack)
    slack.react(CHANNEL, slack.posts()[0]["ts"], "U1", "x")
    read(db, slack)
    publish(db, "다른 기사: 사업단은 80명이다.", "80명", url="https://other.example/2", story_key="story-2")
    deliver(db, slack, suppress=false_alarm_predicate(db))
    assert sum(1 for m in slack.posts() if m["thread_ts"] is None) == 2


def test_the_answers_job_reads_with_the_bots_sender_and_does_nothing_on_the_console(db, slack):
    from bot.sender import ConsoleSender

    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "o")
    assert run_answers_cycle(db, ConsoleSender(), SETTINGS, LATER).read is None
    cycle = run_answers_cycle(db, sender(slack), SETTINGS, LATER)
    assert cycle.read is not None and cycle.read.answers == 1 and in_force(db) == "confirmed"


def test_configured_emoji_replace_the_defaults(db, slack):
    from bot.settings import parse_bot_settings

    settings = parse_bot_settings({"answers": {"false_alarm": ["no_entry_sign"], "confirmed": ["heavy_check_mark"]}}, {}).answers
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "x")  # no longer an answer
    slack.react(CHANNEL, ts, "U2", "no_entry_sign")
    read_answers(db, SlackAnswerSource(client(slack)), LATER, settings)
    assert [(a["user"], a["kind"]) for a in answers(db)] == [("U2", "false_alarm")]


def test_alerts_older_than_the_window_are_not_read(db, slack):
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "x")
    read(db, slack, NOW + timedelta(days=SETTINGS.window_days + 1))
    assert answers(db) == []


def test_alerts_posted_to_a_channel_name_are_read_by_the_channels_id(db, slack):
    # Real Slack posts to '#factcheck' but reads history and reactions only by ID: the reader
    # looks the name up (conversations.list) instead of failing with channel_not_found.
    slack.reads_need_ids = True
    slack.channels = {CHANNEL}
    ts = alerted(db, slack)
    slack.react(CHANNEL, ts, "U1", "x")
    report = read(db, slack)
    assert report.errors == () and report.answers == 1
    assert in_force(db) == "false_alarm"
    assert ("conversations.list", 200) in slack.calls
