"""Articles, their versions and stories: saving what the crawler (or `factwatch check FILE`) read,
and the versions the checker has still to judge.

Tables: `articles` (one per canonical URL), `article_versions` (one per distinct text),
`stories` (syndicated copies share one).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlite_utils import Database

from factwatch.store.rows import inserted_id, record


class ArticleToSave(Protocol):
    """What the store needs of an article (checker.models.Article has it)."""

    # Read-only properties, so a frozen dataclass matches.
    @property
    def url(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def published(self) -> datetime | None: ...
    @property
    def updated(self) -> datetime | None: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def author(self) -> str | None: ...
    @property
    def story_key(self) -> str | None: ...


@dataclass(frozen=True)
class SavedArticle:
    article_id: int
    version_id: int | None  # None when nothing new was stored
    status: str  # "new" | "updated" | "unchanged" | "copy" (new article, same text as another of its story)
    story_id: int


@dataclass(frozen=True)
class ArticleVersion:
    """One stored text of an article, with the article's url, outlet and story."""

    id: int
    article_id: int
    version: int
    title: str | None
    text: str
    published: str | None  # ISO time as the page gave it
    updated: str | None
    fetched_at: str | None
    copy_of: int | None
    extracted_at: str | None
    check_error: str | None
    url: str
    outlet: str | None
    story_id: int | None

    def as_row(self) -> dict[str, Any]:
        """The row form checker/check_store.py reads (issue 9: until it takes the record itself)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def hash_content(title: str, text: str) -> str:
    """A hash of what a reader sees, insensitive to whitespace noise between crawls."""
    normal = re.sub(r"\s+", " ", f"{title}\n{text}").strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def save_article(db: Database, article: ArticleToSave, now: datetime | None = None) -> SavedArticle:
    """Store one fetched article; a new version only when its text changed.

    The URL must already be canonical (the crawler canonicalises; the CLI uses the file path
    or the JSON's url).
    """
    now = now or datetime.now(UTC)
    now_iso = now.isoformat()
    content_hash = hash_content(article.title, article.text)
    articles, versions = db.table("articles"), db.table("article_versions")
    with db.atomic():
        row = next(articles.rows_where("url = ?", [article.url], limit=1), None)
        story_id = _story_for(db, article, row)
        if row is None:
            article_id = inserted_id(articles.insert(
                {
                    "url": article.url,
                    "outlet": article.outlet,
                    "source": article.source,
                    "author": article.author,
                    "title": article.title,
                    "published": _iso(article.published),
                    "story_id": story_id,
                    "first_seen": now_iso,
                    "last_seen": now_iso,
                }
            ))
            if story_id is None:
                story_id = article_id
                articles.update(article_id, {"story_id": story_id})
        else:
            article_id = row["id"]
            story_id = row["story_id"]
            articles.update(article_id, {"last_seen": now_iso})
            latest = next(versions.rows_where("article_id = ?", [article_id], order_by="version desc", limit=1), None)
            edited = _newer(article.updated, latest["updated"]) if latest else False
            if edited and _is_fetch_time(article.updated, now):
                edited = False  # a CMS that stamps "modified" with the time of each request
            if latest is not None and latest["content_hash"] == content_hash and not edited:
                return SavedArticle(article_id, None, "unchanged", story_id)
        count = db.execute("select count(*) from article_versions where article_id = ?", [article_id]).fetchone()[0]
        # A syndicated copy with exactly the text of another article of its story is stored but
        # not checked again. A near-copy (another byline, an edited figure) is checked: an
        # outlet's edit can carry its own error, and the bot's alert key (story, fact, claimed
        # value) keeps the errors both copies share from being alerted twice.
        copy = db.execute(
            "select v.id from article_versions v join articles a on a.id = v.article_id "
            "where a.story_id = ? and v.content_hash = ? and v.article_id != ? order by v.id limit 1",
            [story_id, content_hash, article_id],
        ).fetchone()
        version_id = inserted_id(versions.insert(
            {
                "article_id": article_id,
                "version": count + 1,
                "content_hash": content_hash,
                "title": article.title,
                "text": article.text,
                "published": _iso(article.published),
                "updated": _iso(article.updated),
                "fetched_at": now_iso,
                "copy_of": copy[0] if copy else None,
                "extracted_at": None,
            }
        ))
        if row is not None:
            articles.update(article_id, {"title": article.title, "published": _iso(article.published) or row["published"]})
    status = "copy" if copy else ("updated" if row is not None else "new")
    return SavedArticle(article_id, version_id, status, story_id)


def _newer(updated: datetime | None, stored: str | None) -> bool:
    """An edit the outlet marked (수정 time moved on) is a new version even when the text we
    extracted did not change: the edit may be in something we read differently next time."""
    if updated is None:
        return False
    if not stored:
        return True
    try:
        return updated > datetime.fromisoformat(stored)
    except (TypeError, ValueError):  # one side naive, the other aware: compare as written
        return updated.isoformat() > stored


def _is_fetch_time(updated: datetime | None, now: datetime | None) -> bool:
    if updated is None or now is None:
        return False
    try:
        return abs((now - updated).total_seconds()) < 600
    except TypeError:  # naive vs aware: cannot tell, trust the page
        return False


def _story_for(db: Database, article: ArticleToSave, row: dict | None) -> int | None:
    """The story an article belongs to: by its story_key (syndication), else its own."""
    if row is not None or not article.story_key:
        return row["story_id"] if row is not None else None
    found = next(db.table("stories").rows_where("story_key = ?", [article.story_key], limit=1), None)
    if found:
        return found["first_article_id"]
    # The story's id is the id of its first article; reserve it now.
    next_id = db.execute("select coalesce(max(id), 0) + 1 from articles").fetchone()[0]
    db.table("stories").insert({"story_key": article.story_key, "first_article_id": next_id})
    return next_id


_VERSION_COLUMNS = "v.*, a.url, a.outlet, a.story_id"


def versions_to_check(db: Database) -> list[ArticleVersion]:
    """Stored versions whose claims have not been extracted yet, syndicated copies excluded."""
    return [
        record(ArticleVersion, row)
        for row in db.query(
            f"select {_VERSION_COLUMNS} from article_versions v join articles a on a.id = v.article_id "
            "where v.extracted_at is null and v.copy_of is null order by v.id"
        )
    ]


def stored_spelling(db: Database, url: str) -> str:
    """`url`, or the spelling of it (trailing slash or not) under which the store already has the article."""
    path_end = url.split("?", 1)
    base = path_end[0]
    other = base[:-1] if base.endswith("/") else base + "/"
    if len(path_end) > 1:
        other += "?" + path_end[1]
    rows = [row[0] for row in db.execute("select url from articles where url in (?, ?)", [url, other]).fetchall()]
    return url if url in rows or not rows else rows[0]


def count_articles(db: Database) -> int:
    return int(db.execute("select count(*) from articles").fetchone()[0])
