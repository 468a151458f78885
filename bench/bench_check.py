"""Benchmark of the checker on one core: extract+check articles/s, re-judge claims/s, 100 vs 10,000 facts, memory.

Run:  .venv/bin/pip install -q -e '.[bench]' && .venv/bin/python bench/bench_check.py   (about a minute)
      .venv/bin/python bench/bench_check.py --quick    (fewer rounds, for a smoke run)
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from checker.check import check_article  # noqa: E402
from checker.models import Article  # noqa: E402
from checker.check_store import check_pending, recheck_all  # noqa: E402
from checker.rules import load_rules  # noqa: E402
from factwatch.store.articles import save_article  # noqa: E402
from factwatch.store import open_db  # noqa: E402

SEEDS = REPO.parent / "shared" / "seeds"
ARTICLES = REPO / "tests" / "articles"


def load_corpus() -> list[Article]:
    """The five seed articles (≈5 KB each) if ../shared is there; else the project's fixtures."""
    articles = []
    if SEEDS.is_dir():
        for path in sorted(SEEDS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            articles.append(Article(url=path.name, text=text, title=text.splitlines()[0],
                                    published=datetime(2022, 6, 1)))
    else:
        import json

        for path in sorted(ARTICLES.glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            articles.append(Article(url=record["url"], text=record["text"] * 8, title=record["title"],
                                    published=datetime.fromisoformat(record["published"])))
    return articles


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rate(fn, items, rounds: int) -> float:
    """Items per second, the median of `rounds` passes over `items`."""
    speeds = []
    for _ in range(rounds):
        start = time.perf_counter()
        for item in items:
            fn(item)
        speeds.append(len(items) / (time.perf_counter() - start))
    return statistics.median(speeds)


_SYLLABLES = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토포호"
_UNITS = ["억원", "명", "개", "㎡", "PF", "PB", "%", "건", "곳", "개사"]


def write_generated_rules(folder: Path, count: int, seed: int = 7) -> None:
    """`count` made-up facts on one topic, spread over the units the parser knows, plus the
    shipped rules, so the generated set competes with the real facts for every claim."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for path in (REPO / "rules").glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    lines = ["topic:", "  id: generated", "  recognise: [생성된주제]", "facts:"]
    for number in range(count):
        cue = "".join(rng.choice(_SYLLABLES) for _ in range(3))
        unit = rng.choice(_UNITS)
        lines += [
            f"  - id: gen-{number}", f"    description: 생성된 사실 {number}", "    kind: quantity",
            f"    unit: \"{unit}\"", f"    cues: [{cue}{number % 97}, {cue}]",
            "    versions:", f"      - value: \"{rng.randint(1, 9999)}{unit}\"",
        ]
    (folder / "generated.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def bench_many_figures(rules, count: int) -> float:
    """Seconds to check one hostile sentence holding `count` figures of a fact's unit."""
    text = "인공지능산업융합사업단 " + ", ".join(f"구성원 {i % 90 + 10}명" for i in range(count)) + "이다."
    article = Article(url="many", text=text, title="", published=datetime(2023, 1, 1))
    start = time.perf_counter()
    check_article(article, rules)
    return time.perf_counter() - start


def bench_kiwi(articles: list[Article], rounds: int) -> float | None:
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        print("kiwipiepy is not installed: pip install -e '.[bench]' to compare with its tokenizer")
        return None
    kiwi = Kiwi(num_workers=1)
    kiwi.tokenize(articles[0].text)  # the first call pays a lazy set-up
    return rate(lambda a: kiwi.tokenize(a.text), articles, rounds)


def bench_rejudge(articles: list[Article], rules, copies: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        for n in range(copies):
            for article in articles:
                save_article(db, Article(**{**article.__dict__, "url": f"{article.url}#{n}",
                                            "text": article.text + f"\n{n}"}))
        check_pending(db, rules)
        start = time.perf_counter()
        _, claims = recheck_all(db, rules)
        return claims / (time.perf_counter() - start), claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and a smaller archive")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    rounds, copies = (3, 40) if args.quick else (9, 300)
    articles = load_corpus()
    kb = statistics.mean(len(a.text.encode("utf-8")) for a in articles) / 1024
    shipped = load_rules(REPO / "rules")
    print(f"corpus: {len(articles)} articles, mean {kb:.1f} KB; shipped rules: {len(shipped.facts)} facts; one core")

    check = lambda rules: (lambda a: check_article(a, rules))  # noqa: E731
    shipped_rate = rate(check(shipped), articles * 4, rounds)
    print(f"extract+check, shipped rules     : {shipped_rate:8.0f} articles/s  (target ≥ 200)")

    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small", Path(tmp) / "large"
        write_generated_rules(small, 100 - len(shipped.facts))
        write_generated_rules(large, 10_000)
        start = time.perf_counter()
        rules_large = load_rules(large)
        load_seconds = time.perf_counter() - start
        rules_small = load_rules(small)
        rate_small = rate(check(rules_small), articles * 4, rounds)
        rate_large = rate(check(rules_large), articles * 4, rounds)
    print(f"extract+check, 100 facts          : {rate_small:8.0f} articles/s")
    print(f"extract+check, 10,000 facts       : {rate_large:8.0f} articles/s  "
          f"(time ratio {rate_small / rate_large:.2f}×, target ≤ 2×; loading 10,000 facts took {load_seconds:.1f} s)")

    claims_rate, claims = bench_rejudge(articles, shipped, copies)
    print(f"re-judge stored claims            : {claims_rate:8.0f} claims/s   ({claims:,} claims; target ≥ 20,000)")
    seconds = [bench_many_figures(shipped, n) for n in (10_000, 20_000, 40_000)]
    print(f"one sentence with 10k/20k/40k figures: {seconds[0]:.1f} / {seconds[1]:.1f} / {seconds[2]:.1f} s "
          f"(linear: 40k ≈ 4 × 10k; was 7.3 / 29 / 139 s)")
    print(f"peak memory without Kiwi          : {peak_mb():8.0f} MB         (target < 800)")

    kiwi_rate = bench_kiwi(articles, max(1, rounds // 3))
    if kiwi_rate:
        print(f"kiwipiepy bare tokenize           : {kiwi_rate:8.0f} articles/s  "
              f"(factwatch is {shipped_rate / kiwi_rate:.1f}× the tokenizer's throughput)")
        print(f"peak memory with Kiwi loaded      : {peak_mb():8.0f} MB")


if __name__ == "__main__":
    main()
