"""A fake Slack Web API on 127.0.0.1 (real HTTP) that slack-sdk talks to through its base_url.

It checks the bot token, records chat.postMessage calls, serves conversations.history and
conversations.replies from what it recorded (metadata included), keeps the reactions and
thread replies people add (`react`, `unreact`, `say`; read back with reactions.get and in the
history, as Slack shows them), and can be told to fail:
429 with Retry-After, 500, invalid_auth, channel_not_found, or hold a post after recording it
(so a test can kill the poster between "Slack has it" and "we marked it sent").

    with FakeSlack(token="xoxb-test") as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Failure:
    status: int  # HTTP status to answer with (200 for Slack-style {"ok": false} errors)
    error: str = ""
    retry_after: int | None = None
    methods: tuple[str, ...] = ("chat.postMessage",)
    body: str | None = None  # answer with this raw (non-JSON) body instead, e.g. a proxy's HTML page


@dataclass
class FakeSlack:
    token: str = "xoxb-test"
    channels: set[str] | None = None  # None: every channel exists
    messages: list[dict] = field(default_factory=list)
    calls: list[tuple[str, int]] = field(default_factory=list)  # (method, HTTP status answered)
    port: int = 0
    bot_user: str = "UBOT"
    # conversations.history lists only this many users per reaction (Slack truncates popular
    # ones); reactions.get always lists them all. None: no truncation.
    history_reaction_users: int | None = None
    # Like Slack: chat.postMessage takes a channel name ('#factcheck'), but conversations.history,
    # conversations.replies and reactions.get take only the channel's ID (conversations.list).
    reads_need_ids: bool = False

    def __post_init__(self):
        self.reactions: dict[tuple[str, str], list[list]] = {}  # (channel, ts) → [[name, [users]], …] in order added
        self._failures: list[Failure] = []
        self._outage: Failure | None = None
        self._hold = threading.Event()
        self._hold.set()
        self.held = threading.Event()  # set when a post was recorded and is being held
        self._changed = threading.Condition()
        self._drop = 0  # posts to record and then answer by hanging up
        self._fail_after: list[int] = []  # statuses to answer after recording a post
        self._server: ThreadingHTTPServer | None = None
        self._last_ts = 0.0

    def _known_channels(self) -> set[str]:
        return set(self.channels or ()) | {m["channel"] for m in self.messages}

    @staticmethod
    def channel_id(name: str) -> str:
        """The ID this fake gives a channel name: 'C' and nine capitals derived from the name."""
        import hashlib

        digest = hashlib.sha1(name.lstrip("#").encode()).hexdigest().upper()
        return "C" + "".join(ch for ch in digest if ch.isalnum())[:9]

    # -- control -----------------------------------------------------------------------
    def fail_next(self, status: int, error: str = "", retry_after: int | None = None, times: int = 1,
                  methods: tuple[str, ...] = ("chat.postMessage",), body: str | None = None) -> None:
        """The next `times` calls of `methods` fail: HTTP `status`, with Slack's {"ok": false, "error": error}
        when status is 200, or the raw `body` (e.g. an HTML page) when given."""
        self._failures.extend(Failure(status, error, retry_after, methods, body) for _ in range(times))

    def outage(self, status: int = 503, error: str = "service_unavailable", body: str | None = None) -> None:
        """Every call fails until `recover()` (status 200: Slack-style {"ok": false, "error": error})."""
        self._outage = Failure(status, error, methods=(), body=body)

    def recover(self) -> None:
        self._outage = None

    def drop_responses(self, times: int = 1) -> None:
        """Record the next posts, then close the connection without answering (a reset after Slack accepted)."""
        self._drop += times

    def fail_after_posting(self, status: int = 502, times: int = 1) -> None:
        """Record the next posts, then answer HTTP `status` anyway (a gateway that timed out
        after Slack had already posted): the client cannot tell the post went through."""
        self._fail_after.extend([status] * times)

    def hold_posts(self) -> None:
        """Record the next posts but do not answer them until `release()` (or the client dies)."""
        self._hold.clear()

    def release(self) -> None:
        self._hold.set()

    def wait_for(self, predicate, timeout: float = 20.0) -> bool:
        """Wait until predicate(self) is true; woken on every call, so no fixed sleeps."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def posts(self, channel: str | None = None) -> list[dict]:
        """What the bot posted (people's messages from `say` are left out)."""
        return [m for m in self.messages if (channel is None or m["channel"] == channel) and m.get("user") == self.bot_user]

    # -- what people do in the channel --------------------------------------------------
    def react(self, channel: str, ts: str, user: str, name: str) -> None:
        """`user` adds the emoji `name` to message `ts` (a second time changes nothing, as in Slack)."""
        with self._changed:
            entries = self.reactions.setdefault((channel, ts), [])
            entry = next((e for e in entries if e[0] == name), None)
            if entry is None:
                entries.append([name, [user]])
            elif user not in entry[1]:
                entry[1].append(user)

    def unreact(self, channel: str, ts: str, user: str, name: str) -> None:
        with self._changed:
            entries = self.reactions.get((channel, ts), [])
            for entry in entries:
                if entry[0] == name and user in entry[1]:
                    entry[1].remove(user)
            self.reactions[(channel, ts)] = [e for e in entries if e[1]]

    def say(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> str:
        """A person's message (a thread reply when `thread_ts` is given); returns its ts."""
        with self._changed:
            self._last_ts = max(time.time(), self._last_ts + 0.000001)
            message = {"channel": channel, "ts": f"{self._last_ts:.6f}", "text": text, "blocks": None,
                       "thread_ts": thread_ts, "metadata": None, "user": user}
            self.messages.append(message)
            return message["ts"]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    # -- server ------------------------------------------------------------------------
    def start(self) -> "FakeSlack":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # slack-sdk sends every method as POST
                fake._handle(self)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused) — `start()` again reuses the port."""
        self._hold.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        url = urlsplit(request.path)
        method = url.path.rsplit("/", 1)[-1]
        params = dict(parse_qsl(url.query))
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        if body:
            if "json" in (request.headers.get("Content-Type") or ""):
                params.update(json.loads(body))
            else:
                params.update(parse_qsl(body.decode("utf-8")))
        status, payload, headers = self._answer(method, params, request.headers.get("Authorization", ""))
        if method == "chat.postMessage" and isinstance(payload, dict) and payload.get("ok") and self._drop:
            self._drop -= 1
            request.close_connection = True
            return
        if isinstance(payload, str):  # a raw page, not Slack's JSON
            data, kind = payload.encode("utf-8"), "text/html; charset=utf-8"
        elif payload is not None:
            data, kind = json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8"
        else:
            data, kind = b"oops", "text/plain"
        try:
            request.send_response(status)
            request.send_header("Content-Type", kind)
            for name, value in headers.items():
                request.send_header(name, value)
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client was killed while we held its post

    def _answer(self, method: str, params: dict, auth: str) -> tuple[int, dict | str | None, dict]:
        with self._changed:
            failure = self._outage or self._pop_failure(method)
            if failure is not None:
                self._record_call(method, failure.status)
                return _failure_answer(failure)
            if auth != f"Bearer {self.token}":
                self._record_call(method, 200)
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            channel = params.get("channel")
            if method in ("conversations.history", "conversations.replies", "reactions.get"):
                names = {self.channel_id(name): name for name in self._known_channels()}
                if channel in names:  # read by ID: the messages are kept under the name they were posted to
                    channel = names[channel]
                    params = {**params, "channel": channel}
                elif self.reads_need_ids:
                    self._record_call(method, 200)
                    return 200, {"ok": False, "error": "channel_not_found"}, {}
            if self.channels is not None and channel is not None and channel not in self.channels:
                self._record_call(method, 200)
                return 200, {"ok": False, "error": "channel_not_found"}, {}
            if method == "chat.postMessage":
                answer = self._post(params)
                if self._fail_after:
                    status = self._fail_after.pop(0)
                    self._record_call(method, status)
                    return status, {"ok": False, "error": ""}, {}
            elif method == "conversations.history":
                answer = self._history(params, lambda m: m["channel"] == channel and not m.get("thread_ts"))
            elif method == "conversations.replies":
                ts = params.get("ts")
                answer = self._history(
                    params, lambda m: m["channel"] == channel and (m["ts"] == ts or m.get("thread_ts") == ts)
                )
            elif method == "reactions.get":
                answer = self._reactions_get(params)
            elif method == "conversations.list":
                names = sorted(self._known_channels())
                answer = {"ok": True, "channels": [{"id": self.channel_id(n), "name": n.lstrip("#")} for n in names]}
            elif method == "auth.test":
                answer = {"ok": True, "user_id": self.bot_user, "team": "factwatch-test"}
            else:
                answer = {"ok": False, "error": "unknown_method"}
            self._record_call(method, 200)
        if method == "chat.postMessage" and not self._hold.is_set():
            self.held.set()
            self._hold.wait()
        return 200, answer, {}

    def _pop_failure(self, method: str) -> Failure | None:
        for index, failure in enumerate(self._failures):
            if method in failure.methods:
                return self._failures.pop(index)
        return None

    def _record_call(self, method: str, status: int) -> None:
        self.calls.append((method, status))
        self._changed.notify_all()

    def _post(self, params: dict) -> dict:
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        blocks = params.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if blocks is not None and len(blocks) > 50:
            return {"ok": False, "error": "invalid_blocks"}
        metadata = params.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        # Strictly increasing ts, as Slack guarantees within a channel.
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        message = {
            "channel": params["channel"],
            "ts": f"{self._last_ts:.6f}",
            "text": params.get("text"),
            "blocks": blocks,
            "thread_ts": params.get("thread_ts"),
            "metadata": metadata,
            "user": self.bot_user,
            "bot_id": "BBOT",
        }
        self.messages.append(message)
        return {"ok": True, "channel": params["channel"], "ts": message["ts"], "message": {"text": message["text"]}}

    def _history(self, params: dict, keep) -> dict:
        oldest = float(params.get("oldest") or 0)
        with_metadata = str(params.get("include_all_metadata", "")).lower() in {"1", "true"}
        found = [m for m in reversed(self.messages) if keep(m) and float(m["ts"]) >= oldest]
        start = int(params.get("cursor") or 0)
        limit = int(params.get("limit") or 100)
        page = found[start : start + limit]
        more = start + limit < len(found)
        items = []
        for m in page:
            item = {"type": "message", "ts": m["ts"], "text": m["text"], "blocks": m["blocks"], "user": m.get("user")}
            if m.get("bot_id"):
                item["bot_id"] = m["bot_id"]
            if m.get("thread_ts"):
                item["thread_ts"] = m["thread_ts"]
            if with_metadata and m.get("metadata"):
                item["metadata"] = m["metadata"]
            replies = [r for r in self.messages if r["channel"] == m["channel"] and r.get("thread_ts") == m["ts"]]
            if replies and not m.get("thread_ts"):
                item.update(reply_count=len(replies), latest_reply=max(r["ts"] for r in replies))
            reactions = self._reaction_list(m["channel"], m["ts"], self.history_reaction_users)
            if reactions:
                item["reactions"] = reactions
            items.append(item)
        return {
            "ok": True,
            "messages": items,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _reaction_list(self, channel: str, ts: str, shown: int | None) -> list[dict]:
        return [{"name": name, "count": len(users), "users": list(users if shown is None else users[:shown])}
                for name, users in self.reactions.get((channel, ts), [])]

    def _reactions_get(self, params: dict) -> dict:
        channel, ts = params.get("channel"), params.get("timestamp")
        message = next((m for m in self.messages if m["channel"] == channel and m["ts"] == ts), None)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        item = {"type": "message", "ts": ts, "text": message["text"], "user": message.get("user"),
                "reactions": self._reaction_list(channel, ts, None)}
        return {"ok": True, "type": "message", "channel": channel, "message": item}


def _failure_answer(failure: Failure) -> tuple[int, dict | str | None, dict]:
    headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
    if failure.body is not None:
        return failure.status, failure.body, headers
    if failure.status == 200:
        return 200, {"ok": False, "error": failure.error}, headers
    if failure.status == 429:
        return 429, {"ok": False, "error": "ratelimited"}, headers
    return failure.status, None, headers  # a 5xx from a proxy: not even JSON


if __name__ == "__main__":  # run by hand: python tests/fake_slack.py 8999
    import sys

    with FakeSlack(port=int(sys.argv[1]) if len(sys.argv) > 1 else 0) as slack:
        print(f"SLACK_API_URL={slack.base_url} SLACK_BOT_TOKEN={slack.token}", flush=True)
        threading.Event().wait()
