"""Pure article extraction: a page's bytes, URL and per-source selectors in; title, text, dates, author out.

Dates come from the page's own metadata (article:published_time, JSON-LD, Naver's
`_ARTICLE_DATE_TIME`, Daum's og:regDate, the 입력/수정 byline) before any guess, and
never from a widget, a copyright year or today's date.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import trafilatura
from htmldate import find_date
from lxml import etree, html
from parsel import Selector

from crawler.canonical import choose_canonical, declared_canonical, same_address
from crawler.dates import parse_byline_dates, parse_datetime
from crawler.encoding import decode_html
from crawler.textclean import clean_article_text

# Page parts that are never the article, whatever the site: trafilatura's precision mode
# still keeps some of them (a "most read" box under the body, a weather strip, share bars).
_NOISE = [
    f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name}') or contains(@id, '{name}')]"
    for name in ("ranking", "related", "popular", "weather", "share", "promotion", "byline", "copyright", "aside", "sns")
] + ["//aside", "//nav", "//footer", "//figcaption", "//table[contains(concat(' ', normalize-space(@class), ' '), ' photo ')]",
      "//*[contains(@class, 'img_desc') or contains(@class, 'caption')]"]

# Photo captions and what never holds prose, dropped before a body selector's text is read.
_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_CAPTIONS = " | ".join(
    [".//figcaption", ".//script", ".//style", ".//noscript", ".//table[" + _CLASS.format("photo") + "]"]
    + [f".//*[{_CLASS.format(name)}]" for name in ("img_desc", "caption", "photo_caption", "img_caption", "photo_desc", "image_caption")]
    + [".//em[contains(@class, 'caption')]", ".//*[contains(@class, 'img_desc')]"]
)
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "figure", "dd", "dt", "dl", "pre", "header", "footer", "address", "hr",
}

# Raise when a change may read a page differently (new fallback, cleaner rule): pages skipped as
# empty under an older extractor are then fetched in full and read again, not answered by a 304.
EXTRACTOR_VERSION = 2

# Per-site CSS overrides a sources file may give (see docs/crawler.md).
SELECTOR_FIELDS = ("title", "body", "published", "updated", "author", "outlet")


@dataclass(frozen=True)
class ExtractedPage:
    url: str  # canonical
    title: str
    text: str
    published: datetime | None
    updated: datetime | None
    author: str | None
    outlet: str | None
    encoding: str
    date_source: str | None  # which clue gave `published`, for debugging a wrong date
    site_name: str | None = None  # og:site_name as given (a portal's name when `outlet` is None)


def extract_article(
    body: bytes,
    url: str,
    content_type: str | None = None,
    selectors: dict[str, str] | None = None,
    listed_published: datetime | None = None,
    fetched_at: datetime | None = None,
) -> ExtractedPage:
    """Extract one article page. `listed_published` is the date a feed/sitemap/API gave, used
    only when the page itself says nothing; `fetched_at` (default now) tells a date the CMS
    stamped at request time from a real one."""
    selectors = selectors or {}
    html, encoding = decode_html(body, content_type)
    page = Selector(text=html)
    published, updated, date_source = _parse_dates(page, selectors, fetched_at or datetime.now(UTC))
    if published is None and listed_published is not None:
        published, date_source = listed_published, "listing"
    text = _parse_body_override(page, selectors.get("body"))
    document, block = None, None
    if not text:
        document = _run_trafilatura(page)
        text = clean_article_text(document.text or "") if document else ""
    if len(text) < MIN_GENERIC_TEXT:
        # Old table layouts (one <td> with <br><br> between paragraphs) give trafilatura
        # nothing to hold on to: read the block holding the most prose of its own.
        block = _largest_text_block(page)
        fallback = clean_article_text(_node_text(block)) if block is not None else ""
        if len(fallback) > len(text):
            text = fallback
        else:
            block = None
    if published is None:
        published, date_source = _parse_htmldate(page), "htmldate"
        date_source = date_source if published else None
    title = _parse_title(page, selectors.get("title"), document, block)
    return ExtractedPage(
        url=choose_canonical(url, _parse_canonical(page), is_amp=_is_amp(page)),
        title=title,
        text=_drop_leading_title(text, title),
        published=published,
        updated=updated if updated and (published is None or updated > published) else None,
        author=_parse_author(page, selectors.get("author"), document),
        outlet=_parse_outlet(page, selectors.get("outlet")),
        site_name=_meta(page, "og:site_name"),
        encoding=encoding,
        date_source=date_source,
    )


def _drop_leading_title(text: str, title: str) -> str:
    # Extractors often keep the headline as the first paragraph; the title is stored apart.
    first, _, rest = text.partition("\n")
    return rest if title and first.strip() == title.strip() else text


def _first(page: Selector, css: str | None) -> str | None:
    """The first non-empty text an override selector finds (`::attr(x)` allowed)."""
    if not css:
        return None
    if "::" not in css:
        css = f"{css} ::text"
    for value in page.css(css).getall():
        value = re.sub(r"\s+", " ", value).strip()
        if value:
            return value
    return None


def _meta(page: Selector, name: str) -> str | None:
    value = page.xpath(
        "//meta[@property=$n or @name=$n or @itemprop=$n]/@content", n=name
    ).get()
    return value.strip() if value and value.strip() else None


# `<html ⚡ …>` / `<html amp …>` in the first bytes (the UTF-8 bytes of ⚡ are the same in any
# ASCII-compatible page encoding we meet).
_AMP_ROOT = re.compile(rb"<html\b[^>]*?\s(?:amp|\xe2\x9a\xa1)(?=[\s=>/])", re.IGNORECASE)


def amp_original(body: bytes, url: str, content_type: str | None = None) -> str | None:
    """The article URL an AMP page renders (its rel=canonical), when the page is AMP and names
    another URL; else None. The crawler then reads the original instead: AMP copies lack parts
    (the byline, figures in widgets), and which copy arrived first must not decide what is stored."""
    if not _AMP_ROOT.search(body[:4096]):
        return None  # cheap: most pages are not AMP, and this runs before extraction
    page = Selector(text=decode_html(body, content_type)[0])
    if not _is_amp(page):
        return None
    # Only a canonical the page declares and we trust: a guessed one may not exist.
    original = declared_canonical(url, _parse_canonical(page), is_amp=True)
    # Not url_key: that folds /amp paths already, and the AMP copy would be read after all.
    return None if original is None or same_address(original, url) else original


def _is_amp(page: Selector) -> bool:
    """An AMP page declares itself on its root element: `<html ⚡>` or `<html amp>`."""
    root = page.root
    return getattr(root, "tag", None) == "html" and any(name.lower() in ("⚡", "amp") for name in root.attrib)


def _parse_canonical(page: Selector) -> str | None:
    return page.xpath("//link[@rel='canonical']/@href").get() or _meta(page, "og:url")


def _parse_body_override(page: Selector, css: str | None) -> str:
    if not css:
        return ""
    paragraphs = []
    for node in page.css(css):
        text = _node_text(node)
        if text:
            paragraphs.append(text)
    return clean_article_text("\n".join(paragraphs))


def _node_text(node: Selector) -> str:
    """The text of one matched node, a line per <br> or block element, without captions.

    Old table layouts put the whole article in one cell with <br><br> between paragraphs;
    joined into one line, the cleaner's per-line filters (bylines with e-mail, ⓒ … 무단전재)
    could not drop anything. Photo captions are not the article's claims.
    """
    root = node.root
    if not isinstance(root, html.HtmlElement):
        return re.sub(r"\s+", " ", str(root)).strip()
    root = copy.deepcopy(root)
    for unwanted in root.xpath(_CAPTIONS):
        if unwanted is not root:
            unwanted.drop_tree()  # keeps the text after it
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "br" or tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
        if tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
    text = "".join(part for part in root.itertext(tag=etree.Element))
    lines = (re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# Below this, generic extraction found no article (pipelines.MIN_TEXT_CHARS skips such pages).
MIN_GENERIC_TEXT = 80
# Elements that hold other blocks: their text is not "their own" prose.
_CONTAINERS = {"div", "table", "tbody", "thead", "tr", "td", "th", "section", "article", "main", "ul", "ol", "dl",
               "form", "nav", "aside", "footer", "header", "body", "html", "center", "blockquote"}
_NEVER_PROSE = {"script", "style", "noscript", "nav", "aside", "footer", "header", "form", "select", "option", "button"}
_HEADLINE_HINT = re.compile(r"title|subject|headline|head_line|tit\b|tit_|_tit", re.IGNORECASE)


def _own_text_length(element) -> int:
    """Characters of prose directly in `element`: its text, its inline children (<b>, <br>, <p>…)
    and their tails, but not what nested containers hold."""
    total = len((element.text or "").strip())
    for child in element:
        if not isinstance(child.tag, str):
            total += len((child.tail or "").strip())
            continue
        tag = child.tag.lower()
        if tag not in _CONTAINERS and tag not in _NEVER_PROSE:
            total += len(re.sub(r"\s+", "", child.text_content()))
        total += len((child.tail or "").strip())
    return total


def _largest_text_block(page: Selector) -> Selector | None:
    """The block element with the most prose of its own (a table cell, a div), outside page furniture."""
    best, best_length = None, 0
    for element in page.root.iter("td", "div", "article", "section", "main", "center"):
        if any(isinstance(a.tag, str) and a.tag.lower() in _NEVER_PROSE for a in element.iterancestors()):
            continue
        length = _own_text_length(element)
        if length > best_length:
            best, best_length = element, length
    return Selector(root=best) if best is not None and best_length >= MIN_GENERIC_TEXT else None


def _headline_before(block: Selector | None) -> str | None:
    """The headline of a page read by `_largest_text_block`: the last title-like element before
    the body (class/id saying title, a heading, or a bold line), which <title> often is not."""
    if block is None:
        return None
    candidates = []
    body = block.root
    for element in body.getroottree().getroot().iter():  # document order, up to the body
        if element is body:
            break
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        text = re.sub(r"\s+", " ", element.text_content()).strip()
        if not 5 <= len(text) <= 120:
            continue
        hinted = _HEADLINE_HINT.search(" ".join(filter(None, (element.get("class"), element.get("id")))))
        if hinted or tag in ("h1", "h2", "h3", "h4"):
            candidates.append((2, text))
        elif tag in ("b", "strong"):
            candidates.append((1, text))
    if not candidates:
        return None
    best = max(rank for rank, _ in candidates)
    return [text for rank, text in candidates if rank == best][-1]


def _run_trafilatura(page: Selector):
    # favor_precision drops portal footers and related-article boxes; no comments or tables,
    # whose numbers are not the article's claims.
    return trafilatura.bare_extraction(
        page.root,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        with_metadata=False,
        deduplicate=False,
        prune_xpath=_NOISE,
    )


def _parse_title(page: Selector, css: str | None, document, block=None) -> str:
    # <title> is often just the site name, and og:title may carry " - 언론사" after the headline.
    for candidate in (
        _first(page, css),
        _meta(page, "og:title"),
        _first(page, "h1"),
        getattr(document, "title", None),
        _headline_before(block),
        _first(page, "title"),
    ):
        if candidate:
            site = _meta(page, "og:site_name")
            if site:
                candidate = re.sub(rf"\s*[-|:·]\s*{re.escape(site)}\s*$", "", candidate)
            return candidate.strip()
    return ""


# og:site_name of a portal names the portal, not the newspaper whose article it carries.
_PORTAL = re.compile(r"네이버|naver|daum|다음\s*뉴스|네이트|nate|zum|카카오|kakao|msn|야후|yahoo|google", re.IGNORECASE)


def _parse_outlet(page: Selector, css: str | None) -> str | None:
    """The newspaper's name: the site's selector, then the page's metadata — Daum's
    article:media_name, the JSON-LD article's publisher, article:publisher (when a name, not a
    URL), og:site_name unless it is a portal's; on a portal page og:article:author
    ("연합뉴스 | 네이버") or twitter:creator. None when only a portal's name is found."""
    site_name = _meta(page, "og:site_name")
    on_portal = bool(site_name and _PORTAL.search(site_name))
    candidates = [
        _first(page, css),
        _meta(page, "article:media_name"),
        _json_ld_publisher(page),
        _meta(page, "article:publisher"),
        None if on_portal else site_name,
    ]
    author = _meta(page, "og:article:author") or ""
    press, _, portal = author.partition("|")
    if on_portal or _PORTAL.search(portal):
        # On a portal these name the newspaper; elsewhere they may be the reporter.
        candidates += [press, (_meta(page, "twitter:creator") or "").lstrip("@")]
    for candidate in candidates:
        candidate = (candidate or "").strip()
        if candidate and not candidate.startswith(("http:", "https:", "www.")) and not _PORTAL.fullmatch(candidate):
            return candidate
    return None


def _json_ld_publisher(page: Selector) -> str | None:
    for item in _json_ld_objects(page):
        if not _is_article(item):
            continue
        publisher = item.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict):
            publisher = publisher.get("name")
        if isinstance(publisher, str) and publisher.strip():
            return publisher.strip()
    return None


def _parse_author(page: Selector, css: str | None, document) -> str | None:
    for candidate in (_first(page, css), _meta(page, "author"), _meta(page, "article:author"), _json_ld_author(page)):
        if candidate and not candidate.startswith("http"):
            return candidate
    match = re.search(r"([가-힣]{2,4})\s*(?:선임|수석)?\s*기자", " ".join(page.css("body ::text").getall()[:400]))
    return match.group(1) if match else None


def _json_ld_objects(page: Selector):
    """Every JSON-LD object of the page (lists and @graph flattened), in document order."""
    for raw in page.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(raw, strict=False)  # raw newlines inside strings are common
        except ValueError:
            continue
        yield from _walk_json_ld(data)


def _walk_json_ld(item):
    if isinstance(item, list):
        for child in item:
            yield from _walk_json_ld(child)
    elif isinstance(item, dict):
        yield item
        if isinstance(item.get("@graph"), list):
            yield from _walk_json_ld(item["@graph"])


def _is_article(item: dict) -> bool:
    types = item.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(kind, str) and (kind.endswith("Article") or kind in ("ReportageNews", "BlogPosting")) for kind in types)


def _json_ld_author(page: Selector) -> str | None:
    for item in _json_ld_objects(page):
        author = item.get("author")
        if isinstance(author, list) and author:
            author = author[0]
        if isinstance(author, dict):
            author = author.get("name")
        if isinstance(author, str) and author.strip():
            return author.strip()
    return None


# A published date this close to the fetch (or after it) may be the CMS stamping each request;
# an older date from another clue (the byline, JSON-LD) is then the real one.
FETCH_STAMP = timedelta(minutes=15)


def _parse_dates(page: Selector, selectors: dict, fetched_at: datetime) -> tuple[datetime | None, datetime | None, str | None]:
    """(published, updated, where published came from), from the page's metadata only."""
    clues = [
        ("selector", _first(page, selectors.get("published")), _first(page, selectors.get("updated"))),
        ("article:published_time", _meta(page, "article:published_time"), _meta(page, "article:modified_time")),
        ("json-ld", *_json_ld_dates(page)),
        (
            "naver",
            page.css("._ARTICLE_DATE_TIME::attr(data-date-time)").get(),
            page.css("._ARTICLE_MODIFY_DATE_TIME::attr(data-modify-date-time)").get(),
        ),
        ("daum", _meta(page, "og:regDate"), _meta(page, "og:modDate")),
        ("itemprop", _meta(page, "datePublished") or page.css("[itemprop=datePublished]::attr(datetime)").get(), _meta(page, "dateModified")),
    ]
    candidates, updated = [], None
    for name, first, second in clues:
        if when := parse_datetime(first):
            candidates.append((name, when))
        updated = updated or parse_datetime(second)
    byline_published, byline_updated = _parse_byline(page)
    if byline_published:
        candidates.append(("byline", byline_published))
    if not candidates:
        return None, updated or byline_updated, None
    source, published = candidates[0]
    if published >= fetched_at - FETCH_STAMP:
        older = next(((name, when) for name, when in candidates[1:] if when < fetched_at - FETCH_STAMP), None)
        if older:
            source, published = older
    return published, updated or byline_updated, source


def _json_ld_dates(page: Selector) -> tuple[str | None, str | None]:
    """The dates of the page's article object: the first *Article in document order (not a
    WebPage or a related item listed after it), else the first object with a datePublished."""
    dated = [item for item in _json_ld_objects(page) if item.get("datePublished")]
    chosen = next((item for item in dated if _is_article(item)), dated[0] if dated else None)
    if chosen is None:
        return None, None
    modified = chosen.get("dateModified")
    return str(chosen["datePublished"]), str(modified) if modified else None


# Boxes whose dates belong to other articles or to readers: related/most-read lists, rankings,
# comments. Matched by class/id words, or by the heading such a box starts with.
_OTHER_BOX_WORDS = ("rel", "ranking", "rank", "popular", "most", "best", "hot", "cmt", "comment", "reply", "recommend", "aside")
_OTHER_BOX_HEADINGS = ("많이 본", "많이본", "관련기사", "관련 기사", "인기기사", "인기 기사", "추천기사", "추천 기사", "주요뉴스", "주요 뉴스", "댓글")


def _other_box_xpath() -> str:
    words = " or ".join(
        f"contains(concat(' ', translate(normalize-space(@{attr}), '_-', '  '), ' '), ' {word}')"
        for attr in ("class", "id")
        for word in _OTHER_BOX_WORDS
    )
    headings = " or ".join(f"starts-with(normalize-space(.), '{heading}')" for heading in _OTHER_BOX_HEADINGS)
    heading_child = "*[1][self::h2 or self::h3 or self::h4 or self::h5 or self::strong or self::b or self::em or self::span or self::p or self::dt]"
    return (
        f"ancestor::*[self::aside or self::nav or self::footer or {words}"
        f" or ((self::div or self::section or self::ul or self::ol or self::dl) and (text()[{headings}] or {heading_child}[{headings}]))]"
    )


_BYLINE_TEXT = f"//body//text()[not(ancestor::script) and not(ancestor::style) and not({_other_box_xpath()})]"


def _parse_byline(page: Selector) -> tuple[datetime | None, datetime | None]:
    # Only the visible text outside scripts and outside boxes about other articles (related,
    # most read, comments); the 입력/수정 labels tell a byline apart from a weather box's date.
    text = "\n".join(page.xpath(_BYLINE_TEXT).getall())
    return parse_byline_dates(text)


def _parse_htmldate(page: Selector) -> datetime | None:
    # Last resort, markup only: extensive_search would read dates from any text on the page.
    found = find_date(page.root, extensive_search=False, original_date=True, outputformat="%Y-%m-%d %H:%M:%S")
    return parse_datetime(found) if found else None
