"""Writes values back in the Korean a fact-checker reads: 4116억원, 4만7256㎡, 2020-01-29."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

_UNIT_SUFFIX = {
    "person": "명", "count": "개", "company": "개사", "place": "곳", "case": "건", "percent": "%",
    "times": "배", "m2": "㎡", "PF": "PF", "PB": "PB", "TF": "TF", "TB": "TB",
    "duration_year": "년", "duration_month": "개월", "round": "회", "ordinal": "대",
}


def format_number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        whole, fraction = text.split(".")
        return f"{int(whole):,}.{fraction}"
    return f"{int(text):,}"


def format_won(value: Decimal) -> str:
    """411600000000 → 4116억원; 1200000000000 → 1조2000억원."""
    if value < 10**8:
        return f"{format_number(value)}원"
    jo, rest = divmod(value, Decimal(10) ** 12)
    eok = rest / Decimal(10) ** 8
    parts = []
    if jo:
        parts.append(f"{int(jo)}조")
    if eok:
        parts.append(f"{format(eok.normalize(), 'f')}억")
    return "".join(parts) + "원"


def format_value(value: Decimal | None, unit: str | None) -> str:
    if value is None:
        return "?"
    if unit == "KRW":
        return format_won(value)
    return f"{format_number(value)}{_UNIT_SUFFIX.get(unit or '', '')}"


def format_day(ordinal: Decimal | int | None) -> str:
    if ordinal is None:
        return "?"
    return date.fromordinal(int(ordinal)).isoformat()


def format_span(low: Decimal | None, high: Decimal | None) -> str:
    if low is None or high is None:
        return "?"
    first, last = date.fromordinal(int(low)), date.fromordinal(int(high))
    if first == last:
        return first.isoformat()
    if first.month == 1 and first.day == 1 and last.month == 12 and last.day == 31:
        return f"{first.year}년" if first.year == last.year else f"{first.year}~{last.year}년"
    return f"{first.isoformat()} ~ {last.isoformat()}"


def format_percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(Decimal('0.1'))}%"
