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
    assert "【4000여억원】" in out and "기준값: 4116억원" in out
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
