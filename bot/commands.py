"""`factwatch run`, `demo`, `status`: the bot's commands (messages here, work in the bot modules)."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
from dataclasses import replace
from datetime import UTC, datetime

import click

from bot.settings import ENV_TOKEN, parse_bot_settings
from factwatch.config import ConfigError, Settings
from factwatch.options import with_settings


def _setup_logging(tz: str) -> None:
    from bot.logs import ZonedFormatter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ZonedFormatter(tz))  # the schedule's zone, written out (KST)
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    # APScheduler logs every job start/end at INFO: keep the operator's log readable.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _bot_settings(settings: Settings):
    try:
        return parse_bot_settings(settings.config, dict(os.environ), settings.config_path)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


@click.command()
@click.option("--once", is_flag=True, help="Run one crawl → check → deliver cycle and exit (for cron or a test).")
@with_settings
def run(settings: Settings, once: bool) -> None:
    """Run the bot: crawl, check and alert on schedule until stopped (SIGTERM/Ctrl-C).

    Schedules, channels and the digest time come from factwatch.yaml (see
    factwatch.example.yaml); the Slack token from SLACK_BOT_TOKEN. Without a token the
    alerts are printed to the console.

    \b
    Example:
        SLACK_BOT_TOKEN=xoxb-… factwatch --config factwatch.yaml run
    """
    from bot.jobs import BotJobs
    from bot.scheduler import run_forever, run_once

    bot = _bot_settings(settings)
    _setup_logging(bot.timezone)
    if not settings.sources_path.exists():
        raise click.ClickException(f"{settings.sources_path}: 소스 파일이 없습니다 (예시: sources.example.yaml)")
    log = logging.getLogger("factwatch")
    announce_store(settings, log)
    if bot.console:
        log.warning("%s가 없어 알림을 콘솔에 출력합니다", ENV_TOKEN)
    else:
        log.info("Slack 채널 %s(기본)로 알림을 보냅니다", bot.channel)
    jobs = BotJobs(settings, bot)
    check_slack_at_start(jobs, log)
    jobs.mark_interrupted_crawls()  # logs what it found: a crawl left running is stopped first
    if once:
        run_once(jobs)
        return
    run_forever(jobs, bot, datetime.now(UTC))


def announce_store(settings: Settings, log) -> None:
    """Say which store file the bot uses, as an absolute path, before anything creates it.

    A relative --db or FACTWATCH_DB resolves against the working directory: started from
    another folder, the bot would silently begin on an empty store.
    """
    path = settings.db_path.resolve()
    if path.exists():
        log.info("저장소: %s", path)
    else:
        log.warning("저장소 파일이 없어 새로 만듭니다: %s (기존 저장소를 쓰려면 --db 또는 FACTWATCH_DB를 확인하세요; "
                    "채널에 이미 올라간 알림은 다시 보내지 않습니다)", path)


def check_slack_at_start(jobs, log) -> bool:
    """Say at once whether Slack accepts the token; a refusal is recorded as an operator problem
    (shown by `factwatch status`) and the bot runs on, keeping alerts pending until it is fixed."""
    from bot.notices import clear_operator_alert, raise_operator_alert
    from bot.sender import DeliveryError
    from factwatch.store import open_db

    check = getattr(jobs.sender, "check_token", None)
    if check is None:
        return True  # the console
    try:
        team = check()
    except DeliveryError as error:
        log.error("Slack 연결 확인 실패: %s (알림은 보내지 않고 쌓아 둡니다)", error)
        db = open_db(jobs.settings.db_path)
        try:
            raise_operator_alert(db, "slack_start", f"시작할 때 Slack 연결을 확인하지 못했습니다: {error}", jobs.clock())
        finally:
            db.close()
        return False
    log.info("Slack 연결 확인: %s", team or "워크스페이스")
    db = open_db(jobs.settings.db_path)
    try:
        clear_operator_alert(db, "slack_start", jobs.clock())  # fixed since the last start
    finally:
        db.close()
    return True


@click.command()
@with_settings(db_help="SQLite store path [env FACTWATCH_DB; default factwatch-demo.db, recreated each run]")
def demo(settings: Settings) -> None:
    """Serve the bundled demo news site on 127.0.0.1, crawl and check it once, print the alerts.

    Needs no account and no internet. The store is left in factwatch-demo.db (or --db)
    to inspect; it is recreated on each demo run.

    \b
    Example:
        factwatch demo && factwatch --db factwatch-demo.db status
    """
    from bot.demo import DEMO_DB, run_demo
    from bot.progress import Progress
    from bot.sender import ConsoleSender

    ctx = click.get_current_context()
    chosen = any(
        c.get_parameter_source("db") not in (None, click.core.ParameterSource.DEFAULT) for c in (ctx, ctx.parent) if c
    ) or os.environ.get("FACTWATCH_DB")
    if not chosen:
        settings = replace(settings, db_path=DEMO_DB)
        for suffix in ("", "-wal", "-shm"):
            DEMO_DB.with_name(DEMO_DB.name + suffix).unlink(missing_ok=True)
    click.echo("factwatch 데모: 127.0.0.1에 데모 뉴스 사이트(지어낸 기사 4건)를 띄우고 수집 → 검사 → 알림을 한 번 돌립니다.")
    bot = _bot_settings(settings)
    alerts = io.StringIO()  # printed after the cycle, so they never cut into the progress line
    # Progress only on a terminal: piped or redirected output stays as it was.
    shown = Progress(settings.db_path, sys.stderr) if sys.stderr.isatty() else contextlib.nullcontext()
    with shown:
        result = run_demo(settings, bot, ConsoleSender(stream=alerts))
    click.echo(alerts.getvalue(), nl=False)
    click.echo(
        f"\n수집한 기사 {result['articles']}건 · 알림 {result['alerts']}건 (위 메시지는 Slack에 이렇게 올라갑니다)."
        f"\n저장소: {settings.db_path}  →  factwatch --db {settings.db_path} status"
        f"\n         sqlite3 {settings.db_path} 'select kind, claimed, status from bot_alerts'"
    )
    if result["crawl_status"] != "ok":
        raise click.ClickException(f"수집이 실패했습니다({result['crawl_status']}):\n{result['crawl_error']}")
    if result["job_errors"]:
        raise click.ClickException("작업 오류: " + "; ".join(result["job_errors"]))


@click.command()
@click.option("--retry-failed", is_flag=True,
              help="Queue the alerts Slack refused (status failed) again; the next delivery sends them.")
@with_settings
def status(settings: Settings, retry_failed: bool) -> None:
    """Show the last crawl of each source, pending and sent alerts, and open problems.

    With --retry-failed, first put the failed alerts back in the queue (after fixing what
    Slack refused them for); the running bot sends them on its next delivery.

    \b
    Example:
        factwatch --db factwatch.db status
        factwatch --db factwatch.db status --retry-failed
    """
    from bot.health import build_status_text, load_status
    from bot.outbox import requeue_failed
    from bot.precision import precision_status_text
    from factwatch.store import open_db
    from factwatch.store.answers import load_outcomes

    if not settings.db_path.exists():
        raise click.ClickException(f"{settings.db_path}: 저장소가 없습니다 (factwatch run 또는 factwatch demo를 먼저 실행하세요)")
    db = open_db(settings.db_path)
    try:
        if retry_failed:
            count = requeue_failed(db)
            click.echo(f"실패한 알림 {count}건을 다시 보내도록 대기열에 넣었습니다 (채널은 보낼 때 현재 설정으로 정합니다).\n")
        click.echo(build_status_text(load_status(db, _current_sources(settings), _current_route(settings))))
        click.echo(precision_status_text(load_outcomes(db)))  # answers hook (issue 11)
    finally:
        db.close()


def _current_route(settings: Settings):
    """The current factwatch.yaml's routing, or None when it cannot be read (status still shows the rest)."""
    try:
        return parse_bot_settings(settings.config, dict(os.environ), settings.config_path).route
    except ConfigError:
        return None


def _current_sources(settings: Settings) -> set[str] | None:
    """Names in the sources file, or None when it cannot be read (then every source is shown)."""
    from bot.health import load_source_names

    return load_source_names(settings.sources_path)


from bot.answer_commands import COMMANDS as ANSWER_COMMANDS  # noqa: E402 — answers hook (issue 11)

COMMANDS = [run, demo, status, *ANSWER_COMMANDS]
