"""Scaling out: several crawl processes share one request queue and duplicate filter in Redis.

Off unless `FACTWATCH_REDIS_URL` is set (as a setting, `-s FACTWATCH_REDIS_URL=…`, or in the
environment). Then the `ScaleOut` add-on (listed in ADDONS in crawler/settings.py) switches the
crawl to scrapy-redis (`pip install 'factwatch[scale]'`) with our `SharedScheduler`:

* every key lives under `factwatch:<crawl>:<spider>:…`, where `<crawl>` is
  `FACTWATCH_REDIS_CRAWL` — a name all workers of ONE crawl share and the next crawl does not
  (e.g. `$(date -u +%Y%m%dT%H)`). A new crawl therefore starts with an empty duplicate filter
  (edited articles are refetched) without anyone flushing keys another worker is using;
* the first worker to open a crawl seeds it (the spiders' entry requests: feeds, sitemaps,
  listings, API calls); the others drop their own entry requests and pull from the shared queue,
  so no feed is fetched twice;
* nothing is flushed when a worker closes (another may still be working): the keys expire
  `FACTWATCH_REDIS_TTL` seconds (default one day) after the last worker touched them.

A worker closes when it has nothing in flight and the shared queue is empty, so a worker that
finishes early leaves the tail of the crawl to the others; nothing is lost or fetched twice.
"""

from __future__ import annotations

import os
import socket

try:  # optional: `pip install 'factwatch[scale]'`
    from scrapy_redis.scheduler import Scheduler as _RedisScheduler
except ImportError:  # pragma: no cover - the add-on says what to install
    _RedisScheduler = None

DEFAULT_TTL = 24 * 3600
KEY_PREFIX = "factwatch:{crawl}:%(spider)s"


def _setting(settings, name: str) -> str:
    return str(settings.get(name) or os.environ.get(name) or "").strip()


class ScaleOut:
    """Scrapy add-on: with FACTWATCH_REDIS_URL set, use the shared Redis scheduler and dupefilter."""

    def update_settings(self, settings) -> None:
        url = _setting(settings, "FACTWATCH_REDIS_URL")
        if not url:
            return  # one process, Scrapy's own scheduler: the default
        if _RedisScheduler is None:
            raise RuntimeError(
                "FACTWATCH_REDIS_URL is set but scrapy-redis is not installed: pip install 'factwatch[scale]'"
            )
        crawl = _setting(settings, "FACTWATCH_REDIS_CRAWL")
        if not crawl:
            raise ValueError(
                "FACTWATCH_REDIS_URL is set: also set FACTWATCH_REDIS_CRAWL to a name all workers of this "
                "crawl share and the next crawl does not (e.g. $(date -u +%Y%m%dT%H))"
            )
        prefix = KEY_PREFIX.format(crawl=crawl.replace("%", "%%"))
        for name, value in {
            "SCHEDULER": "crawler.scale_out.SharedScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "REDIS_URL": url,
            "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
            "SCHEDULER_PERSIST": True,  # never flush keys another worker may still be using
            "SCHEDULER_FLUSH_ON_START": False,  # a new crawl name is a fresh start
            "FACTWATCH_REDIS_CRAWL": crawl,
            "FACTWATCH_REDIS_TTL": _setting(settings, "FACTWATCH_REDIS_TTL") or DEFAULT_TTL,
        }.items():
            settings.set(name, value, priority="addon")


class SharedScheduler(_RedisScheduler or object):  # type: ignore[misc]  # optional base
    """scrapy-redis's scheduler, made safe for workers that start and stop at different times."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.ttl = crawler.settings.getint("FACTWATCH_REDIS_TTL", DEFAULT_TTL)
        scheduler.crawl = crawler.settings.get("FACTWATCH_REDIS_CRAWL")
        scheduler.seeder = False
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.seed_key = self.queue.key.rsplit(":", 1)[0] + ":seeded"
        worker = f"{socket.gethostname()}:{os.getpid()}"
        self.seeder = bool(self.server.set(self.seed_key, worker, nx=True, ex=self.ttl))
        if self.seeder:
            spider.logger.info("scale-out: seeding crawl %r (%s)", self.crawl, self.seed_key)
        else:
            spider.logger.info(
                "scale-out: joining crawl %r seeded by %s (%d requests queued)",
                self.crawl, self.server.get(self.seed_key), len(self.queue),
            )

    def close(self, reason):
        # Keep the queue and fingerprints for the workers still running; let Redis drop them later.
        for key in (self.queue.key, self.df.key, self.seed_key):
            self.server.expire(key, self.ttl)

    def enqueue_request(self, request):
        if request.meta.get("is_start_request") and not self.seeder:
            return False  # another worker seeded this crawl: its entry requests are already shared
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self):
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request
