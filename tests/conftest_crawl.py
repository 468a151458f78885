"""Helpers for the crawl tests: serve the fixture news web and run a real Scrapy crawl against it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from crawler.localsite import serve_site

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


# --- Small invented sites written by a test (regressions of the crawler review) -------------

# Every file written by write_site gets this mtime, and an edit gets a later one: the local
# server answers If-Modified-Since from mtimes to the second, so a test sets them instead of sleeping.
OLD_MTIME = 1637560000  # 2021-11-22
EDITED_MTIME = OLD_MTIME + 86400


def write_site(root: Path, files: dict[str, str | bytes], mtime: int = OLD_MTIME) -> Path:
    """Write `files` ({path: text or bytes}) under `root`, each with the given mtime."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        os.utime(path, (mtime, mtime))
    return root


def edit_page(path: Path, old: str, new: str) -> None:
    """Change one page the way an editor would, with a later mtime (no sleeping for the clock)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, (EDITED_MTIME, EDITED_MTIME))


def article_page(title: str, paragraphs: list[str], head: str = "", before: str = "", after: str = "") -> str:
    """A plain UTF-8 article page: <h1>, then the paragraphs in <article>."""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f'<html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body><h1>{title}</h1>{before}<article id=\"article-body\">{body}</article>{after}</body></html>"
    )


def rss(links: list[str]) -> str:
    items = "".join(f"<item><title>기사</title><link>{{{{base_url}}}}{link}</link></item>" for link in links)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>피드</title>{items}</channel></rss>'


@contextlib.contextmanager
def site_crawler(root: Path, sources_yaml: str, db_path: Path, log: list | None = None, **settings):
    """Serve `root` on 127.0.0.1 (one port for every crawl of the block) and yield `crawl()`,
    which runs a real crawl with `sources_yaml` ({{base_url}} filled in) into `db_path`."""
    if not (root / "robots.txt").exists():
        write_site(root, {"robots.txt": "User-agent: *\nAllow: /\n"})
    with serve_site(root, requests_log=log) as base_url:
        sources = db_path.with_suffix(".sources.yaml")
        sources.write_text(sources_yaml.replace("{{base_url}}", base_url), encoding="utf-8")

        def crawl(**more) -> Crawl:
            return run_crawl(sources, db_path, settings={"FACTWATCH_TOPIC_KEYWORDS": "사업단", **settings, **more})

        crawl.base_url = base_url  # for files that must hold absolute links the server cannot fill in (gzip)
        yield crawl


def versions(db: Database) -> list[tuple[str, int, str]]:
    """(url path, version, first 20 characters of text) of every stored version, in order."""
    rows = db.query(
        "select a.url, v.version, v.text from articles a join article_versions v on v.article_id = a.id order by v.id"
    )
    return [("/" + row["url"].split("/", 3)[3], row["version"], row["text"][:20]) for row in rows]


def source_results(results: dict[str, dict]) -> list:
    """{source: {counter: n, "failed": bool, "last_error": str}} as the store's SourceRun records."""
    from factwatch.store.crawl import SourceRun

    return [
        SourceRun.counted(source, {k: v for k, v in counts.items() if k not in ("failed", "last_error")},
                          failed=bool(counts.get("failed")), last_error=counts.get("last_error"))
        for source, counts in results.items()
    ]


def skipped(skips: list[dict]) -> list:
    """[{source, url, reason, detail}] as the store's SkippedPage records."""
    from factwatch.store.crawl import SkippedPage

    return [SkippedPage(**skip) for skip in skips]
