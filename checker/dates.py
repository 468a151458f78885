"""Find calendar dates and periods in Korean news text, resolving relative ones against the publication date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DateExpr:
    start: int
    end: int
    text: str
    kind: str  # "date": a point, maybe coarse (a year, a month, a half-year) | "period": a span with a start and an end
    first: date  # first day covered
    last: date  # last day covered (inclusive)
    grain: str  # "day" | "month" | "quarter" | "half" | "year"
    relative: bool  # True when resolved against the publication date


_YEAR = r"(?:(?:1[89]|2[01])\d{2}|['‘’]\d{2}(?=년))"  # 2019년, and the clipped '19년 of headlines
_NO_DIGIT_BEFORE = r"(?<![0-9A-Za-z.,:/@_\-])"
_PART_OF_YEAR = r"(?:상반기|하반기|(?P<{q}>[1-4])분기|연말|연초|말(?=[^가-힣]|[까에부께쯤의은]|$)|초(?=[^가-힣]|[까에부께쯤의은]|$))"
# Relative words are also the start of ordinary words ('지난 해외', '내달리다', '연말정산'):
# they must end the word or be followed by a particle.
_WORD_END = r"(?=[^가-힣]|[에은는을를의도부까말초중와과가로만이보엔께쯤]|$)"
_RELATIVE_YEAR_WORDS = {
    "올해": 0, "금년": 0, "올": 0, "내년": 1, "명년": 1, "내후년": 2,
    "지난해": -1, "지난 해": -1, "작년": -1, "재작년": -2,
}
_RELATIVE_MONTH_WORDS = {"이달": 0, "이번달": 0, "이번 달": 0, "다음달": 1, "다음 달": 1, "내달": 1, "지난달": -1, "지난 달": -1}

# Alternatives are tried left to right at each position, so longer forms come before their prefixes.
# The leading lookahead lists every alternative's first character: it makes most positions fail at
# once, which cuts the scan time by five.
_DATE = re.compile(
    "(?=[0-9올금내명지재작이다오상하연'‘’])(?:" + "|".join([
        # 2020~2024년, 2020부터 2024년까지 (5년간): the first year may lack 년
        rf"{_NO_DIGIT_BEFORE}(?P<range_a>{_YEAR})년? ?(?:~|∼|-|–|부터|에서) ?(?P<range_b>{_YEAR})년(?:까지)"
        rf"(?: ?(?P<range_n2>\d{{1,2}})년 ?(?:간|동안))?"
        rf"|{_NO_DIGIT_BEFORE}(?P<range_c>{_YEAR})년? ?(?:~|∼|-|–|부터) ?(?P<range_d>{_YEAR})년"
        rf"(?: ?(?P<range_n>\d{{1,2}})년 ?(?:간|동안))?",
        # 2020년부터 5년간
        rf"{_NO_DIGIT_BEFORE}(?P<span_a>{_YEAR})년 ?부터 ?(?P<span_n>\d{{1,2}})년 ?(?:간|동안)",
        # 2020년 1월 29일, 2020년 1월
        rf"{_NO_DIGIT_BEFORE}(?P<ymd_y>{_YEAR})년 ?(?P<ymd_m>\d{{1,2}})월(?: ?(?P<ymd_d>\d{{1,2}})일)?",
        # 2024. 8. 1.  2020.01.29  2020-01-29  2020/01/29
        rf"{_NO_DIGIT_BEFORE}(?P<dot_y>{_YEAR})(?P<sep>\. ?|-|/)(?P<dot_m>\d{{1,2}})(?P=sep)(?P<dot_d>\d{{1,2}})(?:\.(?!\d))?(?!\d)",
        # 2023년 상반기, 2023년 말
        rf"{_NO_DIGIT_BEFORE}(?P<ypart_y>{_YEAR})년 ?(?P<ypart>{_PART_OF_YEAR.format(q='ypart_q')})",
        rf"{_NO_DIGIT_BEFORE}(?P<year>{_YEAR})년(?!대|간| ?동안)",
        # 올해, 내년 상반기, 지난해 10월, 올 연말 ('올' alone is a verb form, so it needs a part)
        rf"(?<![가-힣])(?:(?P<rel_y>올해|금년|내후년|내년|명년|지난 ?해|재작년|작년){_WORD_END}"
        rf"(?: ?(?:(?P<rel_m>\d{{1,2}})월(?: ?(?P<rel_d>\d{{1,2}})일)?|(?P<rel_part>{_PART_OF_YEAR.format(q='rel_q')})))?"
        rf"|(?P<rel_ol>올) (?:(?P<ol_m>\d{{1,2}})월(?: ?(?P<ol_d>\d{{1,2}})일)?|(?P<ol_part>{_PART_OF_YEAR.format(q='ol_q')})))",
        rf"(?<![가-힣])(?P<rel_month>이번 ?달|이달|다음 ?달|내달|지난 ?달){_WORD_END}",
        # 지난 2월4일, 10월 28일, 4월, 29일
        rf"(?:(?P<md_dir>지난|오는) ?)?{_NO_DIGIT_BEFORE}(?P<md_m>\d{{1,2}})월(?: ?(?P<md_d>\d{{1,2}})일)?",
        rf"(?:(?P<d_dir>지난|오는) ?)?{_NO_DIGIT_BEFORE}(?P<d_d>\d{{1,2}})일(?!간| ?동안|째| ?만에)",
        rf"(?<![가-힣])(?P<bare_part>상반기|하반기|연말|연초|연내|(?P<bare_q>[1-4])분기){_WORD_END}",
    ]) + ")"
)
_RANGE_LINK = re.compile(r" ?(?:부터|~|∼|-|–) ?")
_UNTIL = re.compile(r"까지")


def parse_dates(text: str, published: date | None) -> list[DateExpr]:
    """Every date or period in `text`; relative ones are dropped when `published` is None."""
    found = []
    for match in _DATE.finditer(text):
        expr = _resolve(text, match, published)
        if expr is not None:
            found.append(expr)
    return _join_ranges(text, found)


def _resolve(text: str, m: re.Match, published: date | None) -> DateExpr | None:
    try:
        resolved = _resolve_fields(m, published)
    except ValueError:
        return None  # 2월 30일 and friends: not a date
    if resolved is None:
        return None
    kind, first, last, grain, relative = resolved
    start, end = m.span()
    return DateExpr(start, end, text[start:end], kind, first, last, grain, relative)


def _year(text: str) -> int:
    """'2019' → 2019; the clipped "'19" of headlines → 2019 (a century is assumed: 2000s)."""
    return 2000 + int(text[1:]) if text[:1] in "'‘’" else int(text)


def _resolve_fields(m: re.Match, published: date | None):
    g = m.groupdict()
    if g.get("range_c"):
        g = {**g, "range_a": g["range_c"], "range_b": g["range_d"]}
    if g["range_a"]:
        first_year, last_year = _year(g["range_a"]), _year(g["range_b"])
        if last_year <= first_year:
            return None
        return "period", date(first_year, 1, 1), date(last_year, 12, 31), "year", False
    if g["span_a"]:
        first_year, years = _year(g["span_a"]), int(g["span_n"])
        if years < 1:
            return None
        return "period", date(first_year, 1, 1), date(first_year + years - 1, 12, 31), "year", False
    if g["ymd_y"]:
        return _point(_year(g["ymd_y"]), int(g["ymd_m"]), g["ymd_d"], relative=False)
    if g["dot_y"]:
        return _point(_year(g["dot_y"]), int(g["dot_m"]), g["dot_d"], relative=False)
    if g["ypart_y"]:
        return _part_of_year(_year(g["ypart_y"]), g["ypart"], g["ypart_q"], relative=False)
    if g["year"]:
        year = _year(g["year"])
        return "date", date(year, 1, 1), date(year, 12, 31), "year", False
    if published is None:
        return None
    if g["rel_y"] or g["rel_ol"]:
        return _relative_year(g, published)
    if g["rel_month"]:
        return _relative_month(g["rel_month"], published)
    if g["md_m"]:
        return _yearless_month_day(int(g["md_m"]), g["md_d"], g["md_dir"], published)
    if g["d_d"]:
        return _yearless_day(int(g["d_d"]), g["d_dir"], published)
    if g["bare_part"] == "연내":
        # Within this year: from publication to 31 December (a deadline, not the whole year).
        return "period", published, date(published.year, 12, 31), "day", True
    return _part_of_year(published.year, g["bare_part"], g["bare_q"], relative=True)


def _point(year: int, month: int, day: str | None, relative: bool):
    if day is None:
        return "date", date(year, month, 1), _month_end(year, month), "month", relative
    point = date(year, month, int(day))
    return "date", point, point, "day", relative


def _part_of_year(year: int, part: str, quarter: str | None, relative: bool):
    """상반기, 하반기, N분기, 연말/말 (Nov-Dec), 연초/초 (Jan-Feb) of `year`."""
    if part == "상반기":
        return "date", date(year, 1, 1), date(year, 6, 30), "half", relative
    if part == "하반기":
        return "date", date(year, 7, 1), date(year, 12, 31), "half", relative
    if quarter is not None:
        first_month = 3 * int(quarter) - 2
        return "date", date(year, first_month, 1), _month_end(year, first_month + 2), "quarter", relative
    if part in ("연말", "말"):
        # Reporters use 연말 for "by the end of the year": the last two months is the usual reading.
        return "date", date(year, 11, 1), date(year, 12, 31), "month", relative
    return "date", date(year, 1, 1), _month_end(year, 2), "month", relative


def _relative_year(g: dict, published: date):
    word = g["rel_y"] or g["rel_ol"]
    year = published.year + _RELATIVE_YEAR_WORDS[word]
    month = g["rel_m"] or g["ol_m"]
    part = g["rel_part"] or g["ol_part"]
    if month:
        return _point(year, int(month), g["rel_d"] or g["ol_d"], relative=True)
    if part:
        return _part_of_year(year, part, g["rel_q"] or g["ol_q"], relative=True)
    return "date", date(year, 1, 1), date(year, 12, 31), "year", True


def _relative_month(word: str, published: date):
    year, month = _shift_month(published.year, published.month, _RELATIVE_MONTH_WORDS[word])
    return "date", date(year, month, 1), _month_end(year, month), "month", True


def _yearless_month_day(month: int, day: str | None, direction: str | None, published: date):
    """A month (and day) in the publication year; 지난 moves it back a year, 오는 forward, if needed."""
    year = published.year
    candidate = date(year, month, int(day) if day else 1)
    if direction == "지난" and candidate > published:
        year -= 1
    elif direction == "오는" and (candidate < published if day else month < published.month):
        year += 1
    return _point(year, month, day, relative=True)


def _yearless_day(day: int, direction: str | None, published: date):
    """A day in the publication month, or the month before when it would lie after publication."""
    year, month = published.year, published.month
    if direction == "오는":
        if day < published.day:
            year, month = _shift_month(year, month, 1)
    elif day > published.day:
        year, month = _shift_month(year, month, -1)
    point = date(year, month, day)
    return "date", point, point, "day", True


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _join_ranges(text: str, found: list[DateExpr]) -> list[DateExpr]:
    """Merge 'A부터 B까지' and 'A~B' into one period when B does not start before A ends."""
    joined: list[DateExpr] = []
    for expr in found:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.grain == "month" and expr.grain == "day" and previous.kind == "date"
                and text[previous.end:expr.start] == " " and re.fullmatch(r"\d{1,2}일", expr.text)):
            # '지난달 26일', '다음 달 30일': one day of the month just named, one expression
            try:
                day = date(previous.first.year, previous.first.month, int(expr.text[:-1]))
            except ValueError:
                day = None
            if day is not None:
                joined[-1] = DateExpr(previous.start, expr.end, text[previous.start:expr.end], "date", day, day,
                                      "day", previous.relative or expr.relative)
                continue
        if previous is not None and previous.kind == "date" and expr.kind == "date" and previous.last < expr.first:
            link = _RANGE_LINK.fullmatch(text, previous.end, expr.start)
            if link is not None:
                end = expr.end
                until = _UNTIL.match(text, end)
                if until is not None:
                    end = until.end()
                grain = previous.grain if _GRAIN_ORDER[previous.grain] < _GRAIN_ORDER[expr.grain] else expr.grain
                joined[-1] = DateExpr(previous.start, end, text[previous.start:end], "period", previous.first,
                                      expr.last, grain, previous.relative or expr.relative)
                continue
        joined.append(expr)
    return joined


_GRAIN_ORDER = {"day": 0, "month": 1, "quarter": 2, "half": 3, "year": 4}
