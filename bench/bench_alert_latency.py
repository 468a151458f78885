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

FILLER = [
    "광주 첨단3지구의 국가 인공지능 집적단지에는 {a}개 기업이 입주 상담을 받았다.",
    "시 관계자는 실증 장비 운영 시간을 {b}시간 늘리겠다고 말했다.",
    "지역 대학 연구실 {a}곳이 데이터 공동 활용 협약에 참여했다.",
    "입주기업 대표들은 전력 요금 부담을 덜어 달라고 요청했다.",
    "창업 공간에는 올해 {b}개 팀이 새로 들어올 예정이다.",
    "지역 상공회의소는 인재 양성 과정을 함께 열기로 했다.",
    "현장 점검에는 시의원 {b}명이 동행했다.",
    "데이터센터 냉각 설비 보강 공사가 다음 달 시작된다.",
    "기업 지원 설명회는 분기마다 열린다.",
    "실증 과제 공모에는 {a}건이 접수돼 경쟁이 치열했다.",
    "사업단은 의료, 에너지, 자동차 분야를 중심으로 과제를 고르고 있다.",
    "지역 언론과의 간담회에서 향후 일정이 공개됐다.",
    "교육 과정 수료생 {a}명 가운데 상당수가 지역 기업에 취업했다.",
    "해외 기관과의 공동 연구도 검토 중이다.",
    "올해 하반기에는 성과 발표회가 예정돼 있다.",
    "주민 설명회에서는 교통 대책을 묻는 질문이 이어졌다.",
]


def build_article(n: int, base: datetime, rng: random.Random) -> tuple[str, str]:
    """One distinct article (so no two look syndicated) carrying one wrong staff count."""
    staff = 50 + n  # never 48: every article should raise exactly one alert
    picks = rng.sample(FILLER, 6)
    paras = [p.format(a=rng.randint(2, 900), b=rng.randint(2, 90)) for p in picks]
    paras.insert(rng.randint(1, 5), f"인공지능산업융합사업단 구성원은 현재 {staff}명이라고 사업단은 밝혔다.")
    published = (base + timedelta(minutes=n)).isoformat()
    title = f"AI 집적단지 소식 {n}호: {picks[0][:18]}"
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
    from factwatch.db import open_db

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
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="factwatch-bench-") as folder:
        work = Path(folder)
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
