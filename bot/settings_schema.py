"""The declared schema of the settings file (factwatch.yaml): every section and key, its type,
default and meaning, for the bot's loader (bot/settings.py), editors (JSON Schema) and the key
table of docs/bot.md (factwatch/schema_docs.py). Secrets are never here (environment only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, WithJsonSchema

from factwatch.fileschema import Spec, fail

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DURATION_PATTERN = r"^\s*[1-9]\d*\s*[smhd]\s*$"


class WrongValue(ValueError):
    """A value of the wrong form; the message says what to write instead (without the key)."""


@dataclass(frozen=True)
class Schedule:
    """When a job runs: every N seconds, or on a crontab line."""

    every_seconds: int | None = None
    cron: str | None = None

    def describe(self) -> str:
        return f"cron '{self.cron}'" if self.cron else f"{self.every_seconds}초마다"


def duration_seconds(value) -> int:
    """'90s', '30m', '2h', '1d' or a number of seconds → seconds."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", str(value))
    if not match or int(match.group(1)) == 0:
        raise WrongValue(f"기간 형식이 아닙니다: {value!r} (예: 90s, 30m, 2h, 1d)")
    return int(match.group(1)) * _UNITS[match.group(2)]


def schedule_of(value) -> tuple[Schedule, str | None]:
    """'30m' (every 30 minutes), {every: 30m} or {cron: '*/30 7-23 * * *'}; the key inside the
    value a problem is about comes with the error (`cron`)."""
    if isinstance(value, dict):
        if "cron" in value:
            cron = str(value["cron"])
            if len(cron.split()) != 5:
                raise WrongValue(f"crontab 다섯 칸이 필요합니다: {cron!r} (예: '*/30 7-23 * * *')", "cron")
            return Schedule(cron=cron), None
        if "every" in value:
            try:
                return Schedule(every_seconds=duration_seconds(value["every"])), None
            except WrongValue as error:
                raise WrongValue(str(error), "every") from None
        raise WrongValue("'every' 또는 'cron' 중 하나가 필요합니다 (예: every: 30m)")
    return Schedule(every_seconds=duration_seconds(value)), None


def clock_of(value) -> time:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(value))
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise WrongValue(f"시각 형식이 아닙니다: {value!r} (예: \"09:00\")")
    return time(int(match.group(1)), int(match.group(2)))


def _as(convert):
    def validator(value):
        try:
            return convert(value)
        except WrongValue as error:
            raise fail(str(error.args[0]), at=error.args[1] if len(error.args) > 1 else None) from None
    return validator


_DURATION_SCHEMA = {"anyOf": [{"type": "string", "pattern": DURATION_PATTERN}, {"type": "integer", "minimum": 1}]}
Duration = Annotated[int, BeforeValidator(_as(duration_seconds)), WithJsonSchema(_DURATION_SCHEMA)]
Every = Annotated[Schedule, BeforeValidator(_as(lambda v: schedule_of(v)[0])), WithJsonSchema({"anyOf": [
    *_DURATION_SCHEMA["anyOf"],
    {"type": "object", "properties": {"every": _DURATION_SCHEMA}, "required": ["every"], "additionalProperties": False},
    {"type": "object", "properties": {"cron": {"type": "string"}}, "required": ["cron"], "additionalProperties": False},
]})]
Clock = Annotated[time, BeforeValidator(_as(clock_of)), WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$"})]


def _channel(value):
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise fail("채널 이름이나 ID를 문자열로 쓰세요 (예: \"#factcheck\" 또는 C0123456)")
    return value.strip()


Channel = Annotated[str | None, BeforeValidator(_channel), WithJsonSchema({"type": "string"})]


def _topics(value):
    if value is None:
        return {}
    if not isinstance(value, dict) or any(isinstance(v, (dict, list)) or v is None for v in value.values()):
        raise fail("'주제: 채널' 목록이어야 합니다 (예: budget: \"#factcheck-budget\")")
    return {str(k): str(v) for k, v in value.items()}


def _timezone(value):
    text = str(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(f"알 수 없는 시간대 '{text}' (예: Asia/Seoul)") from None
    return text


def _outlets(value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 2:
        raise fail("2 이상의 정수를 쓰세요 (한 매체의 보도는 추세가 아닙니다)")
    return value


def _section(value):
    return {} if value is None else value  # `slack:` with nothing under it: the defaults


class SlackSpec(Spec):
    """Where alerts go. The token is never here: `SLACK_BOT_TOKEN` in the environment."""

    channel: Channel = Field(None, json_schema_extra={"default": "#factcheck"}, description=(
        "Default channel for alerts (name or ID); read at each delivery, so a fix applies to pending alerts after a "
        "restart. The environment variable `SLACK_CHANNEL` overrides it."))
    topics: Annotated[dict[str, str], BeforeValidator(_topics)] = Field(default_factory=dict, description=(
        "`topic-id: channel`: alerts about facts of that rule-file topic go there: "
        "`gwangju-ai-cluster: \"#factcheck-gwangju-ai\"`."))
    digest_channel: Channel = Field(None, description="Where the daily digest goes (default: `slack.channel`).")
    operator_channel: Channel = Field(None, description=(
        "Where operator alerts (crawl failing, source silent, Slack setup, 새 값 후보) go (default: `slack.channel`)."))
    retry_backoff: float = Field(0.5, ge=0, description=(
        "Seconds before the first retry of a 5xx or a dropped connection; doubles each try."))
    api_url: str | None = Field(None, description=(
        "Slack Web API base URL (default `https://slack.com/api/`); the environment variable `SLACK_API_URL` "
        "overrides it. For tests and staging."))


class ScheduleSpec(Spec):
    """When the bot's jobs run."""

    timezone: Annotated[str, BeforeValidator(_timezone)] = Field("Asia/Seoul", description=(
        "Time zone of the cron schedules and the digest time."))
    crawl: Every = Field(Schedule(every_seconds=30 * 60), json_schema_extra={"default": "30m"}, description=(
        "How often to crawl: a duration (`90s`, `30m`, `2h`, `1d`) or `{cron: \"*/30 7-23 * * *\"}`; each crawl is "
        "followed at once by a check and a delivery."))
    check: Every = Field(Schedule(every_seconds=5 * 60), json_schema_extra={"default": "5m"}, description=(
        "How often to check stored, unchecked article versions (picks up rule edits and articles saved by a crawl "
        "that was cut short)."))
    deliver: Every = Field(Schedule(every_seconds=60), json_schema_extra={"default": "1m"}, description=(
        "How often to retry pending alerts (e.g. after a Slack outage)."))
    digest: Clock = Field(time(9, 0), json_schema_extra={"default": "09:00"}, description=(
        "Daily digest time, local; if the bot was down then, the digest is posted on start-up. Quote it: "
        "`digest: \"09:00\"`."))
    misfire_grace: Duration = Field(15 * 60, json_schema_extra={"default": "15m"}, description=(
        "A run delayed by up to this much still happens (APScheduler's default of 1 s silently drops late runs)."))
    crawl_time_limit: Duration = Field(15 * 60, json_schema_extra={"default": "15m"}, description=(
        "A crawl still running after this is killed, recorded as `timeout`, and retried next time."))


class HealthSpec(Spec):
    """When the operators hear about a source."""

    crawl_failures: int = Field(3, ge=1, description=(
        "Consecutive failed crawls, or failed runs of one source, before an operator alert."))
    silent_after: Duration = Field(2 * 86400, json_schema_extra={"default": "2d"}, description=(
        "A source whose pages have yielded no article at all for this long raises an operator alert."))


class NewValuesSpec(Spec):
    """The "새 값 후보" notice (README, "When a value moves on")."""

    window: Duration = Field(30 * 86400, json_schema_extra={"default": "30d"}, description=(
        "Reports of one value for a fact within this span count together for a \"새 값 후보\" notice."))
    outlets: Annotated[int, BeforeValidator(_outlets)] = Field(2, json_schema_extra={"minimum": 2}, description=(
        "Independent outlets (syndicated copies of one story count once) that make a new value candidate; at least 2."))


class SettingsFileSpec(Spec):
    """factwatch.yaml: every section and key is optional."""

    NOT_A_MAPPING: ClassVar[str] = "설정 파일의 최상위는 'key: value' 형태여야 합니다"

    slack: Annotated[SlackSpec, BeforeValidator(_section)] = Field(default_factory=lambda: SlackSpec.model_validate({}), description="Slack.")
    schedule: Annotated[ScheduleSpec, BeforeValidator(_section)] = Field(
        default_factory=lambda: ScheduleSpec.model_validate({}), description="The bot's schedules.")
    health: Annotated[HealthSpec, BeforeValidator(_section)] = Field(
        default_factory=lambda: HealthSpec.model_validate({}), description="Source health alerts.")
    new_values: Annotated[NewValuesSpec, BeforeValidator(_section)] = Field(
        default_factory=lambda: NewValuesSpec.model_validate({}), description="New value candidates.")
    answers: Annotated[dict[str, Any], BeforeValidator(_section)] = Field(default_factory=dict, description=(
        "How fact-checkers answer alerts (맞음/오탐/무시): `confirmed`, `false_alarm`, `ignored` (emoji names), "
        "`read` (how often answers are read, default `5m`), `window` (how far back, default `14d`), "
        "`false_alarm_notice` (false alarms on one fact before the maintainers' notice, default 3), `buttons` "
        "(true: alerts carry answer buttons, needs `factwatch answers serve`); see docs/bot.md, checked by bot/answer_settings.py."))
    claimreview: Annotated[dict[str, Any], BeforeValidator(_section)] = Field(default_factory=dict, description=(
        "`factwatch export claimreview`: `organization`, `organization_url`, and `url` (the review page, "
        "a template with `{alert_id}`); see docs/bot.md."))
    crawl: Annotated[dict[str, Any], BeforeValidator(_section)] = Field(default_factory=dict, description=(
        "Each key becomes the Scrapy setting `FACTWATCH_<KEY>` of `factwatch crawl`, e.g. "
        "`contact_url: https://newsroom.example.kr/factwatch` (goes into the User-Agent); see docs/crawler.md."))
