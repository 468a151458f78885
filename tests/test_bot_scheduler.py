"""The schedule: one instance per job, coalesced, a real misfire grace, and a digest that survives restarts."""

from __future__ import annotations

import io
from datetime import datetime, time, timezone

import pytest
from fake_slack import FakeSlack

from bot.digest import is_digest_due, post_digest
from bot.jobs import BotJobs
from bot.scheduler import build_scheduler, schedule_catch_up
from bot.sender import SlackSender, build_client
from bot.settings import parse_bot_settings
from factwatch.config import Settings
from factwatch.store import open_db

# 2024-05-02 08:30 in Seoul is 2024-05-01 23:30 UTC.
BEFORE_NINE = datetime(2024, 5, 1, 23, 30, tzinfo=timezone.utc)
AFTER_NINE = datetime(2024, 5, 2, 1, 0, tzinfo=timezone.utc)


@pytest.fixture
def jobs(tmp_path):
    settings = Settings(tmp_path / "f.db", tmp_path / "rules", tmp_path / "sources.yaml", tmp_path / "none.yaml")
    bot = parse_bot_settings({"schedule": {"crawl": {"cron": "*/30 7-23 * * *"}, "check": "2m", "misfire_grace": "10m"}}, {})
    open_db(settings.db_path).close()
    return BotJobs(settings, bot)


def test_every_job_runs_one_at_a_time_coalesced_with_a_real_misfire_grace(jobs):
    scheduler = build_scheduler(jobs, jobs.bot, AFTER_NINE)
    scheduler.start(paused=True)  # job defaults are applied when the scheduler starts
    found = {job.id: job for job in scheduler.get_jobs()}
    scheduler.shutdown(wait=False)
    assert set(found) == {"crawl", "check", "deliver", "digest", "answers"}
    for job in found.values():
        assert job.max_instances == 1 and job.coalesce and job.misfire_grace_time == 600
    assert "cron" in str(found["crawl"].trigger) and "interval[0:02:00]" in str(found["check"].trigger)
    assert "hour='9', minute='0'" in str(found["digest"].trigger)


@pytest.mark.parametrize(
    "last_ok, now, due",
    [
        (None, AFTER_NINE, False),  # a fresh install waits for its first 09:00
        ("2024-05-01T00:00:30+00:00", AFTER_NINE, True),  # yesterday's digest; today's 09:00 passed while down
        ("2024-05-02T00:00:05+00:00", AFTER_NINE, False),  # today's digest already done
        ("2024-05-01T00:00:30+00:00", BEFORE_NINE, False),  # not 09:00 yet
    ],
)
def test_a_digest_missed_while_the_bot_was_down_is_due(last_ok, now, due):
    assert is_digest_due(last_ok, now, time(9, 0), "Asia/Seoul") is due


def test_a_restart_after_nine_posts_the_missed_digest(jobs):
    db = open_db(jobs.settings.db_path)
    db["bot_job_runs"].insert({"job": "digest", "last_ok": "2024-05-01T00:00:30+00:00"})
    scheduler = build_scheduler(jobs, jobs.bot, AFTER_NINE)
    assert schedule_catch_up(scheduler, jobs, jobs.bot, AFTER_NINE)
    assert "digest-catch-up" in {job.id for job in scheduler.get_jobs()}


def test_the_digest_is_posted_once_per_day(jobs):
    db = open_db(jobs.settings.db_path)
    with FakeSlack() as slack:
        sender = SlackSender(build_client(slack.token, slack.base_url, backoff=0.01))
        first = post_digest(db, sender, "#factcheck", AFTER_NINE, time(9, 0), "Asia/Seoul")
        again = post_digest(db, sender, "#factcheck", AFTER_NINE, time(9, 0), "Asia/Seoul")
        assert first and again is None
        assert len(slack.posts()) == 1 and "2024-05-02" in slack.posts()[0]["text"]


def test_the_digest_counts_the_days_alerts_and_names_the_most_wrong_facts(jobs):
    from test_bot_support import checked_article

    from bot.delivery import deliver_pending
    from bot.digest import load_digest_view
    from bot.outbox import enqueue_findings
    from bot.sender import ConsoleSender

    db = open_db(jobs.settings.db_path)
    for n in range(3):
        checked_article(db, f"https://news.example/{n}", claim=f"{80 + n}명", text=f"사업단은 {80 + n}명 규모로 꾸려졌다.")
    sent_at = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    enqueue_findings(db, lambda topic: "#factcheck", sent_at)
    deliver_pending(db, ConsoleSender(stream=io.StringIO()), sent_at)

    view = load_digest_view(db, AFTER_NINE)
    assert (view.alerts_sent, view.alerts_pending) == (3, 0)
    assert view.top_facts == (("새만금 사업단 구성원 수", 3),)


def test_the_digest_counts_an_alert_sent_at_noon_korean_time(jobs):
    from test_bot_support import checked_article

    from bot.delivery import deliver_pending
    from bot.digest import last_digest_time, load_digest_view
    from bot.outbox import enqueue_findings
    from bot.sender import ConsoleSender

    db = open_db(jobs.settings.db_path)
    noon_kst = datetime(2024, 5, 1, 3, 0, tzinfo=timezone.utc)  # 2024-05-01 12:00 KST
    checked_article(db, "https://news.example/1")
    enqueue_findings(db, lambda topic: "#factcheck", noon_kst)
    deliver_pending(db, ConsoleSender(stream=io.StringIO()), noon_kst)

    # The digest of 2024-05-02 09:00 KST covers 05-01 09:00 KST to 05-02 09:00 KST.
    moment = last_digest_time(AFTER_NINE, time(9, 0), "Asia/Seoul")
    assert moment.utcoffset().total_seconds() == 9 * 3600
    view = load_digest_view(db, moment)
    assert view.alerts_sent == 1 and view.top_facts == (("새만금 사업단 구성원 수", 1),)


def test_a_digest_slack_refused_at_nine_goes_out_with_the_next_delivery(tmp_path):
    settings = Settings(tmp_path / "f.db", tmp_path / "rules", tmp_path / "sources.yaml", tmp_path / "none.yaml")
    open_db(settings.db_path).close()
    with FakeSlack() as slack:
        bot = parse_bot_settings({}, {"SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.base_url})
        clock = {"now": AFTER_NINE}
        jobs = BotJobs(settings, bot, SlackSender(build_client(slack.token, slack.base_url, backoff=0.01)),
                       clock=lambda: clock["now"])
        slack.outage(503)
        jobs.digest()  # Slack is down at digest time
        assert slack.posts() == []
        slack.recover()

        clock["now"] = AFTER_NINE.replace(minute=5)
        jobs.deliver()
        jobs.deliver()

        digests = [post for post in slack.posts() if "일일 요약" in post["text"]]
        assert len(digests) == 1 and "2024-05-02" in digests[0]["text"]
