"""Waits before a retry, longer each time, so a struggling server is not hammered (Scrapy retries at once)."""

from __future__ import annotations

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, …): base, 2×base, 4×base … up to cap."""
    return 0.0 if attempt <= 0 or base <= 0 else min(cap, base * 2 ** (attempt - 1))


class RetryBackoffMiddleware:
    def __init__(self, base: float, cap: float):
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("RETRY_BACKOFF_BASE", 2.0), crawler.settings.getfloat("RETRY_BACKOFF_MAX", 60.0))

    async def process_request(self, request):
        attempt = request.meta.get("retry_times", 0)
        if attempt and self.base > 0:  # first tries go straight through
            from twisted.internet import reactor

            delay = backoff_delay(attempt, self.base, self.cap)
            await maybe_deferred_to_future(task.deferLater(reactor, delay, lambda: None))
        return None
