"""The checker's tables in SQLite: articles and their versions, extracted claims, facts and findings."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database


def save_facts(db: Database, rules, now: datetime | None = None) -> bool:
    """Mirror the rule files' facts into the `facts` table (the files stay the source of truth).

    Returns False when this exact rule set was synced already.
    """
    if db["rule_sets"].count_where("hash = ?", [rules.content_hash]):
        return False
    rows = [
        {
            "id": fact.id, "topic": fact.topic, "kind": fact.kind, "description": fact.description,
            "file": fact.file, "line": fact.line, "rules_hash": rules.content_hash,
            "data": dumps({
                "unit": fact.unit, "cues": fact.cues, "exclude": fact.exclude, "severity": fact.severity,
                "tolerance": fact.tolerance, "rounding": fact.rounding,
                "versions": [
                    {"display": v.display, "from": v.valid_from, "until": v.valid_until, "source": v.source,
                     "ordinal": v.ordinal, "line": v.line}
                    for v in fact.versions
                ],
            }),
        }
        for fact in rules.facts
    ]
    with db.atomic():
        db.execute("delete from facts")
        db["facts"].insert_all(rows)
        db["rule_sets"].insert({
            "hash": rules.content_hash, "loaded_at": (now or datetime.now(UTC)).isoformat(),
            "files": dumps(list(rules.files)), "facts": len(rows),
        })
    return True




def claim_match_key(claim: dict) -> str:
    kind = claim.get("kind")
    if kind == "quantity":
        return f"unit:{claim.get('unit')}"
    if kind in ("date", "period"):
        return "kind:date"
    return f"kind:{kind}" if kind == "role" else str(kind)






@dataclass(frozen=True)
class SavedArticle:
    article_id: int
    version_id: int | None  # None when nothing new was stored
    status: str  # "new" | "updated" | "unchanged" | "copy" (new article, same text as another of its story)
    story_id: int


def hash_content(title: str, text: str) -> str:
    """A hash of what a reader sees, insensitive to whitespace noise between crawls."""
    normal = re.sub(r"\s+", " ", f"{title}\n{text}").strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def save_article(db: Database, article, now: datetime | None = None) -> SavedArticle:
    """Store one fetched article; a new version only when its text changed.

    `article` is a checker.models.Article. The URL must already be canonical (the crawler
    canonicalises; the CLI uses the file path or the JSON's url).
    """
    now = now or datetime.now(UTC)
    now_iso = now.isoformat()
    content_hash = hash_content(article.title, article.text)
    with db.atomic():
        row = next(db["articles"].rows_where("url = ?", [article.url], limit=1), None)
        story_id = _story_for(db, article, row)
        if row is None:
            article_id = db["articles"].insert(
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
            ).last_pk
            if story_id is None:
                story_id = article_id
                db["articles"].update(article_id, {"story_id": story_id})
        else:
            article_id = row["id"]
            story_id = row["story_id"]
            db["articles"].update(article_id, {"last_seen": now_iso})
            latest = next(
                db["article_versions"].rows_where("article_id = ?", [article_id], order_by="version desc", limit=1),
                None,
            )
            edited = _newer(article.updated, latest["updated"]) if latest else False
            if edited and _is_fetch_time(article.updated, now):
                edited = False  # a CMS that stamps "modified" with the time of each request
            if latest is not None and latest["content_hash"] == content_hash and not edited:
                return SavedArticle(article_id, None, "unchanged", story_id)
        count = db.execute(
            "select count(*) from article_versions where article_id = ?", [article_id]
        ).fetchone()[0]
        # A syndicated copy with exactly the text of another article of its story is stored but
        # not checked again. A near-copy (another byline, an edited figure) is checked: an
        # outlet's edit can carry its own error, and the bot's alert key (story, fact, claimed
        # value) keeps the errors both copies share from being alerted twice.
        copy = db.execute(
            "select v.id from article_versions v join articles a on a.id = v.article_id "
            "where a.story_id = ? and v.content_hash = ? and v.article_id != ? order by v.id limit 1",
            [story_id, content_hash, article_id],
        ).fetchone()
        version_id = db["article_versions"].insert(
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
        ).last_pk
        if row is not None:
            db["articles"].update(
                article_id, {"title": article.title, "published": _iso(article.published) or row["published"]}
            )
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


def _story_for(db: Database, article, row) -> int | None:
    """The story an article belongs to: by its story_key (syndication), else its own."""
    if row is not None or not article.story_key:
        return row["story_id"] if row is not None else None
    found = next(db["stories"].rows_where("story_key = ?", [article.story_key], limit=1), None)
    if found:
        return found["first_article_id"]
    # The story's id is the id of its first article; reserve it now.
    next_id = db.execute("select coalesce(max(id), 0) + 1 from articles").fetchone()[0]
    db["stories"].insert({"story_key": article.story_key, "first_article_id": next_id})
    return next_id


def versions_to_check(db: Database) -> list[dict]:
    """Stored versions whose claims have not been extracted yet, syndicated copies excluded."""
    return list(
        db.query(
            "select v.*, a.url, a.outlet, a.story_id from article_versions v "
            "join articles a on a.id = v.article_id "
            "where v.extracted_at is null and v.copy_of is null order by v.id"
        )
    )


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, default=str, sort_keys=True)
