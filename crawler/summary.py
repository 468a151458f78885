"""What `factwatch crawl` prints: the run's one-line total and a table per source (pure)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from factwatch.store.crawl import CrawlRun, RunReport

# The spiders log one line per source under this name; `factwatch crawl` shows those as progress.
PROGRESS_LOGGER = "factwatch.progress"
COLUMNS = ("소스", "새 기사", "수정", "변경 없음", "사본", "중복", "건너뜀(이유별)", "오류(이유별)", "상태")
# Reasons recorded by RunRecorder.error are errors; the others are deliberate skips.
ERROR_REASONS = {"network", "fetch_error", "malformed_listing", "no_credentials", "extract_error", "item_error",
                 "spider_error", "dropped"}


def total_line(run: CrawlRun) -> str:
    return (
        f"crawl #{run.id} {run.status}: {run.pages} pages, {run.new} new, {run.updated} updated, "
        f"{run.unchanged} unchanged, {run.copies} copies, {run.duplicates} duplicates, "
        f"{run.skipped} skipped, {run.errors} errors"
    )


def _is_error(reason: str) -> bool:
    return reason in ERROR_REASONS or reason.startswith("http_")


def _by_reason(reasons: list[str]) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in sorted(Counter(reasons).items())) or "-"


def source_rows(report: RunReport) -> list[tuple[str, ...]]:
    """One row per source of a run_report: counts, skips and errors by reason, and its state."""
    rows = []
    for source in report.sources:
        reasons = [skip.reason for skip in report.skips if skip.source == source.source]
        state = "실패" if source.failed else "문제" if source.problem else "정상"
        rows.append((
            source.source, *(str(getattr(source, name)) for name in ("new", "updated", "unchanged", "copies", "duplicates")),
            _by_reason([r for r in reasons if not _is_error(r)]), _by_reason([r for r in reasons if _is_error(r)]), state,
        ))
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(rows: list[tuple[str, ...]], header: tuple[str, ...] = COLUMNS) -> str:
    widths = [max(_width(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = []
    for row in (header, *rows):
        lines.append("  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=False)).rstrip())
    return "\n".join(lines)


def format_summary(report: RunReport) -> str:
    """The total line, the per-source table, then why failed or troubled sources are so, and any run note."""
    parts = [total_line(report), format_table(source_rows(report))]
    for source in report.sources:
        if source.failed:
            parts.append(f"실패 {source.source}: {source.last_error or '원인 미상'}")
        elif source.problem:
            parts.append(f"문제 {source.source}: {source.problem}")
    if report.note:
        parts.append(f"주의: {report.note}")
    return "\n".join(parts)


_EXCEPTION = re.compile(r"^\w+(?:\.\w+)*(?:Error|Exception|Exit)\b.*$")
_LOGGED_ERROR = re.compile(r"\] (?:ERROR|CRITICAL): (.+)$")


def failure_reason(log_lines: list[str]) -> str | None:
    """The line of a crawl child's log that says why it failed: its last exception, else its last
    ERROR/CRITICAL message, else a line of ours ("오류: …"); None when nothing says."""
    lines = [line.rstrip() for line in log_lines if line.strip()]
    for line in reversed(lines):
        if _EXCEPTION.match(line.strip()):
            return line.strip()
    for line in reversed(lines):
        if line.startswith("오류:"):
            return line[len("오류:"):].strip()
        if match := _LOGGED_ERROR.search(line):
            return match.group(1).strip()
    return None
