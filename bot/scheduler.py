"""`factwatch run`: APScheduler 3.x runs the jobs on their schedules until SIGTERM/SIGINT."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.digest import is_digest_due
from bot.jobs import BotJobs
from bot.logs import format_moment
from bot.settings import BotSettings, Schedule
from factwatch.store import bot_runs, open_db

log = logging.getLogger(__name__)

JOB_IDS = ("crawl", "check", "deliver", "digest", "answers")


def build_trigger(schedule: Schedule, tz: str):
    if schedule.cron:
        return CronTrigger.from_crontab(schedule.cron, timezone=tz)
    return IntervalTrigger(seconds=schedule.every_seconds, timezone=tz)


def build_scheduler(jobs: BotJobs, bot: BotSettings, now: datetime) -> BackgroundScheduler:
    """The four jobs, defined in code (replace_existing) so a restart always has the current schedule.

    max_instances=1 + coalesce: a slow crawl never stacks up runs, and a backlog of missed
    runs collapses into one. misfire_grace_time is minutes, not APScheduler's 1 s default,
    so a run delayed by a busy machine still happens instead of being silently dropped.
    """
    scheduler = BackgroundScheduler(
        timezone=bot.timezone,
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": bot.misfire_grace_seconds},
    )
    # Crawl at start-up rather than a full interval later; the cycle chains check and deliver.
    scheduler.add_job(jobs.crawl, build_trigger(bot.crawl, bot.timezone), id="crawl", name="수집",
                      replace_existing=True, next_run_time=now)
    scheduler.add_job(jobs.check, build_trigger(bot.check, bot.timezone), id="check", name="검사",
                      replace_existing=True)
    scheduler.add_job(jobs.deliver, build_trigger(bot.deliver, bot.timezone), id="deliver", name="전송",
                      replace_existing=True)
    digest = CronTrigger(hour=bot.digest_at.hour, minute=bot.digest_at.minute, timezone=bot.timezone)
    scheduler.add_job(jobs.digest, digest, id="digest", name="일일 요약", replace_existing=True)
    # answers hook (issue 11): fact-checkers' reactions and replies, read through the Web API.
    scheduler.add_job(jobs.answers, build_trigger(Schedule(every_seconds=bot.answers.read_every_seconds), bot.timezone),
                      id="answers", name="답 읽기", replace_existing=True)
    return scheduler


def schedule_catch_up(scheduler: BackgroundScheduler, jobs: BotJobs, bot: BotSettings, now: datetime) -> bool:
    """If the bot was down when the digest was due, post it now (last runs live in SQLite)."""
    db = open_db(jobs.settings.db_path)
    try:
        last_digest = bot_runs.last_ok(db, "digest")
    finally:
        db.close()
    if is_digest_due(last_digest, now, bot.digest_at, bot.timezone):
        scheduler.add_job(jobs.digest, "date", run_date=now, id="digest-catch-up", replace_existing=True)
        return True
    return False


def schedule_lines(scheduler: BackgroundScheduler, tz: str) -> list[str]:
    """One line per job with its next run in the schedule's zone, written with it (e.g. KST) like the log times."""
    zone = ZoneInfo(tz)
    return [
        f"예약: {job.name} ({job.id}) 다음 실행 "
        f"{format_moment(job.next_run_time.astimezone(zone) if job.next_run_time else None)}"
        for job in scheduler.get_jobs()
    ]


@contextlib.contextmanager
def stop_on_signals(jobs: BotJobs, stopping: threading.Event | None = None):
    """While inside, SIGTERM/SIGINT ask the jobs to stop (a crawl kills its child) instead of killing us."""

    def request_stop(signum, _frame):
        log.warning("%s 받음: 진행 중인 작업을 마치고 종료합니다", signal.Signals(signum).name)
        jobs.stop.set()
        if stopping is not None:
            stopping.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_once(jobs: BotJobs) -> None:
    """`factwatch run --once`: one cycle; SIGTERM/SIGINT stop it as they stop the daemon."""
    with stop_on_signals(jobs):
        jobs.run_once()


def run_forever(jobs: BotJobs, bot: BotSettings, now: datetime, ready: threading.Event | None = None) -> None:
    """Start the scheduler and block until SIGTERM/SIGINT; running jobs finish (a crawl is stopped and retried)."""
    stopping = threading.Event()
    with stop_on_signals(jobs, stopping):
        scheduler = build_scheduler(jobs, bot, now)
        schedule_catch_up(scheduler, jobs, bot, now)
        scheduler.start()
        for line in schedule_lines(scheduler, bot.timezone):
            log.info("%s", line)
        if ready is not None:
            ready.set()
        try:
            while not stopping.wait(3600):
                pass
        finally:
            # wait=True: a check or delivery in progress completes (the outbox makes a cut-off
            # delivery safe anyway); a crawl sees jobs.stop and kills its child within a second.
            scheduler.shutdown(wait=True)
    log.info("종료했습니다")
