"""Every tuning constant is pinned by behaviour just either side of it: moving the constant (the
syndication threshold, the linker's thresholds, the rounding and tolerance defaults, the health
shares, the new-value window and outlet count …) makes one of these tests fail, so a change is a
decision with a test to update, never an accident.

The tests assert what happens to an input, not the constant's value; where the achievable inputs
are discrete (link scores are sums of fixed weights), the nearest inputs on each side are used.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from conftest import DEMO_RULE
from conftest import write_rule_file as write

# ---------------------------------------------------------------- syndication (crawler/storykey.py, pipelines.py)

STORY = ("광주 시범사업단은 올해 인공지능 기업 지원 사업을 확대한다고 밝혔다. 사업단은 지역 대학과 함께 "
         "연구 인력을 키우고, 입주 기업에 장비와 공간을 제공한다. 관계자는 내년까지 계획을 마무리하겠다고 말했다.")


class _Recorder:
    """What StoryPipeline needs of the crawl recorder: a store to keep a new story's print in."""

    def __init__(self, tmp_path):
        from factwatch.store import open_db

        self.db = open_db(tmp_path / "crawl.db")


def _story_of(tmp_path, shared: int) -> str:
    """The story key a copy gets when the stored story's signature agrees with it in `shared` of its hashes."""
    from crawler.items import CrawledArticle
    from crawler.pipelines import StoryPipeline
    from crawler.storykey import fingerprint_body

    signature = fingerprint_body(STORY)
    stored = tuple(h if i < shared else h ^ 1 for i, h in enumerate(signature))
    pipeline = StoryPipeline.__new__(StoryPipeline)
    pipeline.recorder = _Recorder(tmp_path)
    pipeline.prints = [("story:stored", stored)]
    item = CrawledArticle.__new__(CrawledArticle)
    item.text, item.url, item.story_key = STORY, "https://news.example.kr/copy", None
    return pipeline.process_item(item).story_key


def test_a_copy_just_above_the_syndication_threshold_joins_the_story(tmp_path):
    from crawler.storykey import PERMUTATIONS

    # 39 of 64 hashes agree: an estimated Jaccard similarity of 0.61.
    assert PERMUTATIONS == 64
    assert _story_of(tmp_path, 39) == "story:stored"


def test_a_body_just_below_the_syndication_threshold_is_a_story_of_its_own(tmp_path):
    assert _story_of(tmp_path, 38) != "story:stored"  # 38 of 64: 0.59


# ---------------------------------------------------------------- the judge's defaults (rounding 1%, tolerance 0%)


def _verdict(tmp_path, sentence: str, value: str = "1010억원", extra: str = "") -> str:
    from checker.check import check_article
    from checker.models import Article
    from checker.rules import load_rules

    text = DEMO_RULE.replace("value: 100억원", f"value: {value}").replace("    cues: [사업비]", "    cues: [사업비]" + extra)
    rules = load_rules(write(tmp_path, text))
    article = Article(url="a", title="시범사업", text=sentence, published=None)
    _, findings = check_article(article, rules)
    (finding,) = [f for f in findings if f.fact is not None]
    return str(finding.verdict)


def test_a_rounding_just_within_the_default_rounding_is_a_match(tmp_path):
    # '1000억원' rounds 1010억원 by 0.99%.
    assert _verdict(tmp_path, "시범사업 사업비는 1000억원이다.", value="1010억원") == "match"


def test_a_rounding_just_beyond_the_default_rounding_is_imprecise(tmp_path):
    # '1000억원' rounds 1011억원 by 1.09%.
    assert _verdict(tmp_path, "시범사업 사업비는 1000억원이다.", value="1011억원") == "imprecise"


def test_with_the_default_tolerance_a_figure_one_unit_off_is_a_conflict(tmp_path):
    # '1001억원' (exactly 1001억) against 1000억원: 0.1% off, and by default nothing off is right.
    assert _verdict(tmp_path, "시범사업 사업비는 1001억원이다.", value="1000억원") == "conflict"
    assert _verdict(tmp_path, "시범사업 사업비는 1000억원이다.", value="1000억원") == "match"


# ---------------------------------------------------------------- the linker (checker/link.py MIN_SCORE)

TWO_FACTS = """\
topic:
  id: demo
  recognise: [시범사업]
facts:
  - id: demo-budget
    description: 시범 예산
    kind: quantity
    unit: 억원
    cues: [사업비]
    versions:
      - value: 100억원
        from: 2020-01-01
  - id: demo-fund
    description: 시범 기금
    kind: quantity
    unit: 억원
    cues: [펀드]
    versions:
      - value: 300억원
        from: 2020-01-01
"""


def _link(tmp_path, sentence: str):
    from checker.claims import extract_claims
    from checker.link import link_claim
    from checker.rules import load_rules

    rules = load_rules(write(tmp_path, TWO_FACTS))
    day = date(2021, 1, 1)
    (claim,) = [c for c in extract_claims("시범사업 소식. " + sentence, day, rules.known_names) if c.kind == "quantity"]
    return link_claim(claim, rules, {"demo"}, day)


def test_a_description_word_right_before_the_figure_is_just_enough_to_link(tmp_path):
    link = _link(tmp_path, "시범 예산은 250억원이다.")  # the description's measure word as the label: weight 0.6
    assert link.fact is not None and link.fact.id == "demo-budget", link.why


def test_the_same_word_after_the_figure_is_just_too_little(tmp_path):
    link = _link(tmp_path, "시범사업 관계자는 250억원 규모의 예산이라고 밝혔다.")  # after the figure: weight 0.48
    assert link.fact is None, link.why
    assert link.candidates[0].fact.id == "demo-budget" and link.candidates[0].score > 0.4


# The linker's MARGIN and RATIO: the best fact must lead the runner-up by enough, in difference and
# in ratio, or the figure stays unlinked (silent) rather than guessed.


def _scores(link) -> tuple[float, float]:
    return link.candidates[0].score, link.candidates[1].score


def test_a_lead_just_too_small_in_difference_leaves_the_figure_unlinked(tmp_path):
    link = _link(tmp_path, "시범사업 사업비 250억원 펀드를 만든다.")  # 1.00 vs 0.80: ahead by 0.20
    assert _scores(link) == (1.0, 0.8)
    assert link.fact is None and "정할 수 없습니다" in link.why


def test_a_lead_just_large_enough_in_difference_and_ratio_links(tmp_path):
    link = _link(tmp_path, "예산 문제로, 시범사업 사업비 250억원 펀드를 만든다.")  # 1.12 vs 0.80: by 0.32, 1.4×
    assert _scores(link) == (1.12, 0.8)
    assert link.fact is not None and link.fact.id == "demo-budget", link.why


def test_a_lead_large_in_difference_but_too_small_in_ratio_leaves_it_unlinked(tmp_path):
    link = _link(tmp_path, "시범사업 예산 중 사업비 250억원 기금 펀드를 만든다.")  # 1.60 vs 1.28: by 0.32 but 1.25×
    assert _scores(link) == (1.6, 1.28)
    assert link.fact is None and "정할 수 없습니다" in link.why


def test_a_lead_just_large_enough_in_ratio_links(tmp_path):
    link = _link(tmp_path, "시범사업 예산 중 사업비 250억원 펀드를 만들어 기금으로 쓴다.")  # 1.60 vs 1.07: 1.5×
    assert _scores(link) == (1.6, 1.07)
    assert link.fact is not None and link.fact.id == "demo-budget", link.why


# ---------------------------------------------------------------- stale values (checker/judge.py STALE_AFTER_DAYS)


def _version(valid_from: date):
    from checker.models import FactVersion

    return FactVersion(value=Decimal(48), low=Decimal(48), high=Decimal(48), display="48명", valid_from=valid_from,
                       valid_until=None, source=None, note=None, line=1)


def test_a_value_just_under_a_year_old_has_no_staleness_note():
    from checker.judge import stale_hint

    assert stale_hint(_version(date(2022, 4, 13)), date(2023, 4, 12)) is None


def test_a_value_a_year_old_gets_the_staleness_note():
    from checker.judge import stale_hint

    assert "1년 넘게" in (stale_hint(_version(date(2022, 4, 13)), date(2023, 4, 13)) or "")


# ---------------------------------------------------------------- source health (crawler/run_health.py)


def _problem(empty: int, kept: int, previous: float | None = None):
    from crawler.run_health import source_problem
    from factwatch.store.crawl import SourceRun

    return source_problem(SourceRun(source="s", new=kept), ["no_text"] * empty, previous)[0]


@pytest.mark.parametrize("empty, kept, unhealthy", [
    (50, 50, True),   # half the pages empty
    (49, 51, False),  # just under half
])
def test_a_source_is_unhealthy_from_half_its_pages_empty(empty, kept, unhealthy):
    assert (_problem(empty, kept) is not None) == unhealthy


@pytest.mark.parametrize("empty, kept, unhealthy", [
    (25, 75, True),   # none → 25%: a jump of 25 points
    (24, 76, False),  # none → 24%
])
def test_a_jump_in_empty_pages_since_the_last_run_is_a_problem(empty, kept, unhealthy):
    assert (_problem(empty, kept, previous=0.0) is not None) == unhealthy


# ---------------------------------------------------------------- new value candidates (bot/holds.py via checker/newvalues.py)


def _reports(days_apart: int, outlets: int):
    from checker.suggest import Report

    start = date(2025, 3, 2)
    return [Report(fact_id="demo-budget", key="61", written="61억원", exact=True, verdict="conflict",
                   sentence="시범사업 사업비는 61억원이다.", published=start + timedelta(days=days_apart * (i > 0)),
                   outlet=f"매체{i}", url=f"https://news{i}.example.kr/1", title="기사", story_id=i + 1, article_id=i + 1,
                   version_id=i + 1)
            for i in range(outlets)]


def _candidates(reports):
    from bot.settings import parse_bot_settings
    from checker.newvalues import find_candidates
    from checker.rules import load_rules

    bot = parse_bot_settings({}, {})  # the shipped defaults, as the bot uses them
    rules = load_rules(write(__import__("pathlib").Path(__import__("tempfile").mkdtemp()), DEMO_RULE))
    return find_candidates(reports, list(rules.facts), bot.new_value_window_days, bot.new_value_min_outlets)


def test_two_outlets_within_the_window_make_a_new_value_candidate():
    assert len(_candidates(_reports(days_apart=30, outlets=2))) == 1


def test_two_outlets_a_day_beyond_the_window_do_not():
    assert _candidates(_reports(days_apart=31, outlets=2)) == []


def test_one_outlet_is_not_a_trend():
    assert _candidates(_reports(days_apart=0, outlets=1)) == []
