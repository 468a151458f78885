"""Crawler benchmark: extraction ms/page on one core, and crawl pages/s against a local fixture site.

    .venv/bin/python bench/bench_crawl.py [--pages 300] [--rounds 30]

Traffic goes only to 127.0.0.1. The crawl runs unthrottled (no delays, no AutoThrottle) to
measure the crawler itself; a polite production crawl is limited by DOWNLOAD_DELAY and
AutoThrottle, far below these figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from conftest_crawl import FAST, SITE, stored  # noqa: E402
from crawler.extract import extract_article  # noqa: E402
from crawler.localsite import serve_site  # noqa: E402
from sqlite_utils import Database  # noqa: E402

PAGES = [
    ("bitgoeul/news/1001.html", None, {}),
    ("bitgoeul/news/1005.html", None, {}),
    ("naver/article/555/0000111.html", None, {}),
    ("daum/v/20211123113000222.html", None, {}),
    ("namdo/2001.html", "text/html", {"body": "td.news_body", "title": "td.news_title", "published": "td.news_date"}),
]


def bench_extraction(rounds: int) -> dict:
    """Milliseconds per page for extract_article on the fixture pages, pinned to one core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    pages = [((SITE / path).read_bytes(), f"http://127.0.0.1/{path}", ctype, sel) for path, ctype, sel in PAGES]
    for body, url, ctype, sel in pages:  # warm-up: imports, lxml, trafilatura caches
        extract_article(body, url, ctype, sel)
    times = []
    for _ in range(rounds):
        for body, url, ctype, sel in pages:
            start = time.perf_counter()
            extract_article(body, url, ctype, sel)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"pages": len(times), "mean_ms": statistics.mean(times), "p95_ms": times[int(len(times) * 0.95)]}


def build_site(root: Path, count: int) -> None:
    """A feed of `count` distinct on-topic articles made from one fixture page."""
    template = (SITE / "bitgoeul/news/1001.html").read_text(encoding="utf-8")
    (root / "news").mkdir(parents=True)
    items = []
    for n in range(count):
        page = template.replace("bitgoeul/news/1001.html", f"news/{n}.html").replace("48명", f"{n}명")
        (root / "news" / f"{n}.html").write_text(page, encoding="utf-8")
        items.append(f"<item><title>기사 {n}</title><link>{{{{base_url}}}}/news/{n}.html</link></item>")
    (root / "rss.xml").write_text(f"<rss version='2.0'><channel>{''.join(items)}</channel></rss>", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")


def bench_crawl(count: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        build_site(folder / "site", count)
        with serve_site(folder / "site") as base_url:
            sources = folder / "sources.yaml"
            sources.write_text(f"sources:\n  - {{name: bench, kind: feed, url: '{base_url}/rss.xml'}}\n", encoding="utf-8")
            command = [sys.executable, "-m", "scrapy", "crawl", "feed", "-s", f"FACTWATCH_DB={folder / 'b.db'}",
                       "-s", f"FACTWATCH_SOURCES={sources}", "-s", f"FACTWATCH_RULES={REPO / 'rules'}",
                       "-s", "CONCURRENT_REQUESTS=16", "-s", "LOG_LEVEL=WARNING"]
            for name, value in FAST.items():
                if name != "LOG_LEVEL":
                    command += ["-s", f"{name}={value}"]
            start = time.perf_counter()
            result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
            wall = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(result.stderr[-3000:])
        db = Database(folder / "b.db")
        run = next(db.query("select * from crawl_runs"))
        seconds = (datetime.fromisoformat(run["finished"]) - datetime.fromisoformat(run["started"])).total_seconds()
        return {"pages": run["pages"], "stored": len(stored(db)), "crawl_s": seconds, "wall_s": wall,
                "pages_per_s": run["pages"] / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="articles on the synthetic site")
    parser.add_argument("--rounds", type=int, default=30, help="extraction rounds over the fixture pages")
    args = parser.parse_args()
    crawl = bench_crawl(args.pages)
    print(f"crawl:      {crawl['pages']} pages ({crawl['stored']} stored) in {crawl['crawl_s']:.2f} s "
          f"= {crawl['pages_per_s']:.0f} pages/s (process wall time incl. start-up {crawl['wall_s']:.2f} s)")
    extraction = bench_extraction(args.rounds)
    print(f"extraction: {extraction['pages']} pages, mean {extraction['mean_ms']:.1f} ms/page, "
          f"p95 {extraction['p95_ms']:.1f} ms/page (one core)")


if __name__ == "__main__":
    main()
