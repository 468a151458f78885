"""The records crossing checker → bot: findings.data as stored (old rows too), an alert's
content (`bot_alerts.view`), and alerts queued before figures were kept."""

from __future__ import annotations

import json

import pytest
from fake_slack import FakeSlack
from test_bot_support import NOW, STAFF_SENTENCE, add_finding, checked_article, store_version

from bot.delivery import deliver_pending
from bot.message import AlertContent
from bot.notices import load_open_operator_alerts
from bot.outbox import count_by_status, enqueue_findings, load_alerts
from bot.sender import SlackSender, build_client
from checker.alertable import AlertableFinding
from factwatch.store import open_db
from checker.alertable import read_version
from factwatch.store.findings import findings_of, versions_to_alert

TOKEN = "xoxb-test"


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "factwatch.db")


@pytest.fixture
def slack():
    with FakeSlack(token=TOKEN) as fake:
        yield fake


def deliver(db, slack):
    return deliver_pending(db, SlackSender(build_client(TOKEN, slack.base_url, backoff=0.01), backoff=0.01), NOW)


def route(topic):
    return "#factcheck"


# A findings row as the checker wrote it before findings.data was a typed record (no kind,
# unit, value or figure). Written out here as it was stored, to prove such rows still read.
OLD_DATA = {
    "sentence": STAFF_SENTENCE, "sentence_start": 0, "start": 9, "end": 12, "text": "80명", "hint": None,
    "fact_description": "새만금 사업단 구성원 수", "rule": "rules/staff.yaml:12",
    "version": {"display": "48명", "valid_from": "2022-04-13", "valid_until": None,
                "source": "https://example.go.kr/press/48", "line": 14},
    "severity": "high", "topic": "staff", "score": 88.0,
}


def insert_old_finding(db, version_id):
    db["findings"].insert({
        "version_id": version_id, "claim_id": None, "fact_id": "staff.members", "verdict": "conflict", "alert": 1,
        "claimed": "80명", "canonical": "48명", "explanation": "사업단 구성원은 48명입니다.",
        "data": json.dumps(OLD_DATA, ensure_ascii=False), "rules_hash": "old", "judged_at": NOW.isoformat(),
    })
    db["article_versions"].update(version_id, {"extracted_at": NOW.isoformat()})


def test_a_finding_stored_before_the_typed_record_reads_as_an_alertable_finding(db, slack):
    saved = store_version(db, "https://news.example/old", STAFF_SENTENCE)
    insert_old_finding(db, saved.version_id)

    (version,) = versions_to_alert(db)
    (finding,) = read_version(version, findings_of(db, version.version_id)).findings
    assert isinstance(finding, AlertableFinding)
    assert (finding.fact_key, finding.claimed, finding.figure, finding.claim_start, finding.claim_end) == (
        "staff.members", "80명", None, 9, 12)
    assert finding.version is not None and str(finding.version.valid_from) == "2022-04-13"
    assert finding.article.url == "https://news.example/old" and finding.article.outlet == "한국일보"

    enqueue_findings(db, route, NOW)
    deliver(db, slack)
    (post,) = slack.posts()
    assert "【80명】" in str(post["blocks"]) and "2022-04-13 기준" in str(post["blocks"])


def test_a_damaged_findings_row_is_told_to_the_operator_and_holds_up_only_its_version(db):
    bad = store_version(db, "https://news.example/bad", STAFF_SENTENCE)
    insert_old_finding(db, bad.version_id)
    db.execute("update findings set data = '{\"start\": \"열두\"}'")
    db.conn.commit()
    checked_article(db, "https://news.example/good")

    assert len(enqueue_findings(db, route, NOW)) == 1  # the good version's alert
    (notice,) = load_open_operator_alerts(db)
    assert notice.key == f"finding_unreadable:{bad.version_id}"
    assert f"findings #1(기사 판 {bad.version_id})을 읽을 수 없습니다" in notice.message
    # Not marked seen: once a recheck rewrites the row, it is alerted and the notice closes.
    db.execute("update findings set data = ? where id = 1", [json.dumps(OLD_DATA, ensure_ascii=False)])
    db.conn.commit()
    assert len(enqueue_findings(db, route, NOW)) == 1
    assert load_open_operator_alerts(db) == []


def test_an_alert_keeps_its_content_as_a_typed_record_and_its_parsed_figure(db):
    checked_article(db, "https://news.example/1")
    enqueue_findings(db, route, NOW)
    (alert,) = load_alerts(db, "pending")
    content = AlertContent.model_validate_json(alert.view)
    assert (content.claimed, content.canonical, content.url, content.article_version) == (
        "80명", "48명", "https://news.example/1", 1)
    assert alert.figure == "person:80" and alert.dedup_key.endswith("|staff.members|person:80")


def test_an_alert_without_content_is_reported_failed_never_rebuilt_or_sent_blank(db, slack):
    for n in range(3):
        checked_article(db, f"https://news.example/{n}", claim=f"{80 + n}명", text=f"사업단은 {80 + n}명 규모로 꾸려졌다.")
    enqueue_findings(db, route, NOW)
    first = load_alerts(db, "pending")[0]
    # As a row queued before alerts kept their content, left without one by the m002 backfill
    # (its finding was gone then). Its finding being back now does not matter: no live rebuild.
    db.execute("update bot_alerts set view = null where id = ?", [first.id])
    db.conn.commit()

    report = deliver(db, slack)

    assert report.sent == 2 and report.failed == 1 and count_by_status(db) == {"sent": 2, "failed": 1}
    (failed,) = load_alerts(db, "failed")
    assert failed.id == first.id and "내용이 저장돼 있지 않습니다" in failed.last_error
    assert any(f"알림 #{first.id}" in error for error in report.errors)


def test_an_alert_queued_before_figures_still_stops_the_same_figure_again(db, slack):
    """Existing stores: a row without a figure (and with the old text key) is compared by its text."""
    saved = store_version(db, "https://a.example/1", "사업단은 4,000억원을 쓴다.", story_key="yonhap-9")
    add_finding(db, saved.version_id, sentence="사업단은 4,000억원을 쓴다.", claim="4,000억원", fact_id="budget.total")
    enqueue_findings(db, route, NOW)
    db.execute("update bot_alerts set figure = null, dedup_key = ?", [f"{saved.story_id}|budget.total|4000억원"])
    db.conn.commit()
    deliver(db, slack)

    copy = store_version(db, "https://b.example/2", "사업단은 4000억원을 쓴다고 한다.", story_key="yonhap-9")
    add_finding(db, copy.version_id, sentence="사업단은 4000억원을 쓴다고 한다.", claim="4000억원", fact_id="budget.total")
    enqueue_findings(db, route, NOW)
    deliver(db, slack)

    assert len(slack.posts()) == 1 and count_by_status(db) == {"sent": 1}
