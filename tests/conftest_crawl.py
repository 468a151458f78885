"""Helpers for the crawl tests: serve the fixture news web and run a real Scrapy crawl against it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

REPO = Path(__file__).resolve().parent.parent
NEWSWEB = REPO / "tests" / "newsweb"
SITE = NEWSWEB / "site"

# Zero delays and no AutoThrottle: tests wait for nothing but the local server.
FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "RETRY_BACKOFF_BASE": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "REMOTE_CONTROL_ENABLED": "False",
    "LOG_LEVEL": "INFO",
}
# The fixture web's articles about the watched program: what a full crawl must store, once each.
ON_TOPIC = [
    "bitgoeul/news/1001.html",
    "bitgoeul/news/1004.html",
    "bitgoeul/news/1005.html",
    "daum/v/20211123100000111.html",
    "daum/v/20211123113000222.html",
    "daum/v/20211125090000333.html",
    "namdo/2001.html",
    "namdo/2002.html",
    "naver/article/555/0000111.html",
]
NAVER_ENV = {"NAVER_CLIENT_ID": "test-id", "NAVER_CLIENT_SECRET": "test-secret"}


@dataclass
class Crawl:
    returncode: int
    log: str
    db: Database


def write_sources(base_url: str, folder: Path, template: Path = NEWSWEB / "sources.yaml") -> Path:
    path = folder / "sources.yaml"
    path.write_text(template.read_text(encoding="utf-8").replace("{{base_url}}", base_url), encoding="utf-8")
    return path


def run_crawl(sources: Path, db_path: Path, spider: str = "news", settings: dict | None = None) -> Crawl:
    """`python -m scrapy crawl SPIDER` in a child process, as `factwatch crawl` does."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for name, value in {
        **FAST,
        "FACTWATCH_DB": str(db_path),
        "FACTWATCH_SOURCES": str(sources),
        "FACTWATCH_RULES": str(REPO / "rules"),
        **(settings or {}),
    }.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, **NAVER_ENV}
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    return Crawl(result.returncode, result.stderr, Database(db_path))


def stored(db: Database) -> dict[str, dict]:
    """{url path: latest version joined with its article}."""
    rows = db.query(
        "select a.url, a.outlet, a.author, a.source, a.story_id, v.version, v.title, v.text, v.published, "
        "v.updated, v.copy_of from articles a join article_versions v on v.article_id = a.id order by v.id"
    )
    return {row["url"].split("/", 3)[3]: row for row in rows}
