"""One URL per article: tracking parameters, mobile/AMP variants and fragments removed."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = re.compile(
    # Only parameters that never select content: an article id may hide in anything else.
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|_ga|igshid|ref_src|cmpid|nclick|amp)$",
    re.IGNORECASE,
)
# m.news.example.kr, mobile.example.kr and amp.example.kr serve the same article as the desktop host.
_VARIANT_HOST = re.compile(r"^(m|mobile|amp|www)\.(?=.+\..+)")
_AMP_PATH = re.compile(r"(/amp)(?=/|$)|(\.amp)(?=\.html?$|$)")


def canonicalize_url(url: str) -> str:
    """The one form of `url` under which an article is stored."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower()
    while _VARIANT_HOST.match(host):
        host = _VARIANT_HOST.sub("", host, count=1)
    port = parts.port
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)))
    return urlunsplit((scheme, netloc, path, query, ""))


def site_of(url: str) -> str:
    """The host without m./mobile./amp./www.: two URLs of one site share it."""
    return urlsplit(canonicalize_url(url)).netloc


def choose_canonical(page_url: str, declared: str | None) -> str:
    """The page's own rel=canonical/og:url when it points into the same site, else the page URL.

    Cross-site or homepage canonicals are ignored: a template that points every page at the
    front page (or a portal copy that points at the outlet) must not merge different articles.
    """
    if declared:
        absolute = urljoin(page_url, declared.strip())
        if absolute.startswith("http") and site_of(absolute) == site_of(page_url) and urlsplit(absolute).path not in ("", "/"):
            return canonicalize_url(absolute)
    return canonicalize_url(page_url)
