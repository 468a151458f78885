"""Loads rules/*.yaml into validated Topic and Fact records; every mistake is reported as file:line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from checker.models import Fact, Topic
from checker.rulecompile import (
    FACT_KEYS,
    TOPIC_KEYS,
    VERSION_KEYS,
    compile_rule_file,
    parse_day,
    parse_span,
    parse_value,
    unit_code,
)
from checker.rulefile import RuleError, RuleWarning, read_rule_yaml
from checker.sentences import normalise
from checker.topics import TopicDecision, decide, proper_names

__all__ = [
    "FACT_KEYS", "TOPIC_KEYS", "VERSION_KEYS", "RuleFileErrors", "RuleSet", "Topic", "load_rules",
    "parse_day", "parse_span", "parse_value", "unit_code", "rules_fingerprint",
]


class RuleFileErrors(ValueError):
    """Every problem found in a rules directory, one `file:line: message` per line."""

    def __init__(self, errors: list[RuleError], warnings: tuple[RuleWarning, ...] = ()):
        self.errors = errors
        self.warnings = warnings
        super().__init__("\n".join(str(error) for error in errors))


@dataclass(frozen=True)
class RuleSet:
    topics: tuple[Topic, ...]
    facts: tuple[Fact, ...]
    content_hash: str
    files: tuple[str, ...]
    by_unit: dict = field(default_factory=dict, compare=False)  # quantity facts per unit code
    by_kind: dict = field(default_factory=dict, compare=False)  # date/period/role facts
    # (unit or kind, character bigram of a cue) → facts: a claim is scored only against facts
    # one of whose cues shares a bigram with its context, so 10,000 facts cost what 100 do.
    cue_index: dict = field(default_factory=dict, compare=False)
    grams_by_key: dict = field(default_factory=dict, compare=False)  # index key → its bigrams
    warnings: tuple = field(default=(), compare=False)  # RuleWarning: likely mistakes that still load
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def topic_decisions(self, title: str, text: str) -> list[TopicDecision]:
        """For every topic: is the article about it, and why (its name, or its facts' own names)."""
        return [decide(t, self.topic_names(t.id), title, text) for t in self.topics]

    def topic_names(self, topic_id: str) -> tuple[str, ...]:
        """The proper names in a topic's facts that stand in for its name (checker.topics)."""
        found = self._memo.get(("names", topic_id))
        if found is None:
            found = self._memo[("names", topic_id)] = proper_names(self.facts_of_topic(topic_id))
        return found

    def topic_for(self, title: str, text: str) -> Topic | None:
        """The topic an article is about, or None (used by the crawler to skip off-topic pages)."""
        best, best_key = None, (0, 0)
        for topic, decision in zip(self.topics, self.topic_decisions(title, text), strict=True):
            key = (decision.mentions, len(decision.fact_names))
            if decision.recognised and key > best_key:
                best, best_key = topic, key
        return best

    def topics_of(self, title: str, text: str) -> set[str]:
        return {d.topic for d in self.topic_decisions(title, text) if d.recognised}

    @property
    def known_names(self) -> frozenset[str]:
        """Every person a role fact names: the claim reader accepts these names as written."""
        names = self._memo.get("known names")
        if names is None:
            names = self._memo["known names"] = frozenset(
                v.person for f in self.facts if f.kind == "role" for v in f.versions if v.person)
        return names

    def facts_of_topic(self, topic_id: str) -> tuple[Fact, ...]:
        found = self._memo.get(("facts", topic_id))
        if found is None:
            found = tuple(f for f in self.facts if f.topic == topic_id)
            self._memo[("facts", topic_id)] = found
        return found

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)


def load_rules(rules_dir: str | Path) -> RuleSet:
    """Load and validate every *.yaml / *.yml under `rules_dir`; raise RuleFileErrors listing all problems."""
    root = Path(rules_dir)
    if not root.is_dir():
        base = "" if root.is_absolute() else f" (지금 폴더 {Path.cwd()} 기준)"
        raise RuleFileErrors([RuleError(str(root), 0, (
            f"규칙 폴더가 없습니다{base}. --rules 폴더 옵션이나 환경 변수 FACTWATCH_RULES로 규칙 폴더를 알려 주세요"))])
    files = rule_files(root)
    if not files:
        raise RuleFileErrors([RuleError(str(root), 0, "규칙 파일(*.yaml, *.yml)이 하나도 없습니다")])
    errors: list[RuleError] = []
    topics: list[Topic] = []
    facts: list[Fact] = []
    digest = hashlib.sha256()
    for path in files:
        display = _display_path(path)
        # The hash names a file by its place inside the rules folder, never by the working
        # directory (which only changes how file:line is shown), so the same rules hash alike
        # from every process; a renamed or moved file still changes it.
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        try:
            data = read_rule_yaml(path, display)
        except RuleError as error:
            errors.append(error)
            continue
        file_topic, file_facts, file_errors = compile_rule_file(data, display)
        errors.extend(file_errors)
        if file_topic:
            topics.append(file_topic)
        facts.extend(file_facts)
    errors.extend(_duplicate_ids(topics, facts))
    warnings = tuple(e for e in errors if isinstance(e, RuleWarning))
    errors = [e for e in errors if not isinstance(e, RuleWarning)]
    if errors:
        raise RuleFileErrors(errors, warnings)
    by_unit: dict[str, list[Fact]] = {}
    by_kind: dict[str, list[Fact]] = {}
    for fact in facts:
        if fact.kind == "quantity":
            by_unit.setdefault(fact.unit or "", []).append(fact)  # a quantity fact always has a unit
        else:
            by_kind.setdefault(fact.kind, []).append(fact)
    cue_index = build_cue_index(facts)
    grams_by_key: dict[str, set[str]] = {}
    for key, gram in cue_index:
        grams_by_key.setdefault(key, set()).add(gram)
    return RuleSet(
        cue_index=cue_index,
        grams_by_key={k: frozenset(v) for k, v in grams_by_key.items()},
        topics=tuple(topics),
        facts=tuple(facts),
        content_hash=digest.hexdigest()[:16],
        files=tuple(_display_path(p) for p in files),
        by_unit={k: tuple(v) for k, v in by_unit.items()},
        by_kind={k: tuple(v) for k, v in by_kind.items()},
        warnings=warnings,
    )


def rules_fingerprint(rules_dir: str | Path) -> tuple:
    """Cheap "have the rule files changed?" check (names, sizes, modification times), so a
    long-running process reloads only after a maintainer's edit."""
    root = Path(rules_dir)
    if not root.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in rule_files(root)))


def rule_files(root: Path) -> list[Path]:
    # Both spellings of the extension: a maintainer's `.yml` must not be skipped without a word.
    return sorted(p for pattern in ("*.yaml", "*.yml") for p in root.rglob(pattern) if p.is_file())


def index_key(fact: Fact) -> str:
    """Which claims can be about a fact: quantities by unit, the rest by kind (dates and
    periods share one bucket because a period claim may be matched to a date fact's cue)."""
    if fact.kind == "quantity":
        return f"unit:{fact.unit}"
    return "kind:role" if fact.kind == "role" else "kind:date"


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def build_cue_index(facts: list[Fact]) -> dict[tuple[str, str], tuple[Fact, ...]]:
    index: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        key = index_key(fact)
        grams = set()
        for cue in fact.cues + fact.role_words:
            grams |= bigrams(normalise(cue))
        for gram in grams:
            index.setdefault((key, gram), []).append(fact)
    return {k: tuple(v) for k, v in index.items()}


def _display_path(path: Path) -> str:
    """How file:line names a rule file to a person: relative to the working directory when the
    file is below it. Shown only, never hashed (see load_rules)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _duplicate_ids(topics: list[Topic], facts: list[Fact]) -> list[RuleError]:
    errors: list[RuleError] = []
    seen_topics: dict[str, str] = {}
    seen_facts: dict[str, str] = {}
    for topic in topics:
        if topic.id in seen_topics:
            errors.append(RuleError(topic.file, topic.line, f"주제 id '{topic.id}'가 {seen_topics[topic.id]}에도 있습니다"))
        seen_topics.setdefault(topic.id, f"{topic.file}:{topic.line}")
    for fact in facts:
        if fact.id in seen_facts:
            errors.append(RuleError(fact.file, fact.line, f"사실 id '{fact.id}'가 {seen_facts[fact.id]}에도 있습니다: id는 모든 규칙 파일에서 하나뿐이어야 합니다", fact.id))
        seen_facts.setdefault(fact.id, fact.where)
    return errors
