"""robots.txt obeyed for every request, including those that arrive while robots.txt is downloading."""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class SafeRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy 2.19's middleware hands the parser only to the first request waiting on a
    robots.txt download: the others receive None and are let through unchecked (a disallowed
    page in a crawl's first burst gets fetched). Each waiter here gets its own Deferred that
    is fired with the parser and passes it on down the chain for the next waiter."""

    async def robot_parser(self, request):
        netloc = urlparse_cached(request).netloc
        pending = self._parsers.get(netloc)
        if isinstance(pending, Deferred):
            mine: Deferred = Deferred()

            def relay(result):
                mine.callback(result)
                return result

            pending.addBoth(relay)
            return await maybe_deferred_to_future(mine)
        return await super().robot_parser(request)
