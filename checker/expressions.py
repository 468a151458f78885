"""Find quantities and dates in one text with no span claimed by both."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from checker.dates import DateExpr, parse_dates
from checker.quantities import Quantity, parse_quantities

_DURATION_UNITS = frozenset({"duration_year", "duration_month"})


def parse_expressions(text: str, published: date | None) -> tuple[list[Quantity], list[DateExpr]]:
    """Quantities and dates of `text`; durations ('5년간') stay quantities, anything else overlapping is a date.

    A period whose words end in a duration ('2020년부터 5년간') keeps its resolved first/last days but
    its span shrinks to the words before the duration ('2020년부터'), so the reader still sees both.
    """
    quantities = parse_quantities(text)
    dates = parse_dates(text, published)
    durations = [q for q in quantities if q.unit in _DURATION_UNITS]
    kept_dates = []
    for expr in dates:
        kept = _yield_to_durations(text, expr, durations)
        if kept is not None:
            kept_dates.append(kept)
    kept_quantities = [q for q in quantities if q.unit in _DURATION_UNITS or not _overlaps_any(q, kept_dates)]
    return kept_quantities, kept_dates


def _yield_to_durations(text: str, expr: DateExpr, durations: list[Quantity]) -> DateExpr | None:
    for duration in durations:
        if duration.start < expr.end and expr.start < duration.end:
            if duration.start <= expr.start:
                return None
            end = expr.start + len(text[expr.start:duration.start].rstrip())
            expr = replace(expr, end=end, text=text[expr.start:end])
    return expr


def _overlaps_any(quantity: Quantity, dates: list[DateExpr]) -> bool:
    return any(quantity.start < expr.end and expr.start < quantity.end for expr in dates)
