"""Scrapy settings for factwatch's crawler: polite by default; tests and the CLI override with -s."""

import os

BOT_NAME = "factwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Where the crawl reads and writes (the `factwatch` options pass these with -s; env for `scrapy crawl`).
FACTWATCH_DB = os.environ.get("FACTWATCH_DB", "factwatch.db")
FACTWATCH_RULES = os.environ.get("FACTWATCH_RULES", "rules")
FACTWATCH_SOURCES = os.environ.get("FACTWATCH_SOURCES", "sources.yaml")
FACTWATCH_RUN_ID = 0  # set by `factwatch crawl`, which opens and closes the run record itself
FACTWATCH_TOPIC_KEYWORDS: list[str] = []  # non-empty: use these words instead of the rule files' topics
FACTWATCH_REVALIDATE = False  # True: ignore saved ETag/Last-Modified and fetch every article again
# Who to contact about the crawler; it goes into the User-Agent so site operators can reach us.
FACTWATCH_CONTACT_URL = os.environ.get("FACTWATCH_CONTACT_URL", "https://github.com/factwatch/factwatch")
USER_AGENT = f"factwatch/0.1 (+{FACTWATCH_CONTACT_URL}; news fact-checking crawler)"

# Politeness
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024  # news pages are < 1 MB; anything bigger is not an article
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry, doubled for each next one
RETRY_BACKOFF_MAX = 60.0
# Scrapy puts a retry behind every request already queued (priority -1): on a crawl of a few
# hundred pages a 500 was retried 20–60 s later, not after the back-off above. First in line
# instead; RetryBackoffMiddleware still makes it wait its back-off.
RETRY_PRIORITY_ADJUST = 100
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening port on a newsroom server
REDIRECT_MAX_TIMES = 5

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.RetryBackoffMiddleware": 560,
    # Scrapy's own robots.txt middleware lets requests through unchecked when several wait
    # on one robots.txt download (crawler/robots.py); ours takes its place (100 is its slot).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.SafeRobotsTxtMiddleware": 100,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 100,
    "crawler.pipelines.DuplicatePipeline": 200,
    "crawler.pipelines.TopicPipeline": 300,
    "crawler.pipelines.StoryPipeline": 400,
    "crawler.pipelines.StorePipeline": 500,
}
EXTENSIONS = {"crawler.extensions.RunRecordExtension": 500}
# Scaling out (docs/crawler.md): with a Redis URL, workers share one request queue and dupefilter.
FACTWATCH_REDIS_URL = os.environ.get("FACTWATCH_REDIS_URL", "")
ADDONS = {"crawler.scale_out.ScaleOut": 0}  # does nothing while FACTWATCH_REDIS_URL is empty

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
