"""Matching a store's pending alerts against factwatch's messages already in a channel.

A store that has never sent anything — a new install, or the wrong file (a relative
FACTWATCH_DB resolved in another folder) — would otherwise post every alert again. Its story
ids, and so its keys, need not match the old store's, so a message is also recognised by the
article's URL, the fact and the figure it carries in its metadata.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.outbox import normalize_claimed


@dataclass(frozen=True)
class PendingAlert:
    id: int
    key: str
    url: str | None
    fact: str | None
    claimed: str | None


def _same_url(a: str | None, b: str | None) -> bool:
    # A trailing slash is the one difference two versions of factwatch may make to one link.
    if not a or not b:
        return False
    return a.rstrip("/") == b.rstrip("/")


def match_posted(pending: list[PendingAlert], posted: list[tuple[str, dict]]) -> dict[int, str]:
    """{alert id: ts of the message already posted for it}. Each message accounts for one alert."""
    by_key = {payload["key"]: ts for ts, payload in posted if payload.get("key")}
    described = [(ts, payload) for ts, payload in posted if payload.get("url") and payload.get("fact")]
    used: set[str] = set()
    found: dict[int, str] = {}
    for alert in pending:
        ts = by_key.get(alert.key)
        if ts is None:
            ts = next(
                (
                    ts for ts, payload in described
                    if ts not in used and _same_url(payload["url"], alert.url) and payload["fact"] == alert.fact
                    and normalize_claimed(payload.get("claimed")) == normalize_claimed(alert.claimed)
                ),
                None,
            )
        if ts is not None and ts not in used:
            used.add(ts)
            found[alert.id] = ts
    return found
