"""Scaling out for real: two crawl processes share one Redis (scrapy-redis) and one SQLite store.

Starts its own `redis-server` on a free 127.0.0.1 port (CI installs the Debian package, see
.ci/run); without it the two-worker test is skipped.
"""

from __future__ import annotations

import os
import selectors
import shutil
import socket
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from scrapy.settings import Settings

from conftest_crawl import ON_TOPIC, SITE, run_crawl, stored, write_sources
from crawler.localsite import serve_site
from crawler.scale_out import ScaleOut
from factwatch.store import open_db



def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(request):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server not installed (Debian package `redis-server`; .ci/run installs it)")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def stop():
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()

    request.addfinalizer(stop)
    # Ready when it says so on stdout (bounded wait on the pipe; no fixed sleep).
    output = b""
    deadline = time.monotonic() + 15
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while b"Ready to accept connections" not in output:
            left = deadline - time.monotonic()
            assert left > 0, f"redis-server did not start:\n{output.decode(errors='replace')}"
            if selector.select(timeout=left):
                chunk = os.read(process.stdout.fileno(), 65536)  # raw: no buffered lines hidden from select
                assert chunk, f"redis-server exited:\n{output.decode(errors='replace')}"
                output += chunk
    return f"redis://127.0.0.1:{port}/0"


def test_two_workers_share_queue_and_dupefilter(redis_url, tmp_path):
    import redis

    log: list = []
    db_path = tmp_path / "store.db"
    open_db(db_path)  # the store exists before the workers start, as with `factwatch crawl`
    shared = {"FACTWATCH_REDIS_URL": redis_url, "FACTWATCH_REDIS_CRAWL": "test-crawl-1"}
    with serve_site(SITE, requests_log=log) as base_url:
        sources = write_sources(base_url, tmp_path)
        with ThreadPoolExecutor(2) as pool:
            workers = list(pool.map(lambda _: run_crawl(sources, db_path, settings=shared), range(2)))

    # Both processes ran to the end, each with its own finished run record.
    for worker in workers:
        assert worker.returncode == 0, worker.log[-3000:]
        assert "scale-out: " in worker.log
    logs = [worker.log for worker in workers]
    assert sum("scale-out: seeding crawl 'test-crawl-1'" in text for text in logs) == 1
    assert sum("scale-out: joining crawl 'test-crawl-1'" in text for text in logs) == 1
    db = open_db(db_path)  # in this thread (the workers' handles belong to their threads)
    runs = list(db["crawl_runs"].rows)
    assert len(runs) == 2 and all(run["finished"] and run["status"] != "running" for run in runs)

    # Every on-topic article stored once, with one version.
    assert sorted(stored(db)) == ON_TOPIC
    assert db.execute("select count(*) from articles").fetchone()[0] == len(ON_TOPIC)
    assert db.execute("select count(*) from article_versions").fetchone()[0] == len(ON_TOPIC)
    assert sum(run["new"] + run["copies"] for run in runs) == len(ON_TOPIC)

    # No URL fetched twice across the two processes. Exceptions, by design: robots.txt is read
    # by each worker, and 1004.html answers 500 once and is retried (as in a one-process crawl).
    fetched = Counter(path for _, path, _ in log)
    assert 1 <= fetched.pop("/robots.txt") <= 2
    assert fetched.pop("/bitgoeul/news/1004.html") == 2
    assert {path: n for path, n in fetched.items() if n != 1} == {}
    for entry in ("/bitgoeul/rss.xml", "/namdo/sitemap-news.xml", "/daum/news/list1.html", "/broken/rss.xml"):
        assert entry in fetched  # seeded once, by one worker
    assert sum(path.startswith("/v1/search/news.json") for path in fetched) == 1
    # Not asserted here: that /namdo/private/ is never fetched. Scrapy 2.19's RobotsTxtMiddleware
    # lets through all but the first of several requests that wait for one robots.txt download
    # (they get None instead of the parser), and a joining worker starts with exactly such a burst.

    # The workers left their keys to expire, not to be flushed under another worker's feet.
    client = redis.Redis.from_url(redis_url)
    keys = {key.decode(): client.ttl(key) for key in client.scan_iter("factwatch:test-crawl-1:*")}
    assert "factwatch:test-crawl-1:news:dupefilter" in keys and "factwatch:test-crawl-1:news:seeded" in keys
    assert all(0 < ttl <= 24 * 3600 for ttl in keys.values()), keys


def test_default_settings_keep_scrapys_own_scheduler(monkeypatch):
    monkeypatch.delenv("FACTWATCH_REDIS_URL", raising=False)
    settings = Settings({"FACTWATCH_REDIS_URL": ""})
    ScaleOut().update_settings(settings)
    assert settings.get("SCHEDULER") == "scrapy.core.scheduler.Scheduler"
    assert settings.get("DUPEFILTER_CLASS") == "scrapy.dupefilters.RFPDupeFilter"


def test_redis_url_switches_scheduler_and_requires_a_crawl_name(monkeypatch):
    monkeypatch.delenv("FACTWATCH_REDIS_CRAWL", raising=False)
    with pytest.raises(ValueError, match="FACTWATCH_REDIS_CRAWL"):
        ScaleOut().update_settings(Settings({"FACTWATCH_REDIS_URL": "redis://127.0.0.1:6379/0"}))
    settings = Settings({"FACTWATCH_REDIS_URL": "redis://127.0.0.1:6379/0", "FACTWATCH_REDIS_CRAWL": "2024-05-01T09"})
    ScaleOut().update_settings(settings)
    assert settings.get("SCHEDULER") == "crawler.scale_out.SharedScheduler"
    assert settings.get("DUPEFILTER_CLASS") == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings.get("REDIS_URL") == "redis://127.0.0.1:6379/0"
    assert settings.get("SCHEDULER_QUEUE_KEY") == "factwatch:2024-05-01T09:%(spider)s:requests"
    assert settings.get("SCHEDULER_DUPEFILTER_KEY") == "factwatch:2024-05-01T09:%(spider)s:dupefilter"
    assert settings.getbool("SCHEDULER_PERSIST") is True
