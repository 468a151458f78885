"""Pure parsers for the pages that list articles: RSS/Atom feeds, (news) sitemaps and Naver search answers."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from crawler.dates import parse_datetime


class MalformedListing(ValueError):
    """A feed, sitemap or API answer that cannot be read; the message says why."""


@dataclass(frozen=True)
class Listed:
    """An article link as a listing gives it, with the date the listing claims (a fallback only)."""

    url: str
    published: datetime | None = None
    title: str | None = None


def _parse_xml(body: bytes, what: str) -> etree._Element:
    # No recovery: a half-readable feed is reported as broken rather than silently shortened.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(body.lstrip(), parser)
    except etree.XMLSyntaxError as error:
        raise MalformedListing(f"{what}: XML 오류 ({error})") from None


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element, *names: str) -> str | None:
    for child in element:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def parse_feed(body: bytes) -> list[Listed]:
    """Article links of an RSS 2.0/1.0 or Atom feed."""
    root = _parse_xml(body, "피드")
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


def parse_sitemap(body: bytes) -> tuple[list[Listed], list[str]]:
    """(article links, child sitemaps) of a sitemap or sitemap index; reads news:publication_date."""
    root = _parse_xml(body, "사이트맵")
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
