"""Listing-page sources: follow links that match the source's pattern, then the next page."""

from __future__ import annotations

import re

from crawler.listings import Listed
from crawler.spiders.base import SourceSpider


class ListingSpider(SourceSpider):
    name = "listing"
    kinds: tuple[str, ...] = ("listing",)

    def entry_requests_listing(self, source):
        yield self.entry_request(source.url, source, self.parse_listing, page=1)

    def parse_listing(self, response):
        source = response.meta["source_config"]
        links = _parse_article_links(response, source.link_pattern)
        self.listed_progress(response, len(links))
        for url in links:
            yield self.article_request(Listed(url), source)
        next_url = _parse_next_page(response, source.next_page)
        page = response.meta["page"]
        if next_url and page < source.max_pages:
            yield self.entry_request(next_url, source, self.parse_listing, entry=False, page=page + 1)


def _parse_article_links(response, pattern: str) -> list[str]:
    """Absolute article URLs on a listing page, in page order, each once."""
    wanted = re.compile(pattern)
    links = []
    for href in response.css("a::attr(href)").getall():
        url = response.urljoin(href.strip())
        if wanted.search(url) and url not in links:
            links.append(url)
    return links


def _parse_next_page(response, css: str | None) -> str | None:
    """The next listing page: the source's selector, else rel=next."""
    href = response.css(css).get() if css else None
    href = href or response.css("link[rel=next]::attr(href), a[rel=next]::attr(href)").get()
    return response.urljoin(href.strip()) if href else None
