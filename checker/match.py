"""Finds which fact a claim is about: candidates by unit/kind, then cue words scored with rapidfuzz."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from checker.models import Claim, Fact
from checker.rules import RuleSet, bigrams
from checker.sentences import normalise

RIGHT_PENALTY = 5  # a cue after the number is weaker evidence than one before it
EXCLUDE_LEFT = 60  # characters left of a claim searched for `exclude` words
AMBIGUITY_MARGIN = 5  # the best fact must lead the runner-up by this much, or we stay silent


@dataclass(frozen=True)
class Match:
    fact: Fact
    score: float
    cue: str


@lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    return normalise(text)


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
    if claim.kind == "role":
        context += _norm(claim.role or "") + _norm(claim.sentence)
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
    sentence = _norm(claim.sentence)
    for group in fact.required:
        if not any(_norm(word) in sentence for word in group):
            return None
    if claim.kind == "role":
        return _score_role(claim, fact, sentence)
    if claim.kind in ("date", "period") and not _date_kind_fits(claim, fact):
        return None
    left, right = _norm(claim.left), _norm(claim.right)
    # Exclusions look further left than cues do: in "올해는 국비 600억원을 포함해 900억원을"
    # the 900 is still this year's money although its own label window starts after 600억원.
    offset = claim.start - claim.sentence_start
    window = _norm(claim.sentence[max(0, offset - EXCLUDE_LEFT):offset]) + right
    if any(_norm(word) in window for word in fact.exclude):
        return None
    best, best_cue, hits = 0.0, "", 0
    for cue in fact.cues:
        cue_n = _norm(cue)
        score = max(_cue_score(cue_n, left), _cue_score(cue_n, right) - RIGHT_PENALTY)
        if score >= fact.min_score:
            hits += 1
        if score > best:
            best, best_cue = score, cue
    if best < fact.min_score:
        return None
    # Several cues agreeing is stronger evidence than one; capped so it never outweighs a miss.
    return Match(fact, best + min(hits - 1, 3) * 2, best_cue)


def _cue_score(cue: str, window: str) -> float:
    if not window:
        return 0.0
    if cue in window:
        return 100.0
    if len(cue) < 3:
        # Two-syllable cues (예산, 직원) fuzzy-match too much: 예산 ~ 예정. Exact only.
        return 0.0
    return fuzz.partial_ratio(cue, window)


def _date_kind_fits(claim: Claim, fact: Fact) -> bool:
    # A period fact ("2020~2024") is stated by a period; a date fact by a date. A bare year
    # ("2020년") says when something happened, not how long it ran.
    return (fact.kind == "period") == (claim.kind == "period")


def _score_role(claim: Claim, fact: Fact, sentence: str) -> Match | None:
    title = _norm(claim.role or "")
    for word in sorted(fact.role_words, key=len, reverse=True):
        word_n = _norm(word)
        if not title.endswith(word_n):
            continue
        prefix = title[: -len(word_n)]
        # "부단장" is not "단장": whatever stands before the role word must belong to the
        # organisation's name (인공지능산업융합|사업단장) — or be nothing at all.
        org = title + _norm(claim.right)
        if prefix and not any(_norm(cue) in title for cue in fact.cues):
            return None
        if fact.cues and not any(_norm(cue) in org or _norm(cue) in sentence for cue in fact.cues):
            return None
        return Match(fact, 100.0, word)
    return None
