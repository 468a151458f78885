"""Properties of extraction and judging on arbitrary page text: never a crash, spans always exact."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.check import judge_claims
from checker.claims import extract_claims

PIECES = list("0123456789.,~-()[]'\"“”‘’ \n%㎡억만조천여약수명개년월일PF") + [
    "사업단", "단장", "인공지능산업융합사업단", "임차식", "오상진", "김민수", "올해", "내년", "연말", "상반기",
    "아니라", "바로잡습니다", "▲", "◆", "•", "℃", "ⓒ", "이상", "미만", "가까이", "규모", "(65)", "에서",
    "으로 늘었다", "제3대", "초대", "부터", "까지", "간", "집적단지", "조성사업", "투입", "다.", "\n",
]
page_text = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
published = st.sampled_from([None, date(2021, 3, 9), date(2024, 10, 1)])


@settings(max_examples=300, deadline=None)
@given(page_text, published)
def test_any_text_gives_exact_spans_and_judgements_without_error(shipped_rules, text, day):
    claims = extract_claims(text, day)
    for claim in claims:
        assert text[claim.start:claim.end] == claim.text
        assert claim.sentence in text
    for finding in judge_claims(claims, shipped_rules, day, None):
        assert finding.explanation and "None" not in finding.explanation
        assert finding.alert == (finding.verdict in {"conflict", "imprecise", "outdated", "sum_mismatch"})
