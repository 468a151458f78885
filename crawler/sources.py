"""Reads and validates the sources file (sources.yaml): which feeds, sitemaps, listings and searches to crawl."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from cssselect import SelectorError
from parsel.csstranslator import HTMLTranslator

from crawler.extract import SELECTOR_FIELDS
from crawler.sites import Scope, Sites, SiteSettings, parse_scope

KINDS = ("feed", "sitemap", "listing", "naver_api")
NAVER_API_BASE = "https://openapi.naver.com"

_FIELDS = {
    "name", "kind", "url", "outlet", "selectors", "enabled", "site",
    "link_pattern", "next_page", "max_pages",  # listing
    "query", "display", "sort", "api_base", "follow", "max_results",  # naver_api
}
_CSS = HTMLTranslator()
_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


class SourcesError(ValueError):
    """The sources file is malformed; the message says path:line and how to fix it."""


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url: str | None = None
    outlet: str | None = None
    selectors: dict = field(default_factory=dict)
    enabled: bool = True
    link_pattern: str | None = None
    next_page: str | None = None
    max_pages: int = 5
    query: str | None = None
    display: int = 50
    sort: str = "date"
    api_base: str = NAVER_API_BASE
    follow: str = "link"  # naver_api: "link" (the portal copy) or "originallink" (the outlet's page)
    max_results: int = 100
    # Where `selectors` and `outlet` apply (crawler/sites.py): a host or a URL prefix; by default
    # the host of `url`. None for a naver_api source without settings.
    site: str | None = None

    @property
    def scope(self) -> Scope | None:
        return parse_scope(self.site) if self.site else None


def sites_of(sources: list[Source]) -> Sites:
    """The per-site extraction settings the sources declare (checked for conflicts by load_sources)."""
    return Sites([
        (source.scope, SiteSettings(dict(source.selectors), source.outlet))
        for source in sources if source.scope is not None and (source.selectors or source.outlet)
    ])


def load_sources(path: str | Path) -> list[Source]:
    """All enabled sources in the file, validated; raises SourcesError naming path:line."""
    path = Path(path)
    if not path.exists():
        raise SourcesError(f"{path}: 소스 파일이 없습니다 (예시: sources.example.yaml)")
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
        lines = _item_lines(text)
    except yaml.MarkedYAMLError as error:
        from checker.rulefile import explain_yaml_error

        line, reason = explain_yaml_error(error)
        raise SourcesError(f"{path}:{line}: YAML 문법 오류: {reason}") from None
    except yaml.YAMLError as error:
        raise SourcesError(f"{path}:1: YAML 문법 오류: {error}") from None
    items = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SourcesError(f"{path}:1: 최상위에 'sources:' 목록이 있어야 합니다")
    sources, names = [], set()
    claimed: dict[Scope, tuple[str, SiteSettings]] = {}
    for index, item in enumerate(items):
        where = f"{path}:{lines[index] if index < len(lines) else 1}: sources[{index}]"
        source = parse_source(item, where)
        if source.name in names:
            raise SourcesError(f"{where}.name: '{source.name}' 이름이 중복됩니다")
        names.add(source.name)
        _check_site_claim(source, where, claimed)
        if source.enabled:
            sources.append(source)
    return sources


def _check_site_claim(source: Source, where: str, claimed: dict) -> None:
    """Two sources may not give one site different settings: which would apply would depend on their order."""
    if source.scope is None or not (source.selectors or source.outlet):
        return
    settings = SiteSettings(dict(source.selectors), source.outlet)
    other = claimed.setdefault(source.scope, (source.name, settings))
    if other[1] != settings:
        raise SourcesError(
            f"{where}: 소스 '{other[0]}'와 같은 사이트({source.scope})에 다른 selectors/outlet 을 줍니다. "
            f"사이트마다 한 번만 적거나, 한 호스트에 여러 언론사가 있으면 site: 에 URL 접두어를 적으세요 "
            f"(예: site: 'https://news.example.kr/economy/')"
        )


def _item_lines(text: str) -> list[int]:
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "sources" and isinstance(value, yaml.SequenceNode):
            return [node.start_mark.line + 1 for node in value.value]
    return []


def _check_css(css, where: str) -> None:
    """A CSS selector as parsel reads it (`::text`, `::attr(name)` allowed), or SourcesError."""
    if not isinstance(css, str) or not css.strip():
        raise SourcesError(f"{where}: CSS 선택자(문자열)가 필요합니다 (예: 'a.btn_next::attr(href)')")
    try:
        _CSS.css_to_xpath(css)
    except SelectorError as error:
        raise SourcesError(f"{where}: CSS 선택자 오류 {css!r}: {error}") from None


def parse_source(item, where: str) -> Source:
    """One source entry → Source, or SourcesError saying what to fix."""
    if not isinstance(item, dict):
        raise SourcesError(f"{where}: 'name: ..., kind: ...' 형태의 항목이어야 합니다")
    unknown = sorted(set(item) - _FIELDS)
    if unknown:
        raise SourcesError(f"{where}: 알 수 없는 항목 {unknown} (허용: {', '.join(sorted(_FIELDS))})")
    name, kind = str(item.get("name") or ""), item.get("kind")
    if not _NAME.match(name):
        raise SourcesError(f"{where}.name: 영문 소문자·숫자·_·- 로 된 이름이 필요합니다 (예: gwangju_ilbo)")
    if kind not in KINDS:
        raise SourcesError(f"{where}.kind: '{kind}' 는 허용되지 않습니다 (허용: {', '.join(KINDS)})")
    if kind != "naver_api" and not str(item.get("url") or "").startswith(("http://", "https://")):
        raise SourcesError(f"{where}.url: http(s) 주소가 필요합니다")
    if kind == "naver_api" and not item.get("query"):
        raise SourcesError(f"{where}.query: 검색어가 필요합니다 (예: 인공지능산업융합사업단)")
    if kind == "listing" and not item.get("link_pattern"):
        raise SourcesError(f"{where}.link_pattern: 기사 링크의 정규식이 필요합니다 (예: '/news/\\d+')")
    selectors = item.get("selectors") or {}
    bad = sorted(set(selectors) - set(SELECTOR_FIELDS)) if isinstance(selectors, dict) else ["(목록이 아님)"]
    if bad:
        raise SourcesError(f"{where}.selectors: 알 수 없는 항목 {bad} (허용: {', '.join(SELECTOR_FIELDS)})")
    for key, css in [("next_page", item.get("next_page")), *((f"selectors.{k}", v) for k, v in selectors.items())]:
        if css is not None:
            _check_css(css, f"{where}.{key}")
    if item.get("link_pattern"):
        try:
            re.compile(item["link_pattern"])
        except re.error as error:
            raise SourcesError(f"{where}.link_pattern: 정규식 오류: {error}") from None
    if item.get("follow", "link") not in ("link", "originallink"):
        raise SourcesError(f"{where}.follow: 'link' 또는 'originallink' 이어야 합니다")
    site = item.get("site")
    if site is not None and (not isinstance(site, str) or not site.strip() or " " in site.strip()):
        raise SourcesError(f"{where}.site: 호스트나 URL 접두어가 필요합니다 (예: n.news.naver.com, 'https://news.example.kr/economy/')")
    if site is None and kind != "naver_api":
        site = f"{urlsplit(item['url']).scheme}://{urlsplit(item['url']).netloc}"
    if site is None and (selectors or item.get("outlet")):
        # A search returns pages of every outlet: say which site these settings are for.
        raise SourcesError(
            f"{where}.site: naver_api 소스의 selectors/outlet 은 어느 사이트의 것인지 site: 로 적어야 합니다 "
            f"(예: site: n.news.naver.com)"
        )
    values = {key: value for key, value in item.items() if key not in ("selectors", "site")}
    return Source(**values, selectors=dict(selectors), site=site)
