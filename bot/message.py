"""Builds Slack messages (Block Kit + plain-text fallback) from alerts, digests and operator notices; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict
from slack_sdk.models.blocks import (
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from checker.alertable import AlertableFinding, ArticleRef
from checker.verdicts import VERDICT_KO, Verdict, verdict_label

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks): the model classes raise
# when they are exceeded, so every piece of text is clipped below them before building.
SECTION_TEXT_MAX = 3000
FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
CONTEXT_TEXT_MAX = 3000
BLOCKS_MAX = 50
FALLBACK_TEXT_MAX = 3000

VERDICT_LABELS = VERDICT_KO  # the one table (checker/verdicts.py); the name is kept for callers
VERDICT_ICONS: dict[str, str] = {
    Verdict.CONFLICT: ":x:", Verdict.IMPRECISE: ":warning:", Verdict.OUTDATED: ":hourglass:",
    Verdict.SUM_MISMATCH: ":heavy_plus_sign:",
}


@dataclass(frozen=True)
class SlackMessage:
    text: str  # the plain-text fallback (notifications, screen readers)
    blocks: tuple[dict, ...]


class AlertContent(BaseModel):
    """Everything an alert message shows except its id and kind: the `bot_alerts.view` JSON.

    Taken from the AlertableFinding when the alert is queued and never rebuilt: sending reads
    only this (never `findings`, which a recheck replaces), so an alert stays deliverable.
    """

    model_config = ConfigDict(frozen=True)

    verdict: str = Verdict.UNKNOWN  # a Verdict's value; str so a row from a newer version still reads
    fact_description: str = ""
    claimed: str = ""
    canonical: str | None = None
    explanation: str = ""
    hint: str | None = None
    sentence: str = ""
    claim_start: int | None = None  # offsets of the claim inside `sentence`
    claim_end: int | None = None
    rule: str | None = None
    version_display: str | None = None
    version_valid_from: str | None = None  # ISO dates, as shown
    version_valid_until: str | None = None
    version_source: str | None = None
    article_title: str = ""
    outlet: str | None = None
    published: str | None = None
    url: str = ""
    article_version: int = 1
    previous_claimed: str | None = None  # replies: what the first alert said


class AlertView(AlertContent):
    """An alert's content with its outbox id and kind: what build_alert_message turns into a message."""

    alert_id: int
    kind: str  # alert | update | corrected

    @classmethod
    def of(cls, alert_id: int, kind: str, content: AlertContent) -> AlertView:
        return cls(alert_id=alert_id, kind=kind, **dict(content))


# Findings without a fact (arithmetic checks) are keyed by their verdict in angle brackets;
# people read a description instead of the key.
UNNAMED_FACTS = {"<sum_mismatch>": "기사 속 합계와 세부 항목"}


def fact_label(description: str | None, fact_key: str | None = None) -> str:
    """The fact's name as people read it: its description, never an internal key like <sum_mismatch>."""
    text = description or fact_key or ""
    if text.startswith("<") and text.endswith(">"):
        return UNNAMED_FACTS.get(text, "규칙에 없는 검사")
    return text


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def alert_content(finding: AlertableFinding, previous_claimed: str | None = None) -> AlertContent:
    """An alert's content, from the finding it is about."""
    version = finding.version
    return AlertContent(
        verdict=finding.verdict,
        fact_description=fact_label(finding.fact_description, finding.fact_key),
        claimed=finding.claimed,
        canonical=finding.canonical,
        explanation=finding.explanation,
        hint=finding.hint,
        sentence=finding.sentence,
        claim_start=finding.claim_start,
        claim_end=finding.claim_end,
        rule=finding.rule,
        version_display=version.display if version else None,
        version_valid_from=_iso(version.valid_from) if version else None,
        version_valid_until=_iso(version.valid_until) if version else None,
        version_source=version.source if version else None,
        previous_claimed=previous_claimed,
        **_article_fields(finding.article),
    )


def dropped_claim_content(first: AlertContent | None, fact_key: str, article: ArticleRef) -> AlertContent:
    """A correction whose claim was dropped from the edit: the first alert's content, this edition."""
    base = first if first is not None else AlertContent(fact_description=fact_label(None, fact_key))
    return base.model_copy(update={"claimed": "", "previous_claimed": None, **_article_fields(article)})


def _article_fields(article: ArticleRef) -> dict:
    return {"article_title": article.title, "outlet": article.outlet, "published": article.published,
            "url": article.url, "article_version": article.version}


def escape_mrkdwn(text: str | None) -> str:
    """Make untrusted text inert in mrkdwn: `<!channel>`, `<@U1>`, `<http://x|y>` become plain text."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip_escaped(text: str | None, limit: int) -> str:
    """Escape `text` and shorten it (with …) so the escaped form fits in `limit` characters.

    Cutting happens on the raw text, so an entity like `&amp;` is never split in half.
    """
    raw = text or ""
    escaped = escape_mrkdwn(raw)
    while len(escaped) > limit:
        raw = raw[: max(0, len(raw) - (len(escaped) - limit) - 1)]
        escaped = escape_mrkdwn(raw) + "…"
    return escaped


def build_link(url: str | None, label: str | None, limit: int = 500) -> str:
    """A mrkdwn link whose label and address cannot break out of `<…|…>`; non-http(s) URLs stay text."""
    safe_label = clip_escaped(label or url or "", limit)
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return safe_label
    address = quote(url, safe=":/?#[]@!$'()*+,;=%-._~")  # encodes | < > " space and non-ASCII
    return f"<{address}|{safe_label}>"


def build_marked_sentence(sentence: str, start: int | None, end: int | None, claimed: str, limit: int = 2500) -> str:
    """The sentence, escaped, with the claim wrapped in 【】 so the eye finds it at once.

    `start`/`end` are offsets in the sentence as extracted, so it is cut there first and each
    piece's runs of whitespace collapsed after (collapsing first would shift the claim).
    """
    raw = sentence or ""
    if start is None or end is None or not (0 <= start < end <= len(raw)):
        found = raw.find(claimed) if claimed else -1
        start, end = (found, found + len(claimed)) if found >= 0 else (None, None)
    if start is None:
        collapsed = _collapse(raw).strip()
        found = collapsed.find(claimed) if claimed else -1
        if found < 0:
            return clip_escaped(collapsed, limit)
        raw, start, end = collapsed, found, found + len(claimed)
    before, claim, after = _collapse(raw[:start]).lstrip(), _collapse(raw[start:end]).strip(), _collapse(raw[end:]).rstrip()
    budget = max(40, (limit - len(claim) - 10) // 2)
    return f"{_clip_left_escaped(before, budget)}【{clip_escaped(claim, 200)}】{clip_escaped(after, budget)}"


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _clip_left_escaped(text: str, limit: int) -> str:
    """Like clip_escaped, but keeps the end of the text (the words just before the claim)."""
    escaped = escape_mrkdwn(text)
    while len(escaped) > limit:
        text = text[len(escaped) - limit + 1 :]
        escaped = "…" + escape_mrkdwn(text)
    return escaped


def build_canonical_text(view: AlertView) -> str:
    parts = [clip_escaped(view.canonical or view.version_display or "—", 500)]
    when = []
    if view.version_valid_from:
        when.append(f"{view.version_valid_from} 기준")
    if view.version_valid_until:
        when.append(f"{view.version_valid_until}까지")
    if when:
        parts.append(f"({' '.join(when)})")
    source = view.version_source
    if source and re.match(r"^https?://", source, re.IGNORECASE):
        parts.append(build_link(source, "출처"))
    elif source:
        parts.append(f"출처: {clip_escaped(source, 300)}")
    return " ".join(parts)


def build_alert_message(view: AlertView) -> SlackMessage:
    """A finding as a Slack alert (or, for kind update/corrected, a thread reply on the first alert)."""
    label = verdict_label(view.verdict)
    icon = VERDICT_ICONS.get(view.verdict, ":warning:")
    if view.kind == "corrected":
        title = f"✅ 기사 수정: 바로잡혔습니다 · {view.fact_description}"
        lead = (
            f"{_edition(view.article_version)}에서 이 수치가 *{clip_escaped(view.claimed, 200)}*(으)로 바뀌어 기준값과 맞습니다."
            if view.claimed
            else f"{_edition(view.article_version)}에서 문제의 주장이 빠졌습니다."
        )
        blocks = [
            HeaderBlock(text=PlainTextObject(text=_clip_plain(title, HEADER_TEXT_MAX), emoji=True)),
            SectionBlock(text=MarkdownTextObject(text=lead)),
            _article_context(view),
        ]
        text = f"[기사 수정] {view.fact_description}: 바로잡혔습니다 — {view.article_title}"
        return _finish(blocks, text)
    title = f"{label} · {view.fact_description}"
    if view.kind == "update":
        title = f"🔁 기사 수정 후에도 {title}"
    blocks = [
        HeaderBlock(text=PlainTextObject(text=_clip_plain(title, HEADER_TEXT_MAX), emoji=True)),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"{icon} *문장*\n> {build_marked_sentence(view.sentence, view.claim_start, view.claim_end, view.claimed)}"
            )
        ),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"*기사 표기*\n{clip_escaped(view.claimed, FIELD_TEXT_MAX - 200)}" + _previous(view)),
                MarkdownTextObject(text=_clip_field(f"*기준값*\n{build_canonical_text(view)}")),
            ]
        ),
        SectionBlock(text=MarkdownTextObject(text=_reason(view))),
        _article_context(view),
    ]
    if view.rule:
        blocks.append(
            ContextBlock(
                elements=[MarkdownTextObject(text=f"✏️ 기준값을 고치려면 `{clip_escaped(view.rule, 300)}` · 알림 #{view.alert_id}")]
            )
        )
    text = (
        f"[{label}] {view.fact_description}: 기사 {view.claimed} ↔ 기준값 {view.canonical or view.version_display or '—'}"
        f" — {view.article_title} ({view.outlet or '언론사 미상'})"
    )
    return _finish(blocks, text)


def _previous(view: AlertView) -> str:
    if view.kind == "update" and view.previous_claimed:
        return f"\n(처음 알림: {clip_escaped(view.previous_claimed, 200)})"
    return ""


def _reason(view: AlertView) -> str:
    lines = [f"*이유:* {clip_escaped(view.explanation, 2000)}"]
    if view.hint:
        lines.append(f"*참고:* _{clip_escaped(view.hint, 300)}_")
    return "\n".join(lines)


def _article_context(view: AlertView) -> ContextBlock:
    """📰 title-link · outlet · date · edition, clipped as a whole to Slack's limit for the element.

    The link's address cannot be shortened without breaking it: the title gives way first,
    and an address too long to fit at all is dropped (the title stays, as text).
    """
    rest = []
    if view.outlet:
        rest.append(clip_escaped(view.outlet, 200))
    if view.published:
        rest.append(clip_escaped(view.published[:10], 40))
    if view.article_version > 1:
        rest.append(_edition(view.article_version))
    tail = "".join(f" · {part}" for part in rest)
    budget = CONTEXT_TEXT_MAX - len("📰 ") - len(tail)
    label = view.article_title or view.url
    link = build_link(view.url, label, min(1000, budget))
    if len(link) > budget:
        link = clip_escaped(label, min(1000, budget))
    return ContextBlock(elements=[MarkdownTextObject(text=f"📰 {link}{tail}")])


def _edition(version: int) -> str:
    return f"수정된 기사({version}번째 판)"


@dataclass(frozen=True)
class DigestView:
    day: str
    articles_seen: int
    versions_checked: int
    alerts_sent: int
    alerts_pending: int
    crawl_ok: int
    crawl_failed: int
    top_facts: tuple[tuple[str, int], ...]  # (fact description, alerts)
    open_problems: tuple[str, ...]


def build_digest_message(view: DigestView) -> SlackMessage:
    """The daily summary: what was read, what was flagged, what is broken."""
    summary = (
        f"기사 {view.articles_seen}건 확인 · 새 기사·수정본 {view.versions_checked}건 검사 · "
        f"알림 {view.alerts_sent}건 발송 · 대기 {view.alerts_pending}건\n"
        f"수집 {view.crawl_ok + view.crawl_failed}회 (실패 {view.crawl_failed}회)"
    )
    blocks: list = [
        HeaderBlock(text=PlainTextObject(text=_clip_plain(f"📋 factwatch 일일 요약 · {view.day}", HEADER_TEXT_MAX), emoji=True)),
        SectionBlock(text=MarkdownTextObject(text=summary)),
    ]
    if view.top_facts:
        lines = [f"• {clip_escaped(desc, 200)}: {count}건" for desc, count in view.top_facts]
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_clip_lines("*자주 틀린 사실*", lines))))
    if view.open_problems:
        lines = [f"• {clip_escaped(problem, 500)}" for problem in view.open_problems]
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_clip_lines("*운영 문제*", lines))))
    return _finish(blocks, f"factwatch 일일 요약 {view.day}: 알림 {view.alerts_sent}건, 대기 {view.alerts_pending}건")


def build_operator_message(key: str, message: str) -> SlackMessage:
    """A notice for whoever runs the bot (crawl failing, a source gone quiet, Slack setup)."""
    blocks = [
        HeaderBlock(text=PlainTextObject(text="🛠 factwatch 운영 알림", emoji=True)),
        SectionBlock(text=MarkdownTextObject(text=clip_escaped(message, SECTION_TEXT_MAX))),
        ContextBlock(elements=[MarkdownTextObject(text=f"`{clip_escaped(key, 200)}` · `factwatch status`로 자세히 보기")]),
    ]
    return _finish(blocks, f"[factwatch 운영] {message}")


def _clip_lines(title: str, lines: list[str]) -> str:
    kept, size = [title], len(title)
    for index, line in enumerate(lines):
        if size + len(line) + 1 > SECTION_TEXT_MAX - 40:
            kept.append(f"… 외 {len(lines) - index}건")
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


def _clip_field(text: str) -> str:
    return text if len(text) <= FIELD_TEXT_MAX else text[: FIELD_TEXT_MAX - 1] + "…"


def _clip_plain(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finish(blocks: list, text: str) -> SlackMessage:
    if len(blocks) > BLOCKS_MAX:
        blocks = blocks[: BLOCKS_MAX - 1] + [
            ContextBlock(elements=[MarkdownTextObject(text=f"… 외 {len(blocks) - BLOCKS_MAX + 1}개 항목 생략")])
        ]
    # to_dict() validates every block against Slack's limits: a bug here fails loudly, not in Slack.
    return SlackMessage(
        text=clip_escaped(text, FALLBACK_TEXT_MAX),
        blocks=tuple(block.to_dict() for block in blocks),
    )


_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]*)>")


def render_console(message: SlackMessage) -> str:
    """The message as a person would read it in Slack, for the console (no token) mode."""
    lines: list[str] = []
    for block in message.blocks:
        kind = block["type"]
        if kind == "header":
            lines.append(f"━━ {block['text']['text']} ━━")
        elif kind == "section":
            if "text" in block:
                lines.append(_plain(block["text"]["text"]))
            for field in block.get("fields", []):
                lines.append(_plain(field["text"]).replace("\n", ": ", 1))
        elif kind == "context":
            lines.append(" · ".join(_plain(element.get("text", "")) for element in block["elements"]))
        elif kind == "divider":
            lines.append("─" * 40)
    return "\n".join(lines)


_BOLD = re.compile(r"(?<!\w)\*([^*\n]+)\*(?!\w)")
_ITALIC = re.compile(r"(?<!\w)_([^_\n]+)_(?!\w)")


def _plain(mrkdwn: str) -> str:
    text = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", mrkdwn))
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


__all__ = [
    "AlertContent",
    "AlertView",
    "alert_content",
    "dropped_claim_content",
    "fact_label",
    "DigestView",
    "SlackMessage",
    "build_alert_message",
    "build_digest_message",
    "build_operator_message",
    "escape_mrkdwn",
    "render_console",
]
