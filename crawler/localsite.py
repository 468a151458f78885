"""A small static web server on 127.0.0.1 for fixture sites, demos and benchmarks.

Serves the files under a folder as they are (raw bytes, so EUC-KR pages stay EUC-KR) and
lets a site declare a few per-path behaviours in a `_site.yaml` at its root, or in code::

    # tests/newsweb/_site.yaml
    paths:
      /hankook/broken.html: {status: 500, fail_times: 1}   # 500 once, then the file
      /gone.html: {status: 404}
      /euckr/a.html: {content_type: "text/html; charset=euc-kr"}
      /v1/search/news.json: {require_headers: [X-Naver-Client-Id, X-Naver-Client-Secret]}

    with serve_site(Path("tests/newsweb")) as base_url:
        ...  # e.g. "http://127.0.0.1:54321"

Query strings are ignored when looking a path up (so an API answer can be a static file).
`{{base_url}}` in a served file is replaced by the server's base URL, so feeds, sitemaps and
API answers can hold the absolute links they must have while the port changes every run.
`If-Modified-Since` gets a 304 when the file is not newer, as a real news server would do.
Every request is appended to `requests_log` (a list you pass) as (method, path, headers),
so a test can assert what was, or was never, fetched.
"""

from __future__ import annotations

import contextlib
import mimetypes
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

SITE_FILE = "_site.yaml"


@dataclass
class Behaviour:
    """How the server answers one path instead of (or before) serving its file."""

    status: int | None = None  # answer with this status (and no file) ...
    fail_times: int | None = None  # ... only for the first N requests, then serve the file
    content_type: str | None = None  # overrides the guessed Content-Type
    headers: dict = field(default_factory=dict)
    require_headers: list = field(default_factory=list)  # 401 unless all are sent
    hits: int = 0

    @classmethod
    def from_dict(cls, data: dict) -> Behaviour:
        known = {"status", "fail_times", "content_type", "headers", "require_headers"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{SITE_FILE}: 알 수 없는 항목 {sorted(unknown)} (허용: {sorted(known)})")
        return cls(**data)


def load_behaviours(root: Path) -> dict[str, Behaviour]:
    """Read `_site.yaml` under `root` (absent → no special paths)."""
    path = root / SITE_FILE
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {key: Behaviour.from_dict(value or {}) for key, value in (data.get("paths") or {}).items()}


def _handler_for(root: Path, behaviours: dict[str, Behaviour], log: list | None, lock: threading.Lock):
    class Handler(BaseHTTPRequestHandler):
        server_version = "factwatch-localsite"
        base_url = ""  # set once the server has its port
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # keep test output quiet
            pass

        def do_HEAD(self):
            self._answer(send_body=False)

        def do_GET(self):
            self._answer(send_body=True)

        def _answer(self, send_body: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            if log is not None:
                log.append((self.command, self.path, dict(self.headers.items())))
            behaviour = behaviours.get(path)
            if behaviour is not None:
                with lock:
                    behaviour.hits += 1
                    hits = behaviour.hits
                missing = [name for name in behaviour.require_headers if not self.headers.get(name)]
                if missing:
                    return self._send(401, b'{"errorMessage": "Authentication failed"}', "application/json", send_body)
                if behaviour.status and (behaviour.fail_times is None or hits <= behaviour.fail_times):
                    return self._send(behaviour.status, f"status {behaviour.status}".encode(), "text/plain", send_body)
            file = self._file_for(path)
            if file is None:
                return self._send(404, b"not found", "text/plain", send_body)
            modified = int(file.stat().st_mtime)
            since = self.headers.get("If-Modified-Since")
            if since:
                with contextlib.suppress(TypeError, ValueError, IndexError):
                    if int(parsedate_to_datetime(since).timestamp()) >= modified:
                        return self._send(304, b"", None, False, {"Last-Modified": formatdate(modified, usegmt=True)})
            content_type = (behaviour.content_type if behaviour else None) or _guess_type(file)
            extra = {"Last-Modified": formatdate(modified, usegmt=True), **(behaviour.headers if behaviour else {})}
            body = file.read_bytes().replace(b"{{base_url}}", self.base_url.encode("ascii"))
            self._send(200, body, content_type, send_body, extra)

        def _file_for(self, path: str) -> Path | None:
            candidate = (root / path.lstrip("/")).resolve()
            if candidate.is_dir():
                candidate = candidate / "index.html"
            # Never serve outside the site folder, whatever the path says.
            if root not in candidate.parents and candidate != root:
                return None
            if not candidate.is_file() or candidate.name == SITE_FILE:
                return None
            return candidate

        def _send(self, status, body: bytes, content_type, send_body: bool, headers: dict | None = None):
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)) if status != 304 else "0")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if send_body and status != 304:
                self.wfile.write(body)

    return Handler


def _guess_type(file: Path) -> str:
    # No charset on purpose: pages declare their own in <meta>, as most Korean sites do.
    if file.name == "robots.txt":
        return "text/plain"
    if file.suffix in {".xml", ".rss", ".atom"}:
        return "application/xml"
    return mimetypes.guess_type(file.name)[0] or "application/octet-stream"


@contextlib.contextmanager
def serve_site(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    behaviours: dict[str, Behaviour | dict] | None = None,
    requests_log: list | None = None,
) -> Iterator[str]:
    """Serve `root` over HTTP on host:port (0 = any free port) and yield the base URL.

    `behaviours` add to (and override) those in `root/_site.yaml`; each value may be a
    Behaviour or a plain dict of its fields.
    """
    root = Path(root).resolve()
    table = load_behaviours(root)
    for path, value in (behaviours or {}).items():
        table[path] = value if isinstance(value, Behaviour) else Behaviour.from_dict(value)
    handler = _handler_for(root, table, requests_log, threading.Lock())
    server = ThreadingHTTPServer((host, port), handler)
    handler.base_url = f"http://{host}:{server.server_address[1]}"
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="localsite", daemon=True)
    thread.start()
    try:
        yield handler.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
