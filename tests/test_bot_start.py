"""`factwatch run` asks Slack about its token at start-up, so a bad token shows at once."""

from __future__ import annotations

import logging

from fake_slack import FakeSlack

from bot.commands import check_slack_at_start
from bot.jobs import BotJobs
from bot.notices import load_open_operator_alerts
from bot.sender import SlackSender, build_client
from bot.settings import parse_bot_settings
from factwatch.config import Settings
from factwatch.store import open_db


def _jobs(tmp_path, slack, token):
    settings = Settings(tmp_path / "f.db", tmp_path / "rules", tmp_path / "sources.yaml", tmp_path / "none.yaml")
    open_db(settings.db_path).close()
    sender = SlackSender(build_client(token, slack.base_url, backoff=0.01), backoff=0.01)
    return BotJobs(settings, parse_bot_settings({}, {}), sender=sender)


def test_a_good_token_is_confirmed(tmp_path):
    with FakeSlack(token="xoxb-good") as slack:
        jobs = _jobs(tmp_path, slack, "xoxb-good")
        assert check_slack_at_start(jobs, logging.getLogger("t")) is True
        assert ("auth.test", 200) in slack.calls
    assert load_open_operator_alerts(open_db(tmp_path / "f.db")) == []


def test_a_refused_token_is_reported_at_start_and_recorded(tmp_path, caplog):
    with FakeSlack(token="xoxb-good") as slack:
        jobs = _jobs(tmp_path, slack, "xoxb-wrong")
        with caplog.at_level(logging.ERROR):
            assert check_slack_at_start(jobs, logging.getLogger("t")) is False
    assert "invalid_auth" in caplog.text
    (alert,) = load_open_operator_alerts(open_db(tmp_path / "f.db"))
    assert alert.key == "slack_start" and "invalid_auth" in alert.message


def test_a_token_fixed_before_the_next_start_clears_the_problem(tmp_path):
    with FakeSlack(token="xoxb-good") as slack:
        check_slack_at_start(_jobs(tmp_path, slack, "xoxb-wrong"), logging.getLogger("t"))
        check_slack_at_start(_jobs(tmp_path, slack, "xoxb-good"), logging.getLogger("t"))
    assert load_open_operator_alerts(open_db(tmp_path / "f.db")) == []
