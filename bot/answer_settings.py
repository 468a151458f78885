"""The `answers:` and `claimreview:` sections of factwatch.yaml: how fact-checkers answer an alert.

Kept apart from bot/settings.py (which only gains one field holding this record) so the
answer settings can move into the pydantic settings schema as one block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from bot.answers import CONFIRMED, FALSE_ALARM, IGNORED
from factwatch.config import ConfigError

ENV_SIGNING_SECRET = "SLACK_SIGNING_SECRET"

# Korean newsrooms answer yes/no with O and X (⭕ 맞음, ❌ 틀림), so ⭕ confirms the alert and
# ❌ says the alert is wrong (오탐). ✅ is accepted for 맞음 too: Slack users reach for it by
# habit. 🙈 ("못 본 걸로") is "not worth checking". Names as Slack gives them, without colons.
DEFAULT_EMOJI: dict[str, tuple[str, ...]] = {
    CONFIRMED: ("o", "white_check_mark"),
    FALSE_ALARM: ("x",),
    IGNORED: ("see_no_evil",),
}
_KEYS = {CONFIRMED: "confirmed", FALSE_ALARM: "false_alarm", IGNORED: "ignored"}


@dataclass(frozen=True)
class ClaimReviewSettings:
    """Who publishes the ClaimReview records and where each review lives (`factwatch export claimreview`)."""

    organization: str | None = None  # the fact-checking organisation's name (the review's author)
    organization_url: str | None = None
    url: str | None = None  # the review page, a template with {alert_id}, e.g. https://fc.example.kr/review/{alert_id}


@dataclass(frozen=True)
class AnswerSettings:
    # emoji name → answer kind (confirmed / false_alarm / ignored)
    emoji: MappingProxyType = field(default_factory=lambda: MappingProxyType(
        {name: kind for kind, names in DEFAULT_EMOJI.items() for name in names}))
    read_every_seconds: int = 5 * 60
    # Answers are read on alerts sent within this span: older threads are settled, and reading
    # every alert ever sent would cost one more Web API page per cycle each week.
    window_days: int = 14
    # False alarms on one fact before the maintainers hear of it (see docs/bot.md, "Answers").
    false_alarm_notice: int = 3
    # Block Kit buttons on alerts: only when the interactivity endpoint runs (`factwatch answers serve`).
    buttons: bool = False
    signing_secret: str | None = None
    claimreview: ClaimReviewSettings = ClaimReviewSettings()

    def names_for(self, kind: str) -> tuple[str, ...]:
        return tuple(name for name, of in self.emoji.items() if of == kind)


def parse_answer_settings(config: dict, environ: dict, where: str | Path, parse_duration) -> AnswerSettings:
    """Read `answers:` and `claimreview:`; errors name the file and the key."""
    section = config.get("answers") or {}
    review = config.get("claimreview") or {}
    for name, value in (("answers", section), ("claimreview", review)):
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: {name}: 'key: value' 항목이어야 합니다")
    emoji: dict[str, str] = {}
    for kind, key in _KEYS.items():
        names = section.get(key, list(DEFAULT_EMOJI[kind]))
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip(": ") for n in names):
            raise ConfigError(f"{where}: answers.{key}: 이모지 이름 목록을 쓰세요 (예: [x, no_entry_sign], 콜론 없이)")
        for name in names:
            clean = name.strip().strip(":")
            if clean in emoji and emoji[clean] != kind:
                raise ConfigError(f"{where}: answers.{key}: '{clean}' 이모지가 다른 답에도 쓰였습니다 — 한 이모지는 한 답만 뜻해야 합니다")
            emoji[clean] = kind
    notice = section.get("false_alarm_notice", 3)
    if not isinstance(notice, int) or isinstance(notice, bool) or notice < 1:
        raise ConfigError(f"{where}: answers.false_alarm_notice: 1 이상의 정수를 쓰세요 (기본 3)")
    buttons = section.get("buttons", False)
    if not isinstance(buttons, bool):
        raise ConfigError(f"{where}: answers.buttons: true 또는 false를 쓰세요")
    url = review.get("url")
    if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
        raise ConfigError(f"{where}: claimreview.url: 팩트체크 글 주소 틀을 쓰세요 (예: https://factcheck.example.kr/review/{{alert_id}})")
    return AnswerSettings(
        emoji=MappingProxyType(emoji),
        read_every_seconds=parse_duration(section.get("read", "5m"), f"{where}: answers.read"),
        window_days=max(1, parse_duration(section.get("window", "14d"), f"{where}: answers.window") // 86400),
        false_alarm_notice=notice,
        buttons=buttons,
        signing_secret=(environ.get(ENV_SIGNING_SECRET) or "").strip() or None,
        claimreview=ClaimReviewSettings(
            organization=_optional_text(review, "organization", where),
            organization_url=_optional_text(review, "organization_url", where),
            url=url,
        ),
    )


def _optional_text(section: dict, key: str, where) -> str | None:
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: claimreview.{key}: 문자열을 쓰세요")
    return value.strip()
