"""Reads articles for `factwatch check` from .txt, .html, .json, .jsonl files or standard input."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from checker.models import Article
from checker.sentences import is_boilerplate

MAX_ARTICLE_BYTES = 2_000_000  # a news article is ~5 KB; anything this big is not one


class InputError(ValueError):
    """An article file that cannot be read; the message names the file (and line for .jsonl)."""


def parse_published(text: str | None, where: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{where}: 발행일 '{text}'을 읽을 수 없습니다 (예: 2021-11-22 또는 2021-11-22T16:07:00+09:00)") from None
    return value


def load_articles(path: str, published: str | None = None) -> list[Article]:
    """All articles in `path` ('-' for stdin). `published` is the date for plain text input."""
    if path == "-":
        raw = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
        name = "<stdin>"
        suffix = ".json" if raw.lstrip()[:1] == b"{" else ".txt"
        if suffix == ".json" and raw.strip().count(b"\n") > 0 and _looks_like_jsonl(raw):
            suffix = ".jsonl"
    else:
        file = Path(path)
        if not file.is_file():
            raise InputError(f"{path}: 파일이 없습니다")
        raw = file.read_bytes()[: MAX_ARTICLE_BYTES * 50 + 1]
        name, suffix = path, file.suffix.lower()
    if suffix == ".jsonl":
        return _from_jsonl(raw, name)
    if len(raw) > MAX_ARTICLE_BYTES:
        raise InputError(f"{name}: 기사 하나로 보기에 너무 큽니다 ({len(raw):,}바이트, 최대 {MAX_ARTICLE_BYTES:,})")
    if suffix == ".json":
        return [_from_record(_json(raw, name), name)]
    if suffix in (".html", ".htm"):
        return [_from_html(raw, f"file://{Path(name).resolve()}" if name != "<stdin>" else name, published, name)]
    return [_from_text(_decode(raw, name), name, published)]


def _looks_like_jsonl(raw: bytes) -> bool:
    try:
        json.loads(raw)
        return False
    except ValueError:
        return True


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: UTF-8이나 EUC-KR(CP949) 글자로 읽을 수 없습니다")


def _from_text(text: str, name: str, published: str | None) -> Article:
    # Copied page text often starts with a section label ("사회 전국"): the headline is the
    # first line long enough to be one.
    lines = [line.strip() for line in text.splitlines() if line.strip() and not is_boilerplate(line)]
    title = next((line for line in lines if len(line) >= 10), lines[0] if lines else "")
    return Article(url=name, text=text, title=title, published=parse_published(published, "--published"), source=name)


def _from_html(raw: bytes, url: str, published: str | None, name: str) -> Article:
    from crawler.extract import extract_article

    page = extract_article(raw, url)
    when = page.published or parse_published(published, "--published")
    return Article(
        url=page.url, text=page.text, title=page.title, published=when, updated=page.updated,
        outlet=page.outlet, author=page.author, source=name,
    )


def _json(raw: bytes, name: str):
    try:
        return json.loads(_decode(raw, name))
    except json.JSONDecodeError as error:
        raise InputError(f"{name}:{error.lineno}: JSON 문법 오류: {error.msg}") from None


def _from_jsonl(raw: bytes, name: str) -> list[Article]:
    articles = []
    for number, line in enumerate(_decode(raw, name).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{name}:{number}: JSON 문법 오류: {error.msg}") from None
        articles.append(_from_record(record, f"{name}:{number}"))
    return articles


def _from_record(record, where: str) -> Article:
    """`{"url", "title", "published", "text"}` or with "html" in place of "text"."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: 기사 하나는 {{\"url\", \"title\", \"published\", \"text\"}} 형태의 객체여야 합니다")
    unknown = set(record) - {"url", "title", "published", "text", "html", "outlet", "author", "updated"}
    if unknown:
        raise InputError(f"{where}: 알 수 없는 항목: {', '.join(sorted(unknown))}")
    url = str(record.get("url") or where)
    published = parse_published(record.get("published"), where)
    if isinstance(record.get("html"), str) and not record.get("text"):
        article = _from_html(record["html"].encode("utf-8"), url, None, where)
        return Article(**{**article.__dict__, "url": url, "title": record.get("title") or article.title,
                          "published": published or article.published})
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: 'text'(본문) 또는 'html'이 있어야 합니다")
    if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        raise InputError(f"{where}: 기사 하나로 보기에 너무 큽니다")
    return Article(
        url=url, text=text, title=str(record.get("title") or ""), published=published,
        updated=parse_published(record.get("updated"), where), outlet=record.get("outlet"),
        author=record.get("author"), source=where,
    )
