"""RSS/Atom feed sources: every item's link is an article to fetch."""

from __future__ import annotations

from crawler.listings import MalformedListing, parse_feed
from crawler.spiders.base import SourceSpider


class FeedSpider(SourceSpider):
    name = "feed"
    kinds: tuple[str, ...] = ("feed",)

    def entry_requests_feed(self, source):
        yield self.entry_request(source.url, source, self.parse_feed)

    def parse_feed(self, response):
        source = response.meta["source_config"]
        notes: list[str] = []
        try:
            listed = parse_feed(response.body, notes)
        except MalformedListing as error:
            self.listing_failed(response, error)
            return
        self.listing_recovered(response, notes)
        self.listed_progress(response, len(listed))
        for item in listed:
            yield self.article_request(item, source)
