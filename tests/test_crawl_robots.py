"""A disallowed page is never fetched, even when it is in the first burst of requests to a site."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from crawler.localsite import serve_site

SPIDER = textwrap.dedent('''
    import scrapy

    class Burst(scrapy.Spider):
        name = "burst"
        custom_settings = {
            "ROBOTSTXT_OBEY": True,
            "DOWNLOADER_MIDDLEWARES": {
                "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
                "crawler.robots.SafeRobotsTxtMiddleware": 100,
            },
            "ITEM_PIPELINES": {}, "EXTENSIONS": {}, "ADDONS": {}, "CONCURRENT_REQUESTS": 16,
            "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
        }

        async def start(self):
            for path in ("a.html", "private/1.html", "b.html", "private/2.html", "private/3.html"):
                yield scrapy.Request(self.base + path, dont_filter=True)

        def parse(self, response):
            pass
''')


def test_requests_waiting_for_robots_txt_are_still_checked(tmp_path):
    site = tmp_path / "site"
    (site / "private").mkdir(parents=True)
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    for page in ("a.html", "b.html", "private/1.html", "private/2.html", "private/3.html"):
        (site / page).write_text("<html><body>본문</body></html>", encoding="utf-8")
    (tmp_path / "burst.py").write_text(SPIDER, encoding="utf-8")
    log: list = []
    with serve_site(site, requests_log=log) as base_url:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "runspider", str(tmp_path / "burst.py"), "-a", f"base={base_url}/"],
            capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    fetched = [path for _, path, _ in log]
    assert "/a.html" in fetched and "/b.html" in fetched
    assert [path for path in fetched if path.startswith("/private/")] == []
