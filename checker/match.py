"""Finds which fact a claim is about: candidates by unit/kind, then cue words scored with rapidfuzz."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz

from checker.models import Claim, Fact
from checker.rules import RuleSet, bigrams
from checker.sentences import normalise

RIGHT_PENALTY = 5  # a cue after the number is weaker evidence than one before it
# "4161억원 중 국비는 2939억원": what follows 중/가운데 is a part of the figure, not its label.
_PART_OF = re.compile(r"\s(?:중|가운데|이 중)(?:\s|$)")
EXCLUDE_RIGHT = 15  # characters after a claim searched for `exclude` words
DISTANCE_DECAY = 0.2  # score lost per character between a cue and the figure
AMBIGUITY_MARGIN = 5  # the best fact must lead the runner-up by this much, or we stay silent


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
    # A sentence that takes its subject from the one before ("…2단계 사업을 본격화한다.
    # 총사업비는 6000억원으로") inherits that sentence's disqualifiers too.
    if borrowed and _contains_any(previous, fact.exclude_in_sentence):
        return None
    if claim.kind == "role":
        return _score_role(claim, fact)
    if claim.kind in ("date", "period") and not _date_kind_fits(claim, fact):
        return None
    left = _norm(claim.left)
    after = claim.right.lstrip("'\"’”」』")  # a quote closing right after the figure is not a clause end
    right = _norm(_until_clause_end(after, ",”’\""))
    # Exclusions look at the claim's own label (its left window stops at the previous figure
    # of the same unit) and at the few words after it up to a bracket or comma: in
    # "국비 2939억원 등 총 4161억원" the 국비 belongs to 2939, not to the total.
    near_right = _norm(_PART_OF.split(_until_clause_end(after, ",()”’\""), 1)[0][:EXCLUDE_RIGHT])
    if _contains_any(left, fact.exclude) or _contains_any(near_right, fact.exclude):
        return None
    best, best_cue, hits = 0.0, "", 0
    for cue in fact.cues:
        cue_n = _norm(cue)
        score = max(_cue_score(cue_n, left, from_end=True), _cue_score(cue_n, right, from_end=False) - RIGHT_PENALTY)
        if score >= fact.min_score:
            hits += 1
        if score > best:
            best, best_cue = score, cue
    if best < fact.min_score:
        return None
    # Several cues agreeing is stronger evidence than one; capped so it never outweighs a miss.
    return Match(fact, best + min(hits - 1, 3) * 2, best_cue)


def _until_clause_end(text: str, stops: str) -> str:
    cut = len(text)
    for stop in stops:
        position = text.find(stop)
        if position != -1:
            cut = min(cut, position)
    return text[:cut]


def _cue_score(cue: str, window: str, from_end: bool) -> float:
    """100 for the cue right next to the figure, a little less the further away it stands,
    so the nearest of two competing cues wins ("1단계 사업(2020~2024년)에 이어 2단계")."""
    if not window:
        return 0.0
    position = window.rfind(cue) if from_end else window.find(cue)
    if position != -1:
        distance = len(window) - position - len(cue) if from_end else position
        return 100.0 - DISTANCE_DECAY * distance
    if len(cue) < 3:
        # Two-syllable cues (예산, 직원) fuzzy-match too much: 예산 ~ 예정. Exact only.
        return 0.0
    found = fuzz.partial_ratio_alignment(cue, window, score_cutoff=70)
    if found is None:
        return 0.0
    distance = len(window) - found.dest_end if from_end else found.dest_start
    return found.score - DISTANCE_DECAY * distance


def _date_kind_fits(claim: Claim, fact: Fact) -> bool:
    # A period fact ("2020~2024") is stated by a period; a date fact by a date. A bare year
    # ("2020년") says when something happened, not how long it ran.
    return (fact.kind == "period") == (claim.kind == "period")


def _score_role(claim: Claim, fact: Fact) -> Match | None:
    """A title is this fact's role only when the organisation is named right at it: in the
    title (인공지능산업융합사업단장), between name and title, or just before the name. Another
    body's 단장 in the same sentence ("전남테크노파크 AI사업단 박영수 단장") is not."""
    title = _norm(claim.role or "")
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
