"""Decides whether an article is about a watched program, with the topics of the rule files.

A typo in a rule file must not stop crawling: the checker goes on with the last rules that
loaded, and so does the crawl's topic filter. Each crawl that loads the rules keeps their
topics in the store (`crawl_topic_snapshot`); a crawl that cannot load them filters with that
snapshot and reports the files and lines to fix. With no snapshot at all (a fresh store) the
pages are skipped as `rules_invalid` — not stored unfiltered, which would check unrelated
articles against the facts — and fetched in full again once the rules load.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from checker.models import Topic
from checker.rules import RuleFileErrors, RuleSet, load_rules
from factwatch.store import crawl
from factwatch.store.crawl import SnapshotTopic, TopicSnapshot

TopicFilter = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class TopicChoice:
    topic_of: TopicFilter | None  # None: no rules to judge by (every page is skipped as rules_invalid)
    problem: str | None = None  # the rule-file errors (file:line: …) and what the crawl does about them
    fingerprint: str | None = None  # changes when the topics do: an off-topic page is then judged again


def load_topic_filter(rules_dir: str | Path, keywords: list[str] | None = None, db: Database | None = None) -> TopicChoice:
    """The topic filter for one crawl: (title, text) → topic id or None (off-topic).

    `keywords`, when given, replace the rule files (a test or a one-off crawl of anything that
    mentions them); otherwise the topics come from `checker.rules.load_rules(rules_dir)`, or,
    if those files are broken, from the last snapshot in `db`.
    """
    if keywords:
        return TopicChoice(_keyword_filter(keywords), fingerprint=_digest(sorted(keywords)))
    try:
        ruleset = load_rules(Path(rules_dir))
    except RuleFileErrors as error:
        snapshot = load_topic_snapshot(db) if db is not None else None
        if snapshot is None:
            return TopicChoice(None, f"규칙 파일 오류로 주제를 판단할 수 없어 기사를 저장하지 않고 건너뜁니다 "
                                     f"(규칙을 고치면 다음 수집에서 다시 받습니다). 고칠 곳:\n{error}")
        saved_at, ruleset = snapshot
        return TopicChoice(_ruleset_filter(ruleset), f"규칙 파일 오류: 마지막으로 정상이던 규칙({ruleset.content_hash}, "
                                                     f"{saved_at[:16]} UTC)의 주제로 거릅니다. 고칠 곳:\n{error}",
                           topics_fingerprint(ruleset))
    if db is not None:
        save_topic_snapshot(db, ruleset, datetime.now(UTC))
    return TopicChoice(_ruleset_filter(ruleset), fingerprint=topics_fingerprint(ruleset))


def topics_fingerprint(ruleset: RuleSet) -> str:
    """Of what recognises a topic only — its names and its facts' proper names (checker.topics):
    editing a fact's value does not make off-topic pages worth fetching again, a new station does."""
    return _digest(sorted((t.id, sorted(t.recognise), t.min_mentions, list(ruleset.topic_names(t.id)))
                          for t in ruleset.topics))


def _digest(value) -> str:
    return hashlib.sha1(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:12]


def _ruleset_filter(ruleset: RuleSet) -> TopicFilter:
    def topic_of(title: str, text: str) -> str | None:
        topic = ruleset.topic_for(title, text)
        return topic.id if topic is not None else None

    return topic_of


def save_topic_snapshot(db: Database, ruleset: RuleSet, now: datetime) -> None:
    """Keep the topics of rules that loaded, for a later crawl that finds the files broken."""
    topics = tuple(SnapshotTopic(t.id, t.name, tuple(t.recognise), t.min_mentions, t.file, t.line) for t in ruleset.topics)
    crawl.save_topic_snapshot(db, TopicSnapshot(rules_hash=ruleset.content_hash, saved_at=now.isoformat(), topics=topics))


def load_topic_snapshot(db: Database) -> tuple[str, RuleSet] | None:
    """(saved_at, a topics-only RuleSet) of the last rules that loaded, or None."""
    snapshot = crawl.load_topic_snapshot(db)
    if snapshot is None:
        return None
    topics = tuple(
        Topic(id=t.id, name=t.name, recognise=t.recognise, min_mentions=t.min_mentions, file=t.file, line=t.line)
        for t in snapshot.topics
    )
    return snapshot.saved_at, RuleSet(topics=topics, facts=(), content_hash=snapshot.rules_hash, files=())


def _keyword_filter(keywords: list[str]) -> TopicFilter:
    squeezed = [word.replace(" ", "") for word in keywords]

    def topic_of(title: str, text: str) -> str | None:
        haystack = f"{title}\n{text}".replace(" ", "")
        return next((word for word in squeezed if word in haystack), None)

    return topic_of
