"""Removes what is not the article from extracted text: copyright notices, bylines, share and promo
lines, view counters and ad lines."""

from __future__ import annotations

import re

_COPYRIGHT = re.compile(r"(무단\s*전재|재배포\s*금지|무단\s*복제|저작권자|copyright|ⓒ|©|\(c\)\s*\d{4}|all rights reserved)", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_REPORTER = re.compile(r"^[\[(]?[가-힣]{2,4}\s*(선임|수석|인턴|객원)?\s*기자[\])]?\s*(=|[\w.+-]+@\S+)?\s*$")
# "기사제공 남도통신": a portal's credit line, not the article.
_PROMO = re.compile(r"^(▶|☞|■\s*제보|※\s*제보|\[?관련\s*기사\]?|공유하기|기사\s*공유|카카오톡|페이스북|트위터|URL\s*복사|구독하기|좋아요|댓글|기사\s*제공)")
# A wire dateline before the lead sentence: "[광주=뉴시스] 홍길동 기자 = ", "(광주=연합뉴스) 홍길동·김철수
# 기자(hong@yna.example) = ". Only the dateline goes: the sentence after it is the lead, often
# the one with the figures.
_DATELINE = re.compile(
    r"^\s*[\[(【][^\])】\n]{1,20}=[^\])】\n]{1,12}[\])】]\s*"
    r"((?:[가-힣]{2,4}\s*[·,]\s*)*[가-힣]{2,4}\s*(선임|수석|인턴)?\s*기자\s*(\(\s*[\w.+-]+@[\w.-]+\s*\)|[\w.+-]+@[\w.-]+)?\s*=?\s*)?"
)
# The lead is among the first lines once a portal's credit line or a subtitle is counted.
_LEAD_LINES = 3

# A view/comment counter ("조회 1,234회", "조회수 : 57 | 댓글 0"): it changes on every visit
# and would make each fetch a new version.
_COUNTER = re.compile(
    r"^(?:(?:조회\s*수?|조회수|읽음|추천\s*수?|공감|댓글|hits?|views?)\s*[:：]?\s*[\d,]+\s*(?:회|건|개)?\s*[|·/]?\s*)+$",
    re.IGNORECASE,
)
# An ad line: "[광고] 오늘의 특가", "AD 봄맞이 할인", "(광고)", "Advertisement".
_AD = re.compile(r"^(\[\s*광고\s*\]|\(\s*광고\s*\)|<\s*광고\s*>|【\s*광고\s*】|AD(?=\s|$|[:\]])|\[AD\]|광고$|advertisement$|sponsored$)", re.IGNORECASE)

# Lines longer than this are prose, even if they mention copyright or a reporter.
_SHORT = 80


def clean_article_text(text: str) -> str:
    """The article's prose only, one paragraph a line."""
    kept = []
    for index, line in enumerate(line.strip() for line in text.splitlines() if line.strip()):
        if index < _LEAD_LINES and _DATELINE.match(line):
            # Before the line filters: a dateline's e-mail or 기자 must not make the lead a byline.
            line = _DATELINE.sub("", line, count=1).strip()
            if not line:
                continue
        if len(line) <= _SHORT and (
            _COPYRIGHT.search(line) or _REPORTER.match(line) or _PROMO.match(line) or _COUNTER.match(line) or _AD.match(line)
        ):
            continue
        if len(line) <= _SHORT and _EMAIL.search(line) and ("기자" in line or _EMAIL.fullmatch(line.strip("()<> "))):
            continue
        kept.append(line)
    return "\n".join(kept)
