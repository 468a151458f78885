"""Find every quantity (number + counter + hedge) in Korean free text, with exact character spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from checker.numbers import BIG_UNITS, SMALL_UNITS, NumberFormatError, ParsedNumber, parse_number


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str  # as written, hedge words included ("약 4000여억원", "1100억원 규모")
    value: Decimal  # nominal value in the unit's base (4116억원 -> 411600000000)
    unit: str  # canonical unit code, see UNIT_OF_COUNTER
    counter: str  # counter as written, spaces dropped ("억원", "명", "개사", "페타플롭스")
    hedge: str | None  # hedge word(s) as written, joined by a space ("약", "여", "약 여"); None if exact
    hedge_kind: str  # "exact" | "over" | "approx" | "under" | "vague"
    low: Decimal | None  # interval the writer commits to; None = unbounded
    high: Decimal | None
    low_inclusive: bool
    high_inclusive: bool
    step: Decimal  # place value of the last significant written digit, in base units


UNIT_OF_COUNTER = {
    "원": "KRW",
    "명": "person", "인": "person",
    "개": "count", "개소": "count",
    "개사": "company", "社": "company",
    "개국": "country",
    "곳": "place",
    "건": "case",
    "%": "percent", "퍼센트": "percent", "프로": "percent",
    "%p": "percent_point", "%포인트": "percent_point", "퍼센트포인트": "percent_point",
    "배": "times",
    "평": "pyeong",
    "PF": "PF", "페타플롭스": "PF", "PFLOPS": "PF", "페타플롭": "PF",
    "TF": "TF", "테라플롭스": "TF",
    "PB": "PB", "페타바이트": "PB",
    "TB": "TB", "테라바이트": "TB",
    "년": "duration_year", "개년": "duration_year",
    "개월": "duration_month",
    "회": "round",
    "대": "item_dae",
    "호": "ho", "호점": "ho",
}

# Standard measures a program may bring (route lengths, speeds, travel times, tonnage, plant
# capacity): each counter is read into one base unit, so '32.3㎞' and '3만2300m' compare equal
# and '21분 30초' is 21.5분. counter → (unit code, factor to the base unit).
MEASURES = {
    "㎞": ("m", 1000), "km": ("m", 1000), "킬로미터": ("m", 1000), "m": ("m", 1), "미터": ("m", 1),
    "㎞/h": ("km/h", 1), "km/h": ("km/h", 1), "㎞/시": ("km/h", 1), "킬로미터/시": ("km/h", 1),
    "시간": ("s", 3600), "분": ("s", 60), "초": ("s", 1),
    "톤": ("kg", 1000), "㎏": ("kg", 1), "kg": ("kg", 1), "킬로그램": ("kg", 1),
    "GW": ("kW", 10**6), "기가와트": ("kW", 10**6), "MW": ("kW", 1000), "㎿": ("kW", 1000),
    "메가와트": ("kW", 1000), "kW": ("kW", 1), "㎾": ("kW", 1), "킬로와트": ("kW", 1),
    "GWh": ("kWh", 10**6), "MWh": ("kWh", 1000), "㎿h": ("kWh", 1000), "kWh": ("kWh", 1), "㎾h": ("kWh", 1),
    "t": ("kg", 1000),
    "㎡": ("m2", 1), "m²": ("m2", 1), "m2": ("m2", 1), "제곱미터": ("m2", 1),
    "ha": ("m2", 10**4), "㏊": ("m2", 10**4), "헥타르": ("m2", 10**4),
    "㎢": ("m2", 10**6), "km²": ("m2", 10**6), "km2": ("m2", 10**6), "제곱킬로미터": ("m2", 10**6),
    "ℓ": ("L", 1), "L": ("L", 1), "리터": ("L", 1), "㎘": ("L", 1000), "kL": ("L", 1000),
}
UNIT_OF_COUNTER.update({word: unit for word, (unit, _) in MEASURES.items()})
GENERIC_UNIT_PREFIX = "counter:"  # a counter word the parser has no table entry for: '160량' → counter:량

# 규모 ("of a size of") is read as approx everywhere: for a precise figure ('4만7256㎡ 규모') the
# interval is only ±half a step wide, so it costs nothing; for a round one ('1100억원 규모') it is right.
HEDGE_KIND = {
    "여": "over", "남짓": "over", "대": "over", "넘는": "over", "초과": "over", "이상": "over", "최소": "over",
    "약": "approx", "대략": "approx", "가량": "approx", "정도": "approx", "안팎": "approx",
    "규모": "approx", "내외": "approx", "쯤": "approx", "가까이": "approx",
    "이하": "under", "미만": "under", "최대": "under",
}

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SECTION = rf"{_DIGITS}(?:[십백천](?:{_DIGITS})?)*"
# 경 is also an ordinary syllable ('3경기'), so it only counts when more number or 원 follows.
_BIG = r"(?:[만억조]|경(?=[\d조여원 ]))"
# A space may stand before 만/억/조 ("4161 억원", "4116 억 원"): reporters and CMS line-breaking do it.
_NUMBER = rf"{_SECTION}(?:여? ?{_BIG}(?: ?{_SECTION})?)*여?"
# Digits glued to Latin letters, separators or a closing bracket belong to e-mails, phone numbers,
# file names, times and dates, never to a quantity.
_NOT_AFTER = r"(?<![0-9A-Za-z.,:/@_~\-)+=&%#])(?<!\d )"  # '4 116억원': a spaced thousands group is not 116억원
# The leading lookahead lists every alternative's first character so most positions fail at once.
_CANDIDATE = re.compile(
    rf"(?=[0-9약대최제수초])(?P<pre>(?<![가-힣])(?:약|대략|최소|최대) ?)?"
    rf"(?:(?P<je>(?<![가-힣])제 ?)?{_NOT_AFTER}(?P<num>{_NUMBER})"
    rf"|(?<![가-힣])(?P<vague>수(?:[십백천][만억조]?|[만억조])여?)"
    rf"|(?<![가-힣])(?P<first>초대)(?= [가-힣]))"
)
_MEASURE_WORDS = "|".join(re.escape(w) for w in sorted(MEASURES, key=len, reverse=True))
_COUNTER = re.compile(
    r"(?P<space> ?)(?P<word>개사|개소|개월|개국|개년|개|명|인|社|곳|건|%p|%포인트|%|퍼센트포인트|퍼센트|프로|배"
    r"|평|페타플롭스|페타플롭|PFLOPS|PF|테라플롭스|TF|페타바이트|PB|테라바이트|TB|년|회|대|호점|호|원"
    rf"|{_MEASURE_WORDS})"
)
# A counter word no table knows ('160량', '5개 역', '20편성'): one or two syllables glued to the
# number and ending the word. It becomes the unit 'counter:량', so a rule that names the word
# as its unit is enough; no code change per program.
_GENERIC_COUNTER = re.compile(r"[가-힣]{1,2}")
# The same for a Latin unit no table knows ('250만TEU', '20GB', '7nm'): two to six letters glued
# to the number and ending the word. One letter ('5G', '4K', '3D') names a thing, not a unit.
_LATIN_COUNTER = re.compile(r"[A-Za-z]{2,6}(?![A-Za-z0-9])")
_NOT_LATIN_COUNTERS = frozenset({"st", "nd", "rd", "th", "am", "pm", "AM", "PM"})
# A four-digit year before a spaced word ('2030 세대', '2025 APEC') is a name, never a count.
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
# '5개 역', '6개역': a single-syllable noun after 개 makes the counter more specific (개역).
_GAE_NOUN = re.compile(r" ?([가-힣])")
_NOT_COUNTED_NOUN = frozenset("중등씩뿐및안쯤꼴째더또만이그저각총약모여와과의은는을를이가도로에")
_CLOCK_BEFORE = re.compile(r"(?:\d\s?시|오전|오후|새벽|밤|낮)\s?$")
_ASCII_TAIL = re.compile(r"[A-Za-z0-9]")
# What may follow a counter inside the same word: particles, copulas and the hedge words.
_PARTICLE_START = frozenset("이가은는을를의에도만과와로으씩째까부여뿐당정규미초남안내쯤넘밖보처나께라란며면짜입인중대")
# Single-syllable counters that double as the first syllable of ordinary words ('인공지능', '호선', '평가').
_WORD_PREFIX_COUNTERS = frozenset({"인", "프로", "평", "배", "건", "호", "원", "회", "곳", "분", "초", "시간", "톤", "미터"})
_DURATION_MARK = re.compile(r" ?간(?![가-힣])| ?간(?=[의에은을이도])| ?동안| ?만에|만(?![가-힣])|째")
# '30%대', '1000억원대': the range that starts at the figure ("the 1000억 range").
_POST_HEDGE = re.compile(
    r" ?(?P<word>이상|이하|미만|초과|가량|정도|남짓|규모|안팎|내외|쯤|가까이)"
    r"|[이가을를]? ?(?P<over>넘(?:는|게|어|은|었|긴))"
    r"|(?P<range>대)(?:(?![가-힣])|(?=[의에는를로가이인]))"
)
# '88.5 페타플롭스(PF)': a bracketed abbreviation of the same unit glued to the counter joins the span,
# so the reader sees the whole figure; any other bracket stays outside.
_UNIT_ABBREVIATION = re.compile(r"\((PF|PB|TF|TB)\)")
_ORDINAL_UNITS = {"대": "ordinal", "회": "round", "호": "ho", "호점": "ho"}
_TRAILING_MAGNITUDE = re.compile(r"[십백천만억조경]+$")


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order of appearance; digits with no known counter are skipped."""
    found: list[Quantity] = []
    for match in _CANDIDATE.finditer(text):
        if found and match.start() < found[-1].end:
            continue  # inside the previous quantity: the '30초' of '21분 30초'
        quantity = _read_candidate(text, match)
        if quantity is not None:
            found.append(quantity)
    return found


def _read_candidate(text: str, match: re.Match) -> Quantity | None:
    if match["first"] is not None:
        one = Decimal(1)
        return _build(text, match.start(), match.end(), one, one, "ordinal", "초대", [])
    if match["vague"] is not None:
        return _read_vague(text, match)
    return _read_number(text, match)


def _read_number(text: str, match: re.Match) -> Quantity | None:
    written = match["num"]
    digits_part, yeo = _split_yeo(written)
    if digits_part is None:
        return None
    digits_part = digits_part.replace(" ", "")  # "4161 억", "3만 2000": the space is only layout
    magnitude = _trailing_magnitude(digits_part)
    counter = _read_counter(text, match.end(), spaced=not _YEAR_LIKE.fullmatch(digits_part))
    hedges = _pre_hedges(match)
    if yeo:
        hedges.append("여")
    if counter is None:
        # '645억' with no counter is a bare magnitude; a bare '1100' is not a quantity.
        if match["je"] or magnitude is None or magnitude[-1] not in BIG_UNITS:
            return None
        bare = _parse_or_none(digits_part)
        if bare is None:
            return None
        return _finish(text, match.start(), match.end(), bare.value, bare.step, "bare", magnitude, hedges)
    number = _parse_or_none(digits_part)
    if number is None:
        return None
    word, counter_end = counter
    unit = unit_of(word)
    if match["je"]:
        if word not in _ORDINAL_UNITS:
            return None  # 제3조, 제4차: articles of law and the like are not quantities
        unit = _ORDINAL_UNITS[word]
    end = counter_end
    if unit in ("duration_year", "duration_month"):
        end = _read_duration_tail(text, end, hedges)
        if word == "년" and end == counter_end and "여" not in hedges and (
                number.value >= 1000 or not _hedged_span(text, end)):
            return None  # '2020년', '2년 전': calendar years and points are dates.py's; '10년 이상' is not
    counter_text = (magnitude or "") + word if unit == "KRW" else word
    value, step = number.value, number.step
    if word in MEASURES:
        if MEASURES[word][0] == "s" and _CLOCK_BEFORE.search(text, max(0, match.start() - 8), match.start()):
            return None  # '오후 2시 30분' is a time of day
        unit, value, step, end, counter_text = _read_measure(text, match.start(), end, word, value, step)
    return _finish(text, match.start(), end, value, step, unit, counter_text, hedges)


def _parse_or_none(digits: str) -> ParsedNumber | None:
    try:
        return parse_number(digits)
    except NumberFormatError:
        return None


# '21분 30초', '1시간 10분': a smaller time unit right after a larger one adds to it.
_TIME_TAIL = re.compile(r" ?(\d{1,2})\s?(분|초)(?![가-힣])| ?(\d{1,2})\s?(분|초)(?=[이가은는을를의에도만과와로으])")
_SPEED_BEFORE = re.compile(r"시속\s?$")


def _read_measure(text: str, start: int, end: int, word: str, value: Decimal, step: Decimal):
    """A measure in its base unit; '시속 170㎞' is a speed, not a length."""
    unit, factor = MEASURES[word]
    if unit == "m" and factor == 1000 and _SPEED_BEFORE.search(text, max(0, start - 6), start):
        unit, factor = "km/h", 1
    value, step = value * factor, step * factor
    if unit == "s":
        tail = _TIME_TAIL.match(text, end)
        if tail is not None:
            number, smaller = (tail.group(1), tail.group(2)) if tail.group(1) else (tail.group(3), tail.group(4))
            small_factor = MEASURES[smaller][1]
            if small_factor < factor:
                value += Decimal(number) * small_factor
                step = Decimal(small_factor)
                end = tail.end()
    return unit, value, step, end, word


def _hedged_span(text: str, pos: int) -> bool:
    post = _POST_HEDGE.match(text, pos)
    return post is not None and post["word"] != "규모" and post["range"] is None


def _read_vague(text: str, match: re.Match) -> Quantity | None:
    """'수백명', '수십억원': some multiple of a place value, below ten times it."""
    written = match["vague"]
    place = Decimal(1)
    for char in written[1:].rstrip("여"):
        place *= SMALL_UNITS.get(char) or BIG_UNITS[char]
    counter = _read_counter(text, match.end())
    if counter is None:
        return None  # '수조' alone is also a water tank
    word, end = counter
    unit = unit_of(word)
    if unit in ("duration_year", "duration_month"):
        end = _read_duration_tail(text, end, [])
    magnitude = _trailing_magnitude(written.rstrip("여")[1:])
    counter_text = (magnitude or "") + word if unit == "KRW" else word
    hedges = _pre_hedges(match) + [written]
    return _finish(text, match.start(), end, place, place, unit, counter_text, hedges)


def _split_yeo(written: str) -> tuple[str | None, bool]:
    """Remove the one '여' a number may carry; it must come after every digit ('4000여억', '1만여')."""
    if "여" not in written:
        return written, False
    head, _, tail = written.partition("여")
    if any(char not in BIG_UNITS for char in tail):
        return None, False
    return head + tail, True


def _trailing_magnitude(number_text: str) -> str | None:
    """The unit word a number ends in, as used before 원: '억' for '2천억', '천' for '5천'."""
    found = _TRAILING_MAGNITUDE.search(number_text)
    if found is None:
        return None
    return found.group()[-1] if found.group()[-1] in BIG_UNITS else found.group()


def _pre_hedges(match: re.Match) -> list[str]:
    return [match["pre"].strip()] if match["pre"] else []


# Counter words a rule file names as its unit although they look like a particle to the generic
# reader ('가구' starts like the particle 가): `unit: 가구` is enough to read '270가구'.
_REGISTERED: set[str] = set()
_registered_re: re.Pattern | None = None


def register_counter(word: str) -> None:
    global _registered_re
    if word not in _REGISTERED:
        _REGISTERED.add(word)
        _registered_re = re.compile("|".join(re.escape(w) for w in sorted(_REGISTERED, key=len, reverse=True)))


def _read_counter(text: str, pos: int, spaced: bool = True) -> tuple[str, int] | None:
    """The counter word starting at `pos` (after at most one space) and where it ends, if it ends a word.

    `spaced` False: the number reads as a year, so a rule's counter after a space is not taken.
    """
    if _registered_re is not None:
        at = pos + 1 if spaced and text.startswith(" ", pos) else pos
        named = _registered_re.match(text, at)
        ends = _ends_noun(text, named.end()) if named else False
        if named and named.group().isascii():
            ends = ends and not _ASCII_TAIL.match(text, named.end())
        if named and (ends or text.startswith("다", named.end())):
            return named.group(), named.end()  # '1만 가구', '250만 TEU': a counter the rules name
    found = _COUNTER.match(text, pos)
    if found is None:
        return _read_latin_counter(text, pos) or _read_generic_counter(text, pos)
    word, end = found["word"], found.end()
    if word.isascii() and word[-1].isalnum():
        if end < len(text) and _ASCII_TAIL.match(text, end):
            return None if found["space"] else _read_latin_counter(text, pos)  # '20mm' is not 20m
    elif (found["space"] or word in _WORD_PREFIX_COUNTERS) and not _ends_word(text, end):
        return None if found["space"] else _read_generic_counter(text, pos)  # '210309 인공지능', 'AI 3 호선'
    if word in ("분", "초", "시간") and text.startswith("의", end):
        return None  # '3분의 1' is a fraction
    if word == "개":
        noun = _GAE_NOUN.match(text, end)
        if noun and noun.group(1) not in _NOT_COUNTED_NOUN and _ends_noun(text, noun.end()):
            return "개" + noun.group(1), noun.end()  # '5개 역' counts stations: counter 개역
    return word, end


def _read_latin_counter(text: str, pos: int) -> tuple[str, int] | None:
    found = _LATIN_COUNTER.match(text, pos)
    if found is None or found.group() in _NOT_LATIN_COUNTERS:
        return None
    return found.group(), found.end()


def _read_generic_counter(text: str, pos: int) -> tuple[str, int] | None:
    """A counter no table lists, glued to the number: '160량을' → 량, '20편성' → 편성."""
    found = _GENERIC_COUNTER.match(text, pos)
    if found is None or found.group()[0] in _PARTICLE_START:
        return None
    for length in (1, 2):
        end = pos + length
        if end <= found.end() and _ends_noun(text, end):
            word = text[pos:end]
            return None if word in _CALENDAR_WORDS else (word, end)
    return None


# Calendar and clock words are dates.py's ('3월 2일', '오후 2시'), never counters.
_CALENDAR_WORDS = frozenset({"월", "일", "시", "주", "세", "살", "시쯤", "일쯤", "월쯤"})


def _ends_noun(text: str, pos: int) -> bool:
    """A one-syllable noun ends here: a particle or no Hangul follows ('역에', '역,' but not '정부')."""
    return pos >= len(text) or not ("가" <= text[pos] <= "힣") or text[pos] in "이가은는을를의에도만과와로으씩째"


def unit_of(word: str) -> str:
    """The unit code of a counter word, known or not: '억원' → KRW, '㎞' → m, '량' → counter:량."""
    return UNIT_OF_COUNTER.get(word) or GENERIC_UNIT_PREFIX + word


def _ends_word(text: str, pos: int) -> bool:
    if pos >= len(text):
        return True
    char = text[pos]
    return not ("가" <= char <= "힣") or char in _PARTICLE_START


def _read_duration_tail(text: str, pos: int, hedges: list[str]) -> int:
    """Extend a 년/개월 counter over '여' and '간', '동안', '만에', '째'; hedges gains '여' if present."""
    if text.startswith("여", pos) and "여" not in hedges:
        hedges.append("여")
        pos += 1
    mark = _DURATION_MARK.match(text, pos)
    if mark is not None:
        return mark.end()
    return pos


def _finish(text: str, start: int, end: int, value: Decimal, step: Decimal, unit: str,
            counter: str, hedges: list[str]) -> Quantity:
    """Take in a trailing '(PF)' and a hedge after the counter, then build the Quantity."""
    abbreviation = _UNIT_ABBREVIATION.match(text, end)
    if abbreviation is not None and UNIT_OF_COUNTER[abbreviation.group(1)] == unit:
        end = abbreviation.end()
    post = _POST_HEDGE.match(text, end)
    if post is not None:
        hedges.append(post["word"] or post["range"] or "넘는")
        end = post.end()
    return _build(text, start, end, value, step, unit, counter, hedges)


def _build(text: str, start: int, end: int, value: Decimal, step: Decimal, unit: str,
           counter: str, hedges: list[str]) -> Quantity:
    kind, low, high, low_inclusive, high_inclusive = _interval(value, step, hedges)
    return Quantity(
        start=start, end=end, text=text[start:end], value=value, unit=unit, counter=counter,
        hedge=" ".join(hedges) if hedges else None, hedge_kind=kind,
        low=low, high=high, low_inclusive=low_inclusive, high_inclusive=high_inclusive, step=step,
    )


def _interval(value: Decimal, step: Decimal, hedges: list[str]):
    """Hull of the intervals each hedge commits to; the kind names the strongest hedge."""
    if not hedges:
        return "exact", value, value, True, True
    bounds = [_hedge_bounds(value, step, hedge) for hedge in hedges]
    low = min(b[0] for b in bounds)
    low_inclusive = any(b[2] for b in bounds if b[0] == low)
    finite_highs = [(b[1], b[3]) for b in bounds if b[1] is not None]
    if len(finite_highs) < len(bounds):
        high, high_inclusive = None, False
    else:
        high = max(h for h, _ in finite_highs)
        high_inclusive = any(inc for h, inc in finite_highs if h == high)
    kinds = {_hedge_kind(hedge) for hedge in hedges}
    kind = next(k for k in ("vague", "over", "under", "approx") if k in kinds)
    return kind, low, high, low_inclusive, high_inclusive


def _hedge_kind(hedge: str) -> str:
    return "vague" if hedge.startswith("수") else HEDGE_KIND[hedge]


def _hedge_bounds(value: Decimal, step: Decimal, hedge: str):
    """(low, high, low_inclusive, high_inclusive) for one hedge word; high None = unbounded."""
    if hedge.startswith("수"):
        return value, value * 10, True, False
    if hedge in ("여", "남짓", "대"):
        return value, value + step, True, False
    if hedge in ("넘는", "초과"):
        return value, None, False, False
    if hedge in ("이상", "최소"):
        return value, None, True, False
    if hedge in ("이하", "최대"):
        return Decimal(0), value, True, True
    if hedge == "미만":
        return Decimal(0), value, True, False
    if hedge == "가까이":  # "50명 가까이": just under 50
        return value - step, value, True, True
    half = step / 2
    return value - half, value + half, True, True
