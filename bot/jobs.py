"""The bot's scheduled jobs — crawl, check, deliver, digest — each opening its own store connection."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime

from bot.answer_effects import false_alarm_predicate, run_answers_cycle
from bot.crawl_job import CrawlOutcome, mark_stale_runs, run_crawl
from bot.delivery import DeliveryReport, deliver_pending
from bot.digest import post_digest, retry_pending_digests
from bot.health import CRAWL_STATUS_LABELS, check_health, load_source_names
from bot.holds import held_predicate, hold_pending, raise_new_value_notices, settle_holds
from bot.interactive import ButtonSender
from bot.notices import clear_operator_alert, raise_operator_alert
from bot.outbox import enqueue_findings
from bot.refresh import sync_refresh_notices
from bot.sender import ConsoleSender, DeliveryError, Sender, SlackSender, build_client
from bot.settings import BotSettings
from checker.check_store import check_pending
from checker.rules import RuleFileErrors, RuleSet, load_rules, rules_fingerprint
from factwatch.config import Settings
from factwatch.store import bot_runs, counts, crawl, open_db

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 60_000


def build_sender(bot: BotSettings) -> Sender:
    """Slack when a token is set, else the console (the default, and what the demo uses)."""
    if bot.console or bot.token is None:  # console is exactly "no token"; the second test tells mypy
        return ConsoleSender()
    sender = SlackSender(build_client(bot.token, bot.api_url, backoff=bot.retry_backoff), backoff=bot.retry_backoff)
    # answers hook (issue 11): the 맞음/오탐/무시 buttons, only when the interactivity endpoint is set up.
    return ButtonSender(sender) if bot.answers.buttons else sender


def utcnow() -> datetime:
    return datetime.now(UTC)


class BotJobs:
    """One instance per `factwatch run`; the scheduler calls its methods from worker threads.

    SQLite connections are not shared between threads, so every job opens its own; a
    per-stage lock keeps a chained run (crawl → check → deliver) and a scheduled one from
    overlapping, on top of APScheduler's max_instances=1 per job.
    """

    def __init__(self, settings: Settings, bot: BotSettings, sender: Sender | None = None, clock=utcnow,
                 crawl_args: tuple[str, ...] = ()):
        self.settings = settings
        self.crawl_args = crawl_args  # extra `factwatch crawl` options, e.g. ("-s", "DOWNLOAD_DELAY=0") for the bench
        self.bot = bot
        self.sender = sender or build_sender(bot)
        self.clock = clock
        self.stop = threading.Event()
        self._locks = {name: threading.Lock() for name in ("crawl", "check", "deliver", "digest", "answers")}
        self._rules: RuleSet | None = None  # the last rule set that loaded cleanly: a broken edit never stops checking
        self._cycle: dict = {}  # what this crawl → check → deliver cycle did, for its log line
        self._rules_fingerprint: tuple = ()

    # -- the jobs ------------------------------------------------------------------------
    def crawl(self) -> CrawlOutcome | None:
        """Crawl in a child, then check and deliver at once, so an alert need not wait a cycle."""
        self._cycle = {}
        outcome = self._guarded("crawl", self._crawl)
        # Even a failed crawl may have stored articles from the sources that worked.
        if not self.stop.is_set():
            self.check()
            self.deliver()
            # One line per cycle, so a healthy bot's log shows it is alive and what it did.
            log.info("%s", cycle_line(self._cycle))
        return outcome

    def check(self) -> list[int] | None:
        return self._guarded("check", self._check)

    def deliver(self) -> DeliveryReport | None:
        return self._guarded("deliver", self._deliver)

    def digest(self) -> str | None:
        return self._guarded("digest", self._digest)

    def answers(self):
        """Read fact-checkers' answers (issue 11: bot/answer_effects.py), on its own schedule."""
        return self._guarded("answers", lambda db: run_answers_cycle(db, self.sender, self.bot.answers, self.clock()))

    def run_once(self) -> None:
        """One full cycle without a scheduler: `factwatch run --once`, the demo and cron users."""
        self.answers()  # answers hook (issue 11): read first, so a false alarm is known before the check
        self.crawl()

    def mark_interrupted_crawls(self) -> int:
        """At start-up: crawl rows left "running" by a bot that died are recorded as interrupted."""
        db = open_db(self.settings.db_path, busy_timeout_ms=BUSY_TIMEOUT_MS)
        try:
            return mark_stale_runs(db, self.clock(), self.settings.db_path)
        finally:
            db.close()

    # -- bodies --------------------------------------------------------------------------
    def _crawl(self, db) -> CrawlOutcome:
        outcome = run_crawl(db, self.settings, self.bot.crawl_time_limit_seconds, self.stop, extra_args=self.crawl_args)
        self._cycle.update(crawl=outcome, crawled=_crawl_counts(db, outcome.run_id))
        check_health(db, self.clock(), self.bot.crawl_failures_before_alert, self.bot.silent_source_seconds,
                     load_source_names(self.settings.sources_path))
        if outcome.status not in {"ok", "interrupted"}:
            # Recorded above; the bot keeps running and the next scheduled crawl retries.
            label = CRAWL_STATUS_LABELS.get(outcome.status, outcome.status)
            raise RuntimeError(f"수집 {label} (종료 코드 {outcome.returncode})")
        return outcome

    def _check(self, db) -> list[int]:
        now = self.clock()
        fingerprint = rules_fingerprint(self.settings.rules_dir)
        try:
            if self._rules is None or fingerprint != self._rules_fingerprint:
                self._rules = load_rules(self.settings.rules_dir)
                self._rules_fingerprint = fingerprint
            clear_operator_alert(db, "rules_invalid", now)
        except RuleFileErrors as error:
            if self._rules is None:
                # Nothing good to fall back on (first load since start-up): articles wait
                # unchecked in the store until the files are fixed; nothing is lost.
                raise_operator_alert(db, "rules_invalid", f"규칙 파일 오류로 검사를 미룹니다. 고칠 곳:\n{error}", now)
                raise
            raise_operator_alert(
                db, "rules_invalid",
                f"규칙 파일 오류: 마지막으로 정상이던 규칙({self._rules.content_hash})으로 계속 검사합니다. 고칠 곳:\n{error}",
                now,
            )
        check_pending(db, self._rules, now)
        sync_refresh_notices(db, self._rules, now, raise_operator_alert, clear_operator_alert)
        seen = counts.versions_seen(db)
        # New value candidates first, so the alerts on their claims are queued held.
        raise_new_value_notices(db, self._rules, now, self.bot.new_value_window_days, self.bot.new_value_min_outlets)
        created = enqueue_findings(db, self.bot.route, now, held=held_predicate(db),
                                   suppress=false_alarm_predicate(db))  # answers hook (issue 11)
        hold_pending(db)
        settle_holds(db, now)
        checked = counts.versions_seen(db) - seen
        held = counts.held_among(db, created)
        self._cycle.update(checked=checked, alerts=len(created) - held)
        return created

    def _deliver(self, db) -> DeliveryReport:
        now = self.clock()
        report = deliver_pending(db, self.sender, now, self.bot.operator_channel, route=self.bot.route)
        self._cycle["delivery"] = report
        if not report.stopped:
            # A digest that could not be posted at its time goes out once Slack takes posts again.
            try:
                retry_pending_digests(db, self.sender, now, self.bot.digest_channel)
            except DeliveryError as error:
                report = replace(report, errors=(*report.errors, f"일일 요약: {error}"))
        if report.errors:
            raise DeliveryError("; ".join(report.errors))
        return report

    def _digest(self, db) -> str | None:
        return post_digest(db, self.sender, self.bot.digest_channel, self.clock(), self.bot.digest_at, self.bot.timezone)

    def _guarded(self, name: str, body):
        """Run a job body with its own connection; record start/end/error; never raise into the scheduler."""
        lock = self._locks[name]
        if not lock.acquire(blocking=False):
            log.info("%s 작업이 이미 진행 중이라 이번 차례는 건너뜁니다", name)
            return None
        db = None
        try:
            # The crawl child and the other jobs write to the same file; a CPU-starved writer
            # can hold the lock for seconds, so wait longer than open_db's default.
            db = open_db(self.settings.db_path, busy_timeout_ms=BUSY_TIMEOUT_MS)
            _record(db, name, {"last_started": self.clock().isoformat()})
            result = body(db)
            _record(db, name, {"last_finished": self.clock().isoformat(), "last_ok": self.clock().isoformat(), "last_error": None})
            return result
        except Exception as error:  # a bad cycle must not stop the bot: record it, retry next time
            log.error("%s 작업 실패: %s", name, error)
            if db is not None:
                with contextlib.suppress(sqlite3.Error):  # recording must not turn one failure into two
                    _record(db, name, {"last_finished": self.clock().isoformat(), "last_error": str(error)[:1000]})
            return None
        finally:
            if db is not None:
                db.close()
            lock.release()


def _crawl_counts(db, bot_run_id: int) -> dict:
    """Pages and new/updated articles of the crawler's runs that belong to bot crawl `bot_run_id`."""
    try:
        run = bot_runs.load_crawl_run(db, bot_run_id)
        if run is None:
            return {}
        pages, articles = crawl.totals_between(db, run.started_at, run.finished_at or run.started_at)
    except sqlite3.Error as error:  # only the log line's numbers are lost, never the crawl's record
        log.warning("수집 건수를 읽지 못했습니다: %s", error)
        return {}
    return {"pages": pages, "articles": articles}


def cycle_line(cycle: dict) -> str:
    """'주기: 수집 성공 12초 (페이지 30, 새·수정 기사 2건) · 검사 2건 · 새 알림 1건 · 전송 1건 (대기 0건)'."""
    parts = []
    outcome = cycle.get("crawl")
    if outcome is None:
        parts.append("수집 실패(기록 없음)")
    else:
        crawled = cycle.get("crawled") or {}
        counts = f" (페이지 {crawled['pages']}, 새·수정 기사 {crawled['articles']}건)" if crawled else ""
        label = CRAWL_STATUS_LABELS.get(outcome.status, outcome.status)
        parts.append(f"수집 {label} {outcome.seconds:.0f}초{counts}")
    parts.append(f"검사 {cycle['checked']}건 · 새 알림 {cycle['alerts']}건" if "checked" in cycle else "검사 실패")
    report = cycle.get("delivery")
    if report is None:
        parts.append("전송 실패")
    else:
        parts.append(f"전송 {report.sent}건 (대기 {report.left_pending}건)")
    return "주기: " + " · ".join(parts)


def _record(db, job: str, values: dict) -> None:
    bot_runs.save_job_run(db, job, values)
