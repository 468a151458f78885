"""Parse a Korean written number (digits mixed with 천/백/십 and 만/억/조/경) into an exact Decimal and its step."""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from decimal import Decimal, DecimalException

# Every product and sum below must be exact; trapping Inexact turns a silent rounding into a loud bug.
_EXACT = decimal.Context(prec=60, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])

SMALL_UNITS = {"십": Decimal(10), "백": Decimal(100), "천": Decimal(1000)}
BIG_UNITS = {"만": Decimal(10) ** 4, "억": Decimal(10) ** 8, "조": Decimal(10) ** 12, "경": Decimal(10) ** 16}
_GROUP_LIMIT = Decimal(10000)

# One space may follow a big unit: Korean spacing rules write '3만 2000명'.
_TOKEN = re.compile(
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<small>[십백천])"
    r"|(?P<big>[만억조경])(?: (?=\d))?"
)
_COMMA_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


class NumberFormatError(ValueError):
    """The text is not a Korean written number this parser understands."""


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal
    step: Decimal  # place value of the last significant written digit (88.5 -> 0.1, 4000억 -> 1000억)


class _Section:
    """Reads one group below a big unit, e.g. '3천965' or '4,116', keeping the step of its last digit."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.value = Decimal(0)
        self.step: Decimal | None = None
        self.pending: str | None = None  # digit run not yet claimed by 천/백/십
        self.last_small: Decimal | None = None
        self.written = False

    def add_digits(self, digits: str) -> None:
        if self.pending is not None:
            raise NumberFormatError(f"two digit runs in a row in {self.text!r}")
        if "," in digits and not _COMMA_DIGITS.fullmatch(digits):
            raise NumberFormatError(f"bad thousands separators in {self.text!r}")
        self.pending = digits.replace(",", "")
        self.written = True

    def add_small_unit(self, unit: Decimal) -> None:
        if self.last_small is not None and unit >= self.last_small:
            raise NumberFormatError(f"천/백/십 out of order in {self.text!r}")
        if self.pending is None:
            # A bare '천' (as in '천억') means one thousand.
            self.value = _EXACT.add(self.value, unit)
            self.step = unit
        else:
            multiplier = Decimal(self.pending)
            if multiplier == 0 or multiplier >= 10:
                raise NumberFormatError(f"{self.pending} before a 천/백/십 in {self.text!r}")
            self.value = _EXACT.add(self.value, _EXACT.multiply(multiplier, unit))
            self.step = _EXACT.multiply(_digit_step(self.pending), unit)
        self.pending = None
        self.last_small = unit
        self.written = True

    def close(self) -> tuple[Decimal, Decimal | None]:
        """Value of the group and the step of its last significant digit (None if it is all zeros)."""
        if self.pending is not None:
            run = Decimal(self.pending)
            if self.last_small is not None and run >= self.last_small:
                raise NumberFormatError(f"{self.pending} does not fit below its unit in {self.text!r}")
            self.value = _EXACT.add(self.value, run)
            if run != 0 or "." in self.pending:
                self.step = _digit_step(self.pending)
        return self.value, self.step


MAX_DIGITS = 40  # no figure in the news has more; a longer run of digits is page garbage


def parse_number(text: str) -> ParsedNumber:
    """Return the exact value and step of `text`, e.g. '4만7천' -> (47000, 1000); raise NumberFormatError."""
    if sum(ch.isdigit() for ch in text) > MAX_DIGITS:
        raise NumberFormatError(f"too many digits to be a figure: {text[:20]}…")
    try:
        return _parse_number(text)
    except DecimalException as error:  # exact arithmetic refused: not a number we can read
        raise NumberFormatError(f"cannot read {text[:20]!r}: {error!r}") from None


def _parse_number(text: str) -> ParsedNumber:
    total = Decimal(0)
    step: Decimal | None = None
    section = _Section(text)
    last_big: Decimal | None = None
    saw_decimal = False
    pos = 0
    if not text:
        raise NumberFormatError("empty number")
    while pos < len(text):
        token = _TOKEN.match(text, pos)
        if token is None:
            raise NumberFormatError(f"unexpected {text[pos]!r} in {text!r}")
        pos = token.end()
        if token["digits"] is not None:
            # A decimal part ends the digits: '1.2억5000만' is not how anyone writes a number.
            if saw_decimal:
                raise NumberFormatError(f"digits after a decimal part in {text!r}")
            saw_decimal = "." in token["digits"]
            section.add_digits(token["digits"])
        elif token["small"] is not None:
            section.add_small_unit(SMALL_UNITS[token["small"]])
        else:
            unit = BIG_UNITS[token["big"]]
            if last_big is not None and unit >= last_big:
                raise NumberFormatError(f"big units out of order in {text!r}")
            if not section.written:
                raise NumberFormatError(f"{token['big']!r} without digits in {text!r}")
            total, step = _fold(total, step, section, unit, last_big is not None)
            section, last_big = _Section(text), unit
    if section.written:
        total, step = _fold(total, step, section, Decimal(1), last_big is not None)
    elif last_big is None:
        raise NumberFormatError(f"no digits in {text!r}")
    return ParsedNumber(_tidy(total), _tidy(step if step is not None else Decimal(1)))


def _fold(total: Decimal, step: Decimal | None, section: _Section, unit: Decimal,
          follows_big_unit: bool) -> tuple[Decimal, Decimal | None]:
    """Scale a finished group by its big unit and add it to the running total and step."""
    value, section_step = section.close()
    if follows_big_unit and value >= _GROUP_LIMIT:
        raise NumberFormatError(f"group of 10000 or more inside {section.text!r}")
    total = _EXACT.add(total, _EXACT.multiply(value, unit))
    if section_step is not None:
        step = _EXACT.multiply(section_step, unit)
    return total, step


def _digit_step(plain: str) -> Decimal:
    """Place value of the last significant digit of a plain digit string ('1100' -> 100, '88.50' -> 0.01)."""
    if "." in plain:
        return Decimal(1).scaleb(-len(plain.split(".", 1)[1]))
    if plain.strip("0") == "":
        return Decimal(1)
    zeros = len(plain) - len(plain.rstrip("0"))
    return Decimal(1).scaleb(zeros)


def _tidy(number: Decimal) -> Decimal:
    """Drop a spurious exponent or '.0' so integral results print as plain integers."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1), context=_EXACT)
    return number.normalize(context=_EXACT)
