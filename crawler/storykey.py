"""Fingerprints an article body so syndicated copies of one story (other outlet, other byline) group."""

from __future__ import annotations

import hashlib
import re

from crawler.textclean import clean_article_text

SHINGLE = 5  # characters; Korean words are short, and 5-grams survive spacing differences
PERMUTATIONS = 64
SAME_STORY = 0.6
MIN_BODY = 40  # letters and digits; shorter bodies get no signature  # estimated Jaccard similarity above which two bodies are one story

_MASK = (1 << 61) - 1
_SALTS = [int.from_bytes(hashlib.blake2b(str(i).encode(), digest_size=8).digest(), "big") for i in range(PERMUTATIONS)]


def normalise_body(text: str) -> str:
    """Only letters and digits of the cleaned body: bylines, datelines, spacing and punctuation differ between copies."""
    return re.sub(r"[^\w]|_", "", clean_article_text(text)).lower()


def fingerprint_body(text: str) -> tuple[int, ...]:
    """A MinHash signature of the body's character shingles (empty for a body too short to tell).

    The last paragraph is left out when the rest is long enough to tell: that is where a
    series footer ("이 기사는 … 기획 보도의 일환으로 …") or an outlet's boilerplate sits, and a
    long footer shared by two short, different articles made them "one story". Copies of one
    story share their lead, which is what is compared.
    """
    paragraphs = [line for line in clean_article_text(text).splitlines() if line.strip()]
    if len(paragraphs) >= 2 and len(normalise_body("\n".join(paragraphs[:-1]))) >= MIN_BODY:
        text = "\n".join(paragraphs[:-1])
    body = normalise_body(text)
    if len(body) < MIN_BODY:
        return ()
    hashes = {
        int.from_bytes(hashlib.blake2b(body[i : i + SHINGLE].encode(), digest_size=8).digest(), "big")
        for i in range(len(body) - SHINGLE + 1)
    }
    return tuple(min((h ^ salt) & _MASK for h in hashes) for salt in _SALTS)


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two signatures' shingle sets."""
    if not a or not b:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=False)) / len(a)


def new_story_key(text: str) -> str:
    return "body:" + hashlib.sha1(normalise_body(text).encode()).hexdigest()[:16]
