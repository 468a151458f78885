"""Precision per fact and per rule file from stored answers — in `factwatch status`, the daily digest
and the store (the views `factwatch browse` shows) — and the maintainers' notice on a misfiring fact."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
from conftest import run_cli
from fake_slack import FakeSlack
from test_bot_support import NOW, checked_article

from bot.answer_effects import check_false_alarm_notices
from bot.answer_reader import SlackAnswerSource, read_answers
from bot.answer_settings import AnswerSettings
from bot.delivery import deliver_pending
from bot.digest import post_digest
from bot.notices import load_open_operator_alerts
from bot.outbox import enqueue_findings
from bot.precision import count_precision
from bot.sender import SlackSender, build_client
from factwatch.store import open_db
from factwatch.store.answers import load_outcomes

CHANNEL = "#factcheck"
LATER = NOW + timedelta(minutes=5)

# (fact, rule file line, answer emoji or reply, sentence)
KNOWN = [
    ("staff.members", "rules/staff.yaml:12", "o", "사업단 구성원은 80명이다."),
    ("staff.members", "rules/staff.yaml:12", "white_check_mark", "사업단은 80명으로 늘었다."),
    ("staff.members", "rules/staff.yaml:12", "x", "80명의 기업 관계자가 모였다."),
    ("staff.members", "rules/staff.yaml:12", None, "사업단 80명 체제가 됐다."),
    ("budget.total", "rules/budget.yaml:3", "see_no_evil", "예산은 80명분이다."),
    ("budget.total", "rules/budget.yaml:3", "오탐: 인원이 아니라 좌석 수", "80명 좌석 규모다."),
]


@pytest.fixture
def slack():
    with FakeSlack(token="xoxb-test") as fake:
        yield fake


@pytest.fixture
def db(tmp_path):
    store = open_db(tmp_path / "factwatch.db")
    yield store
    store.close()


def answered(db, slack, known=KNOWN):
    client = build_client("xoxb-test", slack.base_url, backoff=0.01)
    first = db["articles"].count
    for index, (fact, rule, _answer, sentence) in enumerate(known, start=first):
        version = checked_article(db, f"https://news.example/{index}", text=sentence, fact_id=fact)
        finding = db.execute("select id, data from findings where version_id = ?", [version]).fetchone()
        db["findings"].update(finding[0], {"data": json.dumps({**json.loads(finding[1]), "rule": rule}, ensure_ascii=False)})
    enqueue_findings(db, lambda topic: CHANNEL, NOW)
    deliver_pending(db, SlackSender(client, backoff=0.01), NOW)
    new = [post for post in slack.posts() if post["thread_ts"] is None][-len(known):]
    for post, (_fact, _rule, answer, _sentence) in zip(new, known, strict=True):
        if answer and answer.startswith("오탐"):
            slack.say(CHANNEL, "U2", answer, thread_ts=post["ts"])
        elif answer:
            slack.react(CHANNEL, post["ts"], "U1", answer)
    read_answers(db, SlackAnswerSource(client), LATER, AnswerSettings())


def test_precision_per_fact_and_per_rule_file_from_known_answers(db, slack):
    answered(db, slack)
    by_fact = {row.key: row for row in count_precision(load_outcomes(db), "fact")}
    staff, budget = by_fact["staff.members"], by_fact["budget.total"]
    assert (staff.alerts, staff.confirmed, staff.false_alarms, staff.ignored, staff.no_answer) == (4, 2, 1, 0, 1)
    assert round(staff.precision, 2) == 0.67
    assert (budget.confirmed, budget.false_alarms, budget.ignored, budget.no_answer, budget.precision) == (0, 1, 1, 0, 0.0)
    by_file = {row.key: row for row in count_precision(load_outcomes(db), "rule_file")}
    assert set(by_file) == {"rules/staff.yaml", "rules/budget.yaml"}

    # The store's views (what `factwatch browse` shows) count the same.
    view = {row["fact_id"]: row for row in db.query("select * from bot_precision_by_fact")}
    assert (view["staff.members"]["confirmed"], view["staff.members"]["false_alarms"], view["staff.members"]["no_answer"],
            view["staff.members"]["precision"]) == (2, 1, 1, 0.67)
    files = {row["rule_file"]: row for row in db.query("select * from bot_precision_by_rule_file")}
    assert files["rules/budget.yaml"]["ignored"] == 1 and files["rules/budget.yaml"]["precision"] == 0.0


def test_status_shows_precision_per_fact_and_rule_file(db, slack, tmp_path):
    answered(db, slack)
    result = run_cli("--db", str(tmp_path / "factwatch.db"), "--sources", str(tmp_path / "none.yaml"), "status")
    assert result.exit_code == 0, result.output
    assert "팩트체커의 답으로 본 정확도" in result.output
    assert ("staff.members 새만금 사업단 구성원 수: 알림 4 · 맞음 2 · 오탐 1 · 무시 0 · 답 없음 1 · 정확도 67%"
            in result.output)
    assert "rules/budget.yaml: 알림 2 · 맞음 0 · 오탐 1 · 무시 1 · 답 없음 0 · 정확도 0%" in result.output


def test_the_digest_carries_precision_per_fact(db, slack):
    answered(db, slack)
    sender = SlackSender(build_client("xoxb-test", slack.base_url, backoff=0.01), backoff=0.01)
    post_digest(db, sender, "#digest", NOW + timedelta(days=1), time(9, 0), "Asia/Seoul")
    digest = slack.posts("#digest")[0]
    text = json.dumps(digest["blocks"], ensure_ascii=False)
    assert "사실별 정확도" in text and "알림 4 · 맞음 2 · 오탐 1 · 무시 0 · 답 없음 1 · 정확도 67%" in text


FALSE = [("staff.members", "rules/staff.yaml:12", f"오탐: 사례 {n}", f"사업단 행사에 80명{n}이 왔다.") for n in range(1, 4)]


def test_a_fact_past_the_false_alarm_threshold_gets_one_maintainers_notice_with_the_sentences(db, slack):
    db["facts"].insert({"id": "staff.members", "description": "새만금 사업단 구성원 수", "file": "rules/staff.yaml",
                        "line": 12, "data": '{"exclude": []}'})
    answered(db, slack, FALSE[:2])
    assert check_false_alarm_notices(db, 3, LATER) == []  # two are not yet a pattern
    answered(db, slack, FALSE[2:])
    assert check_false_alarm_notices(db, 3, LATER) == ["staff.members"]
    assert check_false_alarm_notices(db, 3, LATER) == []  # one notice, not one per cycle

    (notice,) = [p for p in load_open_operator_alerts(db) if p.key.startswith("false_alarms:")]
    assert notice.key == "false_alarms:staff.members"
    assert "오탐으로 표시했습니다" in notice.message and "exclude" in notice.message
    assert all(f"사업단 행사에 80명{n}이 왔다." in notice.message for n in range(1, 4))
    assert "이유: 사례 2" in notice.message

    # An edited rule (an exclude word added) closes it; the count starts again.
    db["facts"].update("staff.members", {"data": '{"exclude": ["행사"]}'})
    check_false_alarm_notices(db, 3, LATER + timedelta(hours=1))
    assert not [p for p in load_open_operator_alerts(db) if p.key.startswith("false_alarms:")]
    assert check_false_alarm_notices(db, 3, LATER + timedelta(hours=2)) == []


def test_the_threshold_is_a_setting():
    from bot.settings import parse_bot_settings
    from factwatch.config import ConfigError

    assert parse_bot_settings({}, {}).answers.false_alarm_notice == 3
    assert parse_bot_settings({"answers": {"false_alarm_notice": 5}}, {}).answers.false_alarm_notice == 5
    with pytest.raises(ConfigError, match="answers.false_alarm_notice"):
        parse_bot_settings({"answers": {"false_alarm_notice": 0}}, {}, "factwatch.yaml")
    with pytest.raises(ConfigError, match="다른 답에도"):
        parse_bot_settings({"answers": {"confirmed": ["x"]}}, {}, "factwatch.yaml")


def test_alerts_printed_to_the_console_are_not_counted(db):
    from bot.sender import ConsoleSender

    checked_article(db, "https://news.example/console")
    enqueue_findings(db, lambda topic: CHANNEL, NOW)
    deliver_pending(db, ConsoleSender(stream=__import__("io").StringIO()), NOW)
    assert load_outcomes(db) == []
