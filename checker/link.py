"""Links a claim to the fact it states — or to none — from the evidence around the figure.

Most printed figures are right and most sentences carry several facts' words, so the nearest
cue is weak evidence. A figure's link is decided by, in order of weight:

- its **own label**: the words right before it in its clause ("총사업비는", "국비") and the noun it
  modifies after it ("규모의 펀드", "을 들인 수서~동탄 구간");
- the rest of its **clause**, then the other clauses of the sentence and the previous sentence
  (a sentence that names no subject of its own takes the previous one's: "이 구간에는 …");
- how **specific** a word is among the facts of the same unit: a cue three facts share says little;
- the value, only to break a tie: a figure that agrees with one of two tied facts is about it.

A candidate is ruled out by its `exclude` words next to the figure (also the shortened compound:
'환승센터' for an excluded '복합환승센터'), by `exclude_in_sentence` words in the figure's clause,
and by `require`. A figure that is not the fact's value although its label fits — a starting value,
a comparison base, a change, a plan, target or request, a figure tied to an explicit past date —
is not linked, or is judged on that past date. When the evidence does not single out one fact,
the link is empty: silence beats a guess. Every decision is kept for `factwatch check --explain`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz

from checker.dates import parse_dates
from checker.judge import _consistent, version_on
from checker.match import candidate_facts, match_claim
from checker.models import Claim, DateClaim, DatedClaim, Fact, QuantityClaim
from checker.rules import RuleSet
from checker.sentences import normalise

# Where a word stands relative to the figure, and how much that says about what it counts.
PLACE_WEIGHT = {"label": 1.0, "after": 0.8, "left": 0.7, "clause": 0.45, "earlier": 0.7, "sentence": 0.2, "previous": 0.25,
                "antecedent": 0.6}
SENTENCE_CHARS = 150  # how far into the other clauses words are looked for (bounded: hostile sentences are long)
LABEL_CHARS = 14  # normalised characters right before a figure that form its own label
FUZZY_WEIGHT = 0.8  # a cue matched with small variations counts a little less than an exact one
DESCRIPTION_WEIGHT = 0.6  # a word of the fact's description counts less than a cue the maintainer chose
MIN_SCORE = 0.6  # below this no fact is linked: one shared word somewhere in the clause is not enough
MIN_DATE_SCORE = 0.45  # a date or period already needs its event word (or is a period): one word in its clause will do
MAGNITUDE_SPAN = 12  # a figure more than ~10× off every value of a fact is not a slip of it but another thing
MARGIN = 0.3  # the best fact must lead the runner-up by this much …
RATIO = 1.35  # … and by this factor, or the link stays empty
MIN_COMPOUND_SUFFIX = 3  # '환승센터' stands for an excluded '복합환승센터'


@dataclass(frozen=True)
class Evidence:
    term: str
    place: str
    weight: float


@dataclass(frozen=True)
class Candidate:
    fact: Fact
    score: float = 0.0
    evidence: tuple[Evidence, ...] = ()
    ruled_out: str | None = None  # why this fact cannot be the one (an exclude word, …)


@dataclass(frozen=True)
class Link:
    """The outcome of linking one claim: the fact, or why none, with every candidate weighed."""

    claim: Claim
    fact: Fact | None
    score: float = 0.0
    why: str = ""  # Korean, for --explain: what decided, or why it stayed silent
    candidates: tuple[Candidate, ...] = field(default=(), compare=False)
    judge_on: date | None = None  # an explicit past anchor ("앞서 2021년 5월에는 900억원이던")


# ---------------------------------------------------------------- the sentence around a figure

# A clause ends at a comma or at a connective ending (…하고, …이며, …지만): "1단계에 4천억원,
# 2단계에 6천억원을 들인다" are two clauses, and a word in one says nothing of the other.
_CLAUSE_END = re.compile(
    r",\s|;\s|(?<=[가-힣])(?:고|며|으며|지만|는데|면서|으나|했고|했으며|됐고|됐으며|이고|이며)\s"
    r"(?<!최고\s)(?<!보고\s)(?<!광고\s)(?<!경고\s)(?<!재고\s)(?<!신고\s)(?<!사고\s)(?<!공고\s)(?<!제고\s)"
)
# The end of a figure's own phrase on its right: a particle that closes the noun phrase.
_PHRASE_END = re.compile(r"^(?:\)|\s)*(?:[은는이가을를에도와과]|으로|로|이다|이며|이고|였|이었|입니다)(?=\s|$|[,.])")
# A figure that modifies the noun after it: "1100억원 규모의 펀드", "2조원을 들인 수서~동탄 구간".
_ADNOMINAL = re.compile(
    r"^\s*(?:규모의?|상당의?|짜리|의|에 달하는|에 이르는|(?:을|를|이|가)\s*(?:들인|들여|투입한|투입된|투입해|들어간|들어갈|쓴|투자한|확보한|배정된|편성된))\s*"
)
# Any verb in its adnominal form right after the figure: "약 10조원이 투입되는 이 사업",
# "710만㎡ 규모로 조성되는 국가산단" — the noun after it is what the figure measures.
_ADNOMINAL_VERB = re.compile(
    r"^\s*(?:(?:을|를|이|가|으로|로|규모로|규모인|에)\s*)?(?P<verb>[가-힣]{1,6}(?:되는|하는|된|한|던|될|할|인|는))\s+"
)


@dataclass(frozen=True)
class Context:
    """The normalised text regions around one claim, each searched for a fact's words."""

    label: str
    left: str
    after: str
    clause: str
    sentence: str
    previous: str
    near_left: str  # for `exclude`: the claim's own words before it (cut at the previous figure)
    near_right: str
    clause_raw: str
    earlier: str = ""  # the sentence's clauses before this one: their subject carries over when this one has none
    refers_back: bool = False  # '이 구간에는', '해당 사업의': the subject is the previous sentence's
    modified: str = ""  # the noun the figure describes, when it does ('1179억원 규모의 2차 AI투자펀드')


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): from the last clause end before it to the first after it."""
    starts, ends = _clause_breaks(sentence)
    index = bisect_right(ends, start)  # breaks ending at or before `start`
    begin = ends[index - 1] if index else 0
    later = bisect_left(starts, end, lo=index)  # the first break starting at or after `end`
    return begin, starts[later] if later < len(starts) else len(sentence)


@lru_cache(maxsize=256)
def _clause_breaks(sentence: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    found = [(m.start(), m.end()) for m in _CLAUSE_END.finditer(sentence)]
    return tuple(s for s, _ in found), tuple(e for _, e in found)


_ANCHOR_PHRASE = re.compile(r"(?:당시|때|무렵)(?:에는|엔|에|의)?\s")


def context_of(claim: Claim) -> Context:
    sentence = claim.sentence
    start, end = claim.start - claim.sentence_start, claim.end - claim.sentence_start
    begin, finish = clause_bounds(sentence, start, end)
    # The claim's left window was already cut at the previous figure of the same kind.
    left_start = max(begin, start - len(claim.left))
    # '2018년 12월 착공식 당시 정부는 2023년 말 …': what stands before 당시/때 is the time of the
    # statement, not what the figure is about.
    anchors = list(_ANCHOR_PHRASE.finditer(sentence[left_start:start]))
    if anchors:
        left_start += anchors[-1].end()
    left_raw = sentence[left_start:start]
    right_raw = sentence[end:finish]
    part = re.match(r"\s(?:가운데|중|이 가운데|이 중)\s", right_raw)
    if part:
        right_raw = right_raw[: part.start()]  # '6000억원 가운데 3000억원은 … 투입된다': the rest is the part's
    clause_before = sentence[begin:left_start]
    if claim.kind in ("date", "period"):
        # A date's words stop at the neighbouring dates: in "2019년 12월 예타 면제를 거쳐 이듬해
        # 1월 출범" the 출범 is 이듬해 1월's.
        right_raw = right_raw[: len(claim.right)]
        clause_before = ""
    after_raw = _own_phrase_after(right_raw.lstrip("'\"’”」』"))
    modifies = bool(_ADNOMINAL.match(right_raw.lstrip("'\"’”」』")) or _ADNOMINAL_VERB.match(right_raw.lstrip("'\"’”」』")))
    left_n = normalise(left_raw)
    label = left_n[-LABEL_CHARS:]
    near_right = normalise(_near_right(right_raw))
    return Context(
        label=label, left=left_n[: -LABEL_CHARS] if len(left_n) > LABEL_CHARS else "",
        after=normalise(after_raw), clause=normalise(clause_before + " " + right_raw),
        sentence=normalise(sentence[max(0, begin - SENTENCE_CHARS):begin] + " " + sentence[finish:finish + SENTENCE_CHARS]),
        previous=normalise(claim.previous),
        near_left=normalise(claim.left), near_right=near_right, clause_raw=sentence[begin:finish],
        earlier=normalise(sentence[max(0, begin - SENTENCE_CHARS):begin]),
        refers_back=bool(_REFERS_BACK.search(sentence[begin:start])),
        modified=normalise(after_raw) if modifies else "",
    )


# A demonstrative before a noun at the start of the figure's clause: "이 구간에는", "해당 사업의".
_REFERS_BACK = re.compile(r"(?:^|\s)(?:이|그|해당|같은)\s[가-힣]{1,6}(?:에는|에선|에서는|에|의|은|는|이|가)?\s")


def _near_right(right: str) -> str:
    """The figure's own words after it, for `exclude`: its particle or copula, and the next word
    only when the phrase goes on ('4161억원 중 국비는' stops at 중, '20분이면 닿는 데다 배차'
    stops at 이면)."""
    text = _until(right, ",()”’\"")
    if not text.split() or re.match(r"\s(?:중|가운데|이 중)(?:\s|$)", text):
        return ""  # '4161억원 중 국비는': what follows 중 is a part of the figure, not its label
    if not text[:1].isspace():
        return text.split()[0]  # '1705억원은 …', '20분이면 …': its particle ends the figure's phrase
    # Up to the end of the figure's own clause: '20분이면 닿는 데다 배차' stops at 이면, while
    # '8.85PF 연산 자원을 NHN 클라우드로부터 임차해' keeps NHN.
    cut = re.search(r"(?:이면|면서|데다|는데|이고|이며|으며|지만|으나|인데|다\.)(?:\s|$)", text)
    return text[: cut.start() if cut else len(text)][:24]


def _own_phrase_after(right: str) -> str:
    """The noun a figure modifies ("규모의 펀드" → 펀드), or its own few words up to a particle."""
    adnominal = _ADNOMINAL.match(right)
    verb = ""
    if adnominal is None:
        adnominal = _ADNOMINAL_VERB.match(right)
        verb = adnominal.group("verb") + " " if adnominal else ""
    if adnominal:
        rest = right[adnominal.end():]
        words = rest.split()
        phrase = []
        for word in words[:3]:
            phrase.append(word)
            if re.search(r"[은는이가을를에의도로]$", word):
                break
        return verb + " ".join(phrase)
    if _PHRASE_END.match(right):
        return ""
    return _until(right, ",.")[:8]


def _until(text: str, stops: str) -> str:
    cut = len(text)
    for stop in stops:
        position = text.find(stop)
        if position != -1:
            cut = min(cut, position)
    return text[:cut]


# ---------------------------------------------------------------- figures that are not a fact's value

_COMPARISON = re.compile(r"^\)?\s*(?:\([^()]{1,20}\))?\s*(?:보다|에 비해|대비|에서)")
_INCREMENT = re.compile(
    r"^\s*(?:\([^()]{1,20}\))?\s*(?:이|가|을|를|씩)?\s*(?:더\s*)?(?:늘|증가|많|줄|감소|적|증액|감액|불어|확대|축소|삭감|깎|올랐|내렸|뛰|상승|하락|오른|내린)"
)
# "약속한 800억원은 이후 500억원으로 줄었고": the figure is what it was before the change.
_CHANGED_LATER = re.compile(
    r"^\s*(?:\([^()]{1,20}\))?\s*(?:은|는|이|가)\s+(?:이후|그 뒤|그 후|그 뒤로|나중에|최근|결국)?\s*"
    r"[^.,]{0,16}?\d[^.,]{0,8}?(?:으로|로)\s*(?:줄|늘|바뀌|바뀐|조정|변경|감액|증액|축소|확대|불어|깎|낮아|높아|올랐|내려)")
_INCREMENT_BEFORE = re.compile(r"(?:보다|대비|비해|전년|지난해보다|작년보다)\s*\S*\s*$")
# "60회로 늘어난다", "6000억원으로 늘릴 계획": a value still to come, not the value now.
_FUTURE_CHANGE = re.compile(
    r"^\s*(?:으로|로)\s*(?:늘어난다|늘어날|늘린다|늘릴|줄어든다|줄어들|줄인다|줄일|바뀐다|바뀔|조정된다|조정될|확대된다|확대될|확대한다|확대할|"
    r"증액된다|증액될|상향된다|상향될|높아진다|높아질|오른다|오를|변경된다|변경될|불어난다|불어날|커진다|커질|감소한다|감소할)"
)
# Plans, targets, proposals and requests: "용역 안은 3000억원대", "목표액은 800억원", "…을 건의했다".
_PLAN_WORDS = ("목표액", "목표치", "목표는", "목표로", "용역안", "용역 안", "계획안", "정부안", "요구액", "건의", "요청", "요구", "신청액", "제안", "추산", "추정")
_PAST_ANCHOR = re.compile(
    r"(?:당시|당초|애초|앞서|이전|종전|기존)(?:에는|엔|의|에|만 해도)?\s"
    r"|(?:19|20)\d{2}년(?:\s?\d{1,2}월)?(?:\s?\d{1,2}일)?(?:에는|엔|만 해도|까지만 해도|당시)\s"
)
_PAST_COPULA = re.compile(r"^\s*(?:\([^()]{1,20}\))?\s*(?:이던|였던|이었던|던|에서)(?=\s)")
_BATCH = re.compile(r"(?:올해|이번|이번에|금년|지난해|작년|올)\s|\d+\s?(?:기|차|회차|기수)\s|추가")
_CUMULATIVE_WORDS = ("누적", "전체", "총", "모두", "합계")


# A date states a fact's date only through the event it dates: '2028년 … 완전 개통', '개통 시점을
# 2026년 2월로'. A place or body next to a date ('올해 하반기 삼성역 구간 시설물 인계') is not one.
EVENT_STEMS = (
    "개통", "착공", "기공", "첫삽", "준공", "완공", "완료", "개관", "개소", "개원", "개교", "개장", "출범", "발족", "설립", "창립",
    "개최", "시행", "시작", "개시", "운행", "운영", "가동", "정차", "직결", "통과", "이어", "연결", "선정", "체결", "지정", "승인",
    "확정", "발표", "입주", "착수", "마무리", "면제", "선포", "도입", "취임", "임명", "결정", "의결", "공포", "제정", "종료",
    "문을열", "문을연", "첫차", "취항", "개항", "인가", "고시", "판결", "선고", "구축", "조성", "건립", "완성", "오픈",
    "공고", "입찰", "발주", "공모", "개막", "폐막", "출시",
    # things that stop, resume or change hands: '공사가 멈춘 날', '재개일', '매각 계약'
    "중단", "멈추", "멈춘", "멈췄", "재개", "중지", "보류", "폐쇄", "철거", "매각", "계약", "협약", "발사", "인수",
    "제출", "신청", "허가", "서명", "타결", "철회", "유찰", "낙찰",
    # things that fly, sail or are handed over: '출고식', '첫 비행', '음속 돌파', '전력화', '진수'
    "출고", "비행", "날아올", "돌파", "인도", "배치", "전력화", "납품", "양산", "진수", "취역", "도착", "착륙", "시험",
)


_EVENT_VERB = re.compile(r"(?:했다|한다|하고|하며|했고|했으며|했다고|한다고|할|한|된다|됐다|될|된|돼|되며|해)$")


def _other_event_verb(claim: Claim, fact: Fact) -> str | None:
    """"LH는 19일 … 부지 조성 공사를 입찰 공고했다": the first verb after a date says which event
    it dates; an event verb that is none of the fact's words (공고, not 착공) dates something else."""
    if claim.kind != "date" or fact.kind != "date":
        return None  # a period spans many doings ('2024년부터 2028년까지 … 마무리해')
    terms = [t for t, _ in fact_terms(fact)]
    start, end = claim.start - claim.sentence_start, claim.end - claim.sentence_start
    _, finish = clause_bounds(claim.sentence, start, end)
    for raw in claim.sentence[end:min(finish, end + 80)].split()[:12]:
        word = raw.strip(".,!?\"'”’)")
        if not _EVENT_VERB.search(word) or word in _NOT_VERBS:
            continue
        stem = next((s for s in _OVERRIDING_EVENTS if s in normalise(word)), None)
        if stem is None:
            return None  # 준비하고, 계획하고, 포함한: the event is the noun they govern
        return None if any(stem in t for t in terms) else word
    return None


_NOT_VERBS = frozenset({"통해", "위해", "대해", "인해", "관해", "의해", "함께", "향해", "비해", "따라"})
# Doings that are events in their own right, whatever noun they govern: a tender for the works is
# not the start of the works.
_OVERRIDING_EVENTS = ("공고", "입찰", "발주", "공모", "계약", "체결", "선정", "발표", "개최", "승인", "의결", "확정",
                      "고시", "선고", "판결", "협약")


def _has_event(fact: Fact, ctx: Context) -> bool:
    own = ctx.label + ctx.left + ctx.after + ctx.clause
    for term, _ in fact_terms(fact):
        if term in own and any(stem in term for stem in EVENT_STEMS):
            return True
    return False


# "2020년에서 2021년으로 (1년) 미루는": the date before 에서 is the one that was changed.
_CHANGED_TO = re.compile(r"(?:으로|로)\s*(?:[^.,]{0,12}\s)?(?:미뤄|미루|미룬|연기|늦춰|늦추|늦춘|앞당|바뀌|바꿔|바꾼|변경|조정|밀려|밀렸|밀린|연장|단축)")


# "올해 1조2000억원에서 내년 2조원대로 불어난다": a change still to come starts from today's value.
_NOW_TO_FUTURE = re.compile(
    r"^\s*에서\s+[^.]{0,30}?(?:으로|로)\s*(?:늘어난다|늘어날|불어난다|불어날|줄어든다|줄어들|바뀐다|바뀔|오른다|오를"
    r"|증액된다|증액될|확대된다|확대될|늘린다|늘릴|줄인다|줄일)")
# A correction notice quotes the wrong figure: "잔여 계약 규모를 2조9300억원으로 적었으나 …",
# "분담금을 1조6천억원이라고 한 것도 …".
_QUOTED_ERROR = re.compile(
    r"^\s*(?:\([^()]{1,20}\))?\s*(?:(?:으로|로)\s*(?:잘못\s*)?(?:적었|썼|표기했|보도했|표시했|기재했|나갔)"
    r"|(?:이?라고|으로|로)\s*(?:잘못\s*)?(?:한|적은|쓴|표기한|보도한)\s*(?:것|부분|대목))")
# "지난달 최초비행 준비검토회의": the date of a meeting, review or plan about the event.
_PREPARATION = re.compile(r"^\s*[가-힣A-Za-z·\s]{0,12}?(?:준비|검토|회의|심사|설명회|보고회|협의|점검)(?:회의)?(?:를|을|에|가|이|는|의|\(|\s)")
# "공사가 재개되기 직전인 지난해 4월": a time told by its distance from the event, not the event's.
_OFFSET_FROM_EVENT = re.compile(r"(?:기|은|는|ㄴ|던)?\s*(?:직전|직후|전후|앞둔|앞두고)(?:인|의|에|이던|였던)?\s*$|[가-힣]기\s+(?:전|前)(?:인|의)?\s*$")


def _object_of_change(claim: Claim, fact: Fact, after: str) -> bool:
    """'총사업비 3171억원을 늘리는 증액안': the figure stands right after the fact's own word, with no
    particle between — it is the value being changed, not the size of the change."""
    if not re.match(r"^\s*(?:을|를)\s", after):
        return False
    words = claim.left.split()
    if not words or _PARTICLE_TAIL.search(words[-1]) and not any(normalise(words[-1]) == t for t, _ in fact_terms(fact)):
        return False
    return any(normalise(words[-1]).endswith(t) for t, weight in fact_terms(fact) if weight == 1.0)


def not_the_value(claim: Claim, fact: Fact, ctx: Context, published: date | None = None) -> str | None:
    """Why this figure, although its label fits `fact`, is not a statement of the fact's value."""
    start, end = claim.start - claim.sentence_start, claim.end - claim.sentence_start
    after = claim.sentence[end:]
    if _QUOTED_ERROR.match(after):
        return "바로잡는 글이 인용한, 앞서 잘못 쓴 수치입니다 ('…으로 적었으나 …이 맞기에')"
    if claim.kind == "quantity":
        other_year = _other_year(claim, fact, published)
        if other_year:
            return f"다른 해({other_year}년)의 수치입니다"
        if _COMPARISON.match(after) and not _NOW_TO_FUTURE.match(after):
            return "비교의 기준이 되는 수치입니다 ('…보다', '…에서')"
        # (money '짜리' is a price: '총사업비 250억원짜리 공사' states the cost)
        if re.match(r"^(?:급|대의|단위)", after) or after.startswith("짜리") and claim.unit != "KRW":
            return "크기의 등급을 말하는 수치입니다 ('1천MW급 발전소', '8량짜리')"
        if _INCREMENT.match(after) and not re.match(r"^\s*(?:으로|로)", after) and not _object_of_change(claim, fact, after):
            return "늘거나 준 폭(변화량)입니다"
        if _FUTURE_CHANGE.match(after):
            return "앞으로 바뀔 값(예정)입니다"
        if re.match(r"^\s*(?:으로|로)\s*(?:출발|시작)(?:했|한|해|하|됐|된)", after):
            return "처음 잡힌 값(출발점)입니다 ('2500억원으로 출발했으나')"
        if _CHANGED_LATER.match(after):
            return "뒤에 다른 값으로 바뀐, 바뀌기 전의 값입니다 ('800억원은 이후 500억원으로 줄었다')"
        part = _part_of_a_whole(claim, fact, after)
        if part:
            return part
        begin, _ = clause_bounds(claim.sentence, start, end)
        if _ANNUAL.search(claim.sentence[begin:start]) and not _YEAR_IN_TEXT.search(fact.description):
            return "한 해 예산(연도 예산)으로, 여러 해에 걸친 총액이 아닙니다"
        described = normalise(fact.description + " " + " ".join(fact.cues))
        own = ctx.label + ctx.left + ctx.near_right + ctx.after + _governing_verb(after)
        for word in _PLAN_WORDS:
            if normalise(word) in own and normalise(word)[:2] not in described:
                return f"계획·목표·건의 같은 제안 수치입니다 ('{word}')"
        if any(w in normalise(fact.description) for w in _CUMULATIVE_WORDS) and (
                _BATCH.search(claim.left) or _BATCH.search(after[:12])) \
                and not any(w in normalise(claim.left) + normalise(after[:12]) + ctx.after for w in _CUMULATIVE_WORDS):
            return "한 차례·한 해의 수치로, 누적 값과 견줄 수 없습니다"
    elif claim.kind in ("date", "period"):
        if _COMPARISON.match(after) and not after.lstrip().startswith("에서"):
            return "비교의 기준이 되는 날짜입니다 ('…보다')"
        if re.match(r"^\s*(?:기준|현재|시점)(?:\s|으로|의|$)", after):
            return "기준 시점을 밝히는 날짜입니다 ('2058년 기준')"
        if re.match(r"^\s*에서\s", after) and _CHANGED_TO.search(after[:60]):
            return "바뀌기 전의 날짜입니다 ('올해에서 내년으로 미뤄졌다')"
        if claim.kind == "date" and after.startswith("부터") and not re.search(
                r"시작|개시|첫|들어가|들어간|들어갈|문을 열|운행에", claim.right):
            return "어떤 일이 이어지기 시작하는 때입니다 ('4월부터 … 이어진다')"
        if _PREPARATION.match(claim.sentence[end:]):
            return "사건이 아니라 그 준비·검토·회의의 날짜입니다 ('지난달 최초비행 준비검토회의')"
        if _OFFSET_FROM_EVENT.search(claim.left):
            return "사건의 날이 아니라 그 직전·직후의 때입니다 ('재개되기 직전인 지난해 4월')"
        other_event = _other_event_verb(claim, fact)
        if other_event:
            return f"날짜의 서술어가 다른 일입니다 ('{other_event}')"
        if claim.kind == "date" and fact.kind == "date" and not _has_event(fact, ctx):
            return "날짜 옆에 이 사실의 사건(개통·착공 같은 낱말)이 없습니다"
        if _SETTING_DATE.match(after) and _later_date_in_clause(claim):
            return "문장의 때를 말하는 날짜입니다 ('2020년 3월에는 … 2026년 2월로 늦췄다')"
    return None


_SETTING_DATE = re.compile(r"^\s*(?:에는|엔|만 해도|까지만 해도|당시|에)\s")


def _later_date_in_clause(claim: Claim) -> bool:
    start, end = claim.start - claim.sentence_start, claim.end - claim.sentence_start
    _, finish = clause_bounds(claim.sentence, start, end)
    return bool(parse_dates(claim.sentence[end:finish], None)) or bool(
        re.search(r"(?:19|20)\d{2}년|\d{1,2}월", claim.sentence[end:finish]))


# "2021년도 정부예산을 … 800억5000만원", "내년 정부 예산": one year's money.
_ANNUAL = re.compile(r"(?:(?:19|20)\d{2}년도|올해|내년|내년도|금년도|당해|연간)\s*(?:\S+\s+)?(?:정부\s?)?(?:예산|국비|본예산|정부예산)")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})년")


def _other_year(claim: Claim, fact: Fact, published: date | None) -> int | None:
    """A fact of one year ('2024년 국비 예산') is not stated by a figure the clause ties to another
    year ('올해 국비 1148억원' in a 2025 article)."""
    fact_years = {int(y) for y in _YEAR_IN_TEXT.findall(re.sub(r"\([^()]*\)", "", fact.description))}
    if len(fact_years) != 1:
        return None
    start, end = claim.start - claim.sentence_start, claim.end - claim.sentence_start
    begin, finish = clause_bounds(claim.sentence, start, end)
    years = {d.first.year for d in parse_dates(claim.sentence[begin:start], published)
             if d.grain == "year" or d.first.year == d.last.year}
    if years and not years & fact_years:
        return min(years)
    return None


_PART_BEFORE = re.compile(r"(?:나머지|그\s?중|이\s?중|이\s?가운데|그\s?가운데|이\s?밖에)\s*(?:\S*\s)?$")
_PART_AFTER = re.compile(r"^\s*(?:\([^()]*\))?\s*(?:을|를|이|가|은|는)?\s*(?:\S+\s){0,3}?(?:등\s*(?:총|모두|전체)|전용으로|몫으로|씩)")
_CONTRIBUTED = re.compile(r"^\s*(?:을|를)\s*(?:\S+\s)?(?:출자|분담|보탰|보태)")
# "1000억원은 … 컨트롤타워 조성에 투입한다": a figure that is the topic of an allocation is a share.
_ALLOCATED = re.compile(r"^\s*(?:은|는)\s[^,]*?에\s*(?:\S+\s)?(?:투입|투자|쓰|사용|배정|지원|배분|활용)")
_DATIVE = re.compile(r"(?<![에])에$")


def _part_of_a_whole(claim: Claim, fact: Fact, after: str) -> str | None:
    """A share of a figure, not the figure: "나머지 68.5PF", "20PF를 HPC 전용으로", "100억원을 출자하는
    등 총 1048억원", "1000억원은 …에 투입한다", "인프라 구축 및 운영에 사업비 2697억원"."""
    if _PART_BEFORE.search(claim.left) or _PART_AFTER.match(after) or _CONTRIBUTED.match(after):
        return "전체의 일부(나눈 몫)입니다"
    if _ALLOCATED.match(after):
        return "전체 가운데 어디에 쓰이는지를 말하는 몫입니다"
    if claim.unit != "KRW":
        return None  # '기업에 연산능력 88.5PF를 제공': a recipient of a service, not a share of money
    words = claim.left.split()
    terms = [t for t, _ in fact_terms(fact)]
    topic = [normalise(w) for w in fact.topic_words]
    for index in range(len(words) - 1, max(-1, len(words) - 3), -1):
        word = words[index].strip("'\"‘’“”()")
        if not _DATIVE.search(word):
            continue
        recipient = normalise(" ".join(words[max(0, index - 2):index + 1]))
        if any(t in recipient for t in terms) or any(w and (w in recipient or recipient[:-1] in w) for w in topic):
            return None  # '집적단지 조성에 4116억원': the programme itself
        return f"'{word}' 쓰이는 몫입니다 (전체 사업비가 아니라)"
    return None


def _governing_verb(after: str) -> str:
    """The verb a figure is the object of: '969억원의 국비를 요청한' → 요청한."""
    found = re.match(r"^\S*(?:\s+\S+){0,2}?\s*\S*(?:을|를)\s+(\S+)", after)
    return normalise(found.group(1)) if found else ""


_CLOSED_RELATIVE = re.compile(r"(?:했던|였던|이던|됐던|되었던|하던|던)\s+[가-힣]{1,8}(?:이|가|은|는)\s")


def past_anchor(claim: Claim, published: date | None) -> tuple[bool, date | None]:
    """(is the figure tied to an earlier time, the day to judge it on if the text names one)."""
    start, end = claim.start - claim.sentence_start, claim.end - claim.sentence_start
    begin, _ = clause_bounds(claim.sentence, start, end)
    before = claim.sentence[begin:start]
    after = claim.sentence[end:]
    # "당초 2020년 준공을 목표로 했던 사업이 2018년부터 2026년까지": the anchor sits in a relative
    # clause about the subject; the figure after that subject is said of now.
    closed = list(_CLOSED_RELATIVE.finditer(before))
    if closed:
        before = before[closed[-1].end():]
    anchored = bool(_PAST_ANCHOR.search(before + " ")) or (
        claim.kind == "quantity" and bool(_PAST_COPULA.match(after)) and not after.lstrip().startswith("에서"))
    if not anchored:
        return False, None
    named = [d for d in parse_dates(before, published) if d.kind == "date"]
    if named:
        day = named[-1].last
        if published is None or day < published:
            return True, day
    return True, None


# ---------------------------------------------------------------- a fact's words and how specific they are

_DESCRIPTION_STOP = {"연도", "시점", "규모", "기준", "현재", "전체", "목표", "수", "명", "날짜", "일"}


def fact_terms(fact: Fact) -> tuple[tuple[str, float], ...]:
    """A fact's words with their base weight: cues as the maintainer wrote them, and the words of
    its description (without the bracketed notes) at a lower weight."""
    found = _TERMS.get(id(fact))
    if found is None or found[0] is not fact:
        if len(_TERMS) > 100_000:
            _TERMS.clear()
        # The fact itself is kept with its terms, so its id cannot be reused while the entry lives.
        found = _TERMS[id(fact)] = (fact, _fact_terms(fact.id, fact.cues, fact.description, fact.topic_words))
    return found[1]


_TERMS: dict[int, tuple[Fact, tuple[tuple[str, float], ...]]] = {}


@lru_cache(maxsize=65536)
def _fact_terms(fact_id: str, cues: tuple[str, ...], description: str, topic_words: tuple[str, ...]):
    terms: dict[str, float] = {}
    for cue in cues:
        word = normalise(cue)
        if word:
            # '부터', '까지', '~' as cues are grammar any time phrase has ('이달 말까지'): a little weight
            terms[word] = GRAMMAR_CUE_WEIGHT if word in _GRAMMAR_CUES else 1.0
    topic = {normalise(w) for w in topic_words}
    plain = re.sub(r"\([^()]*\)", " ", description)
    # '총사업비 가운데 공사비': what stands before 가운데/중 is the whole this fact is a part of.
    plain = re.split(r"\s(?:가운데|중)\s", plain)[-1] if re.search(r"\s(?:가운데|중)\s", plain) else plain
    tokens = [normalise(re.sub(r"(?:의|을|를|은|는|이|가|와|과|로|으로|에)$", "", t)) for t in re.split(r"[\s,·/]+", plain)]
    tokens = [t for t in tokens if len(t) >= 2 and t not in topic and t not in _DESCRIPTION_STOP
              and not re.fullmatch(r"[\d.~-]+", t) and not any(t in w or w in t for w in topic if len(w) >= 2)]
    # The description's last words name what is measured (총사업비, 수요 예측, 개통일); its other
    # words count only when distinctive (a route '수서~동탄', a name '현대로템', a long compound):
    # '하루', '평균', '구간' describe half the facts of a program.
    last = len(tokens) - 1
    if last > 0 and len(tokens[last]) <= 2 and tokens[last] in ("수", "기간", "규모", "면적", "용량", "액수"):
        last -= 1  # '전체 차량 수': the measure is named by 차량
    for index, word in enumerate(tokens):
        attribute = index >= last
        if attribute or re.search(r"[~A-Za-z0-9]", word) or len(word) >= 4:
            terms.setdefault(word, DESCRIPTION_WEIGHT)
    return tuple(terms.items())


def _specificity(rules: RuleSet, key: tuple, bucket: tuple[Fact, ...]) -> dict[str, float]:
    """1/df of every term among the facts of one unit or kind: shared words weigh less."""
    memo_key = ("specificity", key)
    cached = rules._memo.get(memo_key)
    if cached is not None:
        return cached
    # How many facts know a word, or a longer one containing it ('사업비' is known to every fact
    # with '총사업비'; '총사업비' is not known to one with only '사업비'): count each fact once per
    # substring of its words, linear in the number of facts.
    # A fact that knows a word only from its description ('총사업비 가운데 공사비') counts at that
    # word's lower weight: the fact whose cue it is keeps most of it.
    known: dict[str, float] = {}
    words: set[str] = set()
    for fact in bucket:
        weights: dict[str, float] = {}
        for term, base in fact_terms(fact):
            words.add(term)
            for i in range(len(term)):
                for j in range(i + 1, len(term) + 1):
                    part = term[i:j]
                    weights[part] = max(weights.get(part, 0.0), base)
        for part, weight in weights.items():
            known[part] = known.get(part, 0.0) + weight
    df = {t: max(known.get(t, 0.0), 1.0) for t in words}
    result = {t: 1.0 / n for t, n in df.items()}
    rules._memo[memo_key] = result
    return result


def _bucket_words(rules: RuleSet, key: tuple, bucket: tuple[Fact, ...]) -> re.Pattern:
    """One search for every word of a bucket's facts (cached with the rule set)."""
    found = rules._memo.get(("bucket words", key))
    if found is None:
        words = sorted({t for f in bucket for t, _ in fact_terms(f)}, key=len, reverse=True)
        found = rules._memo[("bucket words", key)] = re.compile("|".join(map(re.escape, words)) or r"(?!x)x")
    return found


def _bucket(claim: Claim, rules: RuleSet, topics: set[str] | None) -> tuple[tuple, tuple[Fact, ...], bool]:
    """(cache key, the facts a claim can be about on the article's topics, whether any exist at all).
    Quantities by unit, dates and periods by kind; kept with the rule set, which they belong to."""
    kind_key = ("unit", claim.unit) if claim.kind == "quantity" else ("kind", claim.kind, _states_an_end(claim))
    key = (kind_key, frozenset(topics) if topics is not None else None)
    found = rules._memo.get(("bucket", key))
    if found is None:
        whole = (rules.by_unit.get(claim.unit, ()) if claim.kind == "quantity"
                 else rules.by_kind.get(claim.kind, ()))  # a period states a period fact, a date a date fact
        if _states_an_end(claim):  # "2025년까지 모두 4천억원을 들여": a date with 까지 can state a period's end
            whole = whole + rules.by_kind.get("period", ())
        facts = whole if topics is None else tuple(f for f in whole if f.topic in topics)
        found = rules._memo[("bucket", key)] = (facts, bool(whole))
    return key, found[0], found[1]


# ---------------------------------------------------------------- vetoes


def _found(word: str, text: str) -> bool:
    return bool(word) and word in text


def _excluded_near(fact: Fact, ctx: Context, claim: Claim, bare: set[str]) -> str | None:
    own = normalise(claim.text)
    near_left = _own_label(claim.left)
    for word in fact.exclude:
        w = normalise(word)
        if not w:
            continue
        if _found_not_in_place_name(w, near_left) or _found(w, ctx.near_right) or (len(w) >= 3 and _found(w, own)):
            return word
        if _DIGIT.search(w) and _found(w, near_left[-len(w):] + own):
            return word  # '공사비 2818': a phrase naming the figure itself as written
        # A reporter shortens a compound: '환승센터 공사비' for the excluded '복합환승센터' — a
        # whole word that is the compound's tail ('여객터미널' is not '화물터미널').
        for cut in range(1, len(w) - MIN_COMPOUND_SUFFIX + 1):
            suffix = w[cut:]
            if len(suffix) * 2 >= len(w) and suffix in bare and re.search(r"[가-힣]{2}", suffix):
                return word
    return None


# "오페라하우스가 들어서는 1단계 구역은 152만㎡": what sits in a place, said in a relative clause
# before the place, is not the figure's label — the place is.
_LOCATIVE_CLAUSE = re.compile(
    r"[가-힣A-Za-z)]+(?:이|가)\s+(?:들어서는|들어설|들어선|있는|위치한|자리한|자리 잡은|자리잡은|조성되는|조성될"
    r"|지어지는|지어질|건립되는|건립될|세워지는|세워질|입주한|입주할|입주하는|포함된|포함되는)\s")
# A verb ending that closes the clause before: '시제기는 4월 9일 출고됐고 첫 비행은 …'.
_CLAUSE_LINK = re.compile(r"(?:됐|했|였|었|았|되|하|이)(?:고|며|으며|지만|는데|으나|면서)\s")
_OWN_SUBJECT = re.compile(r"[가-힣A-Za-z0-9]+(?<!에|서|로|하|되|있|없|오|가|나|하)(?:은|는|이|가)\s")
# The second half of a compound that names a place: '차량기지' is a depot, whatever '차량' excludes.
_PLACE_HEAD = re.compile(r"(?:기지|센터|단지|부지|부두|공원|터미널|공장|청사|정거장|기지창|역사|역(?![가-힣]))")


@lru_cache(maxsize=8192)
def _own_label(left: str) -> str:
    """The figure's words before it for `exclude`, without a locative relative clause in front."""
    ends = [found.end() for found in _LOCATIVE_CLAUSE.finditer(left)]
    # '… 출고됐고 첫 비행은 …': a clause with a subject of its own ('… 구성되고 오는 2023년' shares one)
    ends += [found.end() for found in _CLAUSE_LINK.finditer(left) if _OWN_SUBJECT.search(left, found.end())]
    return normalise(left[max(ends):] if ends else left)


def _found_not_in_place_name(word: str, text: str) -> bool:
    """`word` in `text`, except as the first half of a place's name ('차량' in '차량기지')."""
    if not word:
        return False
    place_word = bool(_PLACE_HEAD.search(word + " "))
    start = text.find(word)
    while start != -1:
        if place_word or not _PLACE_HEAD.match(text, start + len(word)):
            return True
        start = text.find(word, start + 1)
    return False


def _bare_words(claim: Claim) -> set[str]:
    words = claim.left.split()[-3:] + claim.right.split()[:2]
    return {normalise(_PARTICLE_TAIL.sub("", w.strip("'\"‘’“”()[],."))) for w in words}


def _excluded_in_clause(fact: Fact, ctx: Context, borrowed: bool, program_words: frozenset[str]) -> str | None:
    """An `exclude_in_sentence` word in the figure's clause — or in the sentence before, when this
    one names no program (its subject comes from there): then the topic's words for other
    programs (부산, 대구) carry over, and the fact's own words ('올해 예산') only when the clause
    points back (이 사업에는): the previous sentence's own figure is not this one."""
    clause = normalise(ctx.clause_raw)  # cached by normalise
    for word, w, phrase in _sentence_excludes(fact.exclude_in_sentence):
        carried = borrowed and w in ctx.previous and (word in program_words or ctx.refers_back)
        if w in clause or carried or (phrase and _spread(word).search(ctx.clause_raw)):
            return word
    return None


def _distinguishing_words(rules: RuleSet, topic_id: str) -> frozenset[str]:
    """Words that tell a programme's parts apart: a cue of one fact and an `exclude` of another
    ('1단계', '2단계', '트램'), normalised."""
    key = ("distinguishing", topic_id)
    found = rules._memo.get(key)
    if found is None:
        facts = rules.facts_of_topic(topic_id)
        cues = {normalise(w) for f in facts for w in f.cues}
        excluded = {normalise(w) for f in facts for w in f.exclude}
        # events ('재개', '착공') tell what happened, not which part it happened to
        found = rules._memo[key] = frozenset(
            w for w in cues & excluded if len(w) >= 2 and not any(stem in w for stem in EVENT_STEMS))
    return found


# Nouns that say what is measured, not what it is measured of: a clause whose subject is one of
# these ('사업 기간은', '착공은') leaves the part of the programme to the context.
_ATTRIBUTE_NOUNS = frozenset({
    "기간", "사업기간", "면적", "규모", "사업비", "총사업비", "예산", "목표", "시기", "일정", "착공", "준공", "완공", "개통",
    "공사비", "비용", "금액", "구역", "부지", "인원", "정원", "사업", "사업면적", "총액", "완료"})


def _excluded_by_context(fact: Fact, claim: Claim, title: str, words: frozenset[str], subject: str | None) -> str | None:
    """A clause that names no part of the programme ('사업 기간은 2024년까지로') is about the part
    the previous sentence names, or else the headline: a fact excluding that part is not it."""
    if not words:
        return None
    if subject is not None and normalise(subject) not in _ATTRIBUTE_NOUNS:
        return None  # '첫 팹이 2031년 가동': the clause names its own subject
    sentence = normalise(claim.sentence)
    if any(w in sentence for w in words):
        return None
    if "전체" in sentence or any(normalise(w) in sentence for w in fact.topic_words if len(normalise(w)) >= 3):
        return None  # '전체 국가산단 면적은': the sentence speaks of the whole programme
    own = {normalise(w) for w in fact.cues}
    excluded = {normalise(w) for w in fact.exclude}
    for source in (normalise(claim.previous), normalise(title)):
        named = [w for w in sorted(words, key=lambda w: (-len(w), w)) if w in source]
        if named:
            if any(w in own for w in named):
                return None
            return next((w for w in named if w in excluded), None)
    return None


def _clause_subject(claim: Claim) -> str | None:
    """The head noun of the first word marked 은/는/이/가 before the figure in its clause."""
    start = claim.start - claim.sentence_start
    begin, _ = clause_bounds(claim.sentence, start, claim.end - claim.sentence_start)
    for word in _QUOTES.sub("", claim.sentence[begin:start]).split():
        found = re.fullmatch(r"([가-힣A-Za-z0-9·]{1,}?)(?<!에|서|로)(?:은|는|이|가)", word)
        if found:
            return found.group(1)
    return None


def _program_excludes(rules: RuleSet, topic_id: str) -> frozenset[str]:
    """The topic's own `exclude_in_sentence` words (other programs and regions)."""
    key = ("program excludes", topic_id)
    found = rules._memo.get(key)
    if found is None:
        found = rules._memo[key] = frozenset(
            word for topic in rules.topics if topic.id == topic_id for word in topic.exclude_in_sentence)
    return found


@lru_cache(maxsize=4096)
def _sentence_excludes(words: tuple[str, ...]) -> tuple[tuple[str, str, bool], ...]:
    return tuple((w, normalise(w), " " in w.strip()) for w in words if normalise(w))


@lru_cache(maxsize=4096)
def _spread(phrase: str) -> re.Pattern:
    """'내년 예산' also in '내년 정부 예산': a phrase of several words allows one word between them."""
    words = [re.escape(w) for w in phrase.split()]
    if len(words) < 2:
        return re.compile(r"(?!x)x")  # a single word never spreads
    return re.compile(r"\s+(?:\S+\s+)?".join(words))


def _required_missing(fact: Fact, ctx: Context, claim: Claim) -> bool:
    sentence = normalise(claim.sentence)
    for group in fact.required:
        if not any(_found(normalise(w), sentence) or _found(normalise(w), ctx.previous) for w in group):
            return True
    return False


# ---------------------------------------------------------------- scoring


def _organisation_names(rules: RuleSet) -> _NameIndex:
    """The organisations and places the facts name ('부산항만공사'), longest first: a cue inside
    one ('공사' in 부산항만공사, the corporation) is not the cue's word (construction)."""
    found = rules._memo.get("organisation names")
    if found is None:
        names = {normalise(w) for f in rules.facts if f.kind == "role" for w in f.cues if len(normalise(w)) >= 4}
        names |= {name for topic in rules.topics for name in rules.topic_names(topic.id) if len(name) >= 4}
        found = rules._memo["organisation names"] = _NameIndex(tuple(sorted(names, key=len, reverse=True)))
    return found


class _NameIndex:
    """Named organisations and places, with the ones containing a given cue looked up once."""

    def __init__(self, names: tuple[str, ...]):
        self.names = names
        self._containing: dict[str, tuple[str, ...]] = {}

    def containing(self, term: str) -> tuple[str, ...]:
        found = self._containing.get(term)
        if found is None:
            found = self._containing[term] = tuple(n for n in self.names if term in n and term != n)
        return found


_NO_NAMES = _NameIndex(())


def _blank(text: str, names: tuple[str, ...]) -> str:
    for name in names:
        if name in text:
            text = text.replace(name, "□" * len(name))
    return text


def _weigh(fact: Fact, ctx: Context, specificity: dict[str, float],
           inherit: bool = False, names: _NameIndex = _NO_NAMES) -> tuple[float, tuple[Evidence, ...]]:
    before = ctx.left + ctx.label
    # "이 구간에는 총사업비 …": the clause points back at the previous sentence's subject.
    previous = ("antecedent" if ctx.refers_back else "previous", ctx.previous)
    places = (("after", ctx.after), ("clause", ctx.clause)) + ((("earlier", ctx.earlier),) if inherit else ()) + (
        ("sentence", ctx.sentence), previous)
    evidence = []
    found_terms: set[str] = set()
    for term, base in sorted(fact_terms(fact), key=lambda tw: -len(tw[0])):
        if any(term in longer for longer in found_terms):
            continue  # '사업비' inside an already counted '총사업비'
        place = None
        fuzzy = 1.0
        # '공사' inside '부산항만공사' is the corporation, not construction: a cue is looked for
        # with the names that contain it blanked out (same length, so positions hold).
        hidden = names.containing(term) if fact.kind != "role" else ()
        seen_before = _blank(before, hidden)
        position = seen_before.rfind(term)
        if position != -1:
            place = "label" if position + len(term) > len(before) - LABEL_CHARS else "left"
        else:
            place = next((name for name, text in places if term in _blank(text, hidden)), None)
        if place is None and len(term) >= 4 and before:
            # A longer cue also matches a small variation right before the figure ('구성인원' ~ '구성 인원은',
            # '총 사업비' ~ '총사업비'): rapidfuzz, at the fact's min_score, for a little less weight.
            found = fuzz.partial_ratio_alignment(term, before, score_cutoff=fact.min_score)
            if found is not None:
                place = "label" if found.dest_end > len(before) - LABEL_CHARS else "left"
                fuzzy = FUZZY_WEIGHT
        if place is None:
            continue
        weight = base * PLACE_WEIGHT[place] * specificity.get(term, 1.0) * fuzzy
        evidence.append(Evidence(term, place, round(weight, 3)))
        found_terms.add(term)
    score = sum(e.weight for e in evidence)
    return round(score, 3), tuple(evidence)


def _plausible_size(claim: QuantityClaim, fact: Fact) -> bool:
    values = [abs(v.value) for v in fact.versions if v.value]
    if not values or not claim.value:
        return True
    return any(value / MAGNITUDE_SPAN <= abs(claim.value) <= value * MAGNITUDE_SPAN for value in values)


# Words before a figure that say how, when or how much, not what: skipped when looking for the
# noun the figure belongs to ('전동차 20편성 모두 180량' belongs to 전동차).
_NOT_A_HEAD = re.compile(
    r"^(?:모두|총|약|전체|무려|각각|이미|현재|지금|이제|벌써|어느덧|아직|올해|올|하루|한해|연간|매년|해마다|최대|최소|최고|불과|겨우|고작|역대|"
    r"이번|당시|당초|또|더|이미|사상|기준|규모|정도|가량|여기에|이에|이어|또한|특히|실제|실제로|모두의|"
    r"동안|기간|사이|내내|만에|간|새|아니라|아니고|목표|목표치|수준|전망)$"
)
_PARTICLE_TAIL = re.compile(r"(?:에는|에서|에게|으로는|으로|로는|까지|부터|처럼|만큼|보다|이라는|라는|이나|에도|엔|은|는|이|가|을|를|의|에|도|만|과|와|로)$")


_AGENT_WORD = re.compile(r"[가-힣](?:이|가|은|는)$")
_LOCATIVE_NOUNS = frozenset({"일대", "일원", "인근", "주변", "부근", "등지"})
_DIGIT = re.compile(r"\d")
_CONNECTIVE_VERB = re.compile(r"(?:해|하여|하고|하며|되어|돼|되고|되며|하면서|해서|했고|했으며|어|아|고서)$")
_ADNOMINAL_WORD = re.compile(r"(?:[가-힣](?:한|된|던|할|될)|들인|있는|없는|하는|되는|합친|더한|늘어난|줄어든|오른|내린)$")


_QUOTES = re.compile(r"['\"‘’“”]")


def label_head(claim: Claim, topic_words: tuple[str, ...] = ()) -> str | None:
    return _label_head_at(claim.sentence, claim.sentence_start, claim.start, claim.end, claim.left, topic_words)


@lru_cache(maxsize=4096)
def _label_head_at(sentence: str, sentence_start: int, claim_start: int, claim_end: int, left: str,
                   topic_words: tuple[str, ...]) -> str | None:
    """The noun a figure belongs to: the nearest word before it in its clause that is not an
    adverb, a time word or another figure ('총사업비는 4116억원' → 총사업비)."""
    start = claim_start - sentence_start
    begin, _ = clause_bounds(sentence, start, claim_end - sentence_start)
    words = sentence[max(begin, start - len(left)):start].split()
    after = sentence[claim_end - sentence_start:]
    object_follows = bool(re.match(r"\s*(?:\([^()]*\))?\s*(?:을|를)\s", after))
    for word in reversed(words[-4:]):
        if object_follows and _AGENT_WORD.search(word):
            return None  # '정부가 약 2조원을 들인': the agent, not what the figure counts
        bare = _PARTICLE_TAIL.sub("", word.strip("'\"‘’“”()[]"))
        if not bare or _DIGIT.search(bare) or _NOT_A_HEAD.match(bare):
            continue
        if any(normalise(bare) in normalise(w) for w in topic_words):
            continue  # the program's own name ('새만금 … 약 7천억원') says which program, not what
        if bare in _LOCATIVE_NOUNS:
            return None  # '1~4부두 일대 135만㎡': the place the figure measures, not another thing
        if _CONNECTIVE_VERB.search(word) and len(word) >= 2:
            return None  # '1명에서 시작해 현재 48명': a verb, the figure's noun is not before it
        if _ADNOMINAL_WORD.search(word):
            return None  # '두 구간 예산을 합친 1705억원': an adnominal verb, the noun is further back
        return bare
    return None


def _foreign_head(claim: Claim, fact: Fact, ctx: Context, bucket_size: int) -> str | None:
    """In '평일 평균 이용객이 7700여명' the figure counts 이용객, whatever '평일' says: a head
    noun that is none of the fact's words, with the fact's words only around it, is another
    thing."""
    if claim.kind != "quantity" or (claim.unit or "").startswith("counter:"):
        return None  # '6개 역': the counter itself names what is counted
    head = label_head(claim, fact.topic_words)
    if head is None or len(head) < 2:
        return None
    if any(term in ctx.after for term, _ in fact_terms(fact)) or any(
            normalise(w) in ctx.after for w in fact.topic_words if len(normalise(w)) >= 3):
        return None  # '약 2조원을 들인 수서~동탄 구간': the figure belongs to the noun after it
    bracketed = claim.left.rstrip().endswith("(")  # '누리온 5호기(25.7PF)': the figure is that noun's
    topic = _clause_topic(claim)
    if not bracketed and topic and any(normalise(topic.split()[-1]).endswith(t) for t, _ in fact_terms(fact)):
        return None  # '충전기지는 총사업비 700억원': the clause's topic is this fact's subject
    head_n = normalise(head)
    for term, _ in fact_terms(fact):
        if term in head_n or head_n in term or (len(term) >= 2 and term[:2] == head_n[:2]):
            return None
    return head


def _consistent_with(claim: Claim, fact: Fact) -> bool:
    if not isinstance(claim, QuantityClaim):
        return False
    return any(v.value is not None and _consistent(claim, v.value, max(fact.tolerance, fact.rounding))
               for v in fact.versions)


# Clauses joined by a copula or a denial share their subject ('…보도는 사실이 아니며 실제는 …');
# clauses joined by a verb ('수요가 몰리며 하루 1만8949명이 탔다') have their own.
_PARALLEL_CLAUSE = re.compile(r"(?:아니며|아니고|아니지만|이며|이고|이지만|였으며|였고|이었으며|이었고),?$")
# Cues that are particles: they say a span is meant, not which one.
_FUNCTION_WORDS = frozenset({"부터", "까지", "만에", "동안", "간", "에서"})
_GRAMMAR_CUES = _FUNCTION_WORDS | {"~", "∼", "-", "–"}
GRAMMAR_CUE_WEIGHT = 0.3
_DENIED_BEFORE = re.compile(r"^\s*[\"'’”」』]?\s*(?:이|가)?\s*아니(?:라|고)\s*$")


def link_claim(claim: Claim, rules: RuleSet, topics: set[str] | None = None,
               published: date | None = None, title: str = "") -> Link:
    """The fact `claim` states, or why none; `title` is the article's headline, whose subject a
    sentence that names no part of the programme shares ('북항 1단계 …' → '사업 기간은 …')."""
    if claim.kind == "role":
        return _link_role(claim, rules, topics)
    key, bucket, any_fact = _bucket(claim, rules, topics)
    if not any_fact:
        return Link(claim, None, why="이 단위·종류의 사실이 규칙에 없습니다")
    if not bucket:
        return Link(claim, None, why="이 단위·종류의 사실은 있지만 기사가 그 주제로 인식되지 않았습니다")
    if len(bucket) > 200:  # many facts: only those sharing a cue bigram with the figure's context
        on_topic = {f.id for f in bucket}
        pool = {f.id: f for f in candidate_facts(claim, rules) if f.id in on_topic}
    else:
        pool = {f.id: f for f in bucket}
    if not _bucket_words(rules, key, bucket).search(normalise(claim.sentence) + " " + normalise(claim.previous)):
        # Most figures stand in sentences that name none of their unit's facts: say so cheaply.
        return Link(claim, None, why="문장과 앞 문장에 이 단위·종류 사실의 낱말이 하나도 없습니다",
                    candidates=tuple(Candidate(f, ruled_out="문장에 이 사실의 낱말이 없습니다") for f in pool.values()))
    ctx = context_of(_with_denied_label(claim))
    specificity = _specificity(rules, key, bucket)
    bare = _bare_words(claim)
    borrowed_subject = not any(normalise(w) in normalise(claim.sentence) for f in bucket[:1] for w in f.topic_words)
    anchored, anchor_day = past_anchor(claim, published)
    clause_subject = _clause_subject(claim)  # once per figure: the headline rule asks it for every fact
    # "…는 보도는 사실이 아니며 실제는 4116억원이다": a clause that names nothing takes the subject
    # of the clause before it in the same sentence.
    own = ctx.label + ctx.left + ctx.after + ctx.clause
    inherit = bool(_PARALLEL_CLAUSE.search(ctx.earlier)) and not any(
        t in own for f in pool.values() for t, _ in fact_terms(f))
    candidates: list[Candidate] = []
    for fact in pool.values():
        if claim.kind in ("date", "period") and (fact.kind == "period") != (claim.kind == "period") \
                and not (_states_an_end(claim) and fact.kind == "period"):
            continue
        word = _excluded_near(fact, ctx, claim, bare) or next(
            (w for w in fact.exclude if normalise(w) and normalise(w) in ctx.modified), None)
        if word:
            candidates.append(Candidate(fact, ruled_out=f"수치 옆에 제외어 '{word}'"))
            continue
        word = _excluded_in_clause(fact, ctx, borrowed_subject, _program_excludes(rules, fact.topic))
        if word:
            candidates.append(Candidate(fact, ruled_out=f"같은 절에 제외어 '{word}'"))
            continue
        word = _excluded_by_context(fact, claim, title, _distinguishing_words(rules, fact.topic), clause_subject)
        if word:
            candidates.append(Candidate(fact, ruled_out=f"절이 대상을 밝히지 않았고, 앞 문장이나 제목이 가리키는 '{word}'는 이 사실이 제외하는 대상입니다"))
            continue
        if _required_missing(fact, ctx, claim):
            candidates.append(Candidate(fact, ruled_out="require 낱말이 문장에 없습니다"))
            continue
        if claim.kind == "quantity" and not _plausible_size(claim, fact):
            candidates.append(Candidate(fact, ruled_out="값의 크기가 이 사실과 전혀 다릅니다 (다른 대상)"))
            continue
        subject = _foreign_subject(claim, fact, rules)
        if subject:
            candidates.append(Candidate(fact, ruled_out=f"절의 주제 '{subject}'는 이 주제의 다른 사실이 다루는 대상입니다"))
            continue
        head = _foreign_head(claim, fact, ctx, len(bucket))
        if head:
            candidates.append(Candidate(fact, ruled_out=f"수치의 바로 앞 낱말 '{head}'이(가) 이 사실을 가리키지 않습니다"))
            continue
        score, evidence = _weigh(fact, ctx, specificity, inherit, _organisation_names(rules))
        if not any(e.place in ("label", "after", "left", "clause", "earlier") for e in evidence):
            candidates.append(Candidate(fact, score, evidence, ruled_out="수치가 든 절에 이 사실의 낱말이 없습니다"))
            continue
        if _states_an_end(claim) and fact.kind == "period" and not any(
                e.place in ("label", "left") and e.term not in _FUNCTION_WORDS for e in evidence):
            candidates.append(Candidate(fact, score, evidence, ruled_out="'…까지'만 있는 날짜는 기간 앞에 그 사실의 낱말이 있어야 합니다"))
            continue
        reason = not_the_value(claim, fact, ctx, published)
        if reason:
            candidates.append(Candidate(fact, score, evidence, ruled_out=reason))
            continue
        candidates.append(Candidate(fact, score, evidence))
    live = sorted((c for c in candidates if c.ruled_out is None), key=lambda c: -c.score)
    ordered = tuple(live + [c for c in candidates if c.ruled_out is not None])
    if not live:
        return Link(claim, None, why="맞는 사실이 없습니다", candidates=ordered)
    best = live[0]
    if best.score < (MIN_SCORE if claim.kind == "quantity" else MIN_DATE_SCORE):
        agreeing = [c for c in live if c.score > 0 and _consistent_on(claim, c.fact, anchor_day or published)]
        if agreeing and not anchored:
            # Too little evidence to accuse, enough to confirm: the figure is one candidate's value.
            return Link(claim, agreeing[0].fact, agreeing[0].score, "근거는 약하지만 값이 이 사실과 같습니다", ordered)
        return Link(claim, None, best.score, f"근거가 약합니다 ({best.fact.id} {best.score:.2f} < {MIN_SCORE})", ordered)
    if len(live) > 1:
        second = live[1]
        close = best.score - second.score < MARGIN or best.score < second.score * RATIO
        if close:
            agreeing = [c for c in (best, second) if _consistent_with(claim, c.fact)]
            if len(agreeing) == 1:
                best = agreeing[0]  # most printed figures are right: the tie goes to the fact it agrees with
            else:
                return Link(claim, None, best.score,
                            f"{best.fact.id}({best.score:.2f})와 {second.fact.id}({second.score:.2f}) 중 하나로 정할 수 없습니다", ordered)
    if not any(e.place == "label" for e in best.evidence) and not _consistent_on(claim, best.fact, anchor_day or published):
        # No word right before the figure names its fact, and its value is wrong for it: if the figure
        # is exactly another fact's value of that day, it is that fact (most printed figures are right).
        for other in bucket:
            if other is not best.fact and _consistent_on(claim, other, anchor_day or published):
                return Link(claim, other, best.score, f"값이 {other.id}의 값과 같아 그 사실로 봅니다 "
                                                      f"({best.fact.id}의 근거는 수치 바로 앞에 없음)", ordered)
    if anchored:
        if anchor_day is None:
            return Link(claim, None, best.score, "'당시·당초·앞서' 같은 과거 시점의 수치인데 그 날짜가 없습니다", ordered)
        return Link(claim, best.fact, best.score, f"과거 시점({anchor_day}) 기준으로 판단합니다", ordered, anchor_day)
    decided = ", ".join(f"{e.term}@{e.place}" for e in best.evidence[:3])
    return Link(claim, best.fact, best.score, f"근거: {decided}", ordered)


def _with_denied_label(claim: Claim) -> Claim:
    """"총사업비는 4116억원이 아니라 4161억원이다": the corrected figure takes the denied one's label."""
    if not _DENIED_BEFORE.match(claim.left):
        return claim
    start = claim.start - claim.sentence_start
    begin, _ = clause_bounds(claim.sentence, start, claim.end - claim.sentence_start)
    return replace(claim, left=claim.sentence[max(begin, start - 60):start])


def _clause_topic(claim: Claim) -> str | None:
    return _clause_topic_at(claim.sentence, claim.sentence_start, claim.start, claim.end, claim.kind == "quantity")


@lru_cache(maxsize=4096)
def _clause_topic_at(sentence_text: str, sentence_start: int, claim_start: int, claim_end: int, quantity: bool) -> str | None:
    """The clause's own topic: its first word marked 은/는 before the figure ('데이터센터는 총사업비 923억원')."""
    start, end = claim_start - sentence_start, claim_end - sentence_start
    begin, finish = clause_bounds(sentence_text, start, end)
    # A date's subject may come after it: "지난 11일 … 문을 연 ‘AI창업캠프 1호’는".
    stop = start if quantity else finish
    words = _QUOTES.sub("", sentence_text[begin:stop]).split()
    for index, word in enumerate(words[:12]):
        if re.search(r"(?:하는|되는|있는|없는|이는|가는|오는|나는)$", word):
            continue  # '착공하는 데이터센터는': a verb before the topic
        if index and re.fullmatch(r"\d+[가-힣]{1,2}(?:은|는)", word):
            return " ".join(words[max(0, index - 3):index])  # "‘AI창업캠프 1호’는": the name before the number
        found = re.fullmatch(r"([가-힣A-Za-z·]{2,}?)(?<!에|서|로)(?:은|는)", word)
        if found:
            # with the words before it: '인공지능 집적단지 조성사업은' is the programme itself
            return " ".join(words[max(0, index - 2):index] + [found.group(1)])
    return None


def _foreign_subject(claim: Claim, fact: Fact, rules: RuleSet) -> str | None:
    """"이달 착공하는 데이터센터는 총사업비 923억원으로": the clause is about the data centre, which
    another fact of the programme names, and not about this fact's subject."""
    topic = _clause_topic(claim)
    if topic is None:
        return None
    key = normalise(topic.split()[-1])
    if any(normalise(w) and normalise(w) in normalise(topic) for w in fact.topic_words):
        return None  # the programme's own name: every fact of it may be told so
    own = [t for t, _ in fact_terms(fact)]
    if any(t in key or key in t for t in own) or any(key in normalise(w) or normalise(w) in key for w in fact.topic_words):
        return None
    for other in rules.facts_of_topic(fact.topic) if claim.kind == "quantity" else ():
        # (a date's topic is usually who acts — '삼성전자는 2029년 첫 팹을' — not what it dates)
        if other is fact or other.kind == "role":
            continue  # a role's organisation ('부산시는 총사업비 …') is who acts, not what is measured
        if any(len(t) >= 3 and (t == key or (t in key and len(t) * 2 > len(key))) for t, weight in fact_terms(other) if weight == 1.0):
            return topic
    if _FACILITY.search(key):
        return topic  # '지식산업센터는 2027년까지 …': a facility no fact of the programme is about
    return None


# Words that end the name of a building, site or venue: a clause about one of these, which none of
# the fact's words names, is about that place.
_FACILITY = re.compile(r"(?:센터|캠프|캠퍼스|타운|플라자|회관|빌딩|공장|허브|파크)$")


def _consistent_on(claim: Claim, fact: Fact, day: date | None) -> bool:
    """Does the claim state the value `fact` had on `day`?"""
    version = version_on(fact, day)
    if version is None or version.low is None:
        return False
    if isinstance(claim, QuantityClaim) and fact.kind == "quantity" and claim.unit == fact.unit and version.value is not None:
            return _consistent(claim, version.value, max(fact.tolerance, fact.rounding))
    if isinstance(claim, DatedClaim) and fact.kind in ("date", "period") and version.high is not None:
        if fact.kind == "period" and claim.kind == "period":
            return int(claim.low) // 366 == int(version.low) // 366 and abs(int(claim.high) - int(version.high)) <= 31
        return claim.low <= version.high and version.low <= claim.high
    return False


def _states_an_end(claim: Claim) -> bool:
    """"2025년까지": a date that ends something, so it may state a period fact's end."""
    return isinstance(claim, DateClaim) and claim.until


def _link_role(claim: Claim, rules: RuleSet, topics: set[str] | None) -> Link:
    found = match_claim(claim, rules, topics)
    if found is None:
        return Link(claim, None, why="이 직함·기관의 역할 사실이 없거나 둘 이상에 해당합니다")
    return Link(claim, found.fact, found.score, f"직함 '{found.cue}'와 기관명")
