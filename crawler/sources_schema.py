"""The declared schema of the sources file (sources.yaml): every key of a source, its type,
allowed values, default and meaning, for the loader (crawler/sources.py), editors (JSON Schema)
and the key table of docs/crawler.md (factwatch/schema_docs.py)."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from cssselect import SelectorError
from parsel.csstranslator import HTMLTranslator
from pydantic import AfterValidator, BeforeValidator, Field

from factwatch.fileschema import Condition, Spec, fail

KINDS = ("feed", "sitemap", "listing", "naver_api")
NAVER_API_BASE = "https://openapi.naver.com"
_CSS = HTMLTranslator()
_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


def _css(value):
    """A CSS selector as parsel reads it (`::text`, `::attr(name)` allowed)."""
    if not isinstance(value, str) or not value.strip():
        raise fail("CSS 선택자(문자열)가 필요합니다 (예: 'a.btn_next::attr(href)')")
    try:
        _CSS.css_to_xpath(value)
    except SelectorError as error:
        raise fail(f"CSS 선택자 오류 {value!r}: {error}") from None
    return value


Css = Annotated[str | None, BeforeValidator(lambda v: v if v is None else _css(v))]


def _name(value):
    if not isinstance(value, str) or not _NAME.match(value):
        raise fail("영문 소문자·숫자·_·- 로 된 이름이 필요합니다 (예: gwangju_ilbo)")
    return value


def _url(value):
    if value is not None and not str(value).startswith(("http://", "https://")):
        raise fail("http(s) 주소가 필요합니다")
    return value


def _regex(value):
    if value is None:
        return None
    try:
        re.compile(str(value))
    except re.error as error:
        raise fail(f"정규식 오류: {error}") from None
    return str(value)


def _site(value):
    if value is not None and (not isinstance(value, str) or not value.strip() or " " in value.strip()):
        raise fail("호스트나 URL 접두어가 필요합니다 (예: n.news.naver.com, 'https://news.example.kr/economy/')")
    return value


_CSS_NOTE = " A CSS selector; `::attr(name)` reads an attribute."


class SelectorsSpec(Spec):
    """CSS overrides where the generic extraction fails; anything not given, or not found on a
    page, falls back to the generic extractor."""

    title: Css = Field(None, description="The headline: `h3.tit_view`." + _CSS_NOTE)
    body: Css = Field(None, description="The article text; may match several nodes (one paragraph each): "
                                        "`'.article_view p'`." + _CSS_NOTE)
    published: Css = Field(None, description="The publication date (`기사입력 2021-11-25 오후 2:30` is understood)." + _CSS_NOTE)
    updated: Css = Field(None, description="The date of the last edit." + _CSS_NOTE)
    author: Css = Field(None, description="The byline." + _CSS_NOTE)
    outlet: Css = Field(None, description="The outlet's name on the page: "
                                          "`'meta[property=\"og:article:author\"]::attr(content)'`." + _CSS_NOTE)


class SourceSpec(Spec):
    """One source: an entry under `sources:`."""

    NOT_A_MAPPING: ClassVar[str] = "'name: ..., kind: ...' 형태의 항목이어야 합니다"
    CONDITIONS: ClassVar[tuple[Condition, ...]] = (
        Condition("url", "kind", ("feed", "sitemap", "listing"), missing="http(s) 주소가 필요합니다"),
        Condition("query", "kind", ("naver_api",), missing="검색어가 필요합니다 (예: 인공지능산업융합사업단)"),
        Condition("link_pattern", "kind", ("listing",), missing="기사 링크의 정규식이 필요합니다 (예: '/news/\\d+')"),
    )
    REQUIRED_NOTE: ClassVar[dict[str, str]] = {"url": "not for naver_api", "query": "naver_api",
                                               "link_pattern": "listing"}
    MESSAGES: ClassVar[dict[str, str]] = {"name": "영문 소문자·숫자·_·- 로 된 이름이 필요합니다 (예: gwangju_ilbo)"}

    name: Annotated[str, BeforeValidator(_name)] = Field(
        description="Lower-case letters, digits, `_` and `-`, unique in the file; named in crawl records and health "
                    "alerts: `gwangju_ilbo`.")
    kind: Literal[KINDS] = Field(description=(  # type: ignore[valid-type]
        "`feed` (RSS 2.0 / RSS 1.0 / Atom: every item link), `sitemap` (a news sitemap or sitemap index, gzipped or "
        "not: every `<loc>`), `listing` (listing pages: links matching `link_pattern`, then `next_page`), `naver_api` "
        "(the Naver News Search API; `NAVER_CLIENT_ID` and `NAVER_CLIENT_SECRET` come from the environment)."))
    url: Annotated[str | None, AfterValidator(_url)] = Field(
        None, description="The feed, sitemap or first listing page: `https://news.example.kr/rss/allArticle.xml`.")
    outlet: str | None = Field(None, description="The outlet's name, used when the page itself does not say "
                                                 "(og:site_name): `예시일보`.")
    selectors: SelectorsSpec | None = Field(None, description="CSS overrides for the pages of `site` (keys below).")
    enabled: bool = Field(True, description="`false` keeps the entry but does not crawl it.")
    site: Annotated[str | None, AfterValidator(_site)] = Field(None, description=(
        "Where `outlet` and `selectors` apply: a host (`n.news.naver.com`) or a URL prefix "
        "(`https://news.example.kr/economy/`); default: the host of `url`. They apply to every page of that site, "
        "whichever source found it. Required for a naver_api source's settings; two sources may not give one site "
        "different settings."))
    link_pattern: Annotated[str | None, BeforeValidator(_regex)] = Field(
        None, description="`listing`: a Python regular expression the absolute URL of an article link matches: "
                          "`'/v/\\d{17}$'`.")
    next_page: Css = Field(None, description="`listing`: the CSS selector of the next page's link (default: "
                                             "`rel=next`): `'a.btn_next::attr(href)'`.")
    max_pages: int = Field(5, ge=1, description="`listing`: how many listing pages to follow.")
    query: str | None = Field(None, description="`naver_api`: what to search: `인공지능산업융합사업단`.")
    display: int = Field(50, ge=1, le=100, description="`naver_api`: hits per call (1–100).")
    sort: Literal["date", "sim"] = Field("date", description="`naver_api`: `date` (newest first) or `sim` (relevance).")
    api_base: str = Field(NAVER_API_BASE, description="`naver_api`: the API's base URL, only for tests or a proxy.")
    follow: Literal["link", "originallink"] = Field("link", description=(
        "`naver_api`: `link` (the Naver News copy) or `originallink` (the outlet's own page)."))
    max_results: int = Field(100, ge=1, description="`naver_api`: stop paging after this many hits (the API stops at 1000).")


class SourcesFileSpec(Spec):
    """The sources file: which feeds, sitemaps, listings and searches to crawl."""

    NOT_A_MAPPING: ClassVar[str] = "최상위에 'sources:' 목록이 있어야 합니다"
    MESSAGES: ClassVar[dict[str, str]] = {"sources": "최상위에 'sources:' 목록이 있어야 합니다"}

    sources: tuple[SourceSpec, ...] = Field(description="The sources, one entry each.")
