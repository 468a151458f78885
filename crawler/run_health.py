"""How a crawl run ends: its status, and each source's health (failing, or most pages empty).

What the crawl command, the run extension and the bot call:

- ``finish_run(db, run_id, now, status=None, error=None) -> CrawlRun``: close a run. Status
  defaults to "ok", or "partial" when some source failed or has a problem (`source_problem`:
  most pages empty), or "failed" when every source failed. Each source's health (last
  success, consecutive failures, problem) is updated in the store (factwatch/store/crawl.py).

A source *fails* a run when its entry point (feed, sitemap, listing page, API call) could not
be fetched or parsed; errors on single articles are counted but do not fail the source.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlite_utils import Database

from factwatch.store import crawl
from factwatch.store.crawl import CrawlRun, SourceRun

# Skip reasons that mean "the page had no article we could read": a broken layout or selector.
EMPTY_REASONS = ("no_text", "extract_error")
# A source is unhealthy when at least this share of the pages it judged came out empty ...
EMPTY_SHARE_PROBLEM = 0.5
# ... or when the share rose this much since its previous run (a layout change on some pages).
EMPTY_SHARE_JUMP = 0.25


def source_problem(counts: SourceRun, skip_reasons: list[str], previous_share: float | None) -> tuple[str | None, float | None]:
    """(problem or None, share of empty pages) of one source's run; pure.

    Pages judged: stored or seen (new, updated, unchanged, copies, duplicates) plus those
    skipped as empty or off-topic. Off-topic pages alone are never a problem: a general feed
    often has no news about the program.
    """
    empty = sum(reason in EMPTY_REASONS for reason in skip_reasons)
    judged = counts.kept + empty + sum(reason == "off_topic" for reason in skip_reasons)
    if judged == 0:
        return None, None
    share = empty / judged
    hint = "사이트 구조가 바뀌었는지 보고 sources.yaml 의 selectors(body 등)를 확인하세요"
    if empty and share >= EMPTY_SHARE_PROBLEM:
        return f"기사 {judged}쪽 중 {empty}쪽에서 본문을 읽지 못했습니다 ({share:.0%}). {hint}", share
    if empty and previous_share is not None and share - previous_share >= EMPTY_SHARE_JUMP:
        return (f"본문을 읽지 못한 기사 비율이 {previous_share:.0%}에서 {share:.0%}로 늘었습니다 "
                f"({judged}쪽 중 {empty}쪽). {hint}"), share
    return None, share


def finish_run(db: Database, run_id: int, now: datetime, status: str | None = None, error: str | None = None) -> CrawlRun:
    """Close a run, total its sources and update each source's health; returns the run.

    `error` marks every source of the run failed with that message (the crawl process died or
    timed out), so the health check sees it even when no source got to report.
    """
    sources = crawl.source_runs(db, run_id)
    if error:
        sources = [replace(source, failed=True, last_error=error) for source in sources]
        crawl.save_source_results(db, run_id, sources)
    sources = [replace(source, problem=None if source.failed else _run_problem(db, run_id, source)) for source in sources]
    failed = sum(source.failed for source in sources)
    troubled = sum(bool(source.problem) for source in sources)
    if status is None:
        status = "failed" if error or (sources and failed == len(sources)) else "partial" if failed or troubled else "ok"
    return crawl.close_run(db, run_id, now, status, sources)


def _empty_share(db: Database, run_id: int, source: str) -> float | None:
    """The share of empty pages of `source` in run `run_id` (None when it judged no page)."""
    counts = crawl.source_run(db, run_id, source)
    if counts is None:
        return None
    return source_problem(counts, crawl.skip_reasons(db, run_id, source), None)[1]


def _run_problem(db: Database, run_id: int, source: SourceRun) -> str | None:
    previous = crawl.previous_good_run(db, source.source, run_id)
    previous_share = _empty_share(db, previous, source.source) if previous else None
    return source_problem(source, crawl.skip_reasons(db, run_id, source.source), previous_share)[0]
