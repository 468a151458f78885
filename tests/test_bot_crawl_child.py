"""The crawl (Scrapy included) never outlives the bot, and a restarted bot settles what a dead one left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.crawl_job import mark_stale_runs
from factwatch.store import open_db

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)

FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>느린 신문</title>
<link>{base}/</link><description>응답이 멈추는 시험용 매체</description>
<item><title>집적단지 소식</title><link>{base}/news/1.html</link><pubDate>Tue, 02 Apr 2024 09:00:00 +0900</pubDate></item>
</channel></rss>"""


class HangingSite:
    """Serves a feed whose one article never answers until `release()`: a crawl stuck mid-fetch."""

    def __init__(self):
        self.article_requested = threading.Event()
        self._release = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith("/news/"):
                    site.article_requested.set()
                    site._release.wait(120)
                    self._send(200, "<html><body>늦은 답</body></html>", "text/html; charset=utf-8")
                elif self.path.startswith("/rss.xml"):
                    self._send(200, FEED.format(base=site.base_url), "application/rss+xml; charset=utf-8")
                else:
                    self._send(404, "없음", "text/plain; charset=utf-8")

            def _send(self, status, text, kind):
                data = text.encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the crawler was killed while we held its request

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def release(self):
        self._release.set()

    def close(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    hanging = HangingSite()
    yield hanging
    hanging.close()


def processes_using(path: Path) -> list[int]:
    """Live processes whose command line names the store `path` (the crawl child and Scrapy do)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if str(path) in cmdline and stat[stat.rindex(")") + 2] != "Z":
            found.append(int(entry.name))
    return found


def eventually(predicate, seconds=30.0) -> bool:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def start_bot(tmp_path, site) -> subprocess.Popen:
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - {{name: slow, kind: feed, url: '{site.base_url}/rss.xml', outlet: 느린신문}}\n",
                       encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"SLACK_BOT_TOKEN", "FACTWATCH_DB"}}
    return subprocess.Popen(
        [sys.executable, "-c", "from factwatch.cli import main; main()", "--db", str(tmp_path / "f.db"),
         "--rules", str(REPO / "rules"), "--sources", str(sources), "run", "--once"],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=(tmp_path / "bot.log").open("wb"),
    )


def _log(tmp_path) -> str:
    return (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace")[-3000:]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to see which processes are left")
def test_sigterm_ends_scrapy_too_before_the_bot_says_it_stopped(tmp_path, site):
    bot = start_bot(tmp_path, site)
    try:
        assert site.article_requested.wait(90), _log(tmp_path)  # Scrapy is fetching
        assert len(processes_using(tmp_path / "f.db")) >= 3  # the bot, the crawl child, Scrapy

        bot.send_signal(signal.SIGTERM)
        assert bot.wait(60) == 0, _log(tmp_path)

        assert processes_using(tmp_path / "f.db") == [], _log(tmp_path)  # at once, not eventually
        db = open_db(tmp_path / "f.db")
        assert [row["status"] for row in db["bot_crawl_runs"].rows] == ["interrupted"]
    finally:
        bot.kill()
        bot.wait()
        for pid in processes_using(tmp_path / "f.db"):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to see which processes are left")
def test_kill_9_of_the_bot_ends_its_crawl_and_the_next_start_records_it_interrupted(tmp_path, site):
    bot = start_bot(tmp_path, site)
    try:
        assert site.article_requested.wait(90), _log(tmp_path)
        bot.kill()
        bot.wait()

        # No parent to stop it: the crawl child notices its bot is gone and ends Scrapy itself.
        assert eventually(lambda: processes_using(tmp_path / "f.db") == []), processes_using(tmp_path / "f.db")

        db = open_db(tmp_path / "f.db")
        assert mark_stale_runs(db, NOW, tmp_path / "f.db") == 1
        (row,) = db["bot_crawl_runs"].rows
        assert row["status"] == "interrupted" and row["child_returncode"] is None
    finally:
        for pid in processes_using(tmp_path / "f.db"):
            os.kill(pid, signal.SIGKILL)


LEFTOVER = """
import os, subprocess, sys, threading
grandchild = subprocess.Popen([sys.executable, "-c", "import threading; threading.Event().wait()", sys.argv[1]])
print(grandchild.pid, flush=True)
threading.Event().wait()
"""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to see which processes are left")
def test_a_crawl_still_running_from_a_dead_bot_is_stopped_at_start_up(tmp_path):
    from bot.crawl_child import ENV_DB, ENV_RUN

    db_path = tmp_path / "f.db"
    db = open_db(db_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    run_id = db["bot_crawl_runs"].insert({"started_at": NOW.isoformat(), "status": "running",
                                          "pid": int(dead.stdout)}).last_pk
    # What a crawl whose bot died looks like where PR_SET_PDEATHSIG is not available: its own
    # session, a grandchild, the run's marks in the environment.
    env = {**os.environ, ENV_RUN: str(run_id), ENV_DB: str(db_path.resolve())}
    leftover = subprocess.Popen([sys.executable, "-c", LEFTOVER, str(db_path)], env=env, start_new_session=True,
                                stdout=subprocess.PIPE, text=True)
    try:
        grandchild = int(leftover.stdout.readline())
        db["bot_crawl_runs"].update(run_id, {"crawl_pgid": leftover.pid})

        assert mark_stale_runs(db, NOW, db_path) == 1

        assert leftover.wait(10) is not None
        assert processes_using(db_path) == [] and grandchild not in processes_using(db_path)
        row = db["bot_crawl_runs"].get(run_id)
        assert row["status"] == "interrupted" and "멈췄습니다" in row["stderr_tail"]
    finally:
        leftover.kill()
        leftover.wait()
        for pid in processes_using(db_path):
            os.kill(pid, signal.SIGKILL)


def test_a_crawl_that_finished_after_its_bot_died_keeps_its_own_result(tmp_path):
    db = open_db(tmp_path / "f.db")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    db["bot_crawl_runs"].insert({"started_at": NOW.isoformat(), "status": "running", "pid": int(dead.stdout),
                                 "crawl_pgid": int(dead.stdout), "child_returncode": 0,
                                 "child_finished_at": "2024-05-02T09:05:00+00:00"})

    assert mark_stale_runs(db, NOW, tmp_path / "f.db") == 1

    (row,) = db["bot_crawl_runs"].rows
    assert (row["status"], row["returncode"], row["finished_at"]) == ("ok", 0, "2024-05-02T09:05:00+00:00")


def test_the_crawl_child_writes_its_own_exit_code(tmp_path):
    from bot.crawl_child import ENV_DB, ENV_RUN

    db_path = tmp_path / "f.db"
    db = open_db(db_path)
    run_id = db["bot_crawl_runs"].insert({"started_at": NOW.isoformat(), "status": "running"}).last_pk
    env = {**os.environ, ENV_RUN: str(run_id), ENV_DB: str(db_path)}
    done = subprocess.run([sys.executable, "-c", "from bot.crawl_child import main; main()", "--db", str(db_path),
                           "--sources", str(tmp_path / "none.yaml"), "crawl"], env=env, capture_output=True, text=True)

    assert done.returncode != 0  # no sources file
    assert db["bot_crawl_runs"].get(run_id)["child_returncode"] == done.returncode
