"""`factwatch demo` end to end: the bundled site is served, crawled and checked; the planted errors print, traps don't."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_demo_prints_the_two_planted_errors_and_leaves_the_store(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTWATCH_", "SLACK_"))}
    result = subprocess.run(
        [sys.executable, "-c", "from factwatch.cli import main; main()", "--rules", str(REPO / "rules"), "demo"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "【4000여억원】" in out and "기준값: 4119억원" in out
    assert "【80명】" in out and "기준값: 48명 (2022-04-13 기준)" in out
    assert "gwangju_ai.yaml:" in out  # the rule file:line to edit
    for trap in ("【80여개】", "【48개】", "【1100억원", "【300여 명】"):
        assert trap not in out
    assert "알림 2건" in out
    assert (tmp_path / "factwatch-demo.db").exists()

    status = subprocess.run(
        [sys.executable, "-c", "from factwatch.cli import main; main()", "--db", "factwatch-demo.db", "status"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert status.returncode == 0, status.stderr
    assert "mudeung_list" in status.stdout and "알림: 보냄 2" in status.stdout


def test_the_demo_shows_progress_on_a_terminal_and_not_when_piped(tmp_path):
    from conftest import run_with_terminal_stderr

    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTWATCH_", "SLACK_"))}
    command = [sys.executable, "-c", "from factwatch.cli import main; main()", "--rules", str(REPO / "rules"), "demo"]

    piped = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0, piped.stderr[-3000:]
    assert "저장한 기사" not in piped.stderr + piped.stdout and "\r" not in piped.stderr + piped.stdout

    status, text, out = run_with_terminal_stderr(command, tmp_path, env=env)
    assert status == 0
    assert "수집 중 · 저장한 기사" in text or "수집 준비 중 · 저장한 기사" in text, text
    assert "끝 · 저장한 기사 4건" in text, text
    assert "【80명】" in out and "\r" not in out  # the alerts themselves are untouched
