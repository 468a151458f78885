"""Naver News Search API sources: search for the program, fetch each hit (credentials from the environment)."""

from __future__ import annotations

import os
from urllib.parse import urlencode

from crawler.listings import MalformedListing, parse_naver_search
from crawler.spiders.base import SourceSpider

ENV_CLIENT_ID = "NAVER_CLIENT_ID"
ENV_CLIENT_SECRET = "NAVER_CLIENT_SECRET"
MAX_START = 1000  # the API refuses start > 1000


class NaverApiSpider(SourceSpider):
    name = "naver_api"
    kinds: tuple[str, ...] = ("naver_api",)

    def entry_requests_naver_api(self, source):
        client_id, secret = os.environ.get(ENV_CLIENT_ID), os.environ.get(ENV_CLIENT_SECRET)
        if not (client_id and secret):
            self.logger.error("%s: %s / %s 환경 변수가 없어 건너뜁니다", source.name, ENV_CLIENT_ID, ENV_CLIENT_SECRET)
            self.recorder.error(source.name, source.api_base, "no_credentials", entry=True)
            self.progress(source.name, f"실패 — {ENV_CLIENT_ID} / {ENV_CLIENT_SECRET} 환경 변수가 없습니다")
            return
        yield self._search_request(source, 1, client_id, secret)

    def _search_request(self, source, start: int, client_id: str, secret: str):
        # Never ask for more than max_results in all: the last page asks only for what is left.
        display = max(1, min(source.display, 100, source.max_results - start + 1))
        query = urlencode({"query": source.query, "display": display, "start": start, "sort": source.sort})
        request = self.entry_request(
            f"{source.api_base.rstrip('/')}/v1/search/news.json?{query}", source, self.parse_search, start=start
        )
        request.headers["X-Naver-Client-Id"] = client_id
        request.headers["X-Naver-Client-Secret"] = secret
        request.headers["Accept"] = "application/json"
        return request

    def parse_search(self, response):
        source = response.meta["source_config"]
        try:
            listed, total = parse_naver_search(response.body, source.follow)
        except MalformedListing as error:
            self.listing_failed(response, error)
            return
        listed = listed[: max(0, source.max_results - response.meta["start"] + 1)]
        self.listed_progress(response, len(listed))
        for item in listed:
            yield self.article_request(item, source)
        start = response.meta["start"] + len(listed)
        if listed and start <= min(total, source.max_results, MAX_START):
            request = response.request
            yield self._search_request(
                source, start, request.headers["X-Naver-Client-Id"].decode(), request.headers["X-Naver-Client-Secret"].decode()
            )
