"""Shared helpers for the bot tests: stored articles with checker-style findings (no tests here)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from checker.models import Article
from factwatch.store.articles import save_article

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
    """Insert a finding row as checker.pipeline would, and mark the version checked."""
    start = sentence.find(claim)
    data = {
        "sentence": sentence,
        "sentence_start": 0,
        "start": start,
        "end": start + len(claim),
        "text": claim,
        "hint": hint,
        "fact_description": "새만금 사업단 구성원 수",
        "rule": "rules/staff.yaml:12",
        "version": {
            "display": canonical,
            "valid_from": "2022-04-13",
            "valid_until": None,
            "source": "https://example.go.kr/press/48",
            "line": 14,
        },
        "severity": "high",
        "topic": topic,
    }
    finding_id = db["findings"].insert(
        {
            "version_id": version_id,
            "claim_id": None,
            "fact_id": fact_id,
            "verdict": verdict,
            "alert": 1 if alert else 0,
            "claimed": claim,
            "canonical": canonical,
            "explanation": explanation,
            "data": json.dumps(data, ensure_ascii=False),
            "rules_hash": "test",
            "judged_at": NOW.isoformat(),
        }
    ).last_pk
    db["article_versions"].update(version_id, {"extracted_at": NOW.isoformat()})
    return finding_id


def checked_article(db, url: str, text: str = STAFF_SENTENCE, claim: str = "80명", **kwargs) -> int:
    """An article with one alerting finding; returns the version id."""
    saved = store_version(db, url, text, **{k: v for k, v in kwargs.items() if k in {"title", "outlet", "story_key"}})
    add_finding(db, saved.version_id, sentence=text, claim=claim,
                **{k: v for k, v in kwargs.items() if k not in {"title", "outlet", "story_key"}})
    return saved.version_id
