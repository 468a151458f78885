"""Finds the claims in an article's text: quantities, dates and periods, role holders, and stated sums."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from checker.dates import DateExpr
from checker.expressions import parse_expressions
from checker.models import Claim, DateClaim, PeriodClaim, QuantityClaim, RoleClaim, SumClaim
from checker.numbers import NumberFormatError, parse_number
from checker.quantities import Quantity, parse_quantities
from checker.sentences import Sentence, split_sentences

# Units whose numbers are labels, not measurements ("3대 전략", "창업캠프 2호점", "국비 645억"
# without 원): they are never matched to facts, only used as context boundaries.
IGNORED_UNITS = {"ho", "bare"}

LEFT_WINDOW = 40  # characters of left context: the counted thing precedes the number in Korean
RIGHT_WINDOW = 20  # right context catches "…의 예산", "…을 투입해"
# Dates name their event after them: "2025년부터 2029년까지 진행될 … 2단계 사업"
DATE_RIGHT_WINDOW = 40
PREVIOUS_CAP = 200  # characters of the previous sentence kept for `require` words


def extract_claims(text: str, published: date | None, known_names: frozenset[str] = frozenset()) -> list[Claim]:
    """Every checkable claim in `text`, in order, with offsets into `text`. Rules play no part,
    so claims can be stored once and re-judged when rule files change."""
    claims: list[Claim] = []
    previous = ""
    for sentence in split_sentences(text):
        claims.extend(extract_sentence_claims(sentence, published, previous, known_names))
        # Its subject opens a sentence, its last words lead into the next: keep both ends.
        text = sentence.text
        previous = text if len(text) <= PREVIOUS_CAP else f"{text[:PREVIOUS_CAP // 2]} … {text[-PREVIOUS_CAP // 2:]}"
    return claims


_MONEY_VERB = re.compile(r"[\"'’”」』]?\s*(?:[을를이가의]\s*)?(?:투입|투자|지원|들여|편성|배정|확보)")


def _as_money(text: str, q):
    """Headlines drop 원: "집적단지에 4161억 투입" is money, so a bare 억/조 before a money verb is KRW."""
    if q.unit == "bare" and _MONEY_VERB.match(text, q.end):
        return replace(q, unit="KRW", counter=q.counter or "억")
    return q


def extract_sentence_claims(sentence: Sentence, published: date | None, previous: str = "",
                            known_names: frozenset[str] = frozenset()) -> list[Claim]:
    quantities, dates = parse_expressions(sentence.text, published)
    quantities = [_as_money(sentence.text, q) for q in quantities]
    if _CORRECTION_NOTICE.search(sentence.text):
        return []  # "바로잡습니다 … '4161억원'은 '4116억원'의 잘못": quoting the error is not making it
    starts = [q.start for q in quantities]
    quantities = [q for q in quantities
                  if not _is_starting_value(sentence.text, q, quantities, starts) and not _NEGATED.match(sentence.text, q.end)
                  and not _is_denied_report(sentence.text, q)]
    all_dates = dates
    dates = [d for d in dates if not _is_not_a_date_claim(sentence.text, d)]
    sums = _sum_claims(sentence, quantities)
    # The parts of a stated breakdown are checked by adding them up, not one by one against
    # facts: "1098억원(모태펀드 500억원, …)" does not claim the fund is 500억원.
    inside = [(c.start - sentence.start + len(c.text.split("(")[0]), c.end - sentence.start) for c in sums]
    kept = [q for q in quantities if q.unit not in IGNORED_UNITS and not any(a <= q.start < b for a, b in inside)]
    claims: list[Claim] = []
    claims += _quantity_claims(sentence, kept)
    # Windows stop at every date, claim or not: in "2019년 12월 예타 면제를 거쳐 이듬해 1월 출범"
    # the 출범 belongs to 이듬해 1월, not to 2019년 12월.
    position = {id(d): i for i, d in enumerate(all_dates)}  # dates come in text order
    claims += [_date_claim(sentence, d, *_neighbours(all_dates, position[id(d)])) for d in dates]
    claims += sums
    claims += _role_claims(sentence, dates, known_names)
    if previous:
        for claim in claims:
            # Set on claims made just above, before anyone else sees them: dataclasses.replace
            # would rebuild each frozen Claim and cost a third of the extraction time.
            object.__setattr__(claim, "previous", previous)
    claims.sort(key=lambda c: (c.start, c.kind))
    return claims


_CORRECTION_NOTICE = re.compile(r"바로잡습니다|바로잡았습니다|정정보도|정정합니다|잘못이기에|잘못 표기")
# "4116억원이 아니라 4161억원이다": the denied figure is not the article's claim.
_NEGATED = re.compile(r"[\"'’”」』]?\s*(?:이|가)?\s*아니(?:라|다|며|고)")
# "5000억원이 넘는다는 일부 보도는 사실이 아니며": a figure the article reports only to deny it.
_REPORTED = re.compile(r"[^.]{0,12}?(?:다는|라는|이라는|란)\s*(?:일부\s*)?(?:보도|주장|소문|얘기|관측|전망|말)")
_DENIAL = re.compile(r"사실이 아니|사실과 다르|사실무근|오보")


def _is_denied_report(text: str, q) -> bool:
    return bool(_REPORTED.match(text, q.end) and _DENIAL.search(text, q.end, q.end + 80))


_CHANGE_VERB = re.compile(r"\s*(?:으로|로)\s*(?:늘|줄|증가|감소|확대|축소|변경|조정|증액|감액|바뀌|높|낮|올|내)")


def _is_starting_value(text: str, q, quantities, starts: list[int]) -> bool:
    """In "48명에서 60명으로 늘었다" the 48 is where a change started, not a claim about now."""
    if not text.startswith("에서", q.end):
        return False
    for index in range(bisect_right(starts, q.end), bisect_right(starts, q.end + 20)):
        other = quantities[index]
        if other.unit == q.unit and _CHANGE_VERB.match(text, other.end):
            return True
    return False


def _is_not_a_date_claim(text: str, d) -> bool:
    # "올해로 5년째" counts years; "이듬해 1월" is relative to a year the parser cannot see.
    if d.relative and d.grain == "year" and text.startswith("로", d.end):
        return True
    return bool(re.search(r"(?:이듬해|그해|그 해|같은 해|다음 해)\s*$", text[max(0, d.start - 8):d.start]))


def _windows(sentence: Sentence, start: int, end: int, before: int, after: int,
             right_window: int = RIGHT_WINDOW) -> tuple[str, str]:
    """Left/right context, cut at the neighbouring claim of the same kind (`before` is where the
    previous one ends, `after` where the next one starts) so that in "국비 645억원, 시비 300억원"
    each figure keeps its own label."""
    left_edge = max(0, start - LEFT_WINDOW, before)
    right_edge = min(len(sentence.text), end + right_window, after)
    return sentence.text[left_edge:start], sentence.text[end:right_edge]


def _neighbours(items, index: int) -> tuple[int, int]:
    """Where the item before `items[index]` ends and the one after starts (items in text order)."""
    before = items[index - 1].end if index else 0
    after = items[index + 1].start if index + 1 < len(items) else 1 << 30
    return before, after


def _quantity_claims(sentence: Sentence, quantities: list[Quantity]) -> list[QuantityClaim]:
    """One claim per quantity; the neighbours of the same unit are found in one pass per unit, so
    a sentence with thousands of figures costs linear time."""
    by_unit: dict[str, list[Quantity]] = {}
    for q in quantities:
        by_unit.setdefault(q.unit, []).append(q)
    edges: dict[int, tuple[int, int]] = {}
    for group in by_unit.values():
        for index, q in enumerate(group):  # quantities come in text order and never overlap
            before = group[index - 1].end if index else 0
            after = group[index + 1].start if index + 1 < len(group) else 1 << 30
            edges[id(q)] = (before, after)
    return [_quantity_claim(sentence, q, *edges[id(q)]) for q in quantities]


def _quantity_claim(sentence: Sentence, q: Quantity, before: int, after: int) -> QuantityClaim:
    left, right = _windows(sentence, q.start, q.end, before, after)
    return QuantityClaim(
        start=sentence.start + q.start, end=sentence.start + q.end, text=q.text,
        sentence=sentence.text, sentence_start=sentence.start, left=left, right=right, unit=q.unit,
        counter=q.counter, value=q.value, low=q.low, high=q.high, low_inclusive=q.low_inclusive,
        high_inclusive=q.high_inclusive, hedge=q.hedge, hedge_kind=q.hedge_kind, step=q.step,
    )


def _date_claim(sentence: Sentence, d: DateExpr, before: int, after: int) -> DateClaim | PeriodClaim:
    left, right = _windows(sentence, d.start, d.end, before, after, DATE_RIGHT_WINDOW)
    if d.kind == "period":
        return PeriodClaim(
            start=sentence.start + d.start, end=sentence.start + d.end, text=d.text, sentence=sentence.text,
            sentence_start=sentence.start, left=left, right=right, first=d.first, last=d.last, grain=d.grain,
            relative=d.relative,
        )
    return DateClaim(
        start=sentence.start + d.start, end=sentence.start + d.end, text=d.text, sentence=sentence.text,
        sentence_start=sentence.start, left=left, right=right, first=d.first, last=d.last, grain=d.grain,
        relative=d.relative, until=sentence.text.startswith("까지", d.end),
    )


# ---------------------------------------------------------------- sums: 1000억원(국비 645억원, 시비 300억원 …)

_PART = re.compile(r"^\s*(?P<label>[가-힣A-Za-z ]{1,15}?)\s*(?P<number>\d[\d,.]*(?:\s*[만억조천백십]\s*\d*)*)\s*(?P<counter>[가-힣%㎡A-Za-z]*)\s*$")


def _sum_claims(sentence: Sentence, quantities: list[Quantity]) -> list[SumClaim]:
    claims = []
    for total in quantities:
        if total.unit in IGNORED_UNITS or total.hedge_kind != "exact":
            continue
        rest = sentence.text[total.end:]
        match = re.match(r"\s?\(([^()]{3,200})\)", rest)
        if not match:
            continue
        parts = _sum_parts(match.group(1), total, quantities)
        if parts is None:
            continue
        end = total.end + match.end()
        claims.append(SumClaim(
            start=sentence.start + total.start, end=sentence.start + end,
            text=sentence.text[total.start:end], sentence=sentence.text, sentence_start=sentence.start,
            left=sentence.text[max(0, total.start - LEFT_WINDOW):total.start], right="", unit=total.unit,
            counter=total.counter, value=total.value, step=total.step, parts=parts,
        ))
    return claims


def _sum_parts(inside: str, total, quantities) -> tuple[tuple[str, Decimal], ...] | None:
    """The labelled parts of a breakdown, in the total's base unit; None when it is not one."""
    pieces = [p for p in re.split(r"\s*[,，·ㆍ]\s*", inside) if p.strip()]
    if len(pieces) < 2:
        return None
    scale = _counter_scale(total)
    parts = []
    for piece in pieces:
        match = _PART.match(piece)
        if not match or not match.group("label").strip():
            return None
        counter = match.group("counter")
        try:
            number = parse_number(match.group("number").replace(" ", "")).value
        except NumberFormatError:
            return None
        if counter:
            found = parse_quantities(f"{match.group('number')}{counter}")
            if len(found) != 1 or found[0].unit != total.unit or found[0].hedge_kind != "exact":
                return None
            value = found[0].value
        elif re.search(r"[만억조]", match.group("number")):
            value = number  # "국비 645억": the part names its own magnitude
        else:
            # "구성원 30명(단장 1, 책임급 6 …)": bare parts count in the total's counter.
            value = number * scale
        parts.append((match.group("label").strip(), value))
    return tuple(parts)


def _counter_scale(total) -> Decimal:
    """What a bare part means in base units: in "1000억원(국비 645, …)" a bare 645 is 645억."""
    magnitudes = {"억": Decimal(10) ** 8, "조": Decimal(10) ** 12, "만": Decimal(10) ** 4, "천": Decimal(1000)}
    return magnitudes.get(total.counter[:1], Decimal(1)) if total.unit == "KRW" else Decimal(1)


# ---------------------------------------------------------------- roles: 제3대 단장 오상진, 임차식(65) 단장

# Common Korean surnames: a role claim names a person as surname + given name (3 syllables);
# "임 단장" (surname only) is a back-reference, not a claim.
_SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
_TITLES = (
    "단장", "부단장", "원장", "센터장", "청장", "총장", "이사장", "부이사장", "위원장",
    "본부장", "사장", "회장", "대표", "시장", "부시장", "장관", "소장", "국장", "실장", "팀장",
)
_TITLE_RE = "|".join(sorted(_TITLES, key=len, reverse=True))
_ANY_TITLE = re.compile(_TITLE_RE)
# Last syllables that make a 3-syllable word a particle or verb form, not a given name:
# 방문해, 주관한, 이끌어, 공직에, 국방부 …
_NOT_NAME_END = "에을를의와과부청처회단국관한해어온된던할될며고게로"
# A short bracket may follow the name: an age "(65)" or a photo position "(왼쪽 세 번째)".
_NAME = rf"(?<![가-힣])(?P<name>[{_SURNAMES}][가-힣][가-힣](?<![{_NOT_NAME_END}]))(?:\([^()]{{1,12}}\))?"
_MODIFIER = r"(?:제\s?\d+\s?대|\d{1,2}대|초대|신임|전|현|前|現)"  # '3대 단장에' (no 제) is an ordinal before a title
# An organisation word between a name and a title: no trailing particle or verb ending, so
# "이용섭 광주시장을 비롯해 임혜숙 장관" does not read as one person with one title.
_ORG = r"[가-힣A-Za-z]*[가-힣A-Za-z](?<![을를은는와과에서해며고한어온된던])"
_TITLE_END = r"(?=[은는이가의을를과와에도으,.\s)(]|$)"
# NAME [modifiers/org words] TITLE  — 오상진 제3대 인공지능산업융합사업단 신임 단장
_NAME_FIRST = re.compile(
    rf"{_NAME}\s+(?P<mods>(?:(?:{_MODIFIER}|{_ORG})\s+){{0,3}})(?P<title>[가-힣A-Za-z]*?(?:{_TITLE_RE})){_TITLE_END}"
)
# TITLE에는 NAME — 사업단장에는 임차식 전 … 이 임명됐다
_TITLE_FIRST = re.compile(
    rf"(?P<mods>(?:{_MODIFIER}\s*)?)(?P<title>[가-힣A-Za-z]*?(?:{_TITLE_RE}))(?:에는|으로는|에|으로|은|는|인)\s+{_NAME}(?=[\s이은는가,])"
)
# TITLE NAME 씨 — 인공지능산업융합사업단장 임차식 씨는
_TITLE_NAME_SSI = re.compile(
    rf"(?P<mods>(?:{_MODIFIER}\s*)?)(?P<title>[가-힣A-Za-z]*?(?:{_TITLE_RE}))\s+(?P<name>[{_SURNAMES}][가-힣]{{2}})\s*씨"
)
# ORG(TITLE NAME) — 인공지능산업융합사업단(단장 김민수)은
_BRACKETED = re.compile(
    rf"(?P<mods>)(?P<org>[가-힣A-Za-z]+)\(\s*(?:(?P<abbr>[^()·,]{{1,12}})[·,]\s*)?(?P<title>{_TITLE_RE})\s+"
    rf"(?P<name>[{_SURNAMES}][가-힣]{{2}})\s*\)"
)
# "제5대 한국토지주택공사(LH) 사장인 이한준 사장이": an ordinal and the organisation before the title.
_ORDINAL_ORG_TITLE = re.compile(
    rf"(?P<mods>{_MODIFIER}\s+(?:[가-힣A-Za-z]+(?:\([A-Za-z가-힣]+\))?\s+){{0,2}})(?P<title>{_TITLE_RE})(?:인|으로|이던|였던)\s+"
    rf"(?P<name>[{_SURNAMES}][가-힣]{{2}})(?=[\s이은는가,]|$)"
)
_ORDINAL = re.compile(r"(?:제\s?)?(\d{1,2})\s?대(?![가-힣])|(초대)")
# "이성해 전 대도시권광역교통위원장이 국가철도공단 이사장으로 취임했다": the sentence's subject
# takes the post named before 으로 취임/임명.
_APPOINTED_AS = re.compile(
    rf"^\s*(?P<name>[{_SURNAMES}][가-힣]{{2}})\s[^.]*?(?P<org_title>(?:[가-힣A-Za-z]+\s)?(?P<title>[가-힣A-Za-z]*?(?:{_TITLE_RE})))(?:으로|로)\s*"
    r"(?:취임|임명|선임|부임|발탁|선출|내정)"
)
# "초대 단장을 지낸 문하은 씨", "제2대 단장 정다해는": an ordinal and a title before the name.
_ORDINAL_TITLE_NAME = re.compile(
    rf"(?<![가-힣])(?P<mods>{_MODIFIER})\s?(?P<title>{_TITLE_RE})(?P<past>(?:을|를)\s(?:지낸|역임한|맡았던|거친)\s|\s)"
    rf"(?P<name>[{_SURNAMES}][가-힣]{{2}})(?=\s|씨|은|는|이|가|,|\)|$)"
)
# "제9대 이사장에 오른 그의 임기는", "제13대 방사청장인 엄 청장": an ordinal and a title (its
# organisation glued on, abbreviated or not) with no full name; the person is the one the article
# has just named (resolved when judging, see checker.check).
_ORDINAL_ONLY = re.compile(
    rf"(?<![가-힣])(?P<ordinal>제\s?\d+\s?대|초대)\s?(?P<title>[가-힣A-Za-z]{{0,6}}?(?:{_TITLE_RE}))(?=에\s|으로\s|로\s|에\s?오른|이\s된|인\s)"
)
_ACTING = re.compile(r"\s*(?:겸\s*)?(?:\S*\s)?(?:직무\s*대행|권한\s*대행|대행|내정자)")
_FORMER_BEFORE = re.compile(r"(?:전임|당시|前|(?:^|\s)전)\s*$")
_FORMER_AFTER = re.compile(
    r"^\S*\s*(?:재임|재직|시절|때|당시|을 역임|을 지낸|을 지냈|을 맡았던|출신)|^의\s*(?:뒤를\s*이어|후임)|^에\s*이어"
)
# Three-syllable words that start like a surname and are not names ('반년 가까이 공석인 단장').
_NOT_NAMES = frozenset({"공석인", "공석이", "공석을", "공모로", "공모를", "전임자", "현직인", "임시로", "이번에", "이르면"})
_APPOINTED = re.compile(r"취임|임명|선임|부임|발탁|선출")


@lru_cache(maxsize=64)
def _known_name_first(names: frozenset[str]) -> re.Pattern | None:
    """NAME TITLE for the holders the rules know, whatever their last syllable ('이성해 이사장'):
    the generic name pattern must refuse 방문해, 주관한 and the like."""
    if not names:
        return None
    alternatives = "|".join(sorted((re.escape(n) for n in names if n), key=len, reverse=True))
    return re.compile(
        rf"(?<![가-힣])(?P<name>{alternatives})\s+(?P<mods>(?:(?:{_MODIFIER}|{_ORG})\s+){{0,3}})"
        rf"(?P<title>[가-힣A-Za-z]*?(?:{_TITLE_RE})){_TITLE_END}"
    )


# "김상균 이사장이 이끄는 국가철도공단": the organisation comes after the title.
_LED_ORG = re.compile(r"(?:이|가)\s+(?:이끄는|이끌고 있는|맡은|맡고 있는)\s+(\S+)")


def _role_claims(sentence: Sentence, dates: list[DateExpr], known_names: frozenset[str] = frozenset()) -> list[RoleClaim]:
    claims: list[RoleClaim] = []
    text = sentence.text
    if not _ANY_TITLE.search(text):
        return claims  # most sentences name no post: skip the name patterns
    taken: set[tuple[int, int]] = set()
    taken_titles: set[int] = set()
    known = _known_name_first(known_names)
    for match in _APPOINTED_AS.finditer(text):
        if match.start("title") in taken_titles:
            continue
        taken_titles.add(match.start("title"))
        org = text[: match.start("title")].split()[-1:] if match.group("title") in _TITLES else []
        claims.append(RoleClaim(
            start=sentence.start + match.start("org_title"), end=sentence.start + match.end(),
            text=text[match.start("org_title"):match.end()], sentence=text, sentence_start=sentence.start,
            left=" ".join(org), right=" ".join(org), person=match.group("name"), ordinal=None,
            role_tense="current", role=match.group("title"),
            as_of=_appointment_date(text, match, dates),
        ))
    for pattern in (p for p in (known, _NAME_FIRST, _ORDINAL_ORG_TITLE, _ORDINAL_TITLE_NAME, _TITLE_FIRST,
                                _TITLE_NAME_SSI, _BRACKETED) if p is not None):
        for match in pattern.finditer(text):
            key = (match.start("name"), match.start("title"))
            if key in taken or match.start("title") in taken_titles:
                continue  # one title, one holder: '구간은 김상균 이사장' is 김상균's
            taken.add(key)
            taken_titles.add(match.start("title"))
            if _ACTING.match(text, match.end()):
                continue  # an acting head (직무대행) or a nominee is not the holder
            if match.group("name") in _NOT_NAMES:
                continue
            mods = match.group("mods") or ""
            title = match.group("title")
            org_words = [w for w in mods.split() if not re.fullmatch(_MODIFIER, w)]
            if "org" in match.groupdict() and match.group("org"):
                org_words.append(match.group("org"))
            if match.groupdict().get("abbr"):
                org_words.append(match.group("abbr").strip())
            led = _LED_ORG.match(text, match.end())
            if led:
                org_words.append(re.sub(r"(?:이|가|은|는|을|를|의)$", "", led.group(1)))
            before = " ".join(text[: match.start()].split()[-2:])  # "인공지능산업융합사업단 김민수 단장"
            ordinal = _ordinal(mods + " " + title)
            claim_start = match.start()
            if ordinal is None:
                ordinal, claim_start = _ordinal_before(text, match.start("name"), claim_start)
            same_person = next((i for i, c in enumerate(claims) if c.start - sentence.start == match.start("name")
                                or (c.person == match.group("name") and abs(c.start - sentence.start - match.start("name")) < 3)), None)
            if same_person is not None:
                # "초대 단장인 오상진 인공지능산업융합사업단장": one person, the ordinal from one
                # phrase and the organisation from the other.
                if ordinal and claims[same_person].ordinal is None:
                    kept = claims[same_person]
                    start = min(kept.start, sentence.start + match.start())
                    end = max(kept.end, sentence.start + match.end())
                    claims[same_person] = replace(
                        kept, ordinal=ordinal, start=start, end=end,
                        text=text[start - sentence.start:end - sentence.start],
                    )
                continue
            claims.append(RoleClaim(
                start=sentence.start + claim_start, end=sentence.start + match.end(),
                text=text[claim_start:match.end()], sentence=text, sentence_start=sentence.start,
                left=before, right=" ".join(org_words), person=match.group("name"),
                ordinal=ordinal, role=title,
                role_tense="former" if match.groupdict().get("past", "").strip() else _tense(text, match, mods, pattern),
                as_of=_appointment_date(text, match, dates),
            ))
    for match in _ORDINAL_ONLY.finditer(text):
        if any(c.start - sentence.start <= match.start() < c.end - sentence.start for c in claims):
            continue
        claims.append(RoleClaim(
            start=sentence.start + match.start(), end=sentence.start + match.end(),
            text=match.group(0), sentence=text, sentence_start=sentence.start,
            left=" ".join(text[: match.start()].split()[-2:]), right="", person=None,
            ordinal=_ordinal(match.group("ordinal")), role_tense="current", role=match.group("title"),
        ))
    return claims


def _tense(text: str, match: re.Match, mods: str, pattern: re.Pattern | None = None) -> str:
    """Former, incoming or current, from the words next to this person only. "새 단장에 문하은
    씨를 선임했다" names the incoming holder, who may take office next week."""
    if pattern is _TITLE_FIRST and re.search(r"(?:을|를)\s?(?:선임|임명|내정|선출|발탁)", text[match.end():match.end() + 40]):
        return "incoming"
    if re.search(r"(?:^|\s)(?:전|前)(?:\s|$)", mods) or _FORMER_BEFORE.search(text[max(0, match.start() - 6):match.start()]):
        return "former"
    if _FORMER_AFTER.match(text[match.end():match.end() + 12]):
        return "former"
    return "incoming" if "신임" in mods else "current"


def _ordinal_before(text: str, name_start: int, claim_start: int) -> tuple[int | None, int]:
    """'제6대 김한영 이사장': the ordinal written before the name, and where the claim then starts."""
    window_start = max(0, name_start - 8)
    found = re.search(r"(제\s?\d+\s?대|초대)\s*$", text[window_start:name_start])
    if not found or claim_start != name_start:
        return None, claim_start
    return _ordinal(found.group(1)), window_start + found.start()


def _ordinal(text: str) -> int | None:
    match = _ORDINAL.search(text)
    if not match:
        return None
    return 1 if match.group(2) else int(match.group(1))


def _appointment_date(text: str, match: re.Match, dates: list[DateExpr]) -> date | None:
    """"2020년 1월 임차식 단장이 취임했다" is judged on that date; any other date in the
    sentence ("2020년 출범한 사업단의 오상진 단장") says nothing about when the post was held."""
    if not _APPOINTED.search(text):
        return None
    explicit = [d for d in dates if not d.relative and d.kind == "date" and d.end <= match.start()]
    return explicit[-1].first if explicit else None
