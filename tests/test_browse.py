"""`factwatch browse`: Datasette on 127.0.0.1 over a store made here, read through its JSON API."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import ARTICLES, run_cli
from factwatch.browse import METADATA, build_metadata

CANNED = ["pending_alerts", "findings_by_fact", "findings_per_fact", "articles_by_outlet", "crawl_health",
          "precision_by_fact", "precision_by_rule_file", "false_alarm_sentences"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _make_store(path: Path) -> None:
    from bot.outbox import enqueue_findings
    from factwatch.store import open_db

    for name in ("staff_count_80", "hedge_within"):
        result = run_cli("--db", str(path), "check", str(ARTICLES / f"{name}.json"))
        assert result.exit_code in (0, 1), result.output
    db = open_db(path)
    assert enqueue_findings(db, lambda topic: "#factcheck", datetime(2024, 5, 1, tzinfo=UTC))
    db["crawl_sources"].insert({"source": "mudeung", "consecutive_failures": 2, "last_error": "HTTP 503"}, alter=True)
    db.close()


def test_metadata_describes_every_table_of_the_store(tmp_path):
    from factwatch.store import open_db

    db = open_db(tmp_path / "fresh.db")
    tables = {t for t in db.table_names() if not t.startswith("_")} | set(db.view_names())  # views are browsed too
    db.close()
    described = build_metadata(tmp_path / "fresh.db")["databases"]["fresh"]["tables"]
    assert set(described) == tables
    assert all(d.get("description") for d in described.values())
    assert set(build_metadata(tmp_path / "fresh.db")["databases"]["fresh"]["queries"]) == set(CANNED)
    assert METADATA.is_file()


@pytest.fixture
def served(tmp_path):
    pytest.importorskip("datasette", reason="datasette is not installed: pip install -e '.[browse]' (CI installs it)")
    store = tmp_path / "desk.db"
    _make_store(store)
    port = _free_port()
    factwatch = Path(sys.executable).with_name("factwatch")
    command = [str(factwatch)] if factwatch.exists() else [sys.executable, "-m", "factwatch.cli"]
    child = subprocess.Popen([*command, "--db", str(store), "browse", "--port", str(port)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).read()
                break
            except OSError:
                if child.poll() is not None or time.monotonic() > deadline:
                    output = child.stdout.read().decode() if child.stdout else ""
                    pytest.fail(f"datasette did not start: {output}")
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode())


def _rows(base: str, path: str, **params) -> list[dict]:
    query = urllib.parse.urlencode({**params, "_shape": "objects"})
    return _get(f"{base}/desk/{path}.json?{query}")["rows"]


def test_browse_serves_the_store_with_descriptions_and_canned_queries(served):
    base = served
    metadata = _get(f"{base}/-/metadata.json")
    assert metadata["databases"]["desk"]["tables"]["findings"]["columns"]["verdict"].startswith("판정")
    database = _get(f"{base}/desk.json")
    assert {"articles", "findings", "bot_alerts", "crawl_sources"} <= {t["name"] for t in database["tables"]}
    assert set(CANNED) <= {q["name"] for q in database["queries"]}

    pending = _rows(base, "pending_alerts")
    assert [(r["fact_id"], r["claimed"], r["status"]) for r in pending] == [("staff-count", "80명", "pending")]
    assert pending[0]["fact"] == "인공지능산업융합사업단 구성원 수"

    by_fact = _rows(base, "findings_by_fact", fact="staff-count")
    assert [(r["verdict"], r["alert"], r["claimed"], r["canonical"]) for r in by_fact] == [("conflict", 1, "80명", "48명")]

    outlets = _rows(base, "articles_by_outlet")
    assert sum(r["articles"] for r in outlets) == 2
    assert sum(r["alerting_findings"] for r in outlets) == 1

    health = _rows(base, "crawl_health")
    assert [(r["source"], r["consecutive_failures"], r["last_error"]) for r in health] == [("mudeung", 2, "HTTP 503")]

    # The answers' queries run in Datasette (nothing posted to Slack yet: no rows).
    for name in ("precision_by_fact", "precision_by_rule_file", "false_alarm_sentences"):
        assert _rows(base, name) == []


def test_browse_refuses_a_missing_store(tmp_path):
    result = run_cli("--db", str(tmp_path / "nope.db"), "browse")
    assert result.exit_code != 0 and "저장소가 없습니다" in result.output
