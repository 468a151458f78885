"""The fixture web server: files, per-path behaviours, conditional GET, request log."""

from __future__ import annotations

import urllib.error
import urllib.request
from email.utils import formatdate

import pytest

from crawler.localsite import serve_site


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


@pytest.fixture
def site(tmp_path):
    (tmp_path / "a.html").write_bytes("<p>광주</p>".encode("cp949"))
    (tmp_path / "_site.yaml").write_text(
        "paths:\n"
        "  /a.html: {content_type: 'text/html; charset=euc-kr'}\n"
        "  /flaky.html: {status: 500, fail_times: 1}\n"
        "  /api.json: {require_headers: [X-Key]}\n",
        encoding="utf-8",
    )
    (tmp_path / "flaky.html").write_text("ok", encoding="utf-8")
    (tmp_path / "api.json").write_text("{}", encoding="utf-8")
    return tmp_path


def test_serves_raw_bytes_with_declared_type(site):
    with serve_site(site) as base:
        status, body, headers = _get(base + "/a.html")
    assert status == 200
    assert body.decode("cp949") == "<p>광주</p>"
    assert headers["Content-Type"] == "text/html; charset=euc-kr"


def test_missing_file_is_404_and_site_file_is_hidden(site):
    with serve_site(site) as base:
        assert _get(base + "/nope.html")[0] == 404
        assert _get(base + "/_site.yaml")[0] == 404
        assert _get(base + "/../etc/passwd")[0] == 404


def test_fail_times_answers_500_then_the_file(site):
    with serve_site(site) as base:
        assert _get(base + "/flaky.html")[0] == 500
        assert _get(base + "/flaky.html")[:2] == (200, b"ok")


def test_required_headers(site):
    with serve_site(site) as base:
        assert _get(base + "/api.json?query=x")[0] == 401
        assert _get(base + "/api.json?query=x", {"X-Key": "k"})[0] == 200


def test_if_modified_since_gets_304(site):
    later = formatdate((site / "a.html").stat().st_mtime + 10, usegmt=True)
    with serve_site(site) as base:
        assert _get(base + "/a.html", {"If-Modified-Since": later})[0] == 304


def test_behaviours_in_code_and_request_log(site):
    log = []
    with serve_site(site, behaviours={"/a.html": {"status": 404}}, requests_log=log) as base:
        assert _get(base + "/a.html")[0] == 404
    assert [(method, path) for method, path, _ in log] == [("GET", "/a.html")]
