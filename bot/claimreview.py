"""Confirmed findings as schema.org ClaimReview JSON-LD, the format fact-checking organisations publish.

Pure: a confirmed alert (its stored snapshot) and the organisation's settings in, one dict out.
Google's Fact Check markup requires claimReviewed, reviewRating (with alternateName) and url;
it recommends author, datePublished and itemReviewed (a Claim with appearance, author and
datePublished). All of them are filled; tests/test_claimreview.py checks them with a JSON Schema.
"""

from __future__ import annotations

from datetime import datetime

from bot.answer_settings import ClaimReviewSettings
from checker.models import NEWSROOM_TZ
from checker.verdicts import verdict_label
from factwatch.store.answers import ConfirmedAlert

CLAIM_TEXT_MAX = 500


class ClaimReviewSetupError(ValueError):
    """The organisation or the review address is missing from factwatch.yaml."""


def check_settings(settings: ClaimReviewSettings, where: str) -> None:
    missing = [key for key, value in (("claimreview.organization", settings.organization),
                                      ("claimreview.url", settings.url)) if not value]
    if missing:
        raise ClaimReviewSetupError(
            f"{where}: {', '.join(missing)}: ClaimReview에는 팩트체크 기관 이름과 검증 글 주소가 필요합니다 "
            "(예: claimreview: {organization: 무등팩트체크, url: \"https://factcheck.example.kr/review/{alert_id}\"})")


def local_date(iso: str | None) -> str | None:
    """A stored time (UTC ISO) as the newsroom's date, 'YYYY-MM-DD'."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:10]
    if moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.astimezone(NEWSROOM_TZ).date().isoformat()


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_claim_review(alert: ConfirmedAlert, settings: ClaimReviewSettings) -> dict:
    """One ClaimReview for a finding a fact-checker confirmed (맞음)."""
    view = alert.view
    outlet = view.get("outlet") or None
    published = local_date(view.get("published"))
    fact = view.get("fact_description") or ""
    claimed = view.get("claimed") or ""
    sentence = view.get("sentence") or f"{fact} {claimed}".strip()
    article: dict = {"@type": "NewsArticle", "url": view.get("url"), "headline": view.get("article_title") or None}
    if outlet:
        article["publisher"] = {"@type": "Organization", "name": outlet}
    if published:
        article["datePublished"] = published
    claim: dict = {"@type": "Claim", "appearance": [{k: v for k, v in article.items() if v}]}
    byline = alert.author or outlet
    if byline:
        claim["author"] = {"@type": "Person" if alert.author else "Organization", "name": byline}
    if published:
        claim["datePublished"] = published
    organization: dict = {"@type": "Organization", "name": settings.organization}
    if settings.organization_url:
        organization["url"] = settings.organization_url
    label = verdict_label(view.get("verdict") or "")
    review: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": (settings.url or "").replace("{alert_id}", str(alert.alert_id)),
        "claimReviewed": _clip(sentence, CLAIM_TEXT_MAX),
        "itemReviewed": claim,
        "author": organization,
        "datePublished": local_date(alert.answered_at),
        "inLanguage": "ko",
        "reviewRating": {"@type": "Rating", "alternateName": label, "name": label},
        "reviewBody": _review_body(view),
    }
    citation = _canonical_source(view)
    if citation:
        review["citation"] = citation
    return review


def _review_body(view: dict) -> str:
    parts = [view.get("explanation") or ""]
    canonical = view.get("canonical") or view.get("version_display")
    if canonical:
        since = f" ({view['version_valid_from']} 기준)" if view.get("version_valid_from") else ""
        parts.append(f"기준값: {canonical}{since}")
    return " ".join(p for p in parts if p).strip()


def _canonical_source(view: dict) -> dict | None:
    """The canonical value's source: a link when the rule gives an address, else its name."""
    source = (view.get("version_source") or "").strip()
    if not source:
        return None
    if source.startswith(("http://", "https://")):
        return {"@type": "CreativeWork", "url": source}
    return {"@type": "CreativeWork", "name": source}


def build_claim_reviews(alerts: list[ConfirmedAlert], settings: ClaimReviewSettings) -> list[dict]:
    return [build_claim_review(alert, settings) for alert in alerts]
