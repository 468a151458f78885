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


def _read(tmp_path, text):
    from factwatch.config import load_config_file

    path = tmp_path / "factwatch.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config_file(path), path


def test_a_misspelt_key_names_its_line_and_the_key_meant(tmp_path):
    config, path = _read(tmp_path, "slack:\n  channel: '#a'\n  chanel: '#b'\nschedule:\n  crawl: 30m\n")
    with pytest.raises(ConfigError) as error:
        parse_bot_settings(config, {}, path)
    assert str(error.value).startswith(f"{path}:3: slack: 'chanel'은(는) 알 수 없는 항목입니다. 'channel'을(를) 쓰려던 것인가요?")


def test_every_problem_of_a_file_is_reported_at_the_line_of_its_value(tmp_path):
    config, path = _read(tmp_path, "schedule:\n  crawl: {cron: '* *'}\n  digest: 9시\nnew_values:\n  outlets: 1\nhelth: {}\n")
    with pytest.raises(ConfigError) as error:
        parse_bot_settings(config, {}, path)
    lines = str(error.value).splitlines()
    assert lines == [
        f"{path}:2: schedule.crawl.cron: crontab 다섯 칸이 필요합니다: '* *' (예: '*/30 7-23 * * *')",
        f"{path}:3: schedule.digest: 시각 형식이 아닙니다: '9시' (예: \"09:00\")",
        f"{path}:5: new_values.outlets: 2 이상의 정수를 쓰세요 (한 매체의 보도는 추세가 아닙니다)",
        f"{path}:6: 설정 파일 맨 위: 'helth'은(는) 알 수 없는 항목입니다. 'health'을(를) 쓰려던 것인가요? "
        "쓸 수 있는 항목: answers, claimreview, crawl, health, new_values, schedule, slack",
    ]


def test_numbers_and_empty_sections_read_as_before(tmp_path):
    config, path = _read(tmp_path, "slack:\nschedule:\n  crawl: 45\n  check: {every: 2m}\nhealth:\n  crawl_failures: 5\n"
                                   "crawl:\n  contact_url: https://x.kr\n")
    bot = parse_bot_settings(config, {}, path)
    assert (bot.crawl.every_seconds, bot.check.every_seconds, bot.crawl_failures_before_alert) == (45, 120, 5)
    assert bot.channel == "#factcheck"
