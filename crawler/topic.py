"""Decides whether an article is about a watched program, with the topics of the rule files."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from checker.rules import load_rules

TopicFilter = Callable[[str, str], "str | None"]


def load_topic_filter(rules_dir: str | Path, keywords: list[str] | None = None) -> TopicFilter:
    """A function (title, text) → topic id or None (off-topic).

    `keywords`, when given, replace the rule files (a test or a one-off crawl of anything that
    mentions them); otherwise the topics come from `checker.rules.load_rules(rules_dir)`.
    """
    if keywords:
        return _keyword_filter(keywords)
    ruleset = load_rules(Path(rules_dir))

    def topic_of(title: str, text: str) -> str | None:
        topic = ruleset.topic_for(title, text)
        return topic.id if topic is not None else None

    return topic_of


def _keyword_filter(keywords: list[str]) -> TopicFilter:
    squeezed = [word.replace(" ", "") for word in keywords]

    def topic_of(title: str, text: str) -> str | None:
        haystack = f"{title}\n{text}".replace(" ", "")
        return next((word for word in squeezed if word in haystack), None)

    return topic_of
