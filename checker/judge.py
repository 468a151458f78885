"""Judges a claim against the fact it matched, by the fact's own rules, and says why in Korean."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from checker.display import format_percent, format_span, format_value, particle
from checker.models import Claim, DateClaim, DatedClaim, Fact, FactVersion, Finding, PeriodClaim, QuantityClaim, RoleClaim, SumClaim
from checker.verdicts import ALERT_VERDICTS, VERDICT_KO, Verdict


def version_on(fact: Fact, day: date | None) -> FactVersion | None:
    """The version true on `day`: the latest one started by then (a later one closes an open one).

    Without a date only a fact that never changes can be judged: for one that has versions or
    an end date, guessing "now" would call a correct old article wrong.
    """
    if day is None:
        changes = len(fact.versions) > 1 or any(v.valid_until for v in fact.versions)
        return None if changes else fact.versions[-1]
    valid = [v for v in fact.versions if v.valid_on(day)]
    return max(valid, key=lambda v: v.valid_from or date.min) if valid else None


def _since(version: FactVersion) -> str:
    if version.valid_from and version.valid_until:
        return f"{version.valid_from}~{version.valid_until}"
    if version.valid_from:
        # A person takes office on a day; a count is true as of the day it was reported.
        return f"{version.valid_from} 취임" if version.person else f"{version.valid_from} 기준"
    return ""


def _shown(version: FactVersion, text: str | None = None) -> str:
    """A fact value with the dates it holds for: "48명(2022-04-13 기준)"."""
    since = _since(version)
    text = text or version.display
    return f"{text}({since})" if since else text


def repr_claim(claim: Claim) -> str:
    return f"'{claim.text}'"


def _no_value(claim: Claim, fact: Fact, published: date | None) -> Finding:
    if published is None:
        return _finding(claim, fact, "unknown", "발행일을 알 수 없어 판단하지 않았습니다 (값이 시기마다 다른 사실입니다).")
    return _finding(claim, fact, "unknown", f"기사 날짜({published})에 해당하는 '{fact.description}' 기준값이 아직 등록되지 않았습니다.")


def _registered(published: date | None) -> str:
    return f"기사 날짜({published}) 기준으로 규칙에 등록된" if published else "규칙에 등록된"


def _day(published: date | None) -> str:
    return f"기사 날짜({published}) 현재" if published else "현재"


def _finding(claim: Claim, fact: Fact, verdict: str, explanation: str, version: FactVersion | None = None,
             hint: str | None = None, score: float = 0.0) -> Finding:
    return Finding(
        claim=claim, fact=fact, verdict=Verdict(verdict), alert=verdict in ALERT_VERDICTS, explanation=explanation,
        claimed=claim.text, canonical=version.display if version else None, version=version, hint=hint, score=score,
    )


def judge(claim: Claim, fact: Fact, published: date | None, score: float = 0.0) -> Finding:
    if isinstance(claim, QuantityClaim):
        finding = judge_quantity(claim, fact, published)
    elif isinstance(claim, DatedClaim):
        finding = judge_date(claim, fact, published)
    elif isinstance(claim, RoleClaim):
        finding = judge_role(claim, fact, published)
    else:
        raise ValueError(f"no judge for claim kind {claim.kind!r}")  # a sum has no fact: judge_sum
    return replace(finding, score=score)


# ---------------------------------------------------------------- quantities


def claim_interval(claim: QuantityClaim) -> tuple[Decimal | None, bool, Decimal | None, bool]:
    """What the writer committed to. An unhedged figure still carries its written precision:
    "4100억원" is any value that rounds to it, [4050억, 4150억]."""
    if claim.hedge_kind == "exact":
        half = claim.step / 2
        return claim.value - half, True, claim.value + half, True
    return claim.low, claim.low_inclusive, claim.high, claim.high_inclusive


def _consistent(claim: QuantityClaim, canonical: Decimal, tolerance: Decimal) -> bool:
    low, low_inc, high, high_inc = claim_interval(claim)
    slack = abs(canonical) * tolerance
    lo_c, hi_c = canonical - slack, canonical + slack
    if low is not None and (hi_c < low or (hi_c == low and not low_inc)):
        return False
    if high is not None and (lo_c > high or (lo_c == high and not high_inc)):
        return False
    return True


def _commits_to_value(claim: QuantityClaim) -> bool:
    """Bounds ("100명 이상") and vague words ("수천억원") promise no figure, so they can't be too rough."""
    if claim.hedge_kind in ("under", "vague"):
        return False
    return not (claim.hedge_kind == "over" and claim.high is None)


STALE_AFTER_DAYS = 365


def stale_hint(version: FactVersion, published: date | None) -> str | None:
    """An "as of" value (a staff count) may have changed since: say so instead of implying
    the article must be wrong."""
    if version.valid_until or not version.valid_from or not published:
        return None
    age = (published - version.valid_from).days
    if age < STALE_AFTER_DAYS:
        return None
    return (f"기준값은 {version.valid_from} 자료로 {age // 365}년 넘게 지났습니다: 그 뒤 바뀌었을 수 있으니 "
            f"새 자료가 있으면 규칙에 새 버전을 더해 주세요")


def needs_refresh(fact: Fact, version: FactVersion, day: date | None) -> bool:
    """An open value "as of" a day, older than the fact's `refresh_after`: too old to accuse with."""
    if not fact.refresh_after or version.valid_until or not version.valid_from or day is None:
        return False
    return (day - version.valid_from).days > fact.refresh_after


def power_of_ten_hint(claimed: Decimal, canonical: Decimal) -> str | None:
    if not claimed or not canonical:
        return None
    ratio = claimed / canonical
    for exponent in (1, 2, 3, -1, -2, -3):
        factor = Decimal(10) ** exponent
        if abs(ratio / factor - 1) <= Decimal("0.02"):
            shown = f"×{10 ** exponent}" if exponent > 0 else f"×1/{10 ** -exponent}"
            return f"{shown} 차이: 자릿수나 소수점을 잘못 옮겼을 수 있습니다"
    return None


def _difference(claimed: Decimal, canonical: Decimal) -> str:
    if not canonical:
        return ""
    ratio = claimed / canonical
    if ratio >= 2:
        return f"약 {ratio.quantize(Decimal('0.1')).normalize():f}배"
    if 0 < ratio <= Decimal("0.5"):
        return f"약 {(ratio * 100).quantize(Decimal('1')):f}% 수준"
    sign = "+" if ratio > 1 else ""
    return f"차이 {sign}{format_percent(ratio - 1)}"


def _quantity_of(version: FactVersion) -> Decimal:
    """A quantity fact's value (the rule compiler gives every version of one a value)."""
    if version.value is None:
        raise ValueError(f"수치 사실의 버전에 값이 없습니다 (규칙 파일 {version.line}번째 줄)")
    return version.value


def judge_quantity(claim: QuantityClaim, fact: Fact, published: date | None) -> Finding:
    current = version_on(fact, published)
    if current is None:
        return _no_value(claim, fact, published)
    canonical = _quantity_of(current)
    canonical_text = _shown(current)
    quoted = repr_claim(claim)
    if _consistent(claim, canonical, fact.tolerance):
        error = abs(claim.value - canonical) / canonical if canonical else Decimal(0)
        if not _commits_to_value(claim):
            return _finding(
                claim, fact, "match",
                f"{particle(canonical_text, '과', '와')} 어긋나지 않습니다 ('{claim.hedge}'처럼 한쪽 경계만 밝힌 표현이라 어림 정도는 따지지 않습니다).",
                current,
            )
        if error > fact.rounding:
            return _finding(
                claim, fact, "imprecise",
                f"{particle(quoted, '은', '는')} 실제 값 {particle(canonical_text, '을', '를')} 포함해 틀렸다고 할 수는 "
                f"없지만, 차이가 {format_percent(error)}로 허용 범위({format_percent(fact.rounding)})를 넘습니다. "
                f"정확한 값은 {current.display}입니다.",
                current,
            )
        rounded = "" if error == 0 else f" (어림 차이 {format_percent(error)}, 허용 {format_percent(fact.rounding)} 이내)"
        return _finding(claim, fact, "match", f"{particle(canonical_text, '과', '와')} 일치합니다{rounded}.", current)
    for old in _superseded(fact, current):
        if _consistent(claim, _quantity_of(old), fact.tolerance):
            return _finding(
                claim, fact, "outdated",
                f"{particle(quoted, '은', '는')} 예전 값 {_shown(old)}입니다. {_day(published)} 값은 {canonical_text}입니다.",
                current,
            )
    if needs_refresh(fact, current, published) and published is not None and current.valid_from is not None:
        age = (published - current.valid_from).days
        return _finding(
            claim, fact, "unknown",
            f"기사는 {particle(quoted, '이라고', '라고')} 썼고 규칙의 값은 {canonical_text}이지만, 그 자료가 {age}일 전 것이라 "
            f"(새 자료가 필요한 기준 {fact.refresh_after}일) 판단을 미룹니다: 새 자료가 필요합니다 (봇은 유지보수 담당자에게 한 번 요청합니다).",
            current,
        )
    hint = power_of_ten_hint(claim.value, canonical) or stale_hint(current, published)
    explanation = (
        f"기사는 {particle(quoted, '이라고', '라고')} 썼지만, {_registered(published)} "
        f"{particle(fact.description, '은', '는')} {canonical_text}입니다 ({_difference(claim.value, canonical)})."
    )
    return _finding(claim, fact, "conflict", explanation, current, hint)


def _superseded(fact: Fact, current: FactVersion) -> list[FactVersion]:
    start = current.valid_from or date.min
    return [v for v in fact.versions if v is not current and (v.valid_from or date.min) < start]


# ---------------------------------------------------------------- dates and periods


def _same_at_grain(a: int, b: int, grain: str) -> bool:
    day_a, day_b = date.fromordinal(a), date.fromordinal(b)
    if grain == "year":
        return day_a.year == day_b.year
    if grain in ("month", "quarter", "half"):
        return (day_a.year, day_a.month) == (day_b.year, day_b.month)
    return day_a == day_b


def _days_of(version: FactVersion) -> tuple[Decimal, Decimal]:
    """A date or period fact's first and last day as ordinals (the rule compiler sets both)."""
    if version.low is None or version.high is None:
        raise ValueError(f"날짜·기간 사실의 버전에 날짜가 없습니다 (규칙 파일 {version.line}번째 줄)")
    return version.low, version.high


def judge_date(claim: DateClaim | PeriodClaim, fact: Fact, published: date | None) -> Finding:
    current = version_on(fact, published)
    if current is None:
        return _no_value(claim, fact, published)
    low, high = _days_of(current)
    claimed = format_span(claim.low, claim.high)
    canonical = format_span(low, high)
    if fact.kind == "period" and claim.kind == "date":
        # "2025년까지": only the end is stated
        agrees = _same_at_grain(int(claim.high), int(high), claim.grain)
    elif fact.kind == "period":
        agrees = _same_at_grain(int(claim.low), int(low), claim.grain) and _same_at_grain(
            int(claim.high), int(high), claim.grain
        )
    else:
        # A coarse claim ("2020년 1월 출범") agrees with a precise fact inside it, and the
        # reverse ("올 연말" against a planned "2022-12").
        agrees = claim.low <= high and low <= claim.high
    relative = ""
    if claim.relative:
        relative = f" ({particle(repr_claim(claim), '은', '는')} 기사 날짜 {published} 기준으로 {claimed}입니다)"
    if agrees:
        return _finding(claim, fact, "match", f"{particle(canonical, '과', '와')} 일치합니다{relative}.", current)
    return _finding(
        claim, fact, "conflict",
        f"기사는 {particle(repr_claim(claim), '이라고', '라고')} 썼지만, "
        f"{particle(fact.description, '은', '는')} {_as_of(current, canonical)}입니다{relative}.", current,
    )


# ---------------------------------------------------------------- roles


def _ordinal_label(version: FactVersion | None) -> str:
    if version is None or not version.ordinal:
        return ""
    return "초대" if version.ordinal == 1 else f"제{version.ordinal}대"


def _as_of(version: FactVersion, text: str) -> str:
    """A date as known on a day ("2022년 12월(2022-04-13 기준)"): its validity range would read
    as part of the date."""
    return f"{text}({version.valid_from} 기준)" if version.valid_from else text


def _holder(version: FactVersion) -> str:
    return f"{version.person} 씨{_since_paren(version)}"


def judge_role(claim: RoleClaim, fact: Fact, published: date | None) -> Finding:
    person = claim.person
    title = fact.description
    if claim.ordinal is not None:
        holder = next((v for v in fact.versions if v.ordinal == claim.ordinal), None)
        label = "초대" if claim.ordinal == 1 else f"제{claim.ordinal}대"
        if holder is None:
            known = next((v for v in fact.versions if v.person == person and v.ordinal), None)
            if known is not None:  # 오상진 is 제3대, whatever the article calls him
                return _finding(
                    claim, fact, "conflict",
                    f"기사는 {person} 씨를 {label} {particle(title, '으로', '로')} 적었지만, {person} 씨는 "
                    f"{_ordinal_label(known)} {title}입니다{_since_paren(known)}.", known,
                )
            return _finding(claim, fact, "unknown", f"{label} {title} 기록이 아직 등록되지 않았습니다.")
        if holder.person == person:
            return _finding(claim, fact, "match", f"{label} {particle(title, '은', '는')} {_holder(holder)}입니다.", holder)
        return _finding(
            claim, fact, "conflict",
            f"기사는 {person} 씨를 {label} {particle(title, '으로', '로')} 적었지만, {label} "
            f"{particle(title, '은', '는')} {_holder(holder)}입니다.", holder,
        )
    day = claim.as_of or published
    held = [v for v in fact.versions if v.person == person]
    if claim.role_tense == "former":
        if held:
            label = _ordinal_label(held[0]) or "전임"
            return _finding(claim, fact, "match", f"{person} 씨는 {label} {title}입니다{_since_paren(held[0])}.", held[0])
        return _finding(claim, fact, "unknown", f"{person} 씨는 등록된 {title} 명단에 없습니다.")
    current = version_on(fact, day)
    if claim.role_tense == "incoming" and any((v.valid_from or date.min) > (day or date.min) for v in held):
        return _finding(claim, fact, "match", f"{person} 씨는 곧 취임할 {title}입니다.", held[-1])
    if current is None:
        before, after = _around_vacancy(fact, day)
        if before is not None and after is not None and claim.role_tense == "current":
            # Between a holder who left (`until`) and the next one: the post was vacant.
            return _finding(
                claim, fact, "conflict",
                f"기사는 {person} 씨를 {particle(title, '으로', '로')} 적었지만, {day}에는 {title} 자리가 비어 "
                f"있었습니다 ({before.person} 씨 {before.valid_until}까지, {after.person} 씨 {after.valid_from} 취임).",
                after,
            )
        return _no_value(claim, fact, day)
    when = f"{day} 현재" if day else "현재"
    if current.person == person:
        return _finding(claim, fact, "match", f"{person} 씨는 {when} {title}입니다{_since_paren(current)}.", current)
    if claim.role_tense == "incoming" and any((v.valid_from or date.min) > (day or date.min) for v in held):
        return _finding(claim, fact, "match", f"{person} 씨는 곧 취임할 {title}입니다.", held[0])
    if not held and _successor_possible(claim, current, day):
        return _finding(
            claim, fact, "unknown",
            f"{person} 씨는 등록된 {title} 명단에 없습니다. 등록된 마지막 {particle(title, '은', '는')} "
            f"{_holder(current)}입니다: 그 뒤 바뀌었다면 규칙에 새 버전을 더해 주세요.", current,
        )
    if any(v in _superseded(fact, current) for v in held):
        label = _ordinal_label(held[0]) or "전임"
        return _finding(
            claim, fact, "outdated",
            f"{person} 씨는 {label} {title}{_since_paren(held[0])}이며, {_day(day)} "
            f"{particle(title, '은', '는')} {_holder(current)}입니다.", current,
        )
    return _finding(
        claim, fact, "conflict",
        f"기사는 {person} 씨를 {particle(title, '으로', '로')} 적었지만, {when} "
        f"{particle(title, '은', '는')} {_holder(current)}입니다.", current,
    )


def _around_vacancy(fact: Fact, day: date | None) -> tuple[FactVersion | None, FactVersion | None]:
    """The holders just before and after `day` when no one held the post on it."""
    if day is None:
        return None, None
    dated = [v for v in fact.versions if v.person and v.valid_from and v.valid_from != v.valid_until]
    before = [(v.valid_until, v) for v in dated if v.valid_until and v.valid_until < day]
    after = [(v.valid_from, v) for v in dated if v.valid_from and v.valid_from > day]
    return (max(before, key=lambda pair: pair[0])[1] if before else None,
            min(after, key=lambda pair: pair[0])[1] if after else None)


SUCCESSION_AFTER_DAYS = 183
_SUCCESSION_WORDS = ("신임", "취임", "후임", "새 단장", "선임", "임명")


def _successor_possible(claim: RoleClaim, current: FactVersion, day: date | None) -> bool:
    """An unknown name may be a successor the rules have not heard of: months after the last
    recorded appointment, or when the sentence itself reports an appointment. A name that is
    simply wrong shortly after a change is still a conflict."""
    if claim.role_tense == "incoming" or any(word in claim.sentence for word in _SUCCESSION_WORDS):
        return True
    if day and current.valid_from and not current.valid_until:
        return (day - current.valid_from).days > SUCCESSION_AFTER_DAYS
    return False


def _since_paren(version: FactVersion) -> str:
    return f"({version.valid_from} 취임)" if version.valid_from else ""


# ---------------------------------------------------------------- sums inside one sentence


def judge_sum(claim: SumClaim) -> Finding | None:
    """A stated total against its stated parts; None when they add up (no rule needed)."""
    parts_total = sum((value for _, value in claim.parts), Decimal(0))
    if parts_total == claim.value:
        return None
    gap = abs(claim.value - parts_total)
    direction = "적습니다" if parts_total < claim.value else "많습니다"
    shown = " + ".join(f"{label} {format_value(value, claim.unit)}" for label, value in claim.parts)
    explanation = (
        f"괄호 안 세부 항목의 합({format_value(parts_total, claim.unit)})이 합계 "
        f"{format_value(claim.value, claim.unit)}보다 {format_value(gap, claim.unit)} {direction} (세부: {shown})."
    )
    return Finding(
        claim=claim, fact=None, verdict=Verdict.SUM_MISMATCH, alert=True, explanation=explanation,
        claimed=claim.text, canonical=format_value(parts_total, claim.unit),
    )


def describe_version(version: FactVersion | None) -> dict | None:
    if version is None:
        return None
    return {
        "display": version.display,
        "valid_from": version.valid_from.isoformat() if version.valid_from else None,
        "valid_until": version.valid_until.isoformat() if version.valid_until else None,
        "source": version.source,
        "line": version.line,
    }


__all__ = ["judge", "judge_sum", "version_on", "needs_refresh", "power_of_ten_hint", "stale_hint", "describe_version", "VERDICT_KO"]
