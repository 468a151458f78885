"""Item pipelines, one job each: extract, drop in-run duplicates, filter by topic, group stories, store."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from crawler.canonical import url_key
from crawler.extract import extract_article
from crawler.items import CrawledArticle, FetchedPage, Skip
from crawler.run_recorder import RunRecorder
from crawler.storykey import SAME_STORY, fingerprint_body, new_story_key, similarity
from crawler.topic import load_topic_filter
from factwatch.store import crawl
from factwatch.store.articles import save_article, stored_spelling

MIN_TEXT_CHARS = 80  # shorter "articles" are photo captions, paywalls or error pages


class _Pipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.recorder = RunRecorder.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class ExtractPipeline(_Pipeline):
    """FetchedPage → CrawledArticle; pages with no article text are skipped."""

    def process_item(self, item):
        if not isinstance(item, FetchedPage):
            return item
        try:
            page = extract_article(item.body, item.url, item.content_type, item.selectors, item.listed_published)
        except Exception as error:  # one odd page must not stop the crawl
            raise Skip("error", f"추출 실패: {error!r}", log_level="WARNING") from error
        if len(page.text) < MIN_TEXT_CHARS:
            raise Skip("no_text", f"본문 {len(page.text)}자")
        return CrawledArticle(
            url=page.url,
            fetched_url=item.url,
            source=item.source,
            title=page.title,
            text=page.text,
            published=page.published,
            updated=page.updated,
            author=page.author,
            # The page's own press name, else the site's configured one, else (a portal page
            # naming nobody) the portal's name rather than nothing.
            outlet=page.outlet or item.outlet or page.site_name,
            date_source=page.date_source,
            request_url=item.request_url or item.url,
            etag=item.etag,
            last_modified=item.last_modified,
            judged_with=item.judged_with,
        )


class DuplicatePipeline(_Pipeline):
    """Drops a second URL variant (AMP, mobile, tracking) of an article already handled in this run."""

    def process_item(self, item):
        key = url_key(item.url)  # /a/1 and /a/1/ are one article
        if key in self.recorder.stored_urls:
            self.recorder.saw_variant(key, item.source, item.request_url or item.fetched_url, item.etag, item.last_modified)
            raise Skip("duplicate", f"{item.fetched_url} = {item.url}", log_level="DEBUG")
        self.recorder.stored_urls.add(key)
        return item


class TopicPipeline(_Pipeline):
    """Keeps articles about a watched program (rule-file topics); off-topic ones are counted and skipped."""

    def open_spider(self):
        settings = self.crawler.settings
        choice = load_topic_filter(
            settings.get("FACTWATCH_RULES") or "rules", settings.getlist("FACTWATCH_TOPIC_KEYWORDS"), self.recorder.db
        )
        self.topic_of = choice.topic_of
        self.problem = choice.problem
        self.recorder.topic_fingerprint = choice.fingerprint
        if choice.problem:
            # Crawling goes on (see crawler/topic.py); the run record and the summary say why.
            logging.getLogger(__name__).error("%s", choice.problem)
            self.recorder.note(choice.problem)

    def process_item(self, item):
        if self.topic_of is None:
            raise Skip("rules_invalid", self.problem.splitlines()[-1], log_level="DEBUG")
        item.topic = self.topic_of(item.title, item.text)
        if item.topic is None:
            raise Skip("off_topic", item.title)
        return item


class StoryPipeline(_Pipeline):
    """Gives an article the story_key of a near-identical body stored in the last days (syndication)."""

    WINDOW = timedelta(days=14)

    def open_spider(self):
        # Loaded once per crawl: comparing with every recent story is then a few µs each.
        self.prints = crawl.load_story_prints(self.recorder.db, datetime.now(UTC) - self.WINDOW)

    def process_item(self, item):
        signature = fingerprint_body(item.text)
        best_key, best = None, 0.0
        for key, other in self.prints:
            score = similarity(signature, other)
            if score > best:
                best_key, best = key, score
        if best >= SAME_STORY:
            item.story_key = best_key
        else:
            # The first body of a story is the one later copies are compared with.
            item.story_key = new_story_key(item.text)
            if signature:
                crawl.save_story_print(self.recorder.db, item.story_key, item.url, signature, datetime.now(UTC))
                self.prints.append((item.story_key, signature))
        return item


class StorePipeline(_Pipeline):
    """Saves the article (a new version only when its text changed) and counts what happened."""

    _COUNTER = {"new": "new", "updated": "updated", "unchanged": "unchanged", "copy": "copies"}

    def process_item(self, item):
        # An article stored before under another spelling of its URL (with or without the
        # trailing slash) stays that one article.
        item.url = stored_spelling(self.recorder.db, item.url)
        saved = save_article(self.recorder.db, item.to_article(), datetime.now(UTC))
        item.status = saved.status
        self.recorder.count(item.source, self._COUNTER[saved.status])
        # Only now may the next crawl ask "changed since?": a page skipped (off-topic, no text)
        # or one whose store failed must be fetched and judged again.
        self.recorder.stored(url_key(item.url), item.source, item.request_url or item.fetched_url, item.etag, item.last_modified)
        return item
