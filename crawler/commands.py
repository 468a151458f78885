"""`factwatch crawl`: runs the Scrapy crawl in a child process and records the run."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

import click

from crawler.run_health import finish_run
from crawler.sources import SourcesError, load_sources
from crawler.summary import PROGRESS_LOGGER, failure_reason, format_summary
from factwatch.options import with_settings
from factwatch.store import open_db
from factwatch.store.crawl import run_report, start_run

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TIME_LIMIT = 3600  # seconds; a hung crawl must not block the next scheduled one
LOG_TAIL_LINES = 200  # of the child's log, kept to say why it failed
_PROGRESS_MARK = f"[{PROGRESS_LOGGER}] INFO: "


def build_crawl_command(settings, run_id: int, spider: str = "news", source: str | None = None,
                        extra: dict | None = None) -> list[str]:
    """The child command line: `python -m scrapy crawl SPIDER -s …` with the paths passed as settings."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider,
               "-s", f"FACTWATCH_DB={Path(settings.db_path).resolve()}",
               "-s", f"FACTWATCH_RULES={Path(settings.rules_dir).resolve()}",
               "-s", f"FACTWATCH_SOURCES={Path(settings.sources_path).resolve()}",
               "-s", f"FACTWATCH_RUN_ID={run_id}"]
    for name, value in (extra or {}).items():
        command += ["-s", f"{name}={value}"]
    if source:
        command += ["-a", f"source={source}"]
    return command


@click.command()
@click.option("--source", "source", help="Only these sources (comma-separated names from the sources file).")
@click.option("--spider", default="news", show_default=True,
              type=click.Choice(["news", "feed", "sitemap", "listing", "naver_api"]), help="Which spider to run.")
@click.option("--time-limit", type=int, default=DEFAULT_TIME_LIMIT, show_default=True,
              help="Seconds before the crawl is stopped and the run marked failed.")
@click.option("--refetch", is_flag=True, help="Ignore saved ETag/Last-Modified: fetch every article again.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Extra Scrapy setting.")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's own log (on stderr) instead of one line per source.")
@with_settings
def crawl(settings, source, spider, time_limit, refetch, overrides, verbose):
    """Crawl the news sources and store new or edited articles about watched programs.

    Runs Scrapy in a child process (one crawl per process), records the run for the
    bot's health report, prints one progress line per source and a summary table
    (stored, updated, skipped by reason, errors), and exits non-zero when no source
    succeeded.

    \b
    Example:
        factwatch crawl --sources sources.yaml --db factwatch.db
    """
    try:
        known = [entry.name for entry in load_sources(settings.sources_path)]
    except SourcesError as error:
        raise click.ClickException(str(error)) from None
    if source:
        unknown = [name.strip() for name in source.split(",") if name.strip() not in known]
        if unknown:
            # A typo would otherwise crawl nothing and record an empty "ok" run.
            raise click.BadParameter(
                f"{', '.join(unknown)}: {settings.sources_path} 에 없는 소스입니다 (가능: {', '.join(known)})",
                param_hint="--source",
            )
    extra = {f"FACTWATCH_{key.upper()}": value for key, value in (settings.config.get("crawl") or {}).items()}
    if refetch:
        extra["FACTWATCH_REVALIDATE"] = "True"
    for item in overrides:
        name, _, value = item.partition("=")
        extra[name] = value
    db = open_db(settings.db_path)
    run_id = start_run(db, datetime.now(UTC), spider=spider)
    command = build_crawl_command(settings, run_id, spider, source, extra)
    returncode, log_tail = run_child(command, time_limit, verbose)
    failure: str | None = None
    if returncode is None:
        failure = f"크롤이 {time_limit}초 안에 끝나지 않아 중단했습니다"
    elif returncode != 0:
        # The last line the bot's crawl_failing notice quotes: say why, not just the code.
        reason = failure_reason(log_tail)
        failure = f"크롤 프로세스가 코드 {returncode}로 끝났습니다" + (f": {reason}" if reason else "")
    finish_run(db, run_id, datetime.now(UTC), error=failure)
    report = run_report(db, run_id)
    click.echo(format_summary(report))
    if failure:
        raise click.ClickException(failure)
    succeeded = [row.source for row in report.sources if not row.failed]
    if not succeeded:
        failed = "; ".join(f"{row.source}: {row.last_error or '원인 미상'}" for row in report.sources)
        raise click.ClickException(f"성공한 소스가 없습니다 — {failed}" if failed else "수집한 소스가 없습니다")


def run_child(command: list[str], time_limit: float, verbose: bool) -> tuple[int | None, list[str]]:
    """Run the crawl child; (exit code or None on timeout, the last lines of its log).

    Its log (stderr) is read as it comes: passed through with --verbose, else only the
    progress lines of crawler.spiders.base.PROGRESS_LOGGER are shown, one per source.
    """
    child = subprocess.Popen(command, cwd=REPO_ROOT, env=os.environ.copy(), stderr=subprocess.PIPE,
                             text=True, encoding="utf-8", errors="replace")
    tail: deque[str] = deque(maxlen=LOG_TAIL_LINES)

    def pump() -> None:
        assert child.stderr is not None  # started with stderr=PIPE
        for line in child.stderr:
            tail.append(line)
            if verbose:
                sys.stderr.write(line)
                sys.stderr.flush()
            elif _PROGRESS_MARK in line:
                click.echo("  " + line.split(_PROGRESS_MARK, 1)[1].strip())

    reader = threading.Thread(target=pump, name="crawl-log", daemon=True)
    reader.start()
    try:
        returncode = child.wait(timeout=time_limit)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        returncode = None
    reader.join(timeout=10)
    return returncode, list(tail)


COMMANDS = [crawl]
