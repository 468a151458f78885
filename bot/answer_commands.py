"""`factwatch answers read|serve` and `factwatch export claimreview`: the answers' commands."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path

import click

from bot.settings import parse_bot_settings
from factwatch.config import ConfigError, Settings
from factwatch.options import settings_group, with_settings


def _bot_settings(settings: Settings):
    try:
        return parse_bot_settings(settings.config, dict(os.environ), settings.config_path)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


def _existing_store(settings: Settings):
    from factwatch.store import open_db

    if not settings.db_path.exists():
        raise click.ClickException(f"{settings.db_path}: 저장소가 없습니다 (factwatch run 또는 factwatch demo를 먼저 실행하세요)")
    return open_db(settings.db_path)


@click.group()
@settings_group
def answers():
    """Fact-checkers' answers to alerts (맞음 / 오탐 / 무시): read them now, or serve the buttons' endpoint.

    \b
    Example:
        SLACK_BOT_TOKEN=xoxb-… factwatch answers read
        SLACK_SIGNING_SECRET=… factwatch answers serve --port 3000
    """


@answers.command("read")
@with_settings
def answers_read(settings: Settings) -> None:
    """Read the answers now (the running bot does this on `answers.read`, every 5 minutes).

    \b
    Example:
        SLACK_BOT_TOKEN=xoxb-… factwatch answers read
    """
    from bot.answer_effects import run_answers_cycle
    from bot.jobs import build_sender

    bot = _bot_settings(settings)
    if bot.console:
        raise click.ClickException("SLACK_BOT_TOKEN이 없어 Slack에서 답을 읽을 수 없습니다")
    db = _existing_store(settings)
    try:
        cycle = run_answers_cycle(db, build_sender(bot), bot.answers, datetime.now(UTC))
    finally:
        db.close()
    report = cycle.read
    if report is not None:
        click.echo(f"알림 {report.alerts}건의 답을 읽었습니다: 새 답 {report.answers}건 · 지운 반응 {report.withdrawn}건"
                   f" · 스레드 안내 {cycle.notes_sent}건")
        for error in report.errors:
            click.echo(f"  {error}", err=True)
    for fact in cycle.noticed:
        click.echo(f"사실 {fact}: 오탐이 기준을 넘어 유지보수 알림을 올렸습니다")
    if report is not None and report.stopped:
        raise SystemExit(1)


@answers.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (behind your HTTPS proxy)")
@click.option("--port", default=3000, show_default=True, type=int, help="Port to listen on")
@with_settings
def answers_serve(settings: Settings, host: str, port: int) -> None:
    """Serve the interactivity endpoint for the answer buttons (POST /slack/actions).

    Needs SLACK_SIGNING_SECRET (Slack app → Basic Information → Signing Secret) and
    `answers.buttons: true` in factwatch.yaml so alerts carry the buttons. Point the app's
    Interactivity Request URL at https://YOUR-HOST/slack/actions.

    \b
    Example:
        SLACK_SIGNING_SECRET=… factwatch answers serve --port 3000
    """
    from bot.commands import _setup_logging
    from bot.interactive import ACTIONS_PATH, build_server

    bot = _bot_settings(settings)
    if not bot.answers.signing_secret:
        raise click.ClickException("SLACK_SIGNING_SECRET이 없습니다: Slack 앱의 Basic Information → Signing Secret을 넣으세요 "
                                   "(서명을 확인하지 않는 버튼 주소는 열지 않습니다)")
    _setup_logging(bot.timezone)
    _existing_store(settings).close()
    server = build_server(settings.db_path, bot.answers.signing_secret, host, port)
    log = logging.getLogger("factwatch")
    log.info("버튼 주소: http://%s:%s%s (Ctrl-C로 끝냅니다)", host, server.server_address[1], ACTIONS_PATH)
    if not bot.answers.buttons:
        log.warning("factwatch.yaml에 answers.buttons: true가 없어 새 알림에는 버튼이 붙지 않습니다")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@click.group()
@settings_group
def export():
    """Export findings in formats others read.

    \b
    Example:
        factwatch export claimreview --out claimreview.json
    """


@export.command("claimreview")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of standard output")
@click.option("--since", "since", help="Only findings confirmed on or after this date (YYYY-MM-DD, Korean time)")
@with_settings
def export_claimreview(settings: Settings, out: Path | None, since: str | None) -> None:
    """Confirmed findings (answered 맞음) as schema.org ClaimReview JSON-LD, one object each.

    The organisation and the review address come from factwatch.yaml (`claimreview:`).

    \b
    Example:
        factwatch export claimreview --since 2024-05-01 --out claimreview.json
    """
    from bot.claimreview import ClaimReviewSetupError, build_claim_reviews, check_settings
    from checker.models import NEWSROOM_TZ
    from factwatch.store.answers import load_confirmed

    review = _bot_settings(settings).answers.claimreview
    try:
        check_settings(review, str(settings.config_path))
    except ClaimReviewSetupError as error:
        raise click.ClickException(str(error)) from None
    since_iso = None
    if since:
        try:
            day = date.fromisoformat(since)
        except ValueError:
            raise click.ClickException(f"--since: 날짜 형식이 아닙니다: {since!r} (예: 2024-05-01)") from None
        since_iso = datetime(day.year, day.month, day.day, tzinfo=NEWSROOM_TZ).astimezone(UTC).isoformat()
    db = _existing_store(settings)
    try:
        reviews = build_claim_reviews(load_confirmed(db, since_iso), review)
    finally:
        db.close()
    text = json.dumps(reviews, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"확인된 판정 {len(reviews)}건을 ClaimReview로 {out}에 썼습니다", err=True)


COMMANDS = [answers, export]
