"""The bot's settings file: documented keys, env secrets, errors that say where and how to fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.settings import parse_bot_settings, parse_duration
from factwatch.config import ConfigError

EXAMPLE = Path(__file__).resolve().parent.parent / "factwatch.example.yaml"


def test_the_example_file_parses_and_routes_topics():
    bot = parse_bot_settings(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), {})
    assert bot.console  # no token in the file: secrets come from the environment
    assert bot.route("gwangju-ai-cluster") != bot.channel or bot.topic_channels
    assert bot.route("no-such-topic") == bot.channel


def test_every_key_of_the_example_is_documented_in_docs():
    docs = (EXAMPLE.parent / "docs" / "bot.md").read_text(encoding="utf-8")
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for section in ("slack", "schedule", "health"):
        for key in data[section]:
            assert f"{section}.{key}" in docs, f"{section}.{key} is not documented in docs/bot.md"


def test_token_url_and_channel_come_from_the_environment():
    bot = parse_bot_settings({}, {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": "http://127.0.0.1:9/api/", "SLACK_CHANNEL": "C123"})
    assert (bot.token, bot.api_url, bot.channel, bot.route("x")) == ("xoxb-1", "http://127.0.0.1:9/api/", "C123", "C123")
    assert not bot.console


@pytest.mark.parametrize(
    "text, seconds",
    [("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400), (45, 45)],
)
def test_durations(text, seconds):
    assert parse_duration(text, "x") == seconds


@pytest.mark.parametrize(
    "config, message",
    [
        ({"schedule": {"crawl": "30분"}}, "factwatch.yaml: schedule.crawl: 기간 형식이 아닙니다: '30분' (예: 90s, 30m, 2h, 1d)"),
        ({"schedule": {"digest": "9시"}}, "factwatch.yaml: schedule.digest: 시각 형식이 아닙니다"),
        ({"schedule": {"crawl": {"cron": "* *"}}}, "schedule.crawl.cron: crontab 다섯 칸이 필요합니다"),
        ({"schedule": {"timezone": "Mars/Base"}}, "schedule.timezone: 알 수 없는 시간대"),
        ({"slack": {"topics": ["a"]}}, "slack.topics: '주제: 채널' 목록이어야 합니다"),
    ],
)
def test_mistakes_are_reported_with_the_key_and_an_example(config, message):
    with pytest.raises(ConfigError) as error:
        parse_bot_settings(config, {})
    assert message in str(error.value)
