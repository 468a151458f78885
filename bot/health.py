"""Health: crawl failures and silent sources become operator alerts once; `factwatch status` reads it all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from bot.holds import held_summary
from bot.logs import crawl_error_summary
from bot.notices import OperatorAlert, clear_operator_alert, load_open_operator_alerts, raise_operator_alert
from bot.outbox import FAILED, PENDING, count_by_status, delivery_channel, load_alerts
from checker.models import NEWSROOM_TZ
from crawler.sources import SourcesError, load_sources
from factwatch.store import bot_runs, counts, crawl
from factwatch.store.bot_runs import BotCrawlRun, JobRun


@dataclass(frozen=True)
class SourceHealth:
    source: str
    last_run_end: str | None
    last_success: str | None
    articles_yielded: int
    consecutive_failures: int
    last_error: str | None
    last_yield: str | None  # last run in which the source's pages held articles at all
    problem: str | None = None  # why it is unhealthy though it did not fail (pages came out empty)


@dataclass(frozen=True)
class Status:
    sources: tuple[SourceHealth, ...]
    crawl_runs: tuple[BotCrawlRun, ...]  # the bot's latest crawl child runs, newest first
    alerts: dict
    alert_errors: tuple[tuple[int, str], ...]  # pending alerts with their last error
    open_problems: tuple[OperatorAlert, ...]
    last_jobs: tuple[JobRun, ...]
    # (channel under the current settings, unsent alerts going there, channels tried before):
    # empty when the settings could not be read.
    routes: tuple[tuple[str, int, tuple[str, ...]], ...] = ()
    held: tuple[tuple[str, str, int], ...] = ()  # (fact, new value candidate, alerts held "규칙 확인 중")


# Times are stored in UTC; people read them in Korean time.
KST = NEWSROOM_TZ  # status and notices speak the newsroom's time
SOURCE_KEYS = ("source_failing:", "source_silent:", "source_degraded:")
CRAWL_STATUS_LABELS = {"ok": "성공", "failed": "실패", "timeout": "시간 초과", "interrupted": "중단", "running": "진행 중"}


def load_source_names(path: str | Path) -> set[str] | None:
    """The enabled sources' names in the sources file, or None if it cannot be read."""
    try:
        return {source.name for source in load_sources(path)}
    except (SourcesError, OSError):
        return None


def check_health(db: Database, now: datetime, failures_before_alert: int, silent_seconds: int,
                 sources: set[str] | None = None) -> list[str]:
    """Raise or clear operator alerts from the crawl records; returns the keys now open.

    `sources`: the names in the current sources file. A source taken out of it is no longer
    crawled, so it is not judged (it would look silent) and its open problems are cleared.
    None judges every source in the records.
    """
    _check_crawl_process(db, now, failures_before_alert)
    if sources is not None:
        for alert in load_open_operator_alerts(db):
            name = next((alert.key[len(prefix):] for prefix in SOURCE_KEYS if alert.key.startswith(prefix)), None)
            if name is not None and name not in sources:
                clear_operator_alert(db, alert.key, now)
    for source in load_source_health(db):
        if sources is not None and source.source not in sources:
            continue
        failing = f"source_failing:{source.source}"
        if source.consecutive_failures >= failures_before_alert:
            raise_operator_alert(
                db, failing,
                f"소스 '{source.source}' 수집이 {source.consecutive_failures}회 연속 실패했습니다: {source.last_error or '원인 미상'}",
                now,
            )
        elif source.consecutive_failures == 0:
            clear_operator_alert(db, failing, now)
        degraded = f"source_degraded:{source.source}"
        if source.problem:
            # At once, not after N runs: every page empty is no passing network fault.
            raise_operator_alert(db, degraded, f"소스 '{source.source}' 수집에 문제가 있습니다: {source.problem}", now)
        else:
            clear_operator_alert(db, degraded, now)
        silent = f"source_silent:{source.source}"
        if _is_silent(source, now, silent_seconds):
            since = f"{format_time(source.last_yield)[:16]} KST" if source.last_yield else "처음부터"
            raise_operator_alert(
                db, silent,
                f"소스 '{source.source}'에서 기사가 나오지 않습니다(마지막: {since}). 페이지 구조가 바뀌었는지 선택자를 확인하세요.",
                now,
            )
        else:
            clear_operator_alert(db, silent, now)
    return [alert.key for alert in load_open_operator_alerts(db)]


def _check_crawl_process(db: Database, now: datetime, failures_before_alert: int) -> None:
    recent = bot_runs.recent_crawl_statuses(db, failures_before_alert)
    last = bot_runs.last_finished_crawl_run(db)
    if len(recent) >= failures_before_alert and all(status != "ok" for status in recent) and last is not None:
        detail = crawl_error_summary(last.stderr_tail or "") or CRAWL_STATUS_LABELS.get(last.status, last.status)
        raise_operator_alert(db, "crawl_failing", f"수집이 {len(recent)}회 연속 실패했습니다: {detail}", now)
    elif recent and recent[0] == "ok":
        clear_operator_alert(db, "crawl_failing", now)


def _is_silent(source: SourceHealth, now: datetime, silent_seconds: int) -> bool:
    if source.consecutive_failures or not source.last_success:
        return False  # failing is reported as failing, not as silent
    since = source.last_yield
    if since is None:
        return False
    return now - datetime.fromisoformat(since) > timedelta(seconds=silent_seconds)


def load_source_health(db: Database) -> list[SourceHealth]:
    yields = crawl.last_yields(db)
    first_runs = crawl.first_runs(db)
    return [
        SourceHealth(
            source=row.source,
            last_run_end=row.last_run_end,
            last_success=row.last_success,
            articles_yielded=row.articles_yielded,
            consecutive_failures=row.consecutive_failures,
            last_error=row.last_error,
            # A source that never yielded anything counts as silent since its first run.
            last_yield=yields.get(row.source) or first_runs.get(row.source),
            problem=row.problem,
        )
        for row in crawl.last_runs_by_source(db)
    ]


def load_routes(db: Database, route) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """Where the pending and failed alerts will go under `route` (the current factwatch.yaml)."""
    targets: dict[str, list] = {}  # channel → [count, channels the alerts were queued for]
    for status in (PENDING, FAILED):
        for alert in load_alerts(db, status):
            channel = delivery_channel(db, alert, route)
            entry = targets.setdefault(channel, [0, set()])
            entry[0] += 1
            if alert.channel != channel:
                entry[1].add(alert.channel)
    return tuple((channel, count, tuple(sorted(before))) for channel, (count, before) in sorted(targets.items()))


def load_status(db: Database, sources: set[str] | None = None, route=None) -> Status:
    """What `factwatch status` shows; `sources` (the current sources file) hides removed sources,
    `route` (the current settings' routing) says where unsent alerts will go."""
    return Status(
        sources=tuple(s for s in load_source_health(db) if sources is None or s.source in sources),
        crawl_runs=tuple(bot_runs.latest_crawl_runs(db, 5)),
        alerts=count_by_status(db),
        alert_errors=tuple(counts.unsent_alert_errors(db, 10)),
        open_problems=tuple(load_open_operator_alerts(db)),
        last_jobs=tuple(bot_runs.load_job_runs(db)),
        routes=load_routes(db, route) if route is not None else (),
        held=tuple(held_summary(db)),
    )


def build_status_text(status: Status) -> str:
    """`factwatch status` output, in Korean, one fact a line."""
    lines = ["소스별 마지막 수집 (시각은 한국 시간, KST):"]
    if not status.sources:
        lines.append("  (아직 수집 기록이 없습니다)")
    for s in status.sources:
        if s.consecutive_failures:
            state = f"연속 실패 {s.consecutive_failures}회: {s.last_error}"
        else:
            state = f"문제: {s.problem}" if s.problem else "정상"
        lines.append(
            f"  {s.source}: 마지막 수집 {format_time(s.last_run_end)} · 마지막 성공 {format_time(s.last_success)} · "
            f"새/수정 기사 {s.articles_yielded}건 · {state}"
        )
    lines.append("최근 수집 프로세스:")
    for run in status.crawl_runs:
        label = CRAWL_STATUS_LABELS.get(run.status, run.status)
        code = f" (종료 코드 {run.returncode})" if run.returncode is not None else ""
        lines.append(f"  #{run.id} {format_time(run.started_at)} {label}{code}")
    if not status.crawl_runs:
        lines.append("  (없음)")
    counts = status.alerts
    lines.append(
        f"알림: 보냄 {counts.get('sent', 0)} · 대기 {counts.get('pending', 0) + counts.get('sending', 0)} · 실패 {counts.get('failed', 0)}"
        f" · 규칙 확인 중 {counts.get('held', 0)}"
    )
    for fact_id, written, held in status.held:
        lines.append(f"  규칙 확인 중: [{fact_id}] 새 값 후보 {written} · 보류한 알림 {held}건 "
                     f"(새 버전을 넣고 `factwatch recheck`, 또는 `factwatch rules keep {fact_id} {written}`)")
    for alert_id, error in status.alert_errors:
        lines.append(f"  알림 #{alert_id}: {error}")
    if status.routes:
        lines.append("  대기·실패 알림의 채널은 보낼 때 현재 설정(factwatch.yaml)으로 정합니다:")
        for channel, count, before in status.routes:
            moved = f" (이전에 시도한 채널: {', '.join(before)})" if before else ""
            lines.append(f"    → {channel} {count}건{moved}")
    lines.append("열린 운영 문제:" if status.open_problems else "열린 운영 문제: 없음")
    for problem in status.open_problems:
        # A new value notice is long (articles, a YAML block): its first line says what it is.
        message = problem.message.split("\n", 1)[0] if problem.key.startswith("new_value:") else problem.message
        lines.append(f"  [{problem.key}] {format_time(problem.raised_at)} {message}")
    for job in status.last_jobs:
        error = f" · 오류: {job.last_error}" if job.last_error else ""
        lines.append(f"작업 {job.job}: 마지막 실행 {format_time(job.last_started)} · 마지막 성공 {format_time(job.last_ok)}{error}")
    return "\n".join(lines)


def format_time(iso: str | None) -> str:
    """A stored time as Korean time, 'YYYY-MM-DD HH:MM:SS' (times without an offset are UTC)."""
    if not iso:
        return "-"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:19].replace("T", " ")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S")
