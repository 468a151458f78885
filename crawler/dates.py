"""Reads publication and update times as Korean pages write them; a time with no zone is KST."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from checker.models import NEWSROOM_TZ as KST  # one definition of the newsroom's time zone

# 2021-11-22T16:07:00+09:00, 2021-11-22 16:07, 2021.11.22 16:07, 2021/11/22, 2021년 11월 22일 오후 4:07
_DATE_TIME = re.compile(
    r"(?P<y>\d{4})\s*[-./년]\s*(?P<m>\d{1,2})\s*[-./월]\s*(?P<d>\d{1,2})(?:\s*일)?\.?"
    r"(?:\s*\([월화수목금토일]\))?"
    r"(?:[T\s]*(?P<ampm>오전|오후|AM|PM|am|pm)?\s*(?P<H>\d{1,2})(?::|\s*시\s*)(?P<M>\d{2})(?:\s*분)?(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$")  # Daum og:regDate: 20211122160712

# The byline of a Korean article: "입력 2021.11.22 16:07", "수정 2021-11-23 09:00", "기사입력 : …"
_BYLINE = re.compile(
    r"(?P<label>입력|등록|작성|게재|발행|수정|업데이트|최종\s*수정|승인)\s*(?:일시|시간|일)?\s*[:：]?\s*"
    r"(?P<when>(?:\d{4}|\d{2}(?=\.\d{1,2}\.\d{1,2}))\s*[-./년]\s*\d{1,2}\s*[-./월]\s*\d{1,2}(?:\s*일)?\.?(?:\s*\([월화수목금토일]\))?"
    r"(?:[T\s]*(?:오전|오후|AM|PM)?\s*\d{1,2}(?::|\s*시\s*)\d{2}(?:\s*분)?(?::\d{2})?)?)"
)
_UPDATE_LABELS = {"수정", "업데이트", "최종수정", "최종 수정"}


def parse_datetime(value: str | None) -> datetime | None:
    """One date/time as a page's metadata writes it, as an aware datetime (KST if no zone)."""
    if not value:
        return None
    value = value.strip()
    compact = _COMPACT.match(value)
    if compact:
        parts = [int(part) if part else 0 for part in compact.groups()]
        return _build(*parts, tz=None)
    match = _DATE_TIME.search(value)
    if match is None:
        if re.search(r"[A-Za-z]{3},?\s+\d", value):  # RFC 822, as in RSS pubDate
            try:
                parsed = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=KST)
        return None
    hour = int(match["H"] or 0)
    if match["ampm"] in ("오후", "PM", "pm") and hour < 12:
        hour += 12
    if match["ampm"] in ("오전", "AM", "am") and hour == 12:
        hour = 0
    return _build(int(match["y"]), int(match["m"]), int(match["d"]), hour, int(match["M"] or 0), int(match["S"] or 0), tz=match["tz"])


def _build(year, month, day, hour=0, minute=0, second=0, tz=None) -> datetime | None:
    try:
        zone = KST if tz is None else _zone(tz)
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None


def _zone(tz: str) -> timezone:
    if tz == "Z":
        return UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_byline_dates(text: str) -> tuple[datetime | None, datetime | None]:
    """(published, updated) from the 입력/수정 byline in a page's visible text; first of each wins.

    승인 (an editor's approval) stands in for 입력 only when the byline has no 입력-like label;
    a two-digit year ("입력 21.11.22") is read as 20xx.
    """
    published = updated = approved = None
    for match in _BYLINE.finditer(text):
        when_text = match["when"]
        if re.match(r"\d{2}\.", when_text):
            when_text = "20" + when_text
        when = parse_datetime(when_text)
        if when is None:
            continue
        label = re.sub(r"\s+", " ", match["label"])
        if label in _UPDATE_LABELS:
            updated = updated or when
        elif label == "승인":
            approved = approved or when
        else:
            published = published or when
    return published or approved, updated
