"""Finds the claims in an article's text: quantities, dates and periods, role holders, and stated sums."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from checker.expressions import parse_expressions
from checker.models import Claim
from checker.numbers import NumberFormatError, parse_number
from checker.sentences import Sentence, split_sentences

# Units whose numbers are labels, not measurements ("3대 전략", "창업캠프 2호점", "국비 645억"
# without 원): they are never matched to facts, only used as context boundaries.
IGNORED_UNITS = {"item_dae", "ho", "bare"}

LEFT_WINDOW = 40  # characters of left context: the counted thing precedes the number in Korean
RIGHT_WINDOW = 20  # right context catches "…의 예산", "…을 투입해"
# Dates name their event after them: "2025년부터 2029년까지 진행될 … 2단계 사업"
DATE_RIGHT_WINDOW = 40


def extract_claims(text: str, published: date | None) -> list[Claim]:
    """Every checkable claim in `text`, in order, with offsets into `text`. Rules play no part,
    so claims can be stored once and re-judged when rule files change."""
    claims: list[Claim] = []
    for sentence in split_sentences(text):
        claims.extend(extract_sentence_claims(sentence, published))
    return claims


def extract_sentence_claims(sentence: Sentence, published: date | None) -> list[Claim]:
    quantities, dates = parse_expressions(sentence.text, published)
    claims = [_quantity_claim(sentence, q, quantities) for q in quantities if q.unit not in IGNORED_UNITS]
    claims += [_date_claim(sentence, d, dates) for d in dates]
    claims += _sum_claims(sentence, quantities)
    claims += _role_claims(sentence, dates)
    claims.sort(key=lambda c: (c.start, c.kind))
    return claims


def _windows(sentence: Sentence, start: int, end: int, neighbours, right_window: int = RIGHT_WINDOW) -> tuple[str, str]:
    """Left/right context, cut at the neighbouring claim of the same kind so that in
    "국비 645억원, 시비 300억원" each figure keeps its own label."""
    left_edge = max([0, start - LEFT_WINDOW] + [n.end for n in neighbours if n.end <= start])
    right_edge = min([len(sentence.text), end + right_window] + [n.start for n in neighbours if n.start >= end])
    return sentence.text[left_edge:start], sentence.text[end:right_edge]


def _quantity_claim(sentence: Sentence, q, quantities) -> Claim:
    same_unit = [n for n in quantities if n is not q and n.unit == q.unit]
    left, right = _windows(sentence, q.start, q.end, same_unit)
    return Claim(
        kind="quantity", start=sentence.start + q.start, end=sentence.start + q.end, text=q.text,
        sentence=sentence.text, sentence_start=sentence.start, left=left, right=right, unit=q.unit,
        counter=q.counter, value=q.value, low=q.low, high=q.high, low_inclusive=q.low_inclusive,
        high_inclusive=q.high_inclusive, hedge=q.hedge, hedge_kind=q.hedge_kind, step=q.step,
    )


def _date_claim(sentence: Sentence, d, dates) -> Claim:
    left, right = _windows(sentence, d.start, d.end, [n for n in dates if n is not d], DATE_RIGHT_WINDOW)
    return Claim(
        kind=d.kind, start=sentence.start + d.start, end=sentence.start + d.end, text=d.text,
        sentence=sentence.text, sentence_start=sentence.start, left=left, right=right,
        value=Decimal(d.first.toordinal()), low=Decimal(d.first.toordinal()), high=Decimal(d.last.toordinal()),
        grain=d.grain, hedge="relative" if d.relative else None,
    )


# ---------------------------------------------------------------- sums: 1000억원(국비 645억원, 시비 300억원 …)

_PART = re.compile(r"^\s*(?P<label>[가-힣A-Za-z·ㆍ ]{1,15}?)\s*(?P<number>\d[\d,.]*(?:\s*[만억조천백십]\s*\d*)*)\s*(?P<counter>[가-힣%㎡A-Za-z]*)\s*$")


def _sum_claims(sentence: Sentence, quantities) -> list[Claim]:
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
        claims.append(Claim(
            kind="sum", start=sentence.start + total.start, end=sentence.start + end,
            text=sentence.text[total.start:end], sentence=sentence.text, sentence_start=sentence.start,
            left=sentence.text[max(0, total.start - LEFT_WINDOW):total.start], right="", unit=total.unit,
            counter=total.counter, value=total.value, step=total.step, parts=parts,
        ))
    return claims


def _sum_parts(inside: str, total, quantities) -> tuple[tuple[str, Decimal], ...] | None:
    """The labelled parts of a breakdown, in the total's base unit; None when it is not one."""
    pieces = [p for p in re.split(r"\s*[,，]\s*", inside) if p.strip()]
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
            from checker.quantities import parse_quantities

            found = parse_quantities(f"{match.group('number')}{counter}")
            if len(found) != 1 or found[0].unit != total.unit or found[0].hedge_kind != "exact":
                return None
            value = found[0].value
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
_NAME = rf"(?<![가-힣])(?P<name>[{_SURNAMES}][가-힣][가-힣](?<![에을를의와과은는부청처회단국관]))(?:\(\d+\))?"
_MODIFIER = r"(?:제\s?\d+\s?대|초대|신임|전|현|前|現)"
# An organisation word between a name and a title: no trailing particle or verb ending, so
# "이용섭 광주시장을 비롯해 임혜숙 장관" does not read as one person with one title.
_ORG = r"[가-힣A-Za-z]*[가-힣A-Za-z](?<![을를은는와과에서해며고])"
# NAME [modifiers/org words] TITLE  — 오상진 제3대 인공지능산업융합사업단 신임 단장
_NAME_FIRST = re.compile(
    rf"{_NAME}\s+(?P<mods>(?:(?:{_MODIFIER}|{_ORG})\s+){{0,3}})(?P<title>[가-힣A-Za-z]*?(?:{_TITLE_RE}))(?=[은는이가의을를과와에도으,.\s)]|$)"
)
# TITLE에는 NAME — 사업단장에는 임차식 전 … 이 임명됐다
_TITLE_FIRST = re.compile(
    rf"(?P<mods>(?:{_MODIFIER}\s*)?)(?P<title>[가-힣A-Za-z]*?(?:{_TITLE_RE}))(?:에는|으로는|에|으로|은|는)\s+{_NAME}(?=[\s이은는가,])"
)
_ORDINAL = re.compile(r"제\s?(\d+)\s?대|(초대)")


def _role_claims(sentence: Sentence, dates) -> list[Claim]:
    claims = []
    taken: set[tuple[int, int]] = set()
    for pattern in (_NAME_FIRST, _TITLE_FIRST):
        for match in pattern.finditer(sentence.text):
            key = (match.start("name"), match.start("title"))
            if key in taken:
                continue
            taken.add(key)
            mods = match.group("mods") or ""
            ordinal = _ordinal(mods + match.group("title"))
            tense = "former" if re.search(r"(?:^|\s)(전|前)(?:\s|$)", mods) else "incoming" if "신임" in mods else "current"
            if re.search(r"당시|전임|역임|지낸|지냈", sentence.text):
                tense = "former"
            title = match.group("title")
            org = " ".join(w for w in mods.split() if not re.fullmatch(_MODIFIER, w))
            claims.append(Claim(
                kind="role", start=sentence.start + match.start(), end=sentence.start + match.end(),
                text=match.group(0), sentence=sentence.text, sentence_start=sentence.start,
                left=sentence.text[max(0, match.start() - LEFT_WINDOW):match.start()], right=org,
                person=match.group("name"), ordinal=ordinal, role_tense=tense, role=title,
                as_of=_sentence_date(dates),
            ))
    return claims


def _ordinal(text: str) -> int | None:
    match = _ORDINAL.search(text)
    if not match:
        return None
    return 1 if match.group(2) else int(match.group(1))


def _sentence_date(dates) -> int | None:
    """A role stated next to an explicit past date ("2020년 … 임명") is judged on that date."""
    explicit = [d for d in dates if not d.relative and d.kind == "date"]
    return explicit[0].first.toordinal() if len(explicit) == 1 else None
