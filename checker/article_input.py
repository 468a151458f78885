"""Reads articles for `factwatch check` from .txt, .html, .json, .jsonl files or standard input.

A bad article (a broken line, an unreadable file) is reported with its file:line and skipped:
the readable ones in the same batch are still returned, so one mistake never hides the rest.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from checker.models import Article
from checker.sentences import is_boilerplate

MAX_ARTICLE_BYTES = 2_000_000  # a news article is ~5 KB; anything this big is not one
MAX_INPUT_BYTES = MAX_ARTICLE_BYTES * 50  # a whole .jsonl export (or stdin) read at once

# The fields an article record may carry that factwatch uses; a newsroom export has more
# (id, section, …), which are ignored rather than refused.
RECORD_KEYS = frozenset({"url", "title", "published", "text", "html", "outlet", "author", "updated"})

# A saved page is HTML whatever its name (.php, .asp, none, even .txt): read as text, the
# numbers in its <script>, <style> and <noscript> would become claims. A page starts with a
# real HTML tag; a broadcast script's "<앵커>" is not one.
_HTML_START = re.compile(
    rb"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|link|script|style|div|article|section|main|header|p|table)\b",
    re.IGNORECASE | re.DOTALL,
)


class InputError(ValueError):
    """An article that cannot be read; the message starts with its file (and line for .jsonl)."""


@dataclass
class InputBatch:
    """What one path yielded: the readable articles, one problem per bad one, and the record
    keys factwatch ignored (key → where it was first seen)."""

    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored: dict[str, str] = field(default_factory=dict)


def parse_published(text: str | None, where: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{where}: 발행일 '{text}'을 읽을 수 없습니다 (예: 2021-11-22 또는 2021-11-22T16:07:00+09:00)") from None
    return value


class HtmlPage(Protocol):
    """What an HTML reader makes of a page (crawler.extract.ExtractedPage has it)."""

    # Read-only properties, so a frozen dataclass matches.
    @property
    def url(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def published(self) -> datetime | None: ...
    @property
    def updated(self) -> datetime | None: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def author(self) -> str | None: ...


# (page bytes, its url) → the page's article. Passed in by the command line (crawler/extract.py),
# so the checker does not import the crawler: the flow's arrows point crawl → check.
HtmlReader = Callable[[bytes, str], HtmlPage]


def read_input(path: str, published: datetime | None, read_html: HtmlReader) -> InputBatch:
    """Every article in `path` ('-' for stdin); never raises for bad input, reports it instead.
    `published` is the date for plain-text input (it has no metadata of its own); `read_html`
    reads a saved page (or a record's "html")."""
    batch = InputBatch()
    try:
        name, raw, cut = _read_bytes(path)
        kind = _kind_of(path, raw)
        if kind == "jsonl":
            _from_jsonl(raw, name, cut, batch, read_html)
            return batch
        if cut or len(raw) > MAX_ARTICLE_BYTES:
            size = f"{MAX_INPUT_BYTES:,}바이트 넘게" if cut else f"{len(raw):,}바이트"
            raise InputError(f"{name}: 기사 하나로 보기에 너무 큽니다 ({size}, 최대 {MAX_ARTICLE_BYTES:,}바이트)")
        if kind == "json":
            batch.articles.append(_from_record(_json(raw, name), name, batch.ignored, read_html))
        elif kind == "html":
            url = f"file://{Path(name).resolve()}" if path != "-" else name
            batch.articles.append(_from_html(raw, url, published, name, read_html))
        else:
            batch.articles.append(_from_text(_decode(raw, name), name, published))
    except InputError as error:
        batch.problems.append(str(error))
    return batch


def _read_bytes(path: str) -> tuple[str, bytes, bool]:
    """(display name, bytes, whether the input was longer than MAX_INPUT_BYTES and cut)."""
    if path == "-":
        name, raw = "<stdin>", sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        name, file = path, Path(path)
        if file.is_dir():
            raise InputError(f"{path}: 파일이 아니라 폴더입니다 (기사 파일을 하나씩 주세요, 예: {path}/*.json)")
        if not file.exists():
            raise InputError(f"{path}: 파일이 없습니다")
        try:
            with file.open("rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as error:
            raise InputError(f"{path}: 파일을 읽을 수 없습니다 ({error.strerror or error})") from None
    return name, raw[:MAX_INPUT_BYTES], len(raw) > MAX_INPUT_BYTES


def _kind_of(path: str, raw: bytes) -> str:
    suffix = "" if path == "-" else Path(path).suffix.lower()
    if suffix in (".jsonl", ".json"):
        return suffix[1:]
    if suffix in (".html", ".htm"):
        return "html"
    if looks_like_html(raw):
        return "html"
    if suffix != ".txt" and _strip_start(raw)[:1] == b"{":
        return "jsonl" if _looks_like_jsonl(raw) else "json"
    return "text"


def looks_like_html(raw: bytes) -> bool:
    return _HTML_START.match(_strip_start(raw[:4096])) is not None


def _strip_start(raw: bytes) -> bytes:
    return raw.lstrip(b" \t\r\n").removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")


def _looks_like_jsonl(raw: bytes) -> bool:
    if raw.strip().count(b"\n") == 0:
        return False
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


def _from_text(text: str, name: str, published: datetime | None) -> Article:
    # Copied page text often starts with a section label ("사회 전국"): the headline is the
    # first line long enough to be one.
    lines = [line.strip() for line in text.splitlines() if line.strip() and not is_boilerplate(line)]
    title = next((line for line in lines if len(line) >= 10), lines[0] if lines else "")
    return Article(url=name, text=text, title=title, published=published, source=name)


def _from_html(raw: bytes, url: str, published: datetime | None, name: str, read_html: HtmlReader) -> Article:
    try:
        page = read_html(raw, url)
    except Exception as error:  # noqa: BLE001 - untrusted markup: report it, go on with the batch
        raise InputError(f"{name}: HTML에서 기사를 읽지 못했습니다 ({type(error).__name__}: {error})") from None
    return Article(
        url=page.url, text=page.text, title=page.title, published=page.published or published,
        updated=page.updated, outlet=page.outlet, author=page.author, source=name,
    )


def _json(raw: bytes, name: str):
    try:
        return json.loads(_decode(raw, name))
    except json.JSONDecodeError as error:
        raise InputError(f"{name}:{error.lineno}: JSON 문법 오류: {error.msg}") from None


def _from_jsonl(raw: bytes, name: str, cut: bool, batch: InputBatch, read_html: HtmlReader) -> None:
    lines = raw.split(b"\n")
    if cut:
        lines = lines[:-1]  # the last line was cut in the middle: not an article, and said so below
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(_decode(line, where))
            batch.articles.append(_from_record(record, where, batch.ignored, read_html))
        except json.JSONDecodeError as error:
            batch.problems.append(f"{where}: JSON 문법 오류: {error.msg}")
        except InputError as error:
            batch.problems.append(str(error))
    if cut:
        batch.problems.append(
            f"{name}:{len(lines) + 1}: 입력이 {MAX_INPUT_BYTES:,}바이트를 넘어 이 줄부터는 읽지 않았습니다 (파일을 나눠서 넣으세요)"
        )


def _from_record(record, where: str, ignored: dict[str, str], read_html: HtmlReader) -> Article:
    """`{"url", "title", "published", "text"}` or with "html" in place of "text"; other keys are
    noted in `ignored` and otherwise left alone."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: 기사 하나는 {{\"url\", \"title\", \"published\", \"text\"}} 형태의 객체여야 합니다")
    for key in sorted(set(record) - RECORD_KEYS):
        ignored.setdefault(str(key), where)
    url = str(record.get("url") or where)
    published = parse_published(record.get("published"), where)
    text = record.get("text")
    markup = record.get("html") if isinstance(record.get("html"), str) and not text else None
    if markup is None and isinstance(text, str) and looks_like_html(text[:4096].encode("utf-8")):
        markup = text  # an export that put the page itself in "text"
    if markup is not None:
        article = _from_html(markup.encode("utf-8"), url, None, where, read_html)
        return Article(**{**article.__dict__, "url": url, "title": record.get("title") or article.title,
                          "published": published or article.published})
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: 'text'(본문) 또는 'html'이 있어야 합니다")
    if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        raise InputError(f"{where}: 기사 하나로 보기에 너무 큽니다")
    return Article(
        url=url, text=text, title=str(record.get("title") or ""), published=published,
        updated=parse_published(record.get("updated"), where), outlet=_optional_text(record.get("outlet")),
        author=_optional_text(record.get("author")), source=where,
    )


def _optional_text(value) -> str | None:
    # An export may carry `"author": ["홍길동", "김민수"]` or a number: keep it readable text.
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
