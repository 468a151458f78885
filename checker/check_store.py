"""Runs the checker over the store: extract claims once per article version, judge, save findings.

(Not crawler/pipelines.py, which is Scrapy's item pipeline.) Findings are stored as
checker/alertable.py records through factwatch/store/findings.py; the bot reads them from there.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from sqlite_utils import Database

from checker.alertable import finding_data
from checker.check import judge_claims
from checker.claim_codec import claim_from_json, claim_to_json
from checker.claims import extract_claims
from checker.models import Article, Claim, Finding, local_day
from checker.rules import RuleSet
from checker.store import claim_match_key, save_article, save_facts, versions_to_check
from factwatch.store import claims as claim_store
from factwatch.store.claims import ClaimRow
from factwatch.store.findings import FindingRow, replace_findings

log = logging.getLogger(__name__)


def finding_row(finding: Finding, claim_id: int | None, rules_hash: str, now: str) -> FindingRow:
    """The stored form of a finding; its `data` (checker/alertable.py FindingData) is what the bot needs."""
    return FindingRow(
        claim_id=claim_id,
        fact_id=finding.fact.id if finding.fact else None,
        verdict=finding.verdict,
        alert=finding.alert,
        claimed=finding.claimed,
        canonical=finding.canonical,
        explanation=finding.explanation,
        data=finding_data(finding).model_dump_json(),
        rules_hash=rules_hash,
        judged_at=now,
    )


def _published_day(row: dict) -> date | None:
    value = row.get("published")
    return local_day(datetime.fromisoformat(value)) if value else None


def check_version(db: Database, row: dict, rules: RuleSet, now: datetime) -> tuple[list[int], list[Finding]]:
    """Extract (once) and judge one stored article version; returns its findings and their ids."""
    published = _published_day(row)
    stored = claim_store.claims_of(db, row["id"])
    with db.atomic():
        if stored:
            claims = [claim_from_json(c.data) for c in stored]
            claim_ids = [c.id for c in stored]
        else:
            claims = extract_claims(row["text"], published, rules.known_names)
            claim_ids = claim_store.insert_claims(db, row["id"], [
                ClaimRow(seq=seq, kind=claim.kind, start=claim.start, end=claim.end, text=claim.text,
                         sentence=claim.sentence, data=claim_to_json(claim),
                         match_key=claim_match_key({"kind": claim.kind, "unit": claim.unit}))
                for seq, claim in enumerate(claims)])
        topics = rules.topics_of(row.get("title") or "", row["text"])
        findings = judge_claims(claims, rules, published, topics, row.get("title") or "")
        ids = _replace_findings(db, row["id"], claims, claim_ids, findings, rules.content_hash, now)
        claim_store.mark_checked(db, row["id"], now.isoformat())
    return ids, findings


def _replace_findings(db: Database, version_id: int, claims: list[Claim], claim_ids: list[int],
                      findings: list[Finding], rules_hash: str, now: datetime) -> list[int]:
    id_of = {id(claim): claim_id for claim, claim_id in zip(claims, claim_ids, strict=True)}
    now_iso = now.isoformat()
    return replace_findings(db, version_id, [finding_row(f, id_of.get(id(f.claim)), rules_hash, now_iso) for f in findings])


def check_pending(db: Database, rules: RuleSet, now: datetime | None = None) -> list[int]:
    """Check every stored version not checked yet (syndicated copies excluded); new finding ids."""
    now = now or datetime.now(UTC)
    save_facts(db, rules, now)
    ids: list[int] = []
    for row in versions_to_check(db):
        try:
            ids.extend(check_version(db, row, rules, now)[0])
        except Exception as error:  # noqa: BLE001 - one odd article must not stop the others
            # Recorded and skipped, so it cannot block every later cycle (a poison article);
            # the store keeps why; clearing check_error and extracted_at retries it.
            log.exception("기사 판 %s 검사 실패", row["id"])
            claim_store.mark_checked(db, row["id"], now.isoformat(), error=f"{type(error).__name__}: {error}")
    return ids


def recheck_all(db: Database, rules: RuleSet, now: datetime | None = None) -> tuple[int, int]:
    """Re-judge every stored claim against the current rules without re-reading articles.

    Returns (versions, claims) re-judged. Articles are not re-parsed: claims come back from
    the claims table; only topic recognition reads the text, which is a substring count.
    """
    now = now or datetime.now(UTC)
    save_facts(db, rules, now)
    versions = claims_total = 0
    # Only claims that some fact in these rules could be about are decoded and judged; sums
    # are always checked. This is what keeps re-judging an archive fast.
    claim_rows = claim_store.claims_by_version(db, sorted(set(rules.grams_by_key) | {"sum"}))
    with db.atomic():
        for version in claim_store.checked_versions(db):
            row = version.as_row()
            stored = claim_rows.get(version.id, [])
            try:
                claims = [claim_from_json(c.data) for c in stored]
                topics = rules.topics_of(version.title or "", version.text)
                findings = judge_claims(claims, rules, _published_day(row), topics, version.title or "")
            except Exception:  # noqa: BLE001 - keep the old findings of one odd version, go on
                log.exception("기사 판 %s 재판정 실패", version.id)
                continue
            _replace_findings(db, version.id, claims, [c.id for c in stored], findings, rules.content_hash, now)
            versions += 1
        claims_total = claim_store.count_claims(db)
    return versions, claims_total


def store_and_check(db: Database, article: Article, rules: RuleSet, now: datetime | None = None) -> list[Finding]:
    """Save an article (a new version only if its text changed) and judge the version that holds
    its text, reusing the claims stored for it; returns the findings (also stored)."""
    now = now or datetime.now(UTC)
    save_facts(db, rules, now)
    saved = save_article(db, article, now)
    row = claim_store.latest_version(db, saved.article_id).as_row()
    if article.published:  # judged as of the date given now, e.g. a corrected --published
        row["published"] = article.published.isoformat()
    return check_version(db, row, rules, now)[1]
