"""Values "as of" a day age visibly (issue 10): past a fact's `refresh_after`, a differing article
is not accused (판단 보류) and the maintainers are asked, once, for a fresh source."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from bot.notices import clear_operator_alert, load_open_operator_alerts, raise_operator_alert
from bot.refresh import refresh_requests, sync_refresh_notices
from checker.check import judge_claims
from checker.claims import extract_claims
from checker.rules import load_rules
from factwatch.store import open_db

RULES = load_rules(Path(__file__).parent / "linking")
SENTENCE = "해오름 수소도시 충전소의 충전 능력은 하루 45톤이다."  # the rules say 30톤 as of 2022-05-01


def verdict_on(day: date) -> str:
    (finding,) = [f for f in judge_claims(extract_claims(SENTENCE, day), RULES, day, None)
                  if f.fact and f.fact.id == "station-capacity"]
    return finding.verdict


def test_a_differing_figure_conflicts_while_the_value_is_fresh_and_waits_once_it_is_old():
    assert verdict_on(date(2023, 3, 1)) == "conflict"  # 304 days after the source
    assert verdict_on(date(2023, 6, 1)) == "unknown"  # 396 days: 판단 보류, no alert


def test_the_maintainers_are_asked_for_a_fresh_source_only_for_old_values():
    assert refresh_requests(RULES, date(2023, 3, 1)) == {}
    requests = refresh_requests(RULES, date(2023, 6, 1))
    assert list(requests) == ["refresh:station-capacity"]
    assert "30톤" in requests["refresh:station-capacity"] and "haeoreum.yaml" in requests["refresh:station-capacity"]


def test_the_request_is_one_open_notice_across_cycles_and_closes_when_a_new_version_lands(tmp_path):
    db = open_db(tmp_path / "f.db")
    now = datetime(2023, 6, 1, 3, tzinfo=timezone.utc)
    for _ in range(3):  # three check cycles
        sync_refresh_notices(db, RULES, now, raise_operator_alert, clear_operator_alert)
    assert [a.key for a in load_open_operator_alerts(db)] == ["refresh:station-capacity"]

    folder = tmp_path / "rules"
    folder.mkdir()
    text = (Path(__file__).parent / "linking" / "haeoreum.yaml").read_text(encoding="utf-8")
    text = text.replace("      - value: 30톤\n        from: 2022-05-01\n        source: 가상일보 2022-05-01\n",
                        "      - value: 30톤\n        from: 2022-05-01\n        source: 가상일보 2022-05-01\n"
                        "      - value: 45톤\n        from: 2023-05-20\n        source: 가상일보 2023-05-20\n")
    (folder / "haeoreum.yaml").write_text(text, encoding="utf-8")
    sync_refresh_notices(db, load_rules(folder), now, raise_operator_alert, clear_operator_alert)
    assert load_open_operator_alerts(db) == []


def test_the_bot_check_cycle_raises_the_request_once(tmp_path):
    from bot.jobs import BotJobs
    from bot.sender import ConsoleSender
    from bot.settings import parse_bot_settings
    from factwatch.config import Settings

    now = datetime(2023, 6, 1, 3, tzinfo=timezone.utc)
    settings = Settings(tmp_path / "f.db", Path(__file__).parent / "linking", tmp_path / "sources.yaml",
                        tmp_path / "none.yaml")
    jobs = BotJobs(settings, parse_bot_settings({}, {}), sender=ConsoleSender(), clock=lambda: now)
    jobs.check()
    jobs.check()
    keys = [a.key for a in load_open_operator_alerts(open_db(tmp_path / "f.db"))]
    assert keys.count("refresh:station-capacity") == 1
