"""The alert-latency benchmark's generated articles each raise exactly one alert (else it cannot pass)."""

from __future__ import annotations

import importlib.util
import random
import re
from datetime import datetime, timezone
from pathlib import Path

from checker.check import judge_claims
from checker.claims import extract_claims
from checker.rules import load_rules

REPO = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("bench_alert_latency", REPO / "bench" / "bench_alert_latency.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_generated_article_raises_exactly_one_alert():
    bench = _bench()
    rules = load_rules(REPO / "rules")
    base = datetime(2024, 3, 20, 9, 0, tzinfo=timezone.utc)
    rng = random.Random(7)
    silent = []
    for n in range(0, 1000, 9):  # #0 is the one that used to pass as correct
        title, html = bench.build_article(n, base, rng)
        text = "\n".join(re.findall(r"<p>(.*?)</p>", html))
        published = base.date()
        findings = judge_claims(extract_claims(text, published), rules, published, rules.topics_of(title, text))
        if sum(1 for f in findings if f.alert) != 1:
            silent.append(n)
    assert silent == []
