"""Turns a page's raw bytes into text, right for EUC-KR/CP949 and for pages whose declared charset lies."""

from __future__ import annotations

import codecs
import re

# Korean sites label CP949 pages as euc-kr or ks_c_5601-1987; strict euc_kr fails on the
# UHC syllables CP949 adds (똠, 똥 …), so every such label decodes as cp949.
_KOREAN_ALIASES = {"euc-kr", "euc_kr", "euckr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "x-windows-949", "windows-949", "uhc", "cp949", "ms949"}

_WESTERN = {"ascii", "latin-1", "iso8859-1", "iso8859-15", "cp1252"}
_HANGUL = re.compile("[\uac00-\ud7a3]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.IGNORECASE)


def normalise_charset(label: str | None) -> str | None:
    """The Python codec to use for a declared charset label, or None when it is unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _KOREAN_ALIASES:
        return "cp949"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def parse_header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def parse_meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page; returns (text, codec used).

    Valid UTF-8 wins over any declaration: Korean text in EUC-KR/CP949 is practically never
    valid UTF-8, while pages declared euc-kr but written in UTF-8 do exist. Then the header,
    then the <meta>, then cp949 (the usual undeclared Korean encoding).
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, "replace"), codec
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = (normalise_charset(parse_header_charset(content_type)), normalise_charset(parse_meta_charset(body)))
    # A Western single-byte label decodes any bytes, so it "works" on a CP949 page and turns the
    # Hangul into mojibake; it is usually a server default. It comes after an EUC-KR <meta>
    # and after a body that reads as CP949 with Hangul in it.
    strong = [codec for codec in declared if codec and codec != "utf-8" and codec not in _WESTERN]
    weak = [codec for codec in declared if codec in _WESTERN]
    for codec in strong:
        try:
            return body.decode(codec), codec
        except UnicodeDecodeError:
            continue
    try:
        text = body.decode("cp949")
    except UnicodeDecodeError:
        text = None
    if text is not None and (_HANGUL.search(text) or not weak):
        return text, "cp949"
    for codec in weak:
        return body.decode(codec), codec
    # Mostly-right beats nothing: a few broken bytes should not lose the article.
    codec = declared[0] or declared[1] or "cp949"
    return body.decode(codec, "replace"), codec
