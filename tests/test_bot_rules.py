"""A broken rule file never stops the bot: it keeps checking with the last rules that loaded."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone

from bot.jobs import BotJobs
from bot.notices import load_open_operator_alerts
from bot.sender import ConsoleSender
from bot.settings import parse_bot_settings
from checker.models import Article
from factwatch.store.articles import save_article
from conftest import ARTICLES, RULES
from factwatch.config import Settings
from factwatch.store import open_db

NOW = datetime(2023, 7, 1, 9, 0, tzinfo=timezone.utc)


def _store(db, name: str, url: str):
    record = json.loads((ARTICLES / f"{name}.json").read_text(encoding="utf-8"))
    save_article(db, Article(url=url, title=record["title"], text=record["text"],
                             published=datetime.fromisoformat(record["published"])), NOW)


def test_broken_rule_file_keeps_the_last_good_rules(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    settings = Settings(tmp_path / "f.db", rules, tmp_path / "sources.yaml", tmp_path / "none.yaml")
    db = open_db(settings.db_path)
    jobs = BotJobs(settings, parse_bot_settings({}, {}), sender=ConsoleSender(), clock=lambda: NOW)

    _store(db, "hedge_beyond", "https://a.example.kr/1")
    jobs.check()
    rule_file = rules / "gwangju_ai.yaml"
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace("unit: 명", "unit: 사람"), encoding="utf-8")
    _store(db, "staff_count_80", "https://a.example.kr/2")
    jobs.check()

    verdicts = {r["url"]: r["verdict"] for r in db.query(
        "select a.url, f.verdict from findings f join article_versions v on v.id = f.version_id "
        "join articles a on a.id = v.article_id where f.alert = 1")}
    assert verdicts == {"https://a.example.kr/1": "imprecise", "https://a.example.kr/2": "conflict"}
    (alert,) = [a for a in load_open_operator_alerts(db) if a.key == "rules_invalid"]
    assert "gwangju_ai.yaml:" in alert.message and "마지막으로 정상이던 규칙" in alert.message


def test_rules_broken_from_the_start_leave_articles_waiting(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    rule_file = rules / "gwangju_ai.yaml"
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace("unit: 명", "unit: 사람"), encoding="utf-8")
    settings = Settings(tmp_path / "f.db", rules, tmp_path / "sources.yaml", tmp_path / "none.yaml")
    db = open_db(settings.db_path)
    jobs = BotJobs(settings, parse_bot_settings({}, {}), sender=ConsoleSender(), clock=lambda: NOW)
    _store(db, "staff_count_80", "https://a.example.kr/2")
    jobs.check()
    assert db["findings"].count == 0
    shutil.copy(RULES / "gwangju_ai.yaml", rule_file)  # the maintainer fixes the file
    jobs.check()
    assert [r["verdict"] for r in db.query("select verdict from findings where alert = 1")] == ["conflict"]
