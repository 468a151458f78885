"""Pure parsers for the pages that list articles: RSS/Atom feeds, (news) sitemaps and Naver search answers."""

from __future__ import annotations

import gzip
import html
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime
from html.entities import name2codepoint

from lxml import etree

from crawler.dates import parse_datetime
from crawler.encoding import normalise_charset


class MalformedListing(ValueError):
    """A feed, sitemap or API answer that cannot be read; the message says why."""


@dataclass(frozen=True)
class Listed:
    """An article link as a listing gives it, with the date the listing claims (a fallback only)."""

    url: str
    published: datetime | None = None
    title: str | None = None


MAX_XML_BYTES = 50 * 1024 * 1024  # the sitemap protocol's limit, uncompressed

# What a fix-up or lxml's recovery may repair: characters and entities, never structure. A feed
# cut off mid-item (a tag not closed) stays broken rather than silently shortened.
_RECOVERABLE = {
    "ERR_INVALID_CHAR", "ERR_INVALID_CHARREF", "ERR_INVALID_DEC_CHARREF", "ERR_INVALID_HEX_CHARREF",
    "ERR_UNDECLARED_ENTITY", "WAR_UNDECLARED_ENTITY", "ERR_ENTITYREF_SEMICOL_MISSING", "ERR_NAME_REQUIRED",
    "ERR_ENTITY_NOT_FOUND", "ERR_INVALID_ENCODING", "ERR_UNKNOWN_ENCODING", "ERR_UNSUPPORTED_ENCODING",
}
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*\?>")
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


def _gunzip(body: bytes, what: str) -> bytes:
    """A gzipped sitemap (sitemap.xml.gz, served without Content-Encoding) is read as its XML."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(MAX_XML_BYTES + 1)
    except (OSError, EOFError) as error:
        raise MalformedListing(f"{what}: gzip 오류 ({error})") from None
    if len(data) > MAX_XML_BYTES:
        raise MalformedListing(f"{what}: 압축을 푼 크기가 {MAX_XML_BYTES // 1024 // 1024} MB 를 넘습니다")
    return data


def _fix_up(body: bytes) -> bytes:
    """The feed as UTF-8 with its entity mistakes repaired: HTML entities (&nbsp;) as character
    references, bare '&' escaped, control characters dropped, euc-kr read as CP949."""
    declaration = _XML_DECLARATION.match(body)
    label = _DECLARED_ENCODING.search(declaration.group(0)) if declaration else None
    codec = normalise_charset(label.group(1).decode("ascii")) if label else None
    text = None
    for candidate in dict.fromkeys(c for c in (codec, "utf-8", "cp949") if c):
        try:
            text = body.decode(candidate)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        text = body.decode(codec or "utf-8", "replace")
    if declaration:
        text = '<?xml version="1.0" encoding="utf-8"?>' + text[len(declaration.group(0).decode("latin-1")):]

    def entity(match: re.Match) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES or name not in name2codepoint:
            return match.group(0) if name in _XML_ENTITIES else f"&amp;{name};"
        return f"&#{name2codepoint[name]};"

    text = _NAMED_ENTITY.sub(entity, _BARE_AMPERSAND.sub("&amp;", _CONTROL.sub("", text)))
    return text.encode("utf-8")


def _parse_xml(body: bytes, what: str, notes: list | None = None) -> etree._Element:
    """Parse a feed/sitemap; character and entity mistakes are repaired (and noted in `notes`),
    a broken structure raises MalformedListing."""
    body = _gunzip(body, what).lstrip()
    strict = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(body, strict)
    except etree.XMLSyntaxError as error:
        first_error = error
    fixed = _fix_up(body)
    try:
        root = etree.fromstring(fixed, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError:
        lenient = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
        try:
            root = etree.fromstring(fixed, lenient)
        except etree.XMLSyntaxError:
            root = None
        if root is None or any(entry.type_name not in _RECOVERABLE for entry in lenient.error_log):
            raise MalformedListing(f"{what}: XML 오류 ({first_error})") from None
    if notes is not None:
        notes.append(f"{what}: XML 오류를 고쳐 읽음 ({first_error})")
    return root


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element, *names: str) -> str | None:
    for child in element:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def parse_feed(body: bytes, notes: list | None = None) -> list[Listed]:
    """Article links of an RSS 2.0/1.0 or Atom feed; repairs made are appended to `notes`."""
    root = _parse_xml(body, "피드", notes)
    kind = _local(root.tag)
    if kind not in ("rss", "RDF", "feed"):
        raise MalformedListing(f"피드: RSS/Atom 이 아닙니다 (최상위 <{kind}>)")
    listed = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "item":
            url = _child_text(element, "link") or _guid_link(element)
            when = _child_text(element, "pubDate", "date")
        elif name == "entry":
            url = _atom_link(element)
            when = _child_text(element, "published", "updated")
        else:
            continue
        if url:
            listed.append(Listed(url.strip(), parse_datetime(when), _child_text(element, "title")))
    return listed


def _guid_link(item) -> str | None:
    for child in item:
        if _local(child.tag) == "guid" and child.get("isPermaLink", "true") == "true" and (child.text or "").startswith("http"):
            return child.text
    return None


def _atom_link(entry) -> str | None:
    for child in entry:
        if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
            return child.get("href")
    return None


def parse_sitemap(body: bytes, notes: list | None = None) -> tuple[list[Listed], list[str]]:
    """(article links, child sitemaps) of a sitemap or sitemap index (gzipped or not); reads
    news:publication_date. Repairs made are appended to `notes`."""
    root = _parse_xml(body, "사이트맵", notes)
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise MalformedListing(f"사이트맵: <urlset>/<sitemapindex> 가 아닙니다 (최상위 <{kind}>)")
    listed, children = [], []
    for entry in root:
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        if kind == "sitemapindex":
            children.append(loc)
            continue
        news = next((child for child in entry if _local(child.tag) == "news"), None)
        when = _child_text(news, "publication_date") if news is not None else None
        title = _child_text(news, "title") if news is not None else None
        listed.append(Listed(loc, parse_datetime(when or _child_text(entry, "lastmod")), title))
    return listed, children


def parse_naver_search(body: bytes, follow: str = "link") -> tuple[list[Listed], int]:
    """(article links, total hits) of a Naver News Search API answer."""
    try:
        data = json.loads(body)
    except ValueError as error:
        raise MalformedListing(f"네이버 검색 API: JSON 오류 ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        message = data.get("errorMessage") if isinstance(data, dict) else None
        raise MalformedListing(f"네이버 검색 API: items 가 없습니다 ({message or '형식 오류'})")
    listed = []
    for item in data["items"]:
        url = item.get(follow) or item.get("link") or item.get("originallink")
        if url:
            title = html.unescape(re.sub(r"</?b>", "", item.get("title") or ""))
            listed.append(Listed(url, parse_datetime(item.get("pubDate")), title or None))
    return listed, int(data.get("total") or 0)
