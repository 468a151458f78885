"""Role claims → role facts (title and organisation at the title), and the cue-bigram candidate index
that checker.link uses when one unit has many facts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from checker.models import Claim, Fact, RoleClaim
from checker.rules import RuleSet, bigrams
from checker.sentences import normalise

AMBIGUITY_MARGIN = 5  # the best role fact must lead the runner-up by this much, or we stay silent


@dataclass(frozen=True)
class Match:
    fact: Fact
    score: float
    cue: str


@lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    return normalise(text)


@cache
def _word_finder(words: tuple[str, ...]):
    """One compiled search for a list of rule words (normalised), instead of a loop per claim."""
    if not words:
        return None
    return re.compile("|".join(sorted({re.escape(normalise(w)) for w in words if normalise(w)}, key=len, reverse=True)))


def _contains_any(text: str, words: tuple[str, ...]) -> bool:
    finder = _word_finder(words)
    return bool(finder and finder.search(text))


def candidate_facts(claim: Claim, rules: RuleSet) -> list[Fact]:
    """Facts a claim could be about, from the cue index: never every fact in the store."""
    if claim.kind == "quantity":
        key = f"unit:{claim.unit}"
    elif claim.kind in ("date", "period"):
        key = "kind:date"
    elif claim.kind == "role":
        key = "kind:role"
    else:
        return []
    known = rules.grams_by_key.get(key)
    if not known:
        return []
    context = _norm(claim.left) + _norm(claim.right)
    if isinstance(claim, RoleClaim):
        context += _norm(claim.role) + _norm(claim.sentence)
    # Walk whichever side is smaller: the rules' bigrams for this unit, or the context's.
    hits = [g for g in known if g in context] if len(known) < len(context) else bigrams(context) & known
    seen: dict[str, Fact] = {}
    index = rules.cue_index
    for gram in hits:
        for fact in index.get((key, gram), ()):
            seen.setdefault(fact.id, fact)
    return list(seen.values())


def match_claim(claim: Claim, rules: RuleSet, topics: set[str] | None = None) -> Match | None:
    """The fact this claim states, or None when none fits or two fit equally (silence beats a guess)."""
    scored = []
    for fact in candidate_facts(claim, rules):
        if topics is not None and fact.topic not in topics:
            continue
        result = score_fact(claim, fact)
        if result is not None:
            scored.append(result)
    if not scored:
        return None
    scored.sort(key=lambda m: m.score, reverse=True)
    best = scored[0]
    if len(scored) > 1 and scored[1].score > best.score - AMBIGUITY_MARGIN and scored[1].fact.id != best.fact.id:
        return None
    return best


def score_fact(claim: Claim, fact: Fact) -> Match | None:
    """A role claim against one role fact (quantities, dates and periods are linked by checker.link)."""
    if not isinstance(claim, RoleClaim):
        return None
    sentence = _norm(claim.sentence)
    if _contains_any(sentence, fact.exclude_in_sentence):
        return None
    previous = _norm(claim.previous)
    borrowed = not _contains_any(sentence, fact.topic_words)
    for group in fact.required:
        if _contains_any(sentence, group):
            continue
        if not _contains_any(previous, group):
            return None
        borrowed = True
    # A sentence that takes its subject from the one before inherits that sentence's disqualifiers.
    if borrowed and _contains_any(previous, fact.exclude_in_sentence):
        return None
    return _score_role(claim, fact)


def _score_role(claim: RoleClaim, fact: Fact) -> Match | None:
    """A title is this fact's role only when the organisation is named right at it: in the
    title (인공지능산업융합사업단장), between name and title, or just before the name. Another
    body's 단장 in the same sentence ("전남테크노파크 AI사업단 박영수 단장") is not."""
    title = _norm(claim.role)
    org = title + _norm(claim.right) + _norm(claim.left)
    if any(_norm(word) in org for word in fact.exclude):
        return None
    for word in sorted(fact.role_words, key=len, reverse=True):
        word_n = _norm(word)
        if not title.endswith(word_n):
            continue
        prefix = title[: -len(word_n)]
        if prefix and not any(_norm(cue) in title for cue in fact.cues):
            return None  # 부단장, 자문단장: another post
        if not any(_norm(cue) in org for cue in fact.cues):
            return None
        return Match(fact, 100.0, word)
    return None
