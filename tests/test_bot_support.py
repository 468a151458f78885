"""Shared helpers for the bot tests: stored articles with checker-style findings (no tests here)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from checker.alertable import FactVersionRef, FindingData, figure_key
from checker.claims import extract_claims
from checker.models import Article
from factwatch.store.articles import save_article
from factwatch.store.findings import FindingRow, replace_findings

NOW = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)

STAFF_SENTENCE = "새만금 사업단은 80명 규모로 꾸려졌다."


def store_version(db, url: str, text: str, title: str = "새만금 사업 점검", outlet: str = "한국일보",
                  story_key: str | None = None, published: str = "2024-05-01T08:00:00+09:00"):
    """Save an article version the way the crawler does; returns factwatch.store.articles.SavedArticle."""
    article = Article(
        url=url,
        text=text,
        title=title,
        outlet=outlet,
        published=datetime.fromisoformat(published),
        story_key=story_key,
        source="test",
    )
    return save_article(db, article, now=NOW)


def add_finding(db, version_id: int, *, sentence: str = STAFF_SENTENCE, claim: str = "80명",
                fact_id: str = "staff.members", verdict: str = "conflict", alert: bool = True,
                canonical: str = "48명", topic: str = "staff", hint: str | None = None,
                explanation: str = "사업단 구성원은 48명입니다(2022-04-13 기준).") -> int:
    """Store a finding the way the checker does (checker/alertable.py FindingData through
    factwatch/store/findings.py), adding to the version's findings, and mark the version checked.

    The figure is the checker's own parse of `claim` (extract_claims), so a test that writes
    one number two ways gets the same figure, as from a real check."""
    start = sentence.find(claim)
    parsed = next(iter(extract_claims(claim, None)), None)
    data = FindingData(
        kind=parsed.kind if parsed else None, unit=parsed.unit if parsed else None,
        value=parsed.value if parsed else None, figure=figure_key(parsed) if parsed else None,
        text=claim, sentence=sentence, sentence_start=0, start=start, end=start + len(claim), hint=hint,
        fact_description="새만금 사업단 구성원 수", rule="rules/staff.yaml:12",
        version=FactVersionRef(display=canonical, valid_from=date(2022, 4, 13),
                               source="https://example.go.kr/press/48", line=14),
        severity="high", topic=topic,
    )
    row = FindingRow(claim_id=None, fact_id=fact_id, verdict=verdict, alert=alert, claimed=claim, canonical=canonical,
                     explanation=explanation, data=data.model_dump_json(), rules_hash="test", judged_at=NOW.isoformat())
    kept = [_stored(r) for r in db["findings"].rows_where("version_id = ?", [version_id], order_by="id")]
    finding_id = replace_findings(db, version_id, [*kept, row])[-1]
    db["article_versions"].update(version_id, {"extracted_at": NOW.isoformat()})
    return finding_id


def _stored(row: dict) -> FindingRow:
    return FindingRow(claim_id=row["claim_id"], fact_id=row["fact_id"], verdict=row["verdict"], alert=bool(row["alert"]),
                      claimed=row["claimed"], canonical=row["canonical"], explanation=row["explanation"],
                      data=row["data"], rules_hash=row["rules_hash"],
                      judged_at=row["judged_at"])


def checked_article(db, url: str, text: str = STAFF_SENTENCE, claim: str = "80명", **kwargs) -> int:
    """An article with one alerting finding; returns the version id."""
    saved = store_version(db, url, text, **{k: v for k, v in kwargs.items() if k in {"title", "outlet", "story_key"}})
    add_finding(db, saved.version_id, sentence=text, claim=claim,
                **{k: v for k, v in kwargs.items() if k not in {"title", "outlet", "story_key"}})
    return saved.version_id
