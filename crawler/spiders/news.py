"""The `news` spider: every kind of source in one crawl (what `factwatch crawl` runs)."""

from __future__ import annotations

from crawler.sources import KINDS
from crawler.spiders.feed import FeedSpider
from crawler.spiders.listing import ListingSpider
from crawler.spiders.naver_api import NaverApiSpider
from crawler.spiders.sitemap import SitemapSpider


class NewsSpider(FeedSpider, SitemapSpider, ListingSpider, NaverApiSpider):
    name = "news"
    kinds = KINDS
