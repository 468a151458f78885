"""No duplicate after the poster is killed mid-run: in-flight alerts are reconciled via history metadata."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fake_slack import FakeSlack
from test_bot_support import NOW, checked_article

from bot.delivery import deliver_pending
from bot.outbox import SENDING, count_by_status, enqueue_findings, load_alerts, save_sending
from bot.sender import SlackSender, build_client
from factwatch.store import open_db

TOKEN = "xoxb-test"

DELIVER_IN_CHILD = """
import sys
from datetime import datetime, timezone
from bot.delivery import deliver_pending
from bot.sender import SlackSender, build_client
from factwatch.store import open_db
db = open_db(sys.argv[1])
deliver_pending(db, SlackSender(build_client(sys.argv[2], sys.argv[3], backoff=0.01)), datetime.now(timezone.utc))
"""


@pytest.fixture
def slack():
    with FakeSlack(token=TOKEN) as fake:
        yield fake


def make_alerts(path, count=3):
    db = open_db(path)
    for n in range(count):
        checked_article(db, f"https://news.example/{n}", claim=f"{80 + n}명", text=f"사업단은 {80 + n}명 규모로 꾸려졌다.")
    enqueue_findings(db, lambda topic: "#factcheck", NOW)
    return db


def test_a_poster_killed_after_slack_got_the_message_does_not_cause_a_duplicate(tmp_path, slack):
    path = tmp_path / "factwatch.db"
    db = make_alerts(path)
    slack.hold_posts()  # Slack records the first post, then the poster dies before hearing back
    child = subprocess.Popen([sys.executable, "-c", DELIVER_IN_CHILD, str(path), TOKEN, slack.base_url])
    try:
        assert slack.held.wait(30), "the child never posted"
    finally:
        child.kill()
        child.wait(30)
    slack.release()
    assert len(slack.posts()) == 1
    assert [a.id for a in load_alerts(db, SENDING)] == [1]

    report = deliver_pending(db, SlackSender(build_client(TOKEN, slack.base_url, backoff=0.01)), NOW)

    assert report.reconciled == 1 and report.sent == 2
    ids = [m["metadata"]["event_payload"]["alert_id"] for m in slack.posts()]
    assert sorted(ids) == [1, 2, 3]
    assert count_by_status(db) == {"sent": 3}
    first = db["bot_alerts"].get(1)
    assert first["slack_ts"] == slack.posts()[0]["ts"]


def test_an_in_flight_alert_that_never_reached_slack_is_sent_once(tmp_path, slack):
    db = make_alerts(tmp_path / "factwatch.db", count=1)
    save_sending(db, load_alerts(db, "pending")[0], None)  # died before the request left

    report = deliver_pending(db, SlackSender(build_client(TOKEN, slack.base_url, backoff=0.01)), NOW)

    assert report.reconciled == 0 and report.sent == 1
    assert len(slack.posts()) == 1


def test_no_resend_while_history_cannot_be_read(tmp_path, slack):
    db = make_alerts(tmp_path / "factwatch.db", count=1)
    save_sending(db, load_alerts(db, "pending")[0], None)
    slack.fail_next(500, times=10, methods=("conversations.history",))

    report = deliver_pending(db, SlackSender(build_client(TOKEN, slack.base_url, backoff=0.01)), NOW)

    assert report.sent == 0 and slack.posts() == []
    assert count_by_status(db) == {"sending": 1}


def test_a_connection_dropped_after_slack_accepted_the_post_is_not_reposted(tmp_path, slack):
    db = make_alerts(tmp_path / "factwatch.db", count=2)
    slack.drop_responses(1)
    sender = SlackSender(build_client(TOKEN, slack.base_url, backoff=0.01))

    first = deliver_pending(db, sender, NOW)
    assert first.sent == 0 and count_by_status(db) == {"sending": 1, "pending": 1}

    second = deliver_pending(db, sender, NOW)
    assert second.reconciled == 1 and second.sent == 1
    ids = [m["metadata"]["event_payload"]["alert_id"] for m in slack.posts()]
    assert sorted(ids) == [1, 2]


# `factwatch run --once` with the crawl command swapped for one that reports its pid through a
# FIFO and then hangs, as a slow crawl would.
RUN_ONCE = """
import sys
import bot.crawl_job
from factwatch.cli import main
fifo, db, sources = sys.argv[1:4]
hang = [sys.executable, "-c",
        f"import os, time; f = open({fifo!r}, 'w'); f.write(str(os.getpid())); f.close(); time.sleep(300)"]
bot.crawl_job.build_crawl_command = lambda *args, **kwargs: hang
sys.argv = ["factwatch", "--db", db, "--sources", sources, "run", "--once"]
main()
"""


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def test_sigterm_stops_run_once_and_its_crawl_child(tmp_path):
    import os
    import select
    import signal

    fifo = tmp_path / "crawl.pid"
    os.mkfifo(fifo)
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - {name: local, kind: feed, url: 'http://127.0.0.1:9/rss'}\n", encoding="utf-8")
    # Our own write end keeps the FIFO open, so select waits for the crawl child's pid.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    keep_open = os.open(fifo, os.O_WRONLY)
    env = {k: v for k, v in os.environ.items() if k != "SLACK_BOT_TOKEN"}
    bot = subprocess.Popen([sys.executable, "-c", RUN_ONCE, str(fifo), str(tmp_path / "f.db"), str(sources)],
                           cwd=tmp_path, env=env)
    crawl_pid = None
    try:
        assert select.select([reader], [], [], 60)[0], "the crawl never started"
        crawl_pid = int(os.read(reader, 64))

        bot.send_signal(signal.SIGTERM)

        assert bot.wait(timeout=60) == 0
        assert not _alive(crawl_pid)
        db = open_db(tmp_path / "f.db")
        assert [row["status"] for row in db["bot_crawl_runs"].rows] == ["interrupted"]
    finally:
        bot.kill()
        bot.wait()
        if crawl_pid and _alive(crawl_pid):
            os.kill(crawl_pid, signal.SIGKILL)
        os.close(reader)
        os.close(keep_open)


def test_crawl_rows_left_running_by_a_dead_bot_are_marked_interrupted_at_start_up(tmp_path):
    import os

    from bot.jobs import BotJobs
    from bot.settings import parse_bot_settings
    from factwatch.config import Settings

    settings = Settings(tmp_path / "f.db", tmp_path / "rules", tmp_path / "sources.yaml", tmp_path / "none.yaml")
    db = open_db(settings.db_path)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid, live_pid = int(gone.stdout), os.getppid()  # the pytest runner's parent outlives this test
    for pid in (dead_pid, None, live_pid):
        db["bot_crawl_runs"].insert({"started_at": NOW.isoformat(), "status": "running", "pid": pid})

    assert BotJobs(settings, parse_bot_settings({}, {})).mark_interrupted_crawls() == 2

    assert [row["status"] for row in db["bot_crawl_runs"].rows] == ["interrupted", "interrupted", "running"]
