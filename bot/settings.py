"""The bot's settings: the `slack:`, `schedule:` and `health:` sections of factwatch.yaml plus env secrets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from types import MappingProxyType

from bot.answer_settings import AnswerSettings, parse_answer_settings
from bot.settings_schema import Schedule, SettingsFileSpec, WrongValue, clock_of, duration_seconds, schedule_of
from factwatch.config import ConfigError
from factwatch.fileschema import Problem, dotted, unknown_keys, validate

ENV_TOKEN = "SLACK_BOT_TOKEN"
ENV_API_URL = "SLACK_API_URL"
ENV_CHANNEL = "SLACK_CHANNEL"

DEFAULT_CHANNEL = "#factcheck"

__all__ = ["BotSettings", "Schedule", "parse_bot_settings", "parse_clock", "parse_duration", "parse_schedule"]


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
    # How fact-checkers answer alerts (issue 11): the `answers:` and `claimreview:` sections,
    # read by bot/answer_settings.py.
    answers: AnswerSettings = AnswerSettings()

    def route(self, topic: str | None) -> str:
        """The channel for a finding's topic (a fact's `topic:` in its rule file)."""
        return self.topic_channels.get(topic or "", self.channel)

    @property
    def console(self) -> bool:
        return not self.token


def parse_bot_settings(config: dict, environ: dict, where: str | Path = "factwatch.yaml") -> BotSettings:
    """Read the settings (bot/settings_schema.py); every problem names the file, the line when
    known (a file read by factwatch.config) and the key, and says what to write instead."""
    problems = unknown_keys(SettingsFileSpec, config, (), lambda path: dotted(path) or "설정 파일 맨 위")
    spec, found = validate(SettingsFileSpec, config, (), named=False)
    problems += found
    if problems or spec is None:
        raise ConfigError("\n".join(_say(where, p) for p in sorted(problems, key=lambda p: p.line)))
    slack, schedule, health, new_values = spec.slack, spec.schedule, spec.health, spec.new_values
    channel = environ.get(ENV_CHANNEL) or slack.channel or DEFAULT_CHANNEL
    return BotSettings(
        token=(environ.get(ENV_TOKEN) or "").strip() or None,
        api_url=environ.get(ENV_API_URL) or slack.api_url or None,
        channel=channel,
        topic_channels=MappingProxyType(dict(slack.topics)),
        digest_channel=slack.digest_channel or channel,
        operator_channel=slack.operator_channel or channel,
        timezone=schedule.timezone,
        crawl=schedule.crawl,
        check=schedule.check,
        deliver=schedule.deliver,
        digest_at=schedule.digest,
        misfire_grace_seconds=schedule.misfire_grace,
        crawl_time_limit_seconds=schedule.crawl_time_limit,
        retry_backoff=slack.retry_backoff,
        crawl_failures_before_alert=health.crawl_failures,
        silent_source_seconds=health.silent_after,
        new_value_window_days=max(1, new_values.window // 86400),
        new_value_min_outlets=new_values.outlets,
        answers=parse_answer_settings(config, environ, where, _duration),
    )


def _duration(value, where: str) -> int:
    try:
        return duration_seconds(value)
    except WrongValue as error:
        raise ConfigError(f"{where}: {error}") from None


def _say(where, problem: Problem) -> str:
    place = f"{where}:{problem.line}" if problem.line else f"{where}"
    if "알 수 없는 항목" in problem.message or "이름 없는 항목" in problem.message:
        return f"{place}: {problem.message}"
    return f"{place}: {dotted(problem.path)}: {problem.message}"


def parse_duration(value, where: str) -> int:
    """'90s', '30m', '2h', '1d' or a number of seconds → seconds."""
    try:
        return duration_seconds(value)
    except WrongValue as error:
        raise ConfigError(f"{where}: {error.args[0]}") from None


def parse_schedule(value, where: str) -> Schedule:
    """'30m' (every 30 minutes), {every: 30m} or {cron: '*/30 7-23 * * *'}."""
    try:
        return schedule_of(value)[0]
    except WrongValue as error:
        inner = f".{error.args[1]}" if len(error.args) > 1 else ""
        raise ConfigError(f"{where}{inner}: {error.args[0]}") from None


def parse_clock(value, where: str) -> time:
    try:
        return clock_of(value)
    except WrongValue as error:
        raise ConfigError(f"{where}: {error.args[0]}") from None
