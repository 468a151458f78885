"""Splits page text into the sentences worth checking, leaving out boilerplate (widgets, bylines, footers)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Sentence:
    start: int  # offset of the sentence in the article text
    end: int
    text: str


# Why lines, not Kiwi: page text puts headline, byline and body on separate lines, and Kiwi
# on whole page text glues them (boundary recall 0.45 on the seeds); per line a regex on
# Korean sentence endings is as good for news prose and ~100× cheaper (RESEARCH.md).
_SENTENCE_END = re.compile(r"[가-힣)\]\"'”’」』][.!?][\"'”’」』]?(?=\s)")

# A line is boilerplate when it is page furniture, not reporting: numbers there are never claims.
# Page furniture that is never reporting, wherever it stands: weather widgets, copyright lines.
_BOILERPLATE_ALWAYS = re.compile(
    r"℃|°C|기상청 제공|copyright|ⓒ|©|무단\s*전재|재배포\s*금지|무단\s*복제|\.(?:jpe?g|png|gif|webp)\b",
    re.IGNORECASE,
)
# Footer and widget words: boilerplate only on a line that does not read as a sentence, so an
# article *about* 저작권 or 개인정보 keeps its sentences.
_BOILERPLATE_WORDS = re.compile(
    r"저작권|등록번호|등록일자|발행인|편집인|청소년보호|개인정보|사업자등록|\bTEL\b|전화\s*:|팩스|"
    r"글자\s*크기|음성\s*재생|자동\s*요약|본문\s*보기|번역\s*beta|공유|모바일 버전|구독|좋아요|댓글|"
    r"이 기사에 대해|전체메뉴|핫이슈",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_DOTTED_DATE = re.compile(r"\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}")
_FINAL_ENDING = re.compile(r"[가-힣][.!?][\"'”’」』]?\s*$|[다요][\"'”’」』]?\s*$")


def is_boilerplate(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return True
    if _BOILERPLATE_ALWAYS.search(stripped):
        return True
    ends_like_prose = bool(_FINAL_ENDING.search(stripped))
    if ends_like_prose:
        return False  # "◆ 사업단 구성원은 84명이다." is a Q&A answer, not a menu item
    if stripped[0] in "•◆◇▷▶☞※":
        return True
    if _BOILERPLATE_WORDS.search(stripped):
        return True
    # Bylines, datelines and captions: an e-mail, a clock time or a dotted date on a line
    # that does not read as a sentence.
    if _EMAIL.search(stripped) or _CLOCK.search(stripped) or "사진=" in stripped:
        return True
    return len(stripped) < 40 and bool(_DOTTED_DATE.search(stripped))


def split_sentences(text: str) -> list[Sentence]:
    """The article's checkable sentences with their offsets; repeated sentences are kept once.

    Pages repeat the lead in summaries and pull quotes; a claim there is one claim, so a
    sentence identical (ignoring spaces and quote marks) to an earlier one is skipped.
    """
    sentences: list[Sentence] = []
    seen: set[str] = set()
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        if is_boilerplate(line):
            continue
        for start, end in _split_line(line):
            piece = line[start:end]
            key = re.sub(r"[\s\"'“”‘’]", "", piece)
            if not key or key in seen:
                continue
            seen.add(key)
            sentences.append(Sentence(line_start + start, line_start + end, piece))
    return sentences


def _split_line(line: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(line):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(line.rstrip())))
    return [_trim(line, a, b) for a, b in spans if line[a:b].strip()]


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


@lru_cache(maxsize=65536)  # rule words and sentences are normalised again for every claim
def normalise(text: str) -> str:
    """Text for cue matching: NFKC, lower case, no spaces (Korean spacing varies: AI집적단지 = AI 집적단지)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()
