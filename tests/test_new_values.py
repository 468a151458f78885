"""A figure moves on: three outlets print a new staff count. One maintainers' notice, the
fact-checker alerts on it held as "규칙 확인 중", closed by a new version + recheck or released
by `rules keep`; a single outlet's wrong figure and a syndicated story still alert at once."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import RULES, run_cli
from conftest_crawl import rss, site_crawler, write_site
from fake_slack import FakeSlack

from bot.jobs import BotJobs
from bot.sender import SlackSender, build_client
from bot.settings import parse_bot_settings
from factwatch.config import Settings
from factwatch.store import open_db

TOKEN = "xoxb-newvalue"
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_BACKOFF_BASE=0")


def page(outlet: str, day: str, title: str, paragraphs: list[str], byline: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:site_name" content="{outlet}">'
            f'<meta property="article:published_time" content="{day}T10:00:00+09:00"></head>'
            f'<body><h1>{title}</h1><article id="article-body">{body}<p>{byline}</p></article></body></html>')


MUDEUNG = [  # its own story, copied by 남도일보 (syndication: one story, one outlet)
    "인공지능산업융합사업단 구성원은 현재 61명이라고 사업단은 밝혔다.",
    "집적단지는 첨단3지구 부지 7만4256㎡에 들어선다.",
    "사업단은 올해 입주기업 실증 지원을 늘리고 데이터센터 이용 기업을 모집할 계획이다.",
    "광주 북구 첨단3지구 현장에는 평일에도 기업 관계자들의 발길이 이어졌다.",
]
FILES = {
    "mudeung/1.html": page("무등신문", "2025-03-02", "사업단 조직 개편 마무리", MUDEUNG, "김기자 기자"),
    "namdo/9.html": page("남도일보", "2025-03-03", "사업단 조직 개편 마무리", MUDEUNG, "남도일보 제휴"),
    "bitgaram/2.html": page("빛가람뉴스", "2025-03-05", "AI 사업단 인력 늘어", [
        "인공지능산업융합사업단이 새해 들어 전문 인력을 대거 뽑았다.",
        "인공지능산업융합사업단 구성원은 현재 61명이라고 사업단은 밝혔다.",
        "채용된 인력은 데이터센터 운영과 기업 지원 업무를 맡는다.",
    ], "박기자"),
    "bitgaram/3.html": page("빛가람뉴스", "2025-03-12", "사업단 설명회 열려", [
        "인공지능산업융합사업단이 지역 기업을 대상으로 설명회를 열었다.",
        "인공지능산업융합사업단 구성원은 현재 75명이라고 사업단은 밝혔다.",
        "설명회에서는 바우처 사업 신청 방법이 소개됐다.",
    ], "최기자"),
    "gwangnam/4.html": page("광남일보", "2025-03-10", "AI 집적단지 2단계 준비 한창", [
        "광주시와 인공지능산업융합사업단은 2단계 사업 준비에 한창이다.",
        "인공지능산업융합사업단 구성원은 현재 61명이라고 사업단은 밝혔다.",
        "시는 국비 확보를 위해 중앙부처와 협의를 이어가고 있다.",
    ], "이기자"),
}
SOURCES = "sources:\n" + "".join(
    f"  - name: {name}\n    kind: feed\n    url: \"{{{{base_url}}}}/{name}/rss.xml\"\n    site: \"{{{{base_url}}}}/{name}/\"\n"
    f"    outlet: {outlet}\n"
    for name, outlet in (("mudeung", "무등신문"), ("namdo", "남도일보"), ("bitgaram", "빛가람뉴스"), ("gwangnam", "광남일보"))
)


@pytest.fixture
def world(tmp_path):
    files = dict(FILES)
    for name in ("mudeung", "namdo", "bitgaram", "gwangnam"):
        files[f"{name}/rss.xml"] = rss([f"/{p}" for p in FILES if p.startswith(name + "/")])
    write_site(tmp_path / "site", files)
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    # This story is about several outlets agreeing on a new count; the shipped count's age limit
    # (refresh_after, tests/test_refresh.py) would hold these articles for a different reason.
    shipped = rules / "gwangju_ai.yaml"
    shipped.write_text(shipped.read_text(encoding="utf-8").replace("    refresh_after: 730\n", ""), encoding="utf-8")
    with FakeSlack(token=TOKEN) as slack, site_crawler(tmp_path / "site", SOURCES, tmp_path / "f.db") as crawl:
        sources = tmp_path / "f.sources.yaml"
        settings = Settings(tmp_path / "f.db", rules, sources, tmp_path / "none.yaml")
        bot = parse_bot_settings(
            {"slack": {"channel": "#factcheck", "operator_channel": "#maint", "retry_backoff": 0.01},
             "new_values": {"window": "30d"}},
            {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": slack.base_url},
        )
        sender = SlackSender(build_client(TOKEN, slack.base_url, backoff=0.01, timeout=5), backoff=0.01)
        jobs = BotJobs(settings, bot, sender, crawl_args=FAST)
        yield jobs, slack, settings


def factcheck_posts(slack):
    return [m["text"] for m in slack.posts("#factcheck")]


def test_three_outlets_one_notice_held_alerts_then_a_new_version_closes_them(world):
    jobs, slack, settings = world
    jobs.run_once()

    notices = slack.posts("#maint")
    assert len(notices) == 1, [m["text"] for m in notices]
    notice = notices[0]["text"]
    assert "새 값 후보" in notice and "[staff-count]" in notice and "61명" in notice
    for outlet, day in (("무등신문", "2025-03-02"), ("빛가람뉴스", "2025-03-05"), ("광남일보", "2025-03-10")):
        assert f"{outlet} {day}" in notice
    assert "독립 매체 3곳" in notice  # 남도일보's copy of 무등신문's story is not a fourth outlet
    assert "남도일보 2025-03-03" in notice  # but it is listed: every article that printed it
    db = open_db(settings.db_path)
    stories = dict(db.execute("select outlet, story_id from articles").fetchall())
    assert stories["남도일보"] == stories["무등신문"]
    assert len({stories["무등신문"], stories["광남일보"], stories["빛가람뉴스"]}) == 3
    db.close()
    assert "구성원은 현재 61명이라고" in notice
    assert "- value: 61명" in notice and "from: 2025-03-02" in notice

    posted = factcheck_posts(slack)
    assert not any("61명" in text for text in posted), posted  # held, not posted
    assert any("75명" in text for text in posted)  # one outlet's wrong figure alerts at once
    assert any("7만4256㎡" in text for text in posted)  # one story in two outlets is one report
    assert sum("7만4256㎡" in text for text in posted) == 1

    status = run_cli("--db", str(settings.db_path), "status").output
    assert "규칙 확인 중 3" in status and "staff-count" in status
    from datetime import datetime, timezone

    from bot.digest import load_digest_view

    db = open_db(settings.db_path)
    digest = load_digest_view(db, datetime.now(timezone.utc))
    db.close()
    assert "규칙 확인 중: [staff-count] 새 값 후보 61명 · 보류한 알림 3건" in digest.open_problems

    jobs.run_once()  # a second cycle: nothing more, the notice went out once
    assert len(slack.posts("#maint")) == 1
    assert factcheck_posts(slack) == posted

    # The maintainer pastes the entry from the notice and re-judges the archive.
    snippet = "\n".join(line for line in re.search(r"```\n(.*?)\n```", notice, re.S).group(1).splitlines())
    path = settings.rules_dir / "gwangju_ai.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = '        source: "광주일보 2022-04-13 임차식 단장 인터뷰'
    at = text.index("\n", text.index(anchor)) + 1
    path.write_text(text[:at] + snippet + "\n" + text[at:], encoding="utf-8")
    assert run_cli("--rules", str(settings.rules_dir), "rules", "check").exit_code == 0
    result = run_cli("--db", str(settings.db_path), "--rules", str(settings.rules_dir), "recheck")
    assert "규칙 확인 중이던 알림 3건을 닫았습니다" in result.output, result.output

    db = open_db(settings.db_path)
    assert db.execute("select count(*) from bot_alerts where status = 'held'").fetchone()[0] == 0
    assert db.execute("select count(*) from bot_alerts where status = 'closed'").fetchone()[0] == 3
    assert db.execute("select status from bot_value_candidates").fetchall() == [("adopted",)]
    db.close()
    jobs.run_once()
    assert factcheck_posts(slack) == posted and len(slack.posts("#maint")) == 1
    assert "규칙 확인 중 0" in run_cli("--db", str(settings.db_path), "status").output


def test_rules_keep_releases_the_held_alerts(world):
    jobs, slack, settings = world
    jobs.run_once()
    assert not any("61명" in text for text in factcheck_posts(slack))

    result = run_cli("--db", str(settings.db_path), "rules", "keep", "staff-count", "61명")
    assert result.exit_code == 0 and "3건" in result.output, result.output
    jobs.deliver()
    assert sum("61명" in text for text in factcheck_posts(slack)) == 3
    assert len(slack.posts("#maint")) == 1

    missing = run_cli("--db", str(settings.db_path), "rules", "keep", "staff-count", "99명")
    assert missing.exit_code != 0 and "새 값 후보가 없습니다" in missing.output


def test_the_notice_goes_out_exactly_once_through_429_5xx_a_lost_answer_and_a_restart(world):
    from datetime import datetime, timezone

    from bot.delivery import deliver_operator_alerts

    jobs, slack, settings = world
    jobs._guarded("crawl", jobs._crawl)  # crawl only; the check below raises the notice
    jobs.check()
    sender = SlackSender(build_client(TOKEN, slack.base_url, backoff=0.01, timeout=5), backoff=0.01)
    db = open_db(settings.db_path)
    now = datetime.now(timezone.utc)
    slack.fail_next(429, "ratelimited", retry_after=1)
    slack.fail_next(503, "service_unavailable", times=3)
    deliver_operator_alerts(db, sender, "#maint", now)
    deliver_operator_alerts(db, sender, "#maint", now)
    slack.drop_responses(1)  # Slack keeps the post, the answer is lost
    deliver_operator_alerts(db, sender, "#maint", now)
    db.close()
    restarted = BotJobs(settings, jobs.bot, sender, crawl_args=FAST)
    restarted.deliver()
    restarted.check()
    restarted.deliver()
    maint = slack.posts("#maint")
    assert len(maint) == 1 and "새 값 후보" in maint[0]["text"]
    db = open_db(settings.db_path)
    assert db.execute("select status from bot_operator_alerts where key like 'new_value:%'").fetchall() == [("sent",)]
    assert not any("61명" in m["text"] for m in slack.posts("#factcheck"))
