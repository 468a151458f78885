"""The in-flight rule every posted message follows (alerts, operator notices, the digest).

A row is marked "sending" (committed) before chat.postMessage and carries a metadata key in
the message. A row found "sending" later may already be in Slack — the answer was lost, or
the process died — so the channel's history is searched for its key before it is posted
again. Without this, a lost answer posts the message twice.
"""

from __future__ import annotations

from datetime import datetime

from bot.sender import DeliveryError, Sender, SlackUnavailable

# Slack's ts comes from Slack's clock, the attempt time from ours: look this far before the
# attempt when searching history for an in-flight post.
HISTORY_MARGIN_SECONDS = 600


def history_since(attempted_at: str | None) -> float | None:
    """The `oldest` bound for a history search of a post attempted at `attempted_at` (ISO)."""
    if not attempted_at:
        return None
    return datetime.fromisoformat(attempted_at).timestamp() - HISTORY_MARGIN_SECONDS


def find_in_flight(sender: Sender, channel: str, key: str, attempted_at: str | None,
                   thread_ts: str | None = None) -> str | None:
    """The ts of the message posted for `key` by an earlier attempt, or None if it is not there.

    Raises the sender's errors: when history cannot be read, the caller must not post.
    """
    return sender.find_posted(channel, key, history_since(attempted_at), thread_ts)


def may_have_posted(error: DeliveryError) -> bool:
    """After this failure, could Slack have the message? Then the row stays "sending"."""
    return isinstance(error, SlackUnavailable) and error.posted_unknown
