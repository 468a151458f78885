"""Values "as of" a day age visibly: once a fact's open value is older than its `refresh_after`,
the bot asks the maintainers for a fresh source (once, through the operator outbox) instead of
raising conflicts with it forever; the request closes when a newer version is added."""

from __future__ import annotations

from datetime import date, datetime

from checker.judge import needs_refresh, version_on
from checker.models import Fact, local_day
from checker.rules import RuleSet


def refresh_requests(rules: RuleSet, today: date) -> dict[str, str]:
    """Operator-notice key → Korean message, for every fact whose current value is too old."""
    requests = {}
    for fact in rules.facts:
        current = version_on(fact, today)
        if current is not None and needs_refresh(fact, current, today):
            requests[refresh_key(fact)] = refresh_message(fact, current.display, current.valid_from, today)
    return requests


def refresh_key(fact: Fact) -> str:
    return f"refresh:{fact.id}"


def refresh_message(fact: Fact, shown: str, since: date | None, today: date) -> str:
    age = (today - since).days if since else 0
    return (
        f"'{fact.description}' [{fact.id}]의 기준값 {shown}은(는) {since} 자료로 {age}일이 지났습니다 "
        f"(refresh_after: {fact.refresh_after}일). 이 값과 다른 기사는 판단을 미루고 있으니, 새 자료가 있으면 "
        f"{fact.where} 에 새 버전(value, from, source)을 더해 주세요."
    )


def sync_refresh_notices(db, rules: RuleSet, now: datetime, raise_notice, clear_notice) -> list[str]:
    """Raise the requests that are due and clear those a new version answered; returns the open keys."""

    today = local_day(now) or now.date()
    due = refresh_requests(rules, today)
    for key, message in due.items():
        raise_notice(db, key, message, now)
    for fact in rules.facts:
        if fact.refresh_after and refresh_key(fact) not in due:
            clear_notice(db, refresh_key(fact), now)
    return sorted(due)
