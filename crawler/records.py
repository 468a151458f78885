"""The crawler's tables: crawl runs, per-source results and health, skipped pages, seen URLs, story prints.

What the bot calls:

- ``start_run(db, now, spider="news") -> run_id``: open a run (status "running").
- ``finish_run(db, run_id, now, status=None) -> dict``: close it; status defaults to "ok", or
  "partial" when some source failed or has a problem (source_problem: most pages empty), or
  "failed" when every source failed. Updates each source's health (last success,
  consecutive failures, problem). Returns the run row.
- ``last_runs_by_source(db) -> list[dict]``: one row per source ever crawled: ``source``,
  ``last_run_id``, ``last_run_end``, ``last_success``, ``articles_yielded`` (new + updated +
  copies stored in its last run), ``consecutive_failures``, ``last_error``, ``problem`` (why
  a source that did not fail is unhealthy in its last run, e.g. every page came out empty).
- ``run_report(db, run_id) -> dict``: the run row with ``sources`` (per-source counts) and
  ``skips`` (url, reason, detail) for a health message.

A source *fails* a run when its entry point (feed, sitemap, listing page, API call) could not
be fetched or parsed; errors on single articles are counted but do not fail the source.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlite_utils import Database

COUNTERS = ("pages", "new", "updated", "unchanged", "copies", "duplicates", "skipped", "errors")








def save_run_note(db: Database, run_id: int, note: str) -> None:
    with db.atomic():
        db["crawl_runs"].update(run_id, {"note": note})




# Skip reasons that mean "the page had no article we could read": a broken layout or selector.
EMPTY_REASONS = ("no_text", "extract_error")
# A source is unhealthy when at least this share of the pages it judged came out empty ...
EMPTY_SHARE_PROBLEM = 0.5
# ... or when the share rose this much since its previous run (a layout change on some pages).
EMPTY_SHARE_JUMP = 0.25


def source_problem(counts: dict, skip_reasons: list[str], previous_share: float | None) -> tuple[str | None, float | None]:
    """(problem or None, share of empty pages) of one source's run; pure.

    Pages judged: stored or seen (new, updated, unchanged, copies, duplicates) plus those
    skipped as empty or off-topic. Off-topic pages alone are never a problem: a general feed
    often has no news about the program.
    """
    kept = sum(int(counts.get(name) or 0) for name in ("new", "updated", "unchanged", "copies", "duplicates"))
    empty = sum(reason in EMPTY_REASONS for reason in skip_reasons)
    judged = kept + empty + sum(reason == "off_topic" for reason in skip_reasons)
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


def _empty_share(db: Database, run_id: int, source: str) -> float | None:
    """The share of empty pages of `source` in run `run_id` (None when it judged no page)."""
    row = next(db["crawl_run_sources"].rows_where("run_id = ? and source = ?", [run_id, source]), None)
    if row is None:
        return None
    reasons = [r[0] for r in db.execute("select reason from crawl_skips where run_id = ? and source = ?", [run_id, source])]
    return source_problem(row, reasons, None)[1]


def start_run(db: Database, now: datetime, spider: str = "news") -> int:
    """Open a crawl run and return its id."""
    return db["crawl_runs"].insert(
        {"spider": spider, "started": now.isoformat(), "status": "running", **{name: 0 for name in COUNTERS}}
    ).last_pk


def save_source_results(db: Database, run_id: int, results: dict[str, dict]) -> None:
    """Store per-source counts of a run: {source: {counter: n, "failed": bool, "last_error": str}}."""
    with db.atomic():
        for source, result in results.items():
            db["crawl_run_sources"].upsert(
                {
                    "run_id": run_id,
                    "source": source,
                    "failed": int(bool(result.get("failed"))),
                    "last_error": result.get("last_error"),
                    **{name: int(result.get(name, 0)) for name in COUNTERS},
                },
                pk=("run_id", "source"),
            )


def save_skips(db: Database, run_id: int, skips: list[dict]) -> None:
    """Store why pages were skipped: [{source, url, reason, detail}]."""
    if skips:
        db["crawl_skips"].insert_all({"run_id": run_id, **skip} for skip in skips)


def finish_run(db: Database, run_id: int, now: datetime, status: str | None = None, error: str | None = None) -> dict:
    """Close a run, total its sources and update each source's health; returns the run row.

    `error` marks every source of the run failed with that message (the crawl process died or
    timed out), so the health check sees it even when no source got to report.
    """
    sources = list(db["crawl_run_sources"].rows_where("run_id = ?", [run_id]))
    if error:
        for row in sources:
            row.update(failed=1, last_error=error)
        save_source_results(db, run_id, {row["source"]: row for row in sources})
    totals = {name: sum(row[name] or 0 for row in sources) for name in COUNTERS}
    for row in sources:
        row["problem"] = None if row["failed"] else _run_problem(db, run_id, row)
    failed = sum(row["failed"] for row in sources)
    troubled = sum(bool(row["problem"]) for row in sources)
    if status is None:
        status = "failed" if error or (sources and failed == len(sources)) else "partial" if failed or troubled else "ok"
    with db.atomic():
        db["crawl_runs"].update(run_id, {"finished": now.isoformat(), "status": status, **totals})
        for row in sources:
            db["crawl_run_sources"].update((run_id, row["source"]), {"problem": row["problem"]})
            _update_source_health(db, run_id, row, now)
    return db["crawl_runs"].get(run_id)


def _run_problem(db: Database, run_id: int, row: dict) -> str | None:
    reasons = [r[0] for r in db.execute(
        "select reason from crawl_skips where run_id = ? and source = ?", [run_id, row["source"]])]
    previous = db.execute(
        "select max(run_id) from crawl_run_sources where source = ? and run_id < ? and failed = 0", [row["source"], run_id]
    ).fetchone()[0]
    previous_share = _empty_share(db, previous, row["source"]) if previous else None
    return source_problem(row, reasons, previous_share)[0]


def _update_source_health(db: Database, run_id: int, row: dict, now: datetime) -> None:
    previous = next(db["crawl_sources"].rows_where("source = ?", [row["source"]]), None) or {}
    failed = bool(row["failed"])
    db["crawl_sources"].upsert(
        {
            "source": row["source"],
            "last_run_id": run_id,
            "last_run_end": now.isoformat(),
            "last_success": previous.get("last_success") if failed else now.isoformat(),
            "articles_yielded": (row["new"] or 0) + (row["updated"] or 0) + (row["copies"] or 0),
            "consecutive_failures": (previous.get("consecutive_failures") or 0) + 1 if failed else 0,
            "last_error": row["last_error"] if failed else previous.get("last_error"),
            "problem": row.get("problem"),
        },
        pk="source",
    )


def last_runs_by_source(db: Database) -> list[dict]:
    """Each source's health after its latest run, worst first (most consecutive failures)."""
    if not db["crawl_sources"].exists():
        return []
    return list(db.query("select * from crawl_sources order by consecutive_failures desc, source"))


def run_report(db: Database, run_id: int) -> dict:
    """A run with its per-source counts and its skipped pages."""
    run = dict(db["crawl_runs"].get(run_id))
    run["sources"] = list(db["crawl_run_sources"].rows_where("run_id = ?", [run_id], order_by="source"))
    run["skips"] = list(db["crawl_skips"].rows_where("run_id = ?", [run_id], order_by="id"))
    return run


def load_seen(db: Database) -> dict[str, dict]:
    """{url: {etag, last_modified, skip_reason, judged_with}} of every article URL fetched before."""
    return {row["url"]: row for row in db["crawl_seen"].rows}


def save_seen(db: Database, seen: dict[str, dict], now: datetime) -> None:
    """Remember the validators of the article URLs fetched in this run."""
    with db.atomic():
        for url, row in seen.items():
            existing = next(db["crawl_seen"].rows_where("url = ?", [url]), None)
            db["crawl_seen"].upsert(
                {
                    "url": url,
                    "source": row.get("source"),
                    "etag": row.get("etag") or (existing or {}).get("etag"),
                    "last_modified": row.get("last_modified") or (existing or {}).get("last_modified"),
                    "first_seen": (existing or {}).get("first_seen") or now.isoformat(),
                    "last_seen": now.isoformat(),
                    # Overwritten, not merged: a page stored now is no longer a skipped one.
                    "skip_reason": row.get("skip_reason"),
                    "judged_with": row.get("judged_with"),
                },
                pk="url",
            )


def stored_spelling(db: Database, url: str) -> str:
    """`url`, or the spelling of it (trailing slash or not) under which the store already has the article."""
    if not db["articles"].exists():
        return url
    path_end = url.split("?", 1)
    base = path_end[0]
    other = base[:-1] if base.endswith("/") else base + "/"
    if len(path_end) > 1:
        other += "?" + path_end[1]
    rows = [row[0] for row in db.execute("select url from articles where url in (?, ?)", [url, other]).fetchall()]
    return url if url in rows or not rows else rows[0]


def load_story_prints(db: Database, since: datetime) -> list[tuple[str, tuple[int, ...]]]:
    """(story_key, signature) of bodies stored since `since`, newest first."""
    return [
        (row["story_key"], tuple(json.loads(row["signature"])))
        for row in db["crawl_story_prints"].rows_where("stored_at >= ?", [since.isoformat()], order_by="id desc")
    ]


def save_story_print(db: Database, story_key: str, url: str, signature: tuple[int, ...], now: datetime) -> None:
    db["crawl_story_prints"].insert(
        {"story_key": story_key, "url": url, "signature": json.dumps(signature), "stored_at": now.isoformat()}
    )
