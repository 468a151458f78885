"""What flows through the crawl: a fetched article page, then the article extracted from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from scrapy.exceptions import DropItem

from checker.models import Article


@dataclass(repr=False)
class FetchedPage:
    """An article page as downloaded; the pipelines turn it into a CrawledArticle."""

    url: str  # the URL fetched (after redirects)
    body: bytes
    content_type: str | None
    source: str
    selectors: dict = field(default_factory=dict)  # the site's, whichever source fetched the page
    outlet: str | None = None  # the site's outlet name (crawler/sites.py), when the page does not say
    listed_published: datetime | None = None
    # The conditional-GET validators of the answer, saved under request_url once the article is
    # stored or deliberately skipped (off_topic, no_text); a page that failed is fetched in full
    # next time.
    request_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    # What a skip of this page would rest on (topics, site selectors, extractor): kept with its
    # validators, so a 304 stands for "skipped again" only while that is unchanged.
    judged_with: str | None = None

    def __repr__(self) -> str:  # the body would flood the log of a dropped item
        return f"FetchedPage({self.source}: {self.url}, {len(self.body)} bytes)"


@dataclass
class CrawledArticle:
    """An extracted article on its way to the store."""

    url: str  # canonical
    fetched_url: str
    source: str
    title: str
    text: str
    published: datetime | None
    updated: datetime | None
    author: str | None
    outlet: str | None
    date_source: str | None = None
    topic: str | None = None
    story_key: str | None = None
    status: str | None = None  # set by the store: new | updated | unchanged | copy
    request_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    judged_with: str | None = None

    def __repr__(self) -> str:
        return f"CrawledArticle({self.source}: {self.url}, {self.title!r})"

    def to_article(self) -> Article:
        """What the checker's store keeps of it."""
        return Article(
            url=self.url, text=self.text, title=self.title, published=self.published, updated=self.updated,
            outlet=self.outlet, author=self.author, source=self.source, story_key=self.story_key,
        )


class Skip(DropItem):
    """A page deliberately not stored; `reason` is a short code kept in crawl_skips."""

    def __init__(self, reason: str, detail: str = "", log_level: str = "INFO"):
        super().__init__(f"{reason}: {detail}" if detail else reason, log_level=log_level)
        self.reason = reason
        self.detail = detail
