"""What every factwatch spider shares: its sources, article requests, errors and skips."""

from __future__ import annotations

import hashlib
import json
import logging
import sys

from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from crawler.canonical import canonicalize_url
from crawler.extract import EXTRACTOR_VERSION, amp_original
from crawler.items import FetchedPage
from crawler.listings import Listed
from crawler.run_recorder import RunRecorder
from crawler.sources import KINDS, Source, SourcesError, load_sources, sites_of
from crawler.summary import PROGRESS_LOGGER
from factwatch.store.crawl import load_seen

# `factwatch crawl` shows the lines of this logger as its progress, one per source (crawler/commands.py).
_progress = logging.getLogger(PROGRESS_LOGGER)


class SourceSpider(Spider):
    """Crawls the sources of its `kinds` from the sources file; `-a source=a,b` picks some by name."""

    kinds: tuple[str, ...] = KINDS

    def __init__(self, *args, source: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.only = {name.strip() for name in source.split(",")} if source else None

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        contact = settings.get("FACTWATCH_CONTACT_URL")
        if contact and contact not in settings.get("USER_AGENT", ""):
            settings.set("USER_AGENT", f"factwatch/0.1 (+{contact}; news fact-checking crawler)", priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.recorder = RunRecorder.of(crawler)
        try:
            declared = load_sources(crawler.settings.get("FACTWATCH_SOURCES"))
        except SourcesError as error:
            # `scrapy crawl news` by hand: one line saying which file and what to fix, not a traceback.
            print(f"오류: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        spider.sources = [
            source for source in declared
            if source.kind in cls.kinds and (spider.only is None or source.name in spider.only)
        ]
        # Every declared source's site settings, also of sources not crawled this time: a
        # page is read as its site needs, whichever source found it.
        spider.sites = sites_of(declared)
        return spider

    async def start(self):
        revalidate = self.settings.getbool("FACTWATCH_REVALIDATE")
        self.seen = {} if revalidate else load_seen(self.recorder.db)
        for source in self.sources:
            for request in getattr(self, f"entry_requests_{source.kind}")(source):
                yield request

    def entry_request(self, url: str, source: Source, callback, entry: bool = True, **meta) -> Request:
        """A feed/sitemap/listing/API request: if the first one fails, the source fails this run."""
        return Request(
            url,
            callback=callback,
            errback=self.on_entry_error if entry else self.on_article_error,
            meta={"source": source.name, "source_config": source, **meta},
            dont_filter=True,
        )

    def article_request(self, listed: Listed, source: Source) -> Request:
        """An article request, conditional when we have fetched it before (a 304 costs nothing)."""
        url = canonicalize_tracking(listed.url)
        headers = {}
        seen = self.seen.get(url)
        if seen and seen.skip_reason and seen.judged_with != self.judged_with(url):
            seen = None  # skipped under other topics, selectors or extractor: judge it again in full
        if seen:
            if seen.etag:
                headers["If-None-Match"] = seen.etag
            if seen.last_modified:
                headers["If-Modified-Since"] = seen.last_modified
        return Request(
            url,
            callback=self.parse_article,
            errback=self.on_article_error,
            headers=headers,
            meta={"source": source.name, "source_config": source, "listed": listed, "handle_httpstatus_list": [304]},
        )

    def parse_article(self, response):
        source: Source = response.meta["source_config"]
        if response.status == 304:
            # Fetched before, unchanged since: the saved validators still hold.
            url = response.request.url
            seen = self.seen.get(url)
            etag = _header(response, "ETag") or (seen.etag if seen else None)
            modified = _header(response, "Last-Modified") or (seen.last_modified if seen else None)
            if seen and seen.skip_reason:
                # Skipped then, judged with what judges it now: skipped again, as such (an outlet
                # whose pages are all empty must not turn healthy on its second crawl).
                self.recorder.saw(url, source.name, etag, modified, seen.skip_reason, seen.judged_with)
                self.recorder.skip(source.name, url, seen.skip_reason, "변경 없음(304)")
                return
            self.recorder.saw(url, source.name, etag, modified)
            self.recorder.count(source.name, "unchanged")
            return
        original = amp_original(response.body, response.url, _header(response, "Content-Type"))
        if original:
            # An AMP copy: read the article it renders (fetched once, whoever else lists it).
            self.recorder.count(source.name, "duplicates")
            listed = response.meta["listed"]
            yield self.article_request(Listed(original, listed.published), source)
            return
        site = self.sites.for_url(response.url)
        yield FetchedPage(
            url=response.url,
            body=response.body,
            content_type=_header(response, "Content-Type"),
            source=source.name,
            selectors=site.selectors,
            outlet=site.outlet,
            listed_published=response.meta["listed"].published,
            request_url=response.request.url,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            judged_with=self.judged_with(response.request.url),
        )

    def judged_with(self, url: str) -> str | None:
        """What a skip of `url` rests on: the topics, its site's extraction settings, the extractor."""
        topics = self.recorder.topic_fingerprint
        if topics is None:
            return None  # no rules loaded: nothing to keep a skip for
        site = self.sites.for_url(url)
        settings = json.dumps([sorted(site.selectors.items()), EXTRACTOR_VERSION], ensure_ascii=False)
        return f"{topics}:{hashlib.sha1(settings.encode()).hexdigest()[:12]}"

    def on_article_error(self, failure):
        self._record_failure(failure, entry=False)

    def on_entry_error(self, failure):
        self._record_failure(failure, entry=True)
        source = failure.request.meta.get("source", "?")
        self.progress(source, f"실패 — {self.recorder.errors.get(source, failure.value)}")

    def progress(self, source: str, message: str) -> None:
        """One line per source for `factwatch crawl`'s progress, when its entry point is read or fails."""
        _progress.info("%s: %s", source, message)

    def listed_progress(self, response, count: int) -> None:
        """Progress for the first answer of a source's entry point (later pages stay quiet)."""
        meta = response.meta
        if meta.get("depth", 0) == 0 and meta.get("page", 1) == 1 and meta.get("start", 1) == 1:
            self.progress(meta["source"], f"목록을 읽었습니다, 기사 {count}건")

    def _record_failure(self, failure, entry: bool) -> None:
        request = failure.request
        source = request.meta.get("source", "?")
        if failure.check(HttpError):
            status = failure.value.response.status
            self.logger.warning("HTTP %s, 건너뜀: %s", status, request.url)
            self.recorder.error(source, request.url, f"http_{status}", entry=entry)
        elif failure.check(IgnoreRequest):
            # robots.txt said no (or another middleware chose to ignore it): a skip, not an error.
            self.logger.info("robots.txt 가 허용하지 않음, 건너뜀: %s", request.url)
            self.recorder.skip(source, request.url, "robots", str(failure.value))
        elif failure.check(DNSLookupError, TimeoutError, TCPTimedOutError):
            self.logger.warning("접속 실패, 건너뜀: %s (%s)", request.url, failure.value)
            self.recorder.error(source, request.url, "network", str(failure.value), entry=entry)
        else:
            self.logger.warning("요청 실패, 건너뜀: %s (%r)", request.url, failure.value)
            self.recorder.error(source, request.url, "fetch_error", repr(failure.value), entry=entry)

    def listing_recovered(self, response, notes: list[str]) -> None:
        """A feed/sitemap read after repairing its characters or entities: logged, not a failure."""
        if notes:
            self.logger.warning("목록을 복구해 읽음 (%s): %s — %s", response.meta["source"], response.url, "; ".join(notes))

    def listing_failed(self, response, error) -> None:
        """A feed/sitemap/API answer that could not be read: log it, fail the source, go on."""
        source = response.meta["source"]
        self.logger.error("목록을 읽을 수 없음 (%s): %s — %s", source, response.url, error)
        self.recorder.error(source, response.url, "malformed_listing", str(error), entry=True)
        self.progress(source, f"실패 — 목록을 읽을 수 없습니다: {error}")


def canonicalize_tracking(url: str) -> str:
    """The URL to request: tracking parameters off, host and path kept (a mobile host may be all there is)."""
    from urllib.parse import urlsplit, urlunsplit

    clean = canonicalize_url(url)
    original = urlsplit(url)
    return urlunsplit(original._replace(query=urlsplit(clean).query, fragment=""))


def _header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
