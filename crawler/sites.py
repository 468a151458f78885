"""Extraction settings belong to a site, not to the source that found the URL.

A search-API source returns pages of every outlet; if each page were read with the selectors
of whichever source fetched it first, the order of sources would decide what is stored (and
Scrapy's duplicate filter keeps the outlet's own source from fetching it again). So each
source's `selectors` and `outlet` are bound to a site — the host of its `url`, or its `site:`
(a host, or a URL prefix when several outlets share one host) — and a page is read with the
settings of the site it is on, whoever found it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.canonical import site_of


@dataclass(frozen=True)
class SiteSettings:
    selectors: dict = field(default_factory=dict)
    outlet: str | None = None


@dataclass(frozen=True)
class Scope:
    """Where a source's settings apply: every page of `host`, or only those under `path`."""

    host: str  # as crawler.canonical.site_of gives it (no m./www./amp.)
    path: str = ""  # "" = the whole host; else a path prefix such as "/namdo/"

    def covers(self, url: str) -> bool:
        return site_of(url) == self.host and urlsplit(url).path.startswith(self.path)

    def __str__(self) -> str:
        return self.host + self.path


def parse_scope(text: str) -> Scope:
    """'n.news.naver.com' (a host) or 'http://127.0.0.1:8000/namdo/' (a URL prefix) → Scope."""
    text = text.strip()
    if "://" not in text:
        text = f"http://{text}"
    parts = urlsplit(text)
    path = parts.path if parts.path not in ("", "/") else ""
    return Scope(site_of(text), path)


class Sites:
    """Looks up the extraction settings of a page by its URL (the most specific scope wins, field by field)."""

    def __init__(self, entries: list[tuple[Scope, SiteSettings]]):
        # Longest path first: /namdo/ before the whole host.
        self.entries = sorted(entries, key=lambda entry: len(entry[0].path), reverse=True)

    def for_url(self, url: str) -> SiteSettings:
        selectors: dict = {}
        outlet = None
        for scope, settings in self.entries:
            if not scope.covers(url):
                continue
            for name, css in settings.selectors.items():
                selectors.setdefault(name, css)
            outlet = outlet or settings.outlet
        return SiteSettings(selectors, outlet)
