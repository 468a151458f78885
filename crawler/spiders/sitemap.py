"""(News) sitemap sources: follows sitemap indexes, fetches every listed article."""

from __future__ import annotations

from crawler.listings import MalformedListing, parse_sitemap
from crawler.spiders.base import SourceSpider

MAX_SITEMAP_DEPTH = 2  # index → sitemap → articles; deeper is a loop or an archive


class SitemapSpider(SourceSpider):
    name = "sitemap"
    kinds: tuple[str, ...] = ("sitemap",)

    def entry_requests_sitemap(self, source):
        yield self.entry_request(source.url, source, self.parse_sitemap, depth=0)

    def parse_sitemap(self, response):
        source = response.meta["source_config"]
        notes: list[str] = []
        try:
            listed, children = parse_sitemap(response.body, notes)
        except MalformedListing as error:
            self.listing_failed(response, error)
            return
        self.listing_recovered(response, notes)
        self.listed_progress(response, len(listed))
        depth = response.meta["depth"]
        if depth < MAX_SITEMAP_DEPTH:
            for url in children:
                yield self.entry_request(url, source, self.parse_sitemap, depth=depth + 1)
        for item in listed:
            yield self.article_request(item, source)
