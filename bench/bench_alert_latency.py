"""End-to-end alert latency: N articles appear on a local news site → crawl → check → posted to a fake Slack.

    .venv/bin/python bench/bench_alert_latency.py            # 1,000 articles
    .venv/bin/python bench/bench_alert_latency.py --articles 100

Everything runs on 127.0.0.1: the site is served by crawler.localsite.serve_site, Slack is
tests/fake_slack.py over real HTTP. At t0 every article is added to the site's RSS feed at
once; the bot then runs back-to-back cycles (what `factwatch run` does when a cycle takes
longer than the crawl interval) until every alert is posted. An article's latency is the time
from t0 to its chat.postMessage reaching Slack. The crawler's politeness delay is turned off
(-s DOWNLOAD_DELAY=0): with the shipped 1 s per-domain delay the crawl alone takes ~N/2 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from fake_slack import FakeSlack  # noqa: E402

from bot.jobs import BotJobs  # noqa: E402
from bot.sender import SlackSender, build_client  # noqa: E402
from bot.settings import parse_bot_settings  # noqa: E402
from crawler.localsite import serve_site  # noqa: E402
from factwatch.config import Settings  # noqa: E402

# Sentences are assembled from parts so that no two articles share much text: articles that
# look alike are (rightly) treated by the crawler as one syndicated story and checked once.
WHO = ["광주시는", "입주기업 대표들은", "지역 대학 연구진은", "시의회 산업건설위원회는", "상공회의소는", "주민자치위원회는",
       "데이터센터 운영팀은", "창업 지원 기관들은", "지역 금융권은", "교육청은", "북구청은", "산업단지공단은",
       "청년 창업가들은", "전문가 자문단은", "협력 대기업들은", "지역 언론사들은"]
WHAT = ["전력 요금 지원을 요청했다", "실증 장비 예약 방식을 바꾸자고 제안했다", "교통 대책을 물었다",
        "공동 연구 과제를 발표했다", "채용 박람회를 열기로 했다", "냉각 설비 점검 결과를 공개했다",
        "창업 공간 임대료 인하를 논의했다", "데이터 개방 범위를 넓히자고 했다", "분기별 설명회 일정을 알렸다",
        "해외 판로 개척 사업을 소개했다", "안전 점검을 마쳤다고 밝혔다", "주차 공간 확충을 건의했다",
        "보안 인증 절차를 간소화했다", "의료 데이터 활용 지침을 마련했다", "에너지 절감 목표를 세웠다",
        "통근 버스 노선 신설을 요구했다"]
WHEN = ["지난주", "이달 초", "최근", "전날", "올해 들어", "지난달 말", "이번 주", "연초에"]


def build_article(n: int, base: datetime, rng: random.Random) -> tuple[str, str]:
    """One distinct article (so no two look syndicated) carrying one wrong staff count."""
    # Every article must raise exactly one alert, so every count stays well outside what the
    # staff fact accepts (48명 with 5% rounding: 45.6–50.4명; 50명 would pass as correct), and
    # within ten times it (a count 12× off is read as another thing, not a slip).
    staff = 60 + n % 300  # 60–359
    paras = [f"{rng.choice(WHEN)} {who} {rng.randint(2, 900)}건의 의견을 모아 {what}."
             for who, what in zip(rng.sample(WHO, 7), rng.sample(WHAT, 7))]
    paras.insert(rng.randint(1, 6), f"인공지능산업융합사업단 구성원은 현재 {staff}명이라고 사업단은 밝혔다.")
    published = (base + timedelta(minutes=n)).isoformat()
    title = f"AI 집적단지 소식 {n}호: {paras[0][:18]}"
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    html = f"""<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="벤치일보"><meta property="article:published_time" content="{published}">
<link rel="canonical" href="{{{{base_url}}}}/bench/news/{n}.html"></head>
<body><article><h1>{title}</h1><div class="article-body">{body}</div></article></body></html>"""
    return title, html


def write_feed(root: Path, items: list[tuple[int, str]]) -> None:
    entries = "\n".join(
        f"<item><title>{title}</title><link>{{{{base_url}}}}/bench/news/{n}.html</link></item>" for n, title in items
    )
    (root / "bench" / "rss.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>벤치일보</title>{entries}</channel></rss>',
        encoding="utf-8",
    )


def _stage_seconds(db_path: Path) -> dict[str, float]:
    from factwatch.store import open_db

    db = open_db(db_path)
    try:
        return {
            row["job"]: (datetime.fromisoformat(row["last_finished"]) - datetime.fromisoformat(row["last_started"])).total_seconds()
            for row in db.query("select * from bot_job_runs where last_finished is not null order by last_started")
        }
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--timeout", type=int, default=1800, help="give up after this many seconds")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and leave the store there (bench.db) to inspect")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="factwatch-bench-") as folder:
        work = Path(args.keep or folder)
        work.mkdir(parents=True, exist_ok=True)
        root = work / "site"
        (root / "bench" / "news").mkdir(parents=True)
        base = datetime(2024, 5, 1, 9, 0, tzinfo=timezone(timedelta(hours=9)))
        titles = []
        for n in range(args.articles):
            title, html = build_article(n, base, rng)
            (root / "bench" / "news" / f"{n}.html").write_text(html, encoding="utf-8")
            titles.append((n, title))
        write_feed(root, [])
        with serve_site(root) as base_url, FakeSlack() as slack:
            sources = work / "sources.yaml"
            sources.write_text(
                f'sources:\n  - name: bench_rss\n    kind: feed\n    url: "{base_url}/bench/rss.xml"\n    outlet: 벤치일보\n',
                encoding="utf-8",
            )
            settings = Settings(work / "bench.db", REPO / "rules", sources, work / "none.yaml")
            bot = parse_bot_settings({"schedule": {"crawl_time_limit": "30m"}}, {})
            sender = SlackSender(build_client(slack.token, slack.base_url, backoff=0.05))
            crawl_args = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                          "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=WARNING")
            jobs = BotJobs(settings, bot, sender, crawl_args=crawl_args)

            t0 = time.time()
            write_feed(root, titles)  # every article appears at once
            cycles, stalled = [], 0
            while len(slack.posts()) < args.articles and time.time() - t0 < args.timeout and stalled < 3:
                start, before = time.time(), len(slack.posts())
                jobs.run_once()
                cycles.append(time.time() - start)
                stalled = stalled + 1 if len(slack.posts()) == before else 0
            done = time.time()
            latencies = sorted(float(m["ts"]) - t0 for m in slack.posts())
            stages = _stage_seconds(settings.db_path)

    posted = len(latencies)
    print(f"articles: {args.articles}, alerts posted: {posted}, cycles: {len(cycles)} "
          f"({', '.join(f'{c:.1f}s' for c in cycles)})")
    if latencies:
        q = statistics.quantiles(latencies, n=100) if posted > 1 else latencies * 99
        print(f"latency from appearing to posted: min {latencies[0]:.1f}s · p50 {q[49]:.1f}s · "
              f"p95 {q[94]:.1f}s · max {latencies[-1]:.1f}s")
        print(f"throughput: {posted / (done - t0):.1f} alerts/s end to end")
        print("last cycle by stage: " + " · ".join(f"{job} {sec:.1f}s" for job, sec in stages.items()))
    if posted < args.articles:
        sys.exit(f"only {posted} of {args.articles} alerts arrived within {args.timeout}s")


if __name__ == "__main__":
    main()
