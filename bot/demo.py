"""`factwatch demo`: serve the bundled demo news site on 127.0.0.1, run one cycle, print the alerts."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from bot.jobs import BotJobs
from bot.sender import ConsoleSender
from bot.settings import BotSettings
from crawler.localsite import serve_site
from factwatch.config import Settings
from factwatch.store import open_db

DEMO_ROOT = Path(__file__).parent / "demo_site"
DEMO_DB = Path("factwatch-demo.db")
REPO_RULES = Path(__file__).resolve().parent.parent / "rules"


def write_demo_sources(base_url: str, folder: Path) -> Path:
    """The bundled sources file with the live server address filled in."""
    text = (DEMO_ROOT / "sources.yaml").read_text(encoding="utf-8").replace("{{base_url}}", base_url)
    path = folder / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run_demo(settings: Settings, bot: BotSettings, sender: ConsoleSender, time_limit: int = 300) -> dict:
    """One crawl → check → console cycle against the demo site; returns counts for the summary."""
    rules = settings.rules_dir if settings.rules_dir.exists() else REPO_RULES
    with tempfile.TemporaryDirectory(prefix="factwatch-demo-") as folder, serve_site(DEMO_ROOT / "site") as base_url:
        demo_settings = replace(settings, rules_dir=rules, sources_path=write_demo_sources(base_url, Path(folder)))
        jobs = BotJobs(demo_settings, replace(bot, token=None, crawl_time_limit_seconds=time_limit), sender)
        jobs.run_once()
    db = open_db(settings.db_path)
    try:
        crawl = db.execute("select status, stderr_tail from bot_crawl_runs order by id desc limit 1").fetchone()
        return {
            "base_url": base_url,
            "crawl_status": crawl[0] if crawl else "none",
            "crawl_error": (crawl[1] or "").strip()[-1500:] if crawl else "",
            "articles": db.execute("select count(*) from articles").fetchone()[0],
            "alerts": db.execute("select count(*) from bot_alerts").fetchone()[0],
            "job_errors": [row[0] for row in db.execute("select last_error from bot_job_runs where last_error is not null")],
        }
    finally:
        db.close()
