"""One URL per article: tracking parameters, mobile/AMP variants and fragments removed.

The stored URL is the one the site publishes, trailing slash included (on many sites
`/news/…/CODE/` is the article and `/news/…/CODE` a 404, and alerts link to the stored URL);
two spellings of one article are compared with `url_key`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonical

_TRACKING = re.compile(
    # Only parameters that never select content: an article id may hide in anything else.
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|_ga|igshid|ref_src|cmpid|nclick)$",
    re.IGNORECASE,
)
# m.news.example.kr, mobile.example.kr and amp.example.kr serve the same article as the desktop host.
_VARIANT_HOST = re.compile(r"^(m|mobile|amp|www)\.(?=.+\..+)")
_AMP_PATH = re.compile(r"(/amp)(?=/|$)|(\.amp)(?=\.html?$|$)")


# Portal quirks: ways one article is addressed that a generic rule cannot know.
_PORTAL_PARAMS = {"v.daum.net": {"f"}}  # Daum's ?f=o ("original") view of the same article
_PORTAL_PATHS = {"n.news.naver.com": (re.compile(r"^/mnews/article/"), "/article/")}


def _is_presentation(host: str, key: str, value: str) -> bool:
    # AMP views are not listed here by parameter spelling (?output=amp, ?outputType=amp, …):
    # an AMP page says what it is (<html ⚡>) and names its article (rel=canonical).
    return key.lower() in _PORTAL_PARAMS.get(host, ())


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
    if host in _PORTAL_PATHS:
        pattern, replacement = _PORTAL_PATHS[host]
        path = pattern.sub(replacement, path)
    query = urlencode(sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(k) and not _is_presentation(host, k, v)
    ))
    # w3lib settles percent-encoding (raw Unicode → UTF-8 %XX, upper-case hex), so the raw and
    # the encoded form of one address are one string, and that string works as a link anywhere.
    return _w3lib_canonical(urlunsplit((scheme, netloc, path, query, "")))


def url_key(url: str) -> str:
    """What two URLs of one article share: the canonical URL without a trailing slash.

    Only for comparing; what is stored and linked keeps the slash the site published.
    """
    parts = urlsplit(canonicalize_url(url))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(parts._replace(path=path))


def same_address(a: str, b: str) -> bool:
    """True when `a` and `b` fetch the same resource as written (encoding, case of the host, a
    trailing slash aside) — unlike url_key, without folding AMP/mobile variants together."""
    def plain(url: str) -> str:
        parts = urlsplit(_w3lib_canonical(url.strip()))
        return urlunsplit(parts._replace(netloc=parts.netloc.lower(), path=parts.path.rstrip("/") or "/"))
    return plain(a) == plain(b)


def site_of(url: str) -> str:
    """The host without m./mobile./amp./www.: two URLs of one site share it."""
    return urlsplit(canonicalize_url(url)).netloc


# Query parameters that choose how a page is shown, never which article: a canonical may drop them.
_PRESENTATION = re.compile(r"^(sid|sid1|sid2|mid|mode|f|output|from|lfrom|rc)$", re.IGNORECASE)
# A path that lists articles or is the site's front/section page, not one article.
_INDEX_SEGMENT = re.compile(r"^((index|default|main|home)(\.\w+)?|\w*list\w*(\.\w+)?)$", re.IGNORECASE)
# A script that shows one article only when given its id (articleView.html?idxno=…, read.php?no=…).
_NEEDS_ID = re.compile(r"(view|read|show|detail)\w*\.(html?|php|aspx?|jsp|do|nhn|naver)$|\.(php|aspx?|jsp|do|nhn|naver)$", re.IGNORECASE)


def _identifying_params(url: str) -> set[tuple[str, str]]:
    return {
        (key.lower(), value)
        for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True)
        if not _TRACKING.match(key) and not _PRESENTATION.match(key)
    }


def _segments(url: str) -> list[str]:
    return [segment for segment in urlsplit(url).path.split("/") if segment]


def _declared_is_usable(page: str, declared: str, is_amp: bool = False) -> bool:
    """False when `declared` could be another article or a page listing many (see choose_canonical)."""
    if site_of(declared) != site_of(page):
        return False
    declared_segments, page_segments = _segments(declared), _segments(page)
    if not declared_segments:
        return False  # the front page
    if _INDEX_SEGMENT.match(declared_segments[-1]):
        return False  # /index.html, /news/articleList.html, /list
    if is_amp:
        # An AMP page must name the article it renders; its own URL carries extra view
        # parameters (outputType=amp, mode=amp, …) that the article's URL lacks.
        return True
    if len(declared_segments) < len(page_segments) and page_segments[: len(declared_segments)] == declared_segments:
        return False  # a parent of the fetched path: a section page
    declared_params = _identifying_params(declared)
    if _NEEDS_ID.search(declared_segments[-1]) and not declared_params:
        return False  # articleView.html without its id
    page_params = _identifying_params(page)
    if page_params and not page_params <= declared_params and declared_segments == page_segments:
        # Same script, other (or no) id: the id is what tells the articles apart.
        return False
    return True


def choose_canonical(page_url: str, declared: str | None, is_amp: bool = False) -> str:
    """The page's own rel=canonical/og:url when it names this article, else the page URL.

    A declared URL is ignored when it could merge different articles: another site (a portal
    copy pointing at the outlet), the front page, an index or list page (`/index.html`,
    `articleList.html`, a parent of the fetched path), a view script without its id
    (`articleView.html`), or the fetched script with its identifying query parameters dropped
    or changed (`articleView.html?idxno=124` declaring `?idxno=123`). CMS templates that
    put one of these on every page are common; trusting them would store two articles as
    versions of one. An AMP page (`is_amp`: `<html ⚡>` or `<html amp>`) is trusted further:
    its canonical names the article even when it drops the page's own query parameters.
    """
    return declared_canonical(page_url, declared, is_amp) or canonicalize_url(page_url)


def declared_canonical(page_url: str, declared: str | None, is_amp: bool = False) -> str | None:
    """The page's declared canonical, canonicalised, when choose_canonical may trust it; else None."""
    if declared:
        absolute = urljoin(page_url, declared.strip())
        if absolute.startswith("http") and _declared_is_usable(page_url, absolute, is_amp):
            return canonicalize_url(absolute)
    return None
