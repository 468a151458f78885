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
from factwatch.store import open_db

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

# Appears on the site mid-run: its own story, with a wrong site area (the canonical is 4만7256㎡).
NEW_ARTICLE = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>첨단3지구 현장을 가다</title>
<meta property="og:site_name" content="무등신문">
<meta property="article:published_time" content="2024-03-28T11:00:00+09:00">
<link rel="canonical" href="{{base_url}}/mudeung/news/103.html"></head>
<body><article><h1>[현장] 첨단3지구 AI 집적단지를 가다</h1><div class="article-body">
<p>광주 북구 첨단3지구에 들어선 인공지능 집적단지는 평일 낮에도 공사 차량이 드나들었다.</p>
<p>집적단지는 첨단3지구 부지 7만4256㎡에 들어선다.</p>
<p>인공지능산업융합사업단 관계자는 남은 공정을 연내 마무리하겠다고 설명했다.</p>
<p>단지 앞 도로에는 통근 버스 정류장이 새로 생겼고, 주변 상가도 하나둘 문을 열고 있다.</p>
</div></article></body></html>"""


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
    # The one operator alert this run is about is the broken feed; the shipped staff count's age
    # limit (refresh_after, tests/test_refresh.py) would add a notice of its own as the years pass.
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    shipped = rules / "gwangju_ai.yaml"
    shipped.write_text(shipped.read_text(encoding="utf-8").replace("    refresh_after: 730\n", ""), encoding="utf-8")

    with FakeSlack(token=TOKEN) as slack:
        env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": slack.base_url}
        env.pop("FACTWATCH_DB", None)
        bot = subprocess.Popen(
            [sys.executable, "-c", "from factwatch.cli import main; main()", "--db", str(db_path),
             "--rules", str(rules), "--sources", str(sources), "--config", str(config), "run"],
            env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "bot.log").open("wb"),
        )
        try:
            # Cycle 1: the two planted errors arrive; the traps stay silent.
            assert slack.wait_for(lambda s: len(s.posts("#factcheck")) >= 2, timeout=120), _log(tmp_path)

            # Mid-run: a new article appears, another is corrected to a different wrong figure,
            # and one outlet's feed disappears.
            (root / "mudeung" / "news" / "103.html").write_text(NEW_ARTICLE, encoding="utf-8")
            listing = root / "mudeung" / "news" / "list.html"
            listing.write_text(
                listing.read_text(encoding="utf-8").replace(
                    '<ul class="list">', '<ul class="list">\n  <li><a href="/mudeung/news/103.html">현장을 가다</a></li>'
                ),
                encoding="utf-8",
            )
            story = root / "mudeung" / "news" / "102.html"
            story.write_text(story.read_text(encoding="utf-8").replace("현재 80명이라고", "현재 70명이라고"), encoding="utf-8")
            (root / "bitgaram" / "rss.xml").unlink()

            arrived = slack.wait_for(
                lambda s: len(s.posts("#factcheck")) >= 4 and any("bitgaram_rss" in m["text"] for m in s.posts("#ops")),
                timeout=180,
            )
            assert arrived, "\n".join([m["channel"] + " " + m["text"] for m in slack.posts()] + [_log(tmp_path)])
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
        # The broken feed raised one operator alert, not one per cycle. The edited article is
        # judged on its edit day (today), past the shipped staff count's refresh_after: the bot
        # also asks once for a fresh source — once, however many cycles run.
        ops = [m["text"] for m in slack.posts("#ops")]
        assert sum("bitgaram_rss" in t for t in ops) == 1, ops
        assert sum("[staff-count]" in t for t in ops) <= 1, ops
        assert all("bitgaram_rss" in t or "[staff-count]" in t for t in ops), ops
        keys = [m["metadata"]["event_payload"]["key"] for m in slack.posts("#factcheck")]
        assert len(keys) == len(set(keys))

    db = open_db(db_path)
    runs = [row[0] for row in db.execute("select status from bot_crawl_runs")]
    assert len(runs) >= 3 and "running" not in runs
    assert db.execute("select count(*) from bot_alerts where status != 'sent'").fetchone()[0] == 0


def _log(tmp_path) -> str:
    lines = (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(line for line in lines if "skipped: maximum number" not in line)[-3000:]
