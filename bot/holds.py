"""New value candidates in the store: one maintainers' notice per (fact, value), the fact-checker
alerts on those claims held as "규칙 확인 중" until a maintainer adds the version (then
`factwatch recheck` closes them) or says the rules are right (`factwatch rules keep`)."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from bot.notices import clear_operator_alert, raise_operator_alert
from bot.outbox import CLOSED, HELD, PENDING, normalize_claimed
from checker.newvalues import find_candidates, notice_text
from checker.suggest import DISAGREE, normalize_written
from checker.suggest_store import load_reports
from factwatch.store import candidates as store
from factwatch.store.alerts import update_alert
from factwatch.store.candidates import ValueCandidate
from factwatch.store.findings import alerting_claims

OPEN, ADOPTED, KEPT = store.OPEN, "adopted", "kept"


def notice_key(fact_id: str, written: str) -> str:
    return f"new_value:{fact_id}:{normalize_written(written)}"


def raise_new_value_notices(db: Database, rules, now: datetime, window_days: int = 30, min_outlets: int = 2) -> list[int]:
    """Record every new candidate and raise its notice once (the operator outbox delivers it
    exactly once); a candidate seen before — open, adopted or kept — is never raised again."""
    created = []
    for candidate in find_candidates(load_reports(db, verdicts=DISAGREE), list(rules.facts), window_days, min_outlets):
        forms = sorted({normalize_claimed(r.written) for r in candidate.reports})
        with db.atomic():
            known = store.candidate_of(db, candidate.fact_id, candidate.key)
            if known is not None:
                if known.status == OPEN:  # a later report of the same value joins it (and is held)
                    store.set_forms(db, known.id, set(known.forms) | set(forms))
                continue
            key = notice_key(candidate.fact_id, candidate.written)
            new_id = store.insert_candidate(db, candidate.fact_id, candidate.key, candidate.written, forms, key,
                                            now.isoformat())
        raise_operator_alert(db, key, notice_text(candidate, rules.fact(candidate.fact_id)), now)
        created.append(new_id)
    return created


def open_candidates(db: Database) -> list[ValueCandidate]:
    return store.open_candidates(db)


def held_predicate(db: Database):
    """`held(fact_key, claimed) -> bool` for enqueue_findings: is this claim under an open candidate?"""
    forms = {(row.fact_id, form) for row in open_candidates(db) for form in row.forms}
    return lambda fact_key, claimed: (fact_key, normalize_claimed(claimed)) in forms


def hold_pending(db: Database) -> int:
    """Alerts queued before their candidate was recorded and not yet sent are held too."""
    held = 0
    with db.atomic():
        for row in open_candidates(db):
            for form in row.forms:
                for alert in store.alerts_of_fact(db, PENDING, row.fact_id, first_only=True):
                    if normalize_claimed(alert.claimed) == form:
                        update_alert(db, alert.id, {"status": HELD})
                        held += 1
    return held


def _still_disagrees(db: Database, fact_id: str, forms: set[str], version_id: int | None = None) -> bool:
    return any(normalize_claimed(claimed) in forms for claimed in alerting_claims(db, fact_id, version_id))


def settle_holds(db: Database, now: datetime) -> tuple[int, int]:
    """After the rules changed and `recheck` re-judged the archive: a held alert whose claim no
    longer alerts is closed; a candidate none of whose claims alerts any more is adopted and its
    notice closed. Returns (alerts closed, candidates adopted)."""
    closed = adopted = 0
    for row in open_candidates(db):
        forms = set(row.forms)
        with db.atomic():
            for alert in store.alerts_of_fact(db, HELD, row.fact_id):
                if not _still_disagrees(db, row.fact_id, forms, alert.version_id):
                    update_alert(db, alert.id, {"status": CLOSED, "last_error": "규칙에 새 버전이 들어가 닫았습니다"})
                    closed += 1
            adopt = not _still_disagrees(db, row.fact_id, forms)
            if adopt:
                store.close_candidate(db, row.id, ADOPTED, now.isoformat())
                adopted += 1
        if adopt:
            clear_operator_alert(db, row.notice_key, now)
    return closed, adopted


class NoCandidate(LookupError):
    pass


def keep_value(db: Database, fact_id: str, value: str, now: datetime) -> int:
    """The rules are right: the candidate is closed as kept and its held alerts go out. Returns
    how many were released. Later reports of this value alert at once (no new candidate)."""
    wanted = normalize_written(value)
    row = next((r for r in open_candidates(db) if r.fact_id == fact_id and (
        normalize_written(r.written) == wanted or normalize_claimed(value) in r.forms)), None)
    if row is None:
        raise NoCandidate(fact_id, value)
    forms = set(row.forms)
    released = 0
    with db.atomic():
        for alert in store.alerts_of_fact(db, HELD, fact_id):
            if normalize_claimed(alert.claimed) in forms:
                update_alert(db, alert.id, {"status": PENDING, "last_error": None})
                released += 1
        store.close_candidate(db, row.id, KEPT, now.isoformat())
    clear_operator_alert(db, row.notice_key, now)
    return released


def held_summary(db: Database) -> list[tuple[str, str, int]]:
    """(fact, value, held alerts) of every open candidate, for `status` and the digest."""
    result = []
    for row in open_candidates(db):
        forms = set(row.forms)
        count = sum(1 for alert in store.alerts_of_fact(db, HELD, row.fact_id) if normalize_claimed(alert.claimed) in forms)
        result.append((row.fact_id, row.written, count))
    return result
