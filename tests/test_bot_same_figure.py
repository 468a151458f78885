"""One figure written two ways in syndicated copies of one story is one alert, end to end:
real rule file, real check, a SQLite file on disk, the bot's enqueue and delivery to the fake Slack."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from conftest import write_rule_file
from fake_slack import FakeSlack

from bot.delivery import deliver_pending
from bot.outbox import count_by_status, enqueue_findings
from bot.sender import SlackSender, build_client
from checker.check_store import check_pending
from checker.models import Article
from checker.rules import load_rules
from checker.store import save_article
from factwatch.store import open_db

NOW = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)
PUBLISHED = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)

RULE = """\
topic:
  id: pilot
  recognise: [시범사업]
facts:
  - id: pilot-budget
    description: 시범사업 총사업비
    kind: quantity
    unit: 억원
    cues: [총사업비]
    versions:
      - value: 4116억원
        from: 2020-01-01
"""


@pytest.fixture
def slack():
    with FakeSlack(token="xoxb-test") as fake:
        yield fake


def run_cycle(db, rules, slack):
    check_pending(db, rules, NOW)
    enqueue_findings(db, lambda topic: "#factcheck", NOW)
    return deliver_pending(db, SlackSender(build_client("xoxb-test", slack.base_url, backoff=0.01)), NOW)


def copy(url: str, outlet: str, sentence: str) -> Article:
    return Article(url=url, title="시범사업 점검", text=f"시범사업 소식이다. {sentence} 시범사업은 내년에 끝난다.",
                   published=PUBLISHED, outlet=outlet, story_key="yonhap-2024-0501", source="test")


@pytest.mark.parametrize("written", ["4000억원", "4,000억 원"])
def test_one_story_saying_4천억원_and_4000억원_in_two_copies_alerts_once(tmp_path, slack, written):
    rules = load_rules(write_rule_file(tmp_path, RULE, "pilot.yaml"))
    db = open_db(tmp_path / "factwatch.db")
    save_article(db, copy("https://a.example/1", "연합뉴스", "시범사업 총사업비는 4천억원이다."), NOW)
    save_article(db, copy("https://b.example/9", "지역일보", f"지역일보 취재 결과 시범사업 총사업비는 {written}이다."), NOW)

    report = run_cycle(db, rules, slack)

    # Both copies were checked and both figures are wrong (the texts differ, so neither is a plain copy).
    assert [row[0] for row in db.execute("select claimed from findings where alert = 1 order by id")] == ["4천억원", written]
    assert report.sent == 1 and count_by_status(db) == {"sent": 1}
    (post,) = slack.posts()
    assert "4천억원" in post["text"] and "시범사업 총사업비" in post["text"]


def test_a_copy_with_another_figure_still_alerts_on_its_own(tmp_path, slack):
    rules = load_rules(write_rule_file(tmp_path, RULE, "pilot.yaml"))
    db = open_db(tmp_path / "factwatch.db")
    save_article(db, copy("https://a.example/1", "연합뉴스", "시범사업 총사업비는 4천억원이다."), NOW)
    save_article(db, copy("https://b.example/9", "지역일보", "지역일보 취재 결과 시범사업 총사업비는 3천억원이다."), NOW)

    run_cycle(db, rules, slack)

    assert len(slack.posts()) == 2 and all(post["thread_ts"] is None for post in slack.posts())
