"""Tests for checker.dates and checker.expressions: dates, periods and relative dates in Korean text."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.dates import DateExpr, parse_dates
from checker.expressions import parse_expressions

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
PUBLISHED = date(2022, 4, 13)

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not available")


def only(text: str, published: date | None = PUBLISHED) -> DateExpr:
    found = parse_dates(text, published)
    assert len(found) == 1, found
    return found[0]


def seed_dates(prefix: str, published: date) -> dict[str, DateExpr]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return {d.text: d for d in parse_dates(path.read_text(encoding="utf-8"), published)}


@pytest.mark.parametrize(
    "sentence, text, first, last, grain",
    [
        ("행사는 2019년 3월 2일 열렸다.", "2019년 3월 2일", date(2019, 3, 2), date(2019, 3, 2), "day"),
        ("2019년3월2일 개막", "2019년3월2일", date(2019, 3, 2), date(2019, 3, 2), "day"),
        ("2019년 3월 문을 열었다.", "2019년 3월", date(2019, 3, 1), date(2019, 3, 31), "month"),
        ("2016년 2월 착공", "2016년 2월", date(2016, 2, 1), date(2016, 2, 29), "month"),
        ("그는 1998년 입사했다.", "1998년", date(1998, 1, 1), date(1998, 12, 31), "year"),
        ("기자 2023. 7. 4. 10:20", "2023. 7. 4.", date(2023, 7, 4), date(2023, 7, 4), "day"),
        ("입력 2023.07.04 10:20", "2023.07.04", date(2023, 7, 4), date(2023, 7, 4), "day"),
        ("수정 2023-07-04 10:20", "2023-07-04", date(2023, 7, 4), date(2023, 7, 4), "day"),
        ("2023년 상반기 개통", "2023년 상반기", date(2023, 1, 1), date(2023, 6, 30), "half"),
        ("2023년 3분기 실적", "2023년 3분기", date(2023, 7, 1), date(2023, 9, 30), "quarter"),
    ],
)
def test_absolute_points(sentence, text, first, last, grain):
    d = only(sentence)
    assert (d.text, d.kind, d.first, d.last, d.grain, d.relative) == (text, "date", first, last, grain, False)


def test_oneun_before_an_absolute_year_is_not_relative_and_not_in_the_span():
    d = only("오는 2027년 완공한다.")
    assert (d.text, d.relative, d.first) == ("2027년", False, date(2027, 1, 1))


@pytest.mark.parametrize(
    "sentence, text, first, last",
    [
        ("2021년부터 3년간 지원한다.", "2021년부터 3년간", date(2021, 1, 1), date(2023, 12, 31)),
        ("2021년부터 3년 동안 지원한다.", "2021년부터 3년 동안", date(2021, 1, 1), date(2023, 12, 31)),
        ("2021~2023년 지원한다.", "2021~2023년", date(2021, 1, 1), date(2023, 12, 31)),
        ("2021-2023년 지원한다.", "2021-2023년", date(2021, 1, 1), date(2023, 12, 31)),
        ("2021부터 2023년까지 지원한다.", "2021부터 2023년까지", date(2021, 1, 1), date(2023, 12, 31)),
        ("2026년부터 2030년까지 이어진다.", "2026년부터 2030년까지", date(2026, 1, 1), date(2030, 12, 31)),
        ("2021년부터 2023년까지 3년간 쓴다.", "2021년부터 2023년까지 3년간", date(2021, 1, 1), date(2023, 12, 31)),
        ("2021년 3월부터 2022년 2월까지 했다.", "2021년 3월부터 2022년 2월까지", date(2021, 3, 1), date(2022, 2, 28)),
        ("2021.3.2~2021.3.5 개최", "2021.3.2~2021.3.5", date(2021, 3, 2), date(2021, 3, 5)),
    ],
)
def test_periods(sentence, text, first, last):
    d = only(sentence)
    assert (d.text, d.kind, d.first, d.last) == (text, "period", first, last)


@pytest.mark.parametrize(
    "sentence, text, first, last, grain",
    [
        ("올해 문을 연다.", "올해", date(2022, 1, 1), date(2022, 12, 31), "year"),
        ("내년 문을 연다.", "내년", date(2023, 1, 1), date(2023, 12, 31), "year"),
        ("지난해 문을 열었다.", "지난해", date(2021, 1, 1), date(2021, 12, 31), "year"),
        ("작년 문을 열었다.", "작년", date(2021, 1, 1), date(2021, 12, 31), "year"),
        ("올 연말 완공된다.", "올 연말", date(2022, 11, 1), date(2022, 12, 31), "month"),
        ("내년 상반기 개통", "내년 상반기", date(2023, 1, 1), date(2023, 6, 30), "half"),
        ("하반기 개통", "하반기", date(2022, 7, 1), date(2022, 12, 31), "half"),
        ("지난해 10월 착공", "지난해 10월", date(2021, 10, 1), date(2021, 10, 31), "month"),
        ("다음달 개통", "다음달", date(2022, 5, 1), date(2022, 5, 31), "month"),
        ("이달 개통", "이달", date(2022, 4, 1), date(2022, 4, 30), "month"),
        ("지난달 개통", "지난달", date(2022, 3, 1), date(2022, 3, 31), "month"),
        ("지난 2월4일 열렸다.", "지난 2월4일", date(2022, 2, 4), date(2022, 2, 4), "day"),
        ("지난 11월 3일 열렸다.", "지난 11월 3일", date(2021, 11, 3), date(2021, 11, 3), "day"),
        ("오는 2월 3일 연다.", "오는 2월 3일", date(2023, 2, 3), date(2023, 2, 3), "day"),
        ("5월 20일 연다.", "5월 20일", date(2022, 5, 20), date(2022, 5, 20), "day"),
        ("6월부터 시행", "6월", date(2022, 6, 1), date(2022, 6, 30), "month"),
        ("13일 발표했다.", "13일", date(2022, 4, 13), date(2022, 4, 13), "day"),
        ("2일 발표했다.", "2일", date(2022, 4, 2), date(2022, 4, 2), "day"),
        ("29일 발표했다.", "29일", date(2022, 3, 29), date(2022, 3, 29), "day"),
    ],
)
def test_relative_dates(sentence, text, first, last, grain):
    d = only(sentence)
    assert (d.text, d.first, d.last, d.grain, d.relative) == (text, first, last, grain, True)


def test_yeonnae_runs_from_publication_to_year_end():
    d = only("연내 완공한다.")
    assert (d.kind, d.first, d.last, d.relative) == ("period", PUBLISHED, date(2022, 12, 31), True)


@pytest.mark.parametrize("sentence", ["올해 문을 연다.", "29일 발표", "지난 2월4일 열렸다.", "올 연말 완공", "연내 완공"])
def test_relative_dates_are_omitted_without_publication_date(sentence):
    assert parse_dates(sentence, None) == []


def test_absolute_dates_need_no_publication_date():
    assert only("2019년 3월 2일", None).first == date(2019, 3, 2)


@pytest.mark.parametrize(
    "sentence",
    ["3일간 열린다.", "7년 전 일이다.", "2월 30일", "전화 031-555-0199", "2020년대 들어", "사진 2019 행사.jpg",
     "사무실 3층", "한 해 올 사람", "지난 해외 출장", "차가 내달렸다", "연말정산 서류"],
)
def test_not_dates(sentence):
    assert parse_dates(sentence, PUBLISHED) == []


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_any_written_calendar_day_round_trips(day):
    for written in (f"{day.year}년 {day.month}월 {day.day}일", f"{day.year}.{day.month:02}.{day.day:02}",
                    f"{day.year}. {day.month}. {day.day}."):
        d = only(f"발표 {written} 기준", None)
        assert (d.first, d.last, d.text) == (day, day, written)


@given(st.text(alphabet="0123456789년월일.~- 부터까지간올해내지난상하반기연말오는", max_size=40),
       st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)))
def test_spans_slice_and_first_precedes_last(text, published):
    for d in parse_dates(text, published):
        assert text[d.start:d.end] == d.text
        assert d.first <= d.last


@pytest.mark.parametrize("expression", ["올 연말", "내년 상반기", "지난 2월4일", "2025년부터 2029년까지", "지난해", "다음달"])
def test_agrees_with_korean_datetime_on_where_it_ends(expression):
    """korean_datetime is 20x slower and misses durations, but it is a useful second opinion."""
    korean_datetime = pytest.importorskip("korean_datetime")
    theirs = korean_datetime.parse(expression, now=datetime(2022, 4, 13))
    ours = only(expression)
    assert ours.last == theirs.end.date() - timedelta(days=1)
    if expression != "올 연말":  # theirs reads 연말 as December alone, ours as November-December
        assert ours.first == theirs.start.date()


@needs_seeds
def test_seed_003_periods():
    found = seed_dates("003", date(2021, 11, 22))
    period = found["2020년부터 5년간"]
    assert (period.kind, period.first, period.last) == ("period", date(2020, 1, 1), date(2024, 12, 31))
    second = found["2025년부터 2029년까지"]
    assert (second.kind, second.first, second.last) == ("period", date(2025, 1, 1), date(2029, 12, 31))
    assert found["지난 10월 28일"].first == date(2021, 10, 28)


@needs_seeds
def test_seed_004_period_and_widget():
    found = seed_dates("004", date(2021, 3, 9))
    period = found["2020부터 2024년까지 5년간"]
    assert (period.kind, period.first, period.last) == ("period", date(2020, 1, 1), date(2024, 12, 31))
    widget = found["2024.04.27"]
    assert (widget.kind, widget.first) == ("date", date(2024, 4, 27))
    assert found["지난 2월4일"].first == date(2021, 2, 4)


@needs_seeds
def test_seed_002_relative_forms():
    found = seed_dates("002", date(2022, 4, 13))
    year_end = found["올 연말"]
    assert (year_end.first, year_end.last, year_end.relative) == (date(2022, 11, 1), date(2022, 12, 31), True)
    first_half = found["내년 상반기"]
    assert (first_half.first, first_half.last) == (date(2023, 1, 1), date(2023, 6, 30))
    assert found["2022년 04월 13일"].first == date(2022, 4, 13)


@needs_seeds
def test_weather_widget_lines_give_no_dates_but_the_widget_date():
    path = next(SEEDS.glob("004_*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines():
        if "℃" in line:
            assert parse_dates(line, date(2021, 3, 9)) == [], line


# parse_expressions: quantities and dates together, never claiming the same characters.

def test_duration_stays_a_quantity_and_the_period_keeps_its_days():
    quantities, dates = parse_expressions("2021년부터 3년간 900억원을 쓴다.", PUBLISHED)
    assert [q.text for q in quantities] == ["3년간", "900억원"]
    assert [(d.text, d.kind, d.first, d.last) for d in dates] == [
        ("2021년부터", "period", date(2021, 1, 1), date(2023, 12, 31))]


def test_calendar_years_are_dates_not_quantities():
    quantities, dates = parse_expressions("2021년 직원 40명", PUBLISHED)
    assert [q.text for q in quantities] == ["40명"]
    assert [d.text for d in dates] == ["2021년"]


@needs_seeds
def test_expressions_never_overlap_on_seeds():
    for path in sorted(SEEDS.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        quantities, dates = parse_expressions(text, date(2022, 4, 13))
        spans = sorted([(q.start, q.end) for q in quantities] + [(d.start, d.end) for d in dates])
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert end <= start, path.name
        for d in dates:
            assert text[d.start:d.end] == d.text
