"""Records each crawl run in the store: opens it (unless the parent `factwatch crawl` did), counts, closes it."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy import signals

from crawler.items import FetchedPage, Skip
from crawler.run_health import finish_run
from crawler.run_recorder import RunRecorder
from factwatch.store.crawl import start_run

# Skips that judge the page itself: unchanged, it would be skipped again. (rules_invalid and
# errors are not: those pages must be fetched in full next time.)
KEEPS_VALIDATORS = ("off_topic", "no_text")


class RunRecordExtension:
    def __init__(self, crawler):
        self.crawler = crawler
        self.recorder = RunRecorder.of(crawler)
        self.own_run = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.item_error, signal=signals.item_error)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        run_id = self.crawler.settings.getint("FACTWATCH_RUN_ID")
        if not run_id:
            # A plain `scrapy crawl NAME`: this process owns its run record.
            run_id = start_run(self.recorder.db, datetime.now(UTC), spider=spider.name)
            self.own_run = True
        self.recorder.run_id = run_id

    def response_received(self, response, request, spider):
        source = request.meta.get("source")
        if source:
            self.recorder.count(source, "pages")

    def item_dropped(self, item, response, exception, spider):
        source = getattr(item, "source", "?")
        url = getattr(item, "url", "")
        if isinstance(exception, Skip):
            if exception.reason == "duplicate":
                self.recorder.count(source, "duplicates")
            elif exception.reason == "error":
                self.recorder.error(source, url, "extract_error", exception.detail)
            else:
                self.recorder.skip(source, url, exception.reason, exception.detail)
                if exception.reason in KEEPS_VALIDATORS and getattr(item, "judged_with", None):
                    # Re-crawls stay cheap: unchanged, it would be skipped again (a 304 says so).
                    self.recorder.saw(item.request_url or url, source, item.etag, item.last_modified,
                                      exception.reason, item.judged_with)
        elif isinstance(item, (FetchedPage,)) or hasattr(item, "source"):
            self.recorder.error(source, url, "dropped", str(exception))

    def item_error(self, item, response, spider, failure):
        """A pipeline raised (the store failed, a bug): the source's run is not ok."""
        source = getattr(item, "source", None) or _source_of(response)
        url = getattr(item, "fetched_url", None) or getattr(item, "url", None) or getattr(response, "url", "")
        self.recorder.error(source, url, "item_error", _describe(failure), entry=True)

    def spider_error(self, failure, response, spider):
        """A spider callback raised while reading a feed, listing or page: the source's run failed."""
        self.recorder.error(_source_of(response), getattr(response, "url", ""), "spider_error", _describe(failure), entry=True)

    def spider_closed(self, spider, reason):
        self.recorder.flush()
        if self.own_run:
            error = None if reason == "finished" else f"crawl closed: {reason}"
            finish_run(self.recorder.db, self.recorder.run_id, datetime.now(UTC), error=error)


def _source_of(response) -> str:
    try:
        return response.meta.get("source") or "?"
    except AttributeError:  # a response not tied to a request
        return "?"


def _describe(failure) -> str:
    value = getattr(failure, "value", failure)
    return f"{type(value).__name__}: {value}"
