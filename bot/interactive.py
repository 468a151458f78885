"""Buttons on alerts (맞음 / 오탐 / 무시) and the interactivity endpoint Slack calls when one is pressed.

Only for a workspace that can reach an HTTPS address of the bot (Slack app → Interactivity →
Request URL). Without one, reactions and thread replies are the way to answer (bot/answer_reader.py).
Every request is checked with slack-sdk's SignatureVerifier (X-Slack-Signature over the body and
X-Slack-Request-Timestamp, refused when older than five minutes), so a forged or replayed click
never reaches the store.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, PlainTextObject
from slack_sdk.signature import SignatureVerifier

from bot.answers import ANSWER_KINDS, ANSWER_KO, BUTTON, CONFIRMED, FALSE_ALARM, IGNORED, slack_time
from bot.message import BLOCKS_MAX, SlackMessage
from bot.sender import Sender
from factwatch.store import open_db
from factwatch.store.answers import Answer, load_answerable_alert, save_answer

log = logging.getLogger(__name__)

ACTION_PREFIX = "factwatch_answer:"
ACTIONS_PATH = "/slack/actions"
_BUTTONS = ((CONFIRMED, "⭕ 맞음", "primary"), (FALSE_ALARM, "❌ 오탐", "danger"), (IGNORED, "🙈 무시", None))


def answer_buttons(alert_id: int) -> dict:
    """The three answer buttons; each carries the alert id, checked against the pressed message."""
    return ActionsBlock(
        block_id=f"factwatch_answers:{alert_id}",
        elements=[ButtonElement(text=PlainTextObject(text=label, emoji=True), action_id=f"{ACTION_PREFIX}{kind}",
                                value=str(alert_id), style=style)
                  for kind, label, style in _BUTTONS],
    ).to_dict()


def with_buttons(message: SlackMessage, alert_id: int) -> SlackMessage:
    if len(message.blocks) >= BLOCKS_MAX:
        return message
    return SlackMessage(text=message.text, blocks=(*message.blocks, answer_buttons(alert_id)))


class ButtonSender:
    """A Sender that adds the answer buttons to top-level alerts (not to thread replies, notices or the digest)."""

    def __init__(self, inner: Sender):
        self.inner = inner

    def post(self, channel: str, message: SlackMessage, metadata: dict | None = None, thread_ts: str | None = None) -> str:
        # Alerts carry their fact in the metadata (bot/delivery.py alert_metadata); nothing else does.
        if thread_ts is None and metadata and metadata.get("alert_id") and "fact" in metadata:
            message = with_buttons(message, int(metadata["alert_id"]))
        return self.inner.post(channel, message, metadata, thread_ts)

    def find_posted(self, channel: str, key: str, oldest: float | None = None, thread_ts: str | None = None) -> str | None:
        return self.inner.find_posted(channel, key, oldest, thread_ts)

    def list_posted(self, channel: str) -> list[tuple[str, dict]]:
        return self.inner.list_posted(channel)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)  # client, check_token…


def parse_action(payload: dict) -> tuple[int, str, str, str, str] | None:
    """(alert id, kind, user, message ts, action ts) of a pressed answer button, or None."""
    if payload.get("type") != "block_actions":
        return None
    for action in payload.get("actions") or []:
        action_id = str(action.get("action_id") or "")
        kind = action_id.removeprefix(ACTION_PREFIX)
        if not action_id.startswith(ACTION_PREFIX) or kind not in ANSWER_KINDS:
            continue
        try:
            alert_id = int(action.get("value") or "")
        except ValueError:
            return None
        user = (payload.get("user") or {}).get("id")
        message_ts = (payload.get("container") or {}).get("message_ts") or (payload.get("message") or {}).get("ts")
        if not user or not message_ts:
            return None
        return alert_id, kind, str(user), str(message_ts), str(action.get("action_ts") or message_ts)
    return None


def handle_request(db_path: Path, verifier: SignatureVerifier, body: bytes, headers: dict,
                   settle: Callable, clock=lambda: datetime.now(UTC)) -> tuple[int, str]:
    """Check the signature, then record the answer; returns (HTTP status, body)."""
    if not verifier.is_valid_request(body, headers):
        log.warning("서명이 맞지 않거나 오래된 요청을 거부했습니다")
        return 401, "invalid signature"
    try:
        form = parse_qs(body.decode("utf-8"))
        payload = json.loads(form.get("payload", ["{}"])[0])
    except (UnicodeDecodeError, ValueError):
        return 400, "bad payload"
    action = parse_action(payload)
    if action is None:
        return 200, ""  # another interaction of the app: not ours to answer
    alert_id, kind, user, message_ts, action_ts = action
    db = open_db(db_path)
    try:
        alert = load_answerable_alert(db, alert_id)
        if alert is None or alert.slack_ts != message_ts:
            log.warning("봇이 올린 알림이 아닌 메시지의 버튼(알림 #%s, ts %s)은 무시합니다", alert_id, message_ts)
            return 200, ""
        now_iso = clock().isoformat()
        with db.atomic():
            answer = Answer(alert.id, user, kind, BUTTON, f"button:{user}:{action_ts}", slack_time(action_ts))
            if save_answer(db, answer, now_iso):
                settle(db, alert, now_iso)
        log.info("알림 #%s: %s님이 버튼으로 %s", alert.id, user, ANSWER_KO[kind])
    finally:
        db.close()
    return 200, ""


def build_server(db_path: Path, signing_secret: str, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """The interactivity endpoint (POST /slack/actions); `serve_forever()` runs it."""
    from bot.answer_reader import settle_alert

    verifier = SignatureVerifier(signing_secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 — http.server's name
            if self.path.split("?", 1)[0] != ACTIONS_PATH:
                self._reply(404, "not found")
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                status, text = handle_request(db_path, verifier, body, headers, settle_alert)
            except Exception:  # noqa: BLE001 — answer Slack; the log keeps the cause
                log.exception("버튼 요청을 처리하지 못했습니다")
                status, text = 500, "error"
            self._reply(status, text)

        def _reply(self, status: int, text: str) -> None:
            data = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass  # requests are logged by what they did, above

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
