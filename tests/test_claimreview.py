"""`factwatch export claimreview`: confirmed findings as schema.org ClaimReview JSON-LD, checked against
the fields Google's fact-check markup requires, with the Korean text intact."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from conftest import run_cli
from fake_slack import FakeSlack
from test_bot_support import NOW, checked_article

from bot.answer_reader import SlackAnswerSource, read_answers
from bot.answer_settings import AnswerSettings
from bot.delivery import deliver_pending
from bot.outbox import enqueue_findings
from bot.sender import SlackSender, build_client
from checker.verdicts import VERDICT_KO
from factwatch.store import open_db

SCHEMA = json.loads((Path(__file__).parent / "claimreview.schema.json").read_text(encoding="utf-8"))
CONFIG = """\
claimreview:
  organization: 무등팩트체크
  organization_url: https://factcheck.example.kr/
  url: "https://factcheck.example.kr/review/{alert_id}"
"""


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "factwatch.db"
    db = open_db(path)
    with FakeSlack(token="xoxb-test") as slack:
        client = build_client("xoxb-test", slack.base_url, backoff=0.01)
        checked_article(db, "https://news.example/1", text="새만금 사업단은 80명 규모로 꾸려졌다.")
        checked_article(db, "https://news.example/2", text="사업단 인원은 90명이다.", claim="90명")
        checked_article(db, "https://news.example/3", text="사업단은 70명이다.", claim="70명")
        db["articles"].update(1, {"author": "김기자"})
        enqueue_findings(db, lambda topic: "#factcheck", NOW)
        deliver_pending(db, SlackSender(client, backoff=0.01), NOW)
        first, second, third = slack.posts()
        slack.react("#factcheck", first["ts"], "U1", "o")
        slack.react("#factcheck", second["ts"], "U1", "x")  # a false alarm: not exported
        read_answers(db, SlackAnswerSource(client), NOW + timedelta(minutes=5), AnswerSettings())
    db.close()
    config = tmp_path / "factwatch.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return path, config


def test_confirmed_findings_export_as_valid_claimreview_with_korean_intact(store, tmp_path):
    path, config = store
    out = tmp_path / "claimreview.json"
    result = run_cli("--db", str(path), "--config", str(config), "export", "claimreview", "--out", str(out))
    assert result.exit_code == 0, result.output

    raw = out.read_text(encoding="utf-8")
    assert "새만금 사업단은 80명 규모로 꾸려졌다." in raw and "\\u" not in raw  # not escaped
    (review,) = json.loads(raw)
    jsonschema.validate(review, SCHEMA)
    assert review["claimReviewed"] == "새만금 사업단은 80명 규모로 꾸려졌다."
    assert review["reviewRating"]["alternateName"] == VERDICT_KO["conflict"] == "사실과 다름"
    assert review["url"] == "https://factcheck.example.kr/review/1"
    assert review["author"] == {"@type": "Organization", "name": "무등팩트체크", "url": "https://factcheck.example.kr/"}
    claim = review["itemReviewed"]
    assert claim["appearance"][0]["url"] == "https://news.example/1"
    assert claim["appearance"][0]["publisher"]["name"] == "한국일보"
    assert claim["author"] == {"@type": "Person", "name": "김기자"}
    assert claim["datePublished"] == "2024-05-01"
    assert review["citation"] == {"@type": "CreativeWork", "url": "https://example.go.kr/press/48"}
    assert "48명" in review["reviewBody"]


def test_since_keeps_later_confirmations_and_stdout_works(store):
    path, config = store
    result = run_cli("--db", str(path), "--config", str(config), "export", "claimreview", "--since", "2024-05-02")
    assert result.exit_code == 0 and len(json.loads(result.output)) == 1
    result = run_cli("--db", str(path), "--config", str(config), "export", "claimreview", "--since", "2024-05-03")
    assert json.loads(result.output) == []
    result = run_cli("--db", str(path), "--config", str(config), "export", "claimreview", "--since", "5월 2일")
    assert result.exit_code != 0 and "--since" in result.output and "2024-05-01" in result.output


def test_export_without_the_organisation_says_which_keys_to_add(store, tmp_path):
    path, _config = store
    empty = tmp_path / "empty.yaml"
    empty.write_text("slack: {}\n", encoding="utf-8")
    result = run_cli("--db", str(path), "--config", str(empty), "export", "claimreview")
    assert result.exit_code != 0
    assert "claimreview.organization" in result.output and "claimreview.url" in result.output
