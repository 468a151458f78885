"""`factwatch crawl`: runs the Scrapy crawl in a child process and records the run."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from crawler import records
from crawler.sources import SourcesError, load_sources
from factwatch.db import open_db
from factwatch.options import with_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TIME_LIMIT = 3600  # seconds; a hung crawl must not block the next scheduled one


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
@with_settings
def crawl(settings, source, spider, time_limit, refetch, overrides):
    """Crawl the news sources and store new or edited articles about watched programs.

    Runs Scrapy in a child process (one crawl per process), records the run for the
    bot's health report, and prints a one-line summary.

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
    run_id = records.start_run(db, datetime.now(timezone.utc), spider=spider)
    command = build_crawl_command(settings, run_id, spider, source, extra)
    error = None
    try:
        result = subprocess.run(command, cwd=REPO_ROOT, env=os.environ.copy(), timeout=time_limit)
        if result.returncode != 0:
            error = f"크롤 프로세스가 코드 {result.returncode}로 끝났습니다"
    except subprocess.TimeoutExpired:
        error = f"크롤이 {time_limit}초 안에 끝나지 않아 중단했습니다"
    run = records.finish_run(db, run_id, datetime.now(timezone.utc), error=error)
    click.echo(
        f"crawl #{run_id} {run['status']}: {run['pages']} pages, {run['new']} new, {run['updated']} updated, "
        f"{run['unchanged']} unchanged, {run['copies']} copies, {run['duplicates']} duplicates, "
        f"{run['skipped']} skipped, {run['errors']} errors"
    )
    if error:
        raise click.ClickException(error)


COMMANDS = [crawl]
