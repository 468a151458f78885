"""`factwatch run` left alone for several scheduled cycles: crawl → check → Slack, with a source breaking mid-run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fake_slack import FakeSlack

from crawler.localsite import serve_site
from factwatch.db import open_db

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "bot" / "demo_site"
TOKEN = "xoxb-loop"

CONFIG = """
slack:
  channel: "#factcheck"
  operator_channel: "#ops"
  retry_backoff: 0.05
schedule:
  crawl: 1s
  check: 1s
  deliver: 1s
  digest: "04:00"
  crawl_time_limit: 2m
health:
  crawl_failures: 2
"""

NEW_ARTICLE = (DEMO / "site" / "mudeung" / "news" / "101.html").read_text(encoding="utf-8")


def texts(slack, channel="#factcheck"):
    return [m["text"] for m in slack.posts(channel) if not m.get("thread_ts")]


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(DEMO / "site", root)
    with serve_site(root) as base_url:
        yield root, base_url


def test_the_bot_runs_unattended_through_cycles_and_a_broken_source(tmp_path, site):
    root, base_url = site
    sources = tmp_path / "sources.yaml"
    sources.write_text((DEMO / "sources.yaml").read_text(encoding="utf-8").replace("{{base_url}}", base_url), encoding="utf-8")
    config = tmp_path / "factwatch.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    db_path = tmp_path / "factwatch.db"

    with FakeSlack(token=TOKEN) as slack:
        env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": slack.base_url}
        env.pop("FACTWATCH_DB", None)
        bot = subprocess.Popen(
            [sys.executable, "-c", "from factwatch.cli import main; main()", "--db", str(db_path),
             "--rules", str(REPO / "rules"), "--sources", str(sources), "--config", str(config), "run"],
            env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "bot.log").open("wb"),
        )
        try:
            # Cycle 1: the two planted errors arrive; the traps stay silent.
            assert slack.wait_for(lambda s: len(s.posts("#factcheck")) >= 2, timeout=120), _log(tmp_path)

            # Mid-run: a new article appears, another is corrected to a different wrong figure,
            # and one outlet's feed disappears.
            (root / "mudeung" / "news" / "103.html").write_text(
                NEW_ARTICLE.replace("101.html", "103.html")
                .replace("AI 집적단지 조성사업 마무리 단계…입주기업 실증 본격화", "첨단3지구 AI 집적단지 현장을 가다")
                .replace("2020년부터 5년간 4000여억원을 들여", "첨단3지구 부지 7만4256㎡에")
                .replace("2024-03-14", "2024-03-28"),
                encoding="utf-8",
            )
            listing = root / "mudeung" / "news" / "list.html"
            listing.write_text(
                listing.read_text(encoding="utf-8").replace(
                    '<ul class="list">', '<ul class="list">\n  <li><a href="/mudeung/news/103.html">현장을 가다</a></li>'
                ),
                encoding="utf-8",
            )
            story = root / "mudeung" / "news" / "102.html"
            story.write_text(story.read_text(encoding="utf-8").replace("현재 80명으로", "현재 70명으로"), encoding="utf-8")
            (root / "bitgaram" / "rss.xml").unlink()

            assert slack.wait_for(
                lambda s: len(s.posts("#factcheck")) >= 4 and len(s.posts("#ops")) >= 1, timeout=180
            ), _log(tmp_path)
        finally:
            bot.send_signal(signal.SIGTERM)
            code = bot.wait(60)
        assert code == 0, _log(tmp_path)

        alerts = texts(slack)
        replies = [m for m in slack.posts("#factcheck") if m.get("thread_ts")]
        assert len(alerts) == 3, alerts
        assert any("4000여억원" in t for t in alerts)
        assert any("80명" in t for t in alerts)
        assert any("7만4256㎡" in t for t in alerts)
        for trap in ("80여개", "48개", "1100억원", "300여 명"):  # figures that are not the facts they resemble
            assert not any(f"기사 {trap}" in t for t in alerts), trap
        # The corrected article became a thread reply on its first alert, not a new alert.
        first_staff = next(m for m in slack.posts("#factcheck") if "80명" in m["text"])
        assert [r["thread_ts"] for r in replies] == [first_staff["ts"]]
        assert "70명" in replies[0]["text"]
        # The broken feed raised one operator alert, not one per cycle.
        ops = slack.posts("#ops")
        assert len(ops) == 1 and "bitgaram_rss" in ops[0]["text"]
        keys = [m["metadata"]["event_payload"]["key"] for m in slack.posts("#factcheck")]
        assert len(keys) == len(set(keys))

    db = open_db(db_path)
    runs = [row[0] for row in db.execute("select status from bot_crawl_runs")]
    assert len(runs) >= 3 and "running" not in runs
    assert db.execute("select count(*) from bot_alerts where status != 'sent'").fetchone()[0] == 0


def _log(tmp_path) -> str:
    return (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace")[-3000:]
