"""Posts built messages to Slack (slack-sdk WebClient) or, without a token, prints them to the console."""

from __future__ import annotations

import logging
import re
import sys
import time
from typing import Any, Protocol, TextIO
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.message import SlackMessage, render_console

log = logging.getLogger(__name__)

METADATA_EVENT = "factwatch_alert"
CONSOLE_TS_PREFIX = "console-"
# How far back a store that has never sent anything looks for factwatch's own messages
# (pages of 200): enough for months of alerts, bounded so a busy channel costs seconds.
SCAN_PAGES = 25

# Errors that no retry will fix: the operator must change the token, the channel or invite
# the bot. The alerts stay pending until they do.
SETUP_ERRORS = {
    "invalid_auth": "Slack 토큰이 거부되었습니다(invalid_auth): SLACK_BOT_TOKEN을 확인하세요",
    "not_authed": "Slack 토큰이 없습니다(not_authed): SLACK_BOT_TOKEN을 설정하세요",
    "account_inactive": "Slack 봇 계정이 비활성입니다(account_inactive): 앱 설치를 확인하세요",
    "token_revoked": "Slack 토큰이 폐기되었습니다(token_revoked): 새 토큰을 발급하세요",
    "token_expired": "Slack 토큰이 만료되었습니다(token_expired): 새 토큰을 발급하세요",
    "missing_scope": "Slack 앱 권한이 부족합니다(missing_scope): chat:write, channels:history 권한을 추가하세요",
    "channel_not_found": "Slack 채널을 찾을 수 없습니다(channel_not_found): factwatch.yaml의 slack 채널 설정을 확인하세요",
    "not_in_channel": "봇이 채널에 없습니다(not_in_channel): 채널에서 `/invite @봇이름`을 실행하세요",
    "is_archived": "보관된 채널입니다(is_archived): 다른 채널을 설정하세요",
}
AUTH_ERRORS = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}

# Slack's own trouble, answered as HTTP 200 {"ok": false}: not the message's fault, so the
# alert waits for the next cycle. With internal_error and fatal_error Slack may have posted
# the message anyway, so the alert is reconciled against history before any resend.
TRANSIENT_ERRORS = {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
MAYBE_POSTED_ERRORS = {"internal_error", "fatal_error"}
# slack-sdk's message for a body that is not JSON (a proxy's or load balancer's page).
NON_JSON_PREFIX = "Received a response in a non-JSON format"


class DeliveryError(Exception):
    """Base for what a send can end in besides success."""


class SlackUnavailable(DeliveryError):
    """Slack (or the network) did not answer well even after retries: try again next cycle.

    `posted_unknown` is True when the request may have reached Slack (no response came back),
    so the alert must be reconciled against history before it is sent again.
    """

    def __init__(self, message: str, posted_unknown: bool = False):
        super().__init__(message)
        self.posted_unknown = posted_unknown


class SlackTransient(SlackUnavailable):
    """Slack answered, but with its own trouble (internal_error, a proxy page…) for this one call.

    The next message may well go through, so delivery goes on; a few in a row end the cycle.
    """


class SlackServerError(SlackUnavailable):
    """An HTTP 5xx: Slack may or may not have acted on the request."""


class SlackSetupError(DeliveryError):
    """Token or channel is wrong; nothing is lost, but a person has to fix the setup."""

    def __init__(self, code: str, channel: str | None = None):
        on_channel = channel and code not in AUTH_ERRORS  # a refused token is not about one channel
        super().__init__(SETUP_ERRORS.get(code, code) + (f" [채널 {channel}]" if on_channel else ""))
        self.code = code
        self.channel = channel

    @property
    def affects_all_channels(self) -> bool:
        return self.code in AUTH_ERRORS


class SlackRejected(DeliveryError):
    """Slack refused this one message (e.g. invalid_blocks): retrying it would fail the same way."""


class Sender(Protocol):
    def post(self, channel: str, message: SlackMessage, metadata: dict | None, thread_ts: str | None) -> str: ...

    def find_posted(self, channel: str, key: str, oldest: float | None, thread_ts: str | None) -> str | None: ...

    def list_posted(self, channel: str) -> list[tuple[str, dict]]: ...


def build_client(token: str, base_url: str | None = None, backoff: float = 0.5, timeout: int = 30) -> WebClient:
    """A WebClient that retries connection errors, 5xx with backoff and 429 after Retry-After."""
    interval = BackoffRetryIntervalCalculator(backoff_factor=backoff)
    handlers = [
        # urllib wraps failures while connecting or sending in URLError: safe to retry. A reset
        # or disconnect while awaiting the answer (raised unwrapped) may follow a post Slack did
        # accept, so it is not retried here: the alert stays "sending" and is reconciled.
        ConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=interval, error_types=[URLError]),
        RateLimitErrorRetryHandler(max_retry_count=5),
        # No ServerErrorRetryHandler: a 5xx can come after Slack posted (a gateway timing
        # out), and a blind resend would post twice. SlackSender.post looks in the channel
        # first, then retries itself.
    ]
    kwargs: dict[str, Any] = {"base_url": base_url} if base_url else {}
    return WebClient(token=token, timeout=timeout, retry_handlers=handlers, **kwargs)


CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{8,}")


class ChannelDirectory:
    """Channel names → IDs for reading: chat.postMessage takes a name ('#factcheck'), but
    conversations.history, .replies and reactions.get take only IDs. `list_page(**params)` is
    one conversations.list call (scope channels:read / groups:read); names are looked up once."""

    def __init__(self, list_page):
        self._list_page = list_page
        self._ids: dict[str, str] | None = None

    def id_of(self, channel: str) -> str:
        if CHANNEL_ID.fullmatch(channel):
            return channel
        if self._ids is None:
            self._ids = {}
            cursor = None
            while True:
                params = {"types": "public_channel,private_channel", "exclude_archived": True, "limit": 1000}
                if cursor:
                    params["cursor"] = cursor
                response = self._list_page(**params)
                for found in response.get("channels", []):
                    self._ids[str(found.get("name"))] = str(found.get("id"))
                cursor = (response.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        return self._ids.get(channel.lstrip("#"), channel)


class SlackSender:
    """Sends through the Slack Web API; translates slack-sdk failures into the three errors above."""

    SERVER_ERROR_RETRIES = 2

    def __init__(self, client: WebClient, backoff: float = 0.5, clock=time.time, pause=time.sleep):
        self.client = client
        self.backoff = backoff
        self.clock = clock
        self.pause = pause
        self.channels = ChannelDirectory(lambda **params: self._call(self.client.conversations_list, **params))

    def post(self, channel: str, message: SlackMessage, metadata: dict | None = None, thread_ts: str | None = None) -> str:
        kwargs = {"channel": channel, "text": message.text, "blocks": list(message.blocks), "unfurl_links": False}
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        if metadata:
            kwargs["metadata"] = {"event_type": METADATA_EVENT, "event_payload": metadata}
        key = (metadata or {}).get("key")
        started = self.clock()
        for attempt in range(self.SERVER_ERROR_RETRIES + 1):
            try:
                return self._call(self.client.chat_postMessage, **kwargs)["ts"]
            except SlackServerError as error:
                if key is None:
                    raise SlackUnavailable(str(error), posted_unknown=True) from None
                # Slack may have posted before the 5xx: look before posting again.
                found = self.find_posted(channel, key, oldest=started - 60, thread_ts=thread_ts)
                if found:
                    return found
                if attempt == self.SERVER_ERROR_RETRIES:
                    raise SlackUnavailable(str(error), posted_unknown=True) from None
                self.pause(self.backoff * 2**attempt)
        raise AssertionError("unreachable")

    def check_token(self) -> str:
        """Ask Slack who we are (auth.test), so a bad token is reported at start-up, not at the
        first alert hours later. Returns the workspace name; raises SlackSetupError/SlackUnavailable."""
        response = self._call(self.client.auth_test)
        return str(response.get("team") or response.get("team_id") or "")

    def find_posted(self, channel: str, key: str, oldest: float | None = None, thread_ts: str | None = None) -> str | None:
        """The ts of a message we posted for `key` (metadata), searching recent history or the thread."""
        # A bound, not an expectation: history since `oldest` is short.
        for ts, payload in self._our_messages(channel, oldest, thread_ts, pages=50):
            if payload.get("key") == key:
                return ts
        return None

    def list_posted(self, channel: str, pages: int = SCAN_PAGES) -> list[tuple[str, dict]]:
        """(ts, metadata payload) of factwatch's own messages among the channel's latest messages."""
        return list(self._our_messages(channel, None, None, pages))

    def _our_messages(self, channel: str, oldest: float | None, thread_ts: str | None, pages: int):
        cursor = None
        channel = self.channels.id_of(channel)
        for _page in range(pages):
            params = {"channel": channel, "include_all_metadata": True, "limit": 200}
            if oldest is not None:
                params["oldest"] = f"{oldest:.6f}"
            if cursor:
                params["cursor"] = cursor
            if thread_ts:
                response = self._call(self.client.conversations_replies, ts=thread_ts, **params)
            else:
                response = self._call(self.client.conversations_history, **params)
            for item in response.get("messages", []):
                meta = item.get("metadata") or {}
                if meta.get("event_type") == METADATA_EVENT:
                    yield item["ts"], meta.get("event_payload") or {}
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    def _call(self, method, **kwargs):
        channel = kwargs.get("channel")
        try:
            return method(**kwargs)
        except SlackApiError as error:
            status = error.response.status_code
            code = (error.response.data or {}).get("error", "") if isinstance(error.response.data, dict) else ""
            posting = method.__name__ == "chat_postMessage"
            if status >= 500:
                raise SlackServerError(f"Slack 응답 {status} {code}".strip(), posted_unknown=posting) from None
            if status == 429:
                raise SlackUnavailable(f"Slack 응답 {status} {code}".strip()) from None
            if code in TRANSIENT_ERRORS:
                raise SlackTransient(
                    f"Slack 일시 오류({code})", posted_unknown=posting and code in MAYBE_POSTED_ERRORS
                ) from None
            if code.startswith(NON_JSON_PREFIX) or not isinstance(error.response.data, dict):
                # Not Slack talking (a proxy page): whether the post got through is unknown.
                raise SlackTransient(f"Slack이 아닌 응답(HTTP {status}): {code[len(NON_JSON_PREFIX):].strip(': ')[:100]}",
                                       posted_unknown=posting) from None
            if code in SETUP_ERRORS:
                raise SlackSetupError(code, channel) from None
            raise SlackRejected(f"Slack이 메시지를 거부했습니다: {code or status}") from None
        except ConnectionRefusedError as error:
            raise SlackUnavailable(f"Slack에 연결할 수 없습니다: {error}") from None
        except OSError as error:
            # URLError, timeouts, resets: the request may or may not have reached Slack.
            refused = isinstance(getattr(error, "reason", None), ConnectionRefusedError)
            raise SlackUnavailable(f"Slack 연결 오류: {error}", posted_unknown=not refused) from None


class ConsoleSender:
    """The default without a token: the same messages, printed as they would read in Slack."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdout
        self.count = 0

    def post(self, channel: str, message: SlackMessage, metadata: dict | None = None, thread_ts: str | None = None) -> str:
        self.count += 1
        where = f"{channel} (스레드 답글)" if thread_ts else channel
        print(f"\n┌─ Slack {where} 에 보낼 메시지\n{render_console(message)}\n└─", file=self.stream, flush=True)
        return f"{CONSOLE_TS_PREFIX}{self.count}"

    def find_posted(self, channel: str, key: str, oldest: float | None = None, thread_ts: str | None = None) -> str | None:
        return None

    def list_posted(self, channel: str, pages: int = SCAN_PAGES) -> list[tuple[str, dict]]:
        return []  # the console keeps no history
