"""The bot's settings: the `slack:`, `schedule:` and `health:` sections of factwatch.yaml plus env secrets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.answer_settings import AnswerSettings, parse_answer_settings
from factwatch.config import ConfigError

ENV_TOKEN = "SLACK_BOT_TOKEN"
ENV_API_URL = "SLACK_API_URL"
ENV_CHANNEL = "SLACK_CHANNEL"

DEFAULT_CHANNEL = "#factcheck"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Schedule:
    """When a job runs: every N seconds, or on a crontab line."""

    every_seconds: int | None = None
    cron: str | None = None

    def describe(self) -> str:
        return f"cron '{self.cron}'" if self.cron else f"{self.every_seconds}초마다"


@dataclass(frozen=True)
class BotSettings:
    token: str | None = None  # None → console mode
    api_url: str | None = None
    channel: str = DEFAULT_CHANNEL
    topic_channels: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    digest_channel: str = DEFAULT_CHANNEL
    operator_channel: str = DEFAULT_CHANNEL
    timezone: str = "Asia/Seoul"
    crawl: Schedule = Schedule(every_seconds=30 * 60)
    check: Schedule = Schedule(every_seconds=5 * 60)
    deliver: Schedule = Schedule(every_seconds=60)
    digest_at: time = time(9, 0)
    misfire_grace_seconds: int = 15 * 60
    crawl_time_limit_seconds: int = 15 * 60
    retry_backoff: float = 0.5
    crawl_failures_before_alert: int = 3
    silent_source_seconds: int = 2 * 86400
    # New value candidates (bot/holds.py): this many independent outlets printing one value
    # for a fact within the window, against the rules, make one maintainers' notice.
    new_value_window_days: int = 30
    new_value_min_outlets: int = 2
    # -- answers (issue 11): the `answers:` and `claimreview:` sections, parsed in bot/answer_settings.py
    answers: AnswerSettings = AnswerSettings()

    def route(self, topic: str | None) -> str:
        """The channel for a finding's topic (a fact's `topic:` in its rule file)."""
        return self.topic_channels.get(topic or "", self.channel)

    @property
    def console(self) -> bool:
        return not self.token


def parse_bot_settings(config: dict, environ: dict, where: str | Path = "factwatch.yaml") -> BotSettings:
    """Read the bot's sections; errors name the file and the key and say what is expected."""
    slack = _section(config, "slack", where)
    schedule = _section(config, "schedule", where)
    health = _section(config, "health", where)
    new_values = _section(config, "new_values", where)
    channel = environ.get(ENV_CHANNEL) or _text(slack, "channel", where, DEFAULT_CHANNEL)
    topics = slack.get("topics") or {}
    if not isinstance(topics, dict):
        raise ConfigError(f"{where}: slack.topics: '주제: 채널' 목록이어야 합니다 (예: budget: \"#factcheck-budget\")")
    timezone = _text(schedule, "timezone", where, "Asia/Seoul")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: schedule.timezone: 알 수 없는 시간대 '{timezone}' (예: Asia/Seoul)") from None
    return BotSettings(
        token=(environ.get(ENV_TOKEN) or "").strip() or None,
        api_url=environ.get(ENV_API_URL) or slack.get("api_url") or None,
        channel=channel,
        topic_channels=MappingProxyType({str(k): str(v) for k, v in topics.items()}),
        digest_channel=_text(slack, "digest_channel", where, channel),
        operator_channel=_text(slack, "operator_channel", where, channel),
        timezone=timezone,
        crawl=parse_schedule(schedule.get("crawl", "30m"), f"{where}: schedule.crawl"),
        check=parse_schedule(schedule.get("check", "5m"), f"{where}: schedule.check"),
        deliver=parse_schedule(schedule.get("deliver", "1m"), f"{where}: schedule.deliver"),
        digest_at=parse_clock(schedule.get("digest", "09:00"), f"{where}: schedule.digest"),
        misfire_grace_seconds=parse_duration(schedule.get("misfire_grace", "15m"), f"{where}: schedule.misfire_grace"),
        crawl_time_limit_seconds=parse_duration(
            schedule.get("crawl_time_limit", "15m"), f"{where}: schedule.crawl_time_limit"
        ),
        retry_backoff=float(slack.get("retry_backoff", 0.5)),
        crawl_failures_before_alert=int(health.get("crawl_failures", 3)),
        silent_source_seconds=parse_duration(health.get("silent_after", "2d"), f"{where}: health.silent_after"),
        new_value_window_days=max(1, parse_duration(new_values.get("window", "30d"), f"{where}: new_values.window") // 86400),
        new_value_min_outlets=_outlets(new_values.get("outlets", 2), f"{where}: new_values.outlets"),
        answers=parse_answer_settings(config, environ, where, parse_duration),  # answers (issue 11)
    )


def _outlets(value, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 2:
        raise ConfigError(f"{where}: 2 이상의 정수를 쓰세요 (한 매체의 보도는 추세가 아닙니다)")
    return value


def parse_duration(value, where: str) -> int:
    """'90s', '30m', '2h', '1d' or a number of seconds → seconds."""
    if isinstance(value, int) and value > 0:
        return value
    match = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", str(value))
    if not match or int(match.group(1)) == 0:
        raise ConfigError(f"{where}: 기간 형식이 아닙니다: {value!r} (예: 90s, 30m, 2h, 1d)")
    return int(match.group(1)) * _UNITS[match.group(2)]


def parse_schedule(value, where: str) -> Schedule:
    """'30m' (every 30 minutes), {every: 30m} or {cron: '*/30 7-23 * * *'}."""
    if isinstance(value, dict):
        if "cron" in value:
            cron = str(value["cron"])
            if len(cron.split()) != 5:
                raise ConfigError(f"{where}.cron: crontab 다섯 칸이 필요합니다: {cron!r} (예: '*/30 7-23 * * *')")
            return Schedule(cron=cron)
        if "every" in value:
            return Schedule(every_seconds=parse_duration(value["every"], f"{where}.every"))
        raise ConfigError(f"{where}: 'every' 또는 'cron' 중 하나가 필요합니다 (예: every: 30m)")
    return Schedule(every_seconds=parse_duration(value, where))


def parse_clock(value, where: str) -> time:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(value))
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ConfigError(f"{where}: 시각 형식이 아닙니다: {value!r} (예: \"09:00\")")
    return time(int(match.group(1)), int(match.group(2)))


def _section(config: dict, name: str, where) -> dict:
    value = config.get(name) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {name}: 'key: value' 항목이어야 합니다")
    return value


def _text(section: dict, key: str, where, default: str) -> str:
    value = section.get(key)
    if value is None:
        return default
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key}: 채널 이름이나 ID를 문자열로 쓰세요 (예: \"#factcheck\" 또는 C0123456)")
    return value.strip()
