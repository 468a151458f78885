"""Decides which programs an article is about: their names, however written, or their facts' own names.

Reporters write a program's name many ways — "인공지능(AI) 산업융합 사업단", "(재)인공지능산업융합
사업단", "AI 중심 산업융합 집적단지" — and some articles name only a facility or a sub-project
("삼성~동탄 광역급행철도", "창릉역"). A topic is recognised by its `recognise` words compared without
spaces, brackets or the foundation mark (재), with "AI" and "인공지능" read alike; failing that, by
at least two distinct proper names from its facts' cues (a route "수서~동탄", a Latin name "LH", a
station, an agency: words a generic report would not use).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.models import Fact, Topic
from checker.sentences import normalise

MIN_FACT_NAMES = 2  # distinct proper names from a topic's facts that stand in for its name
# Endings that make a cue a proper name of a place or body, not a common word.
_PROPER_ENDING = re.compile(
    r"(?:역|공단|공사|센터|단지|공항|터미널|청|산단|지구|캠퍼스|재단|진흥원|연구원|기술원"
    r"|하우스|파크|타워|밸리|스퀘어|클러스터|미술관|박물관|기념관|도서관|대학교|병원|발전소|부두|대교|터널|공원)$")
# '1단계', '2차', '3기': a number with a counter is a stage of anything, not a name.
_NUMBERED_COMMON = re.compile(r"\d+[가-힣]{1,2}")
_ALIASES = (("ai", "인공지능"),)


@dataclass(frozen=True)
class TopicDecision:
    topic: str
    recognised: bool
    mentions: int
    fact_names: tuple[str, ...]
    why: str  # Korean, for reports: why the article was (not) taken as about this topic


def name_key(text: str) -> str:
    """Text compared for names: no spaces, brackets, (재)/(주) marks; AI read as 인공지능."""
    key = normalise(text)
    key = re.sub(r"\((?:재|주|사|사단법인|재단법인)\)", "", key)
    key = re.sub(r"\([a-z0-9]{1,8}\)", "", key)  # '인공지능(AI)': the bracketed abbreviation repeats the name
    key = re.sub(r"[()\[\]·ㆍ\-]", "", key)
    for short, long in _ALIASES:
        key = key.replace(short, long)
    return key


def proper_names(facts: tuple[Fact, ...]) -> tuple[str, ...]:
    """The cues of a topic's facts that name a place, route or body, keyed for comparison."""
    names = set()
    for fact in facts:
        for word in fact.cues:  # a role's cues are its organisations
            key = name_key(word)
            if len(key) < 2:
                continue
            if fact.kind == "role" and len(key) >= 4:
                names.add(key)
            elif _NUMBERED_COMMON.fullmatch(key):
                continue
            elif re.search(r"[~∼a-z0-9]", key) and re.search(r"[가-힣a-z]{2}", key) or _PROPER_ENDING.search(key) and len(key) >= 3:
                names.add(key)
    return tuple(sorted(names))


_INDEXES: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}


def _find_names(haystack: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The names that occur in `haystack`, by their first two characters: one pass over the text
    whatever the number of names (a regex of 10,000 alternatives is slow in Python's re)."""
    index = _INDEXES.get(names)
    if index is None:
        if len(_INDEXES) > 64:
            _INDEXES.clear()
        grouped: dict[str, list[str]] = {}
        for name in names:
            grouped.setdefault(name[:2], []).append(name)
        index = _INDEXES[names] = {k: tuple(v) for k, v in grouped.items()}
    found = set()
    for position in range(len(haystack) - 1):
        for name in index.get(haystack[position:position + 2], ()):
            if haystack.startswith(name, position):
                found.add(name)
    return tuple(found)


def decide(topic: Topic, names: tuple[str, ...], title: str, text: str) -> TopicDecision:
    """Is the article about `topic`? `names` are proper_names() of the topic's facts."""
    haystack = name_key(f"{title}\n{text}")
    mentions = sum(haystack.count(name_key(word)) for word in topic.recognise if name_key(word))
    if mentions >= topic.min_mentions:
        return TopicDecision(topic.id, True, mentions, (), f"'{topic.name}' 이름이 {mentions}번 나옵니다")
    found = _find_names(haystack, names)
    # '수서~동탄' and '수서∼동탄' are one name, not two.
    distinct = tuple(sorted({n.replace("∼", "~") for n in found}))
    if len(distinct) >= MIN_FACT_NAMES:
        return TopicDecision(topic.id, True, mentions, distinct,
                             f"'{topic.name}' 이름은 없지만 이 주제 사실의 고유 이름({', '.join(distinct)})이 나옵니다")
    shown = f" (사실의 고유 이름은 {', '.join(distinct)}뿐)" if distinct else ""
    return TopicDecision(topic.id, False, mentions, distinct,
                         f"'{topic.name}' 이름(recognise)이 없어 이 주제의 기사로 보지 않았습니다{shown}")
