"""Writes values back in the Korean a fact-checker reads: 4116억원, 4만7256㎡, 2020-01-29."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

_UNIT_SUFFIX = {
    "person": "명", "count": "개", "company": "개사", "place": "곳", "case": "건", "percent": "%",
    "times": "배", "m2": "㎡", "PF": "PF", "PB": "PB", "TF": "TF", "TB": "TB",
    "duration_year": "년", "duration_month": "개월", "round": "회", "ordinal": "대", "L": "ℓ",
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


# Base units of the standard measures, shown in the unit reporters use at that size.
_MEASURE_DISPLAY = {"m": ((1000, "㎞"), (1, "m")), "s": ((60, "분"), (1, "초")), "kg": ((1000, "톤"), (1, "㎏")),
                    "kW": ((1000, "MW"), (1, "kW")), "kWh": ((1000, "MWh"), (1, "kWh")), "km/h": ((1, "㎞/h"),)}


def format_value(value: Decimal | None, unit: str | None) -> str:
    if value is None:
        return "?"
    if unit == "KRW":
        return format_won(value)
    if unit in _MEASURE_DISPLAY:
        factor, suffix = next((f, w) for f, w in _MEASURE_DISPLAY[unit] if abs(value) >= f or f == 1)
        return f"{format_number(value / factor)}{suffix}"
    if unit and unit.startswith("counter:"):
        return f"{format_number(value)}{unit.split(':', 1)[1]}"
    return f"{format_number(value)}{_UNIT_SUFFIX.get(unit or '', '')}"


def format_span(low: Decimal | None, high: Decimal | None) -> str:
    if low is None or high is None:
        return "?"
    first, last = date.fromordinal(int(low)), date.fromordinal(int(high))
    if first == last:
        return first.isoformat()
    if first.month == 1 and first.day == 1 and last.month == 12 and last.day == 31:
        return f"{first.year}년" if first.year == last.year else f"{first.year}~{last.year}년"
    month_end = date.fromordinal(last.toordinal() + 1).day == 1
    if first.day == 1 and month_end and first.year == last.year:
        months = f"{first.month}월" if first.month == last.month else f"{first.month}~{last.month}월"
        return f"{first.year}년 {months}"
    return f"{first.isoformat()} ~ {last.isoformat()}"


def format_percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(Decimal('0.1'))}%"


# How the last character of a word is read aloud decides the particle: 억원이 / 48명이 / 88.5PF가.
_DIGIT_HAS_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True, "7": True, "8": True, "9": False}
_READ_AS = {"%": "퍼센트", "㎡": "제곱미터", "PF": "피에프", "PB": "피비", "TF": "티에프", "TB": "티비"}


def _has_final_consonant(word: str) -> bool:
    word = word.strip().rstrip("'\"’”」』】")
    word = re.sub(r"\([^)]*\)$", "", word).strip() or word
    for suffix, reading in _READ_AS.items():
        if word.endswith(suffix):
            word = reading
    last = word[-1:] or "가"
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28 != 0
    if last in _DIGIT_HAS_FINAL:
        return _DIGIT_HAS_FINAL[last]
    return last.lower() in "lmnr"


def particle(word: str, with_final: str, without_final: str) -> str:
    """`word` followed by the right particle: particle("4116억원", "은", "는") → "4116억원은"."""
    return word + (with_final if _has_final_consonant(word) else without_final)
