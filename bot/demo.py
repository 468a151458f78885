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
from factwatch.store import bot_runs, counts, open_db
from factwatch.store.articles import count_articles

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
        crawl = next(iter(bot_runs.latest_crawl_runs(db, 1)), None)
        return {
            "base_url": base_url,
            "crawl_status": crawl.status if crawl else "none",
            "crawl_error": (crawl.stderr_tail or "").strip()[-1500:] if crawl else "",
            "articles": count_articles(db),
            "alerts": counts.alerts(db),
            "job_errors": bot_runs.job_errors(db),
        }
    finally:
        db.close()
