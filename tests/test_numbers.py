"""Tests for checker.numbers: Korean written numbers to exact Decimal values and steps."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.numbers import NumberFormatError, parse_number

EOK = 10**8
JO = 10**12


@pytest.mark.parametrize(
    "written, value",
    [
        ("48", 48),
        ("4,116", 4116),
        ("88.5", Decimal("88.5")),
        ("4만7256", 47256),
        ("4만7천", 47000),
        ("4만 7256", 47256),
        ("1조2천억", 12 * 10**11),
        ("1조 2천억", 12 * 10**11),
        ("3천965억", 3965 * EOK),
        ("3천9백65", 3965),
        ("8경8500조", 88500 * JO),
        ("1.2억", 12 * 10**7),
        ("4116억", 4116 * EOK),
        ("1,098억", 1098 * EOK),
        ("천억", 1000 * EOK),
        ("1.5천", 1500),
        ("0", 0),
    ],
)
def test_value(written, value):
    assert parse_number(written).value == Decimal(value)


@pytest.mark.parametrize(
    "written, step",
    [
        ("4116억", EOK),
        ("4000억", 1000 * EOK),
        ("4만7256", 1),
        ("4만7천", 1000),
        ("4만", 10**4),
        ("88.5", Decimal("0.1")),
        ("88.50", Decimal("0.01")),
        ("8.85", Decimal("0.01")),
        ("1100", 100),
        ("48", 1),
        ("80", 10),
        ("1.2억", 10**7),
        ("1조2천억", 1000 * EOK),
        ("3천965억", EOK),
        ("1조", JO),
        ("0", 1),
    ],
)
def test_step_is_place_of_last_significant_digit(written, step):
    assert parse_number(written).step == Decimal(step)


@pytest.mark.parametrize(
    "garbage",
    ["", "abc", "억", "만 ", " 48", "1만2만", "4만12345", "12천", "3천4천", "1,2", "12,34", "1.2.3",
     "1.2억5000만", "48명", "4-5"],
)
def test_garbage_raises_typed_error(garbage):
    with pytest.raises(NumberFormatError):
        parse_number(garbage)


def test_number_format_error_is_a_value_error():
    assert issubclass(NumberFormatError, ValueError)


def test_integral_results_have_no_exponent():
    assert str(parse_number("1.2억").value) == "120000000"


@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_comma_formatted_integers_round_trip(n):
    assert parse_number(f"{n:,}").value == n


def _korean_mixed(n: int, space: bool) -> str:
    """Write n the way reporters do: digit groups under 조/억/만, e.g. 1조 2345억 6789."""
    parts = []
    for unit, size in (("조", 10**12), ("억", 10**8), ("만", 10**4)):
        group, n = divmod(n, size)
        if group:
            parts.append(f"{group}{unit}")
    if n or not parts:
        parts.append(str(n))
    return (" " if space else "").join(parts)


@given(st.integers(min_value=0, max_value=10**16 - 1), st.booleans())
def test_korean_mixed_integers_round_trip(n, space):
    assert parse_number(_korean_mixed(n, space)).value == n


@given(st.integers(min_value=1, max_value=10**16 - 1))
def test_step_divides_value_and_marks_last_nonzero_digit(n):
    step = parse_number(_korean_mixed(n, space=False)).step
    assert n % step == 0
    assert (n // step) % 10 != 0


def test_a_run_of_digits_too_long_to_be_a_figure_is_refused_not_crashed():
    with pytest.raises(NumberFormatError):
        parse_number("1" * 100_000)


def test_page_garbage_with_endless_digits_yields_no_quantity():
    from checker.quantities import parse_quantities

    assert parse_quantities("1" * 100_000 + "억원") == []
