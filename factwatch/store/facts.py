"""The rule files' facts mirrored in the store (`facts`, `rule_sets`), so the archive can be read
with the facts it was judged against. The rule files stay the source of truth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from factwatch.store.rows import dumps


@dataclass(frozen=True)
class FactRecord:
    """One fact as stored: where it is written and, in `data`, what it says (unit, versions …)."""

    id: str
    topic: str
    kind: str
    description: str
    file: str
    line: int
    data: dict[str, Any]


def save_facts(db: Database, rules_hash: str, files: Sequence[str], facts: Sequence[FactRecord],
               now: datetime | None = None) -> bool:
    """Replace the stored facts with those of rule set `rules_hash`.

    Returns False when this exact rule set was synced already (nothing written).
    """
    if db.table("rule_sets").count_where("hash = ?", [rules_hash]):
        return False
    rows = [
        {"id": fact.id, "topic": fact.topic, "kind": fact.kind, "description": fact.description, "file": fact.file,
         "line": fact.line, "rules_hash": rules_hash, "data": dumps(fact.data)}
        for fact in facts
    ]
    with db.atomic():
        db.execute("delete from facts")
        db.table("facts").insert_all(rows)
        db.table("rule_sets").insert({
            "hash": rules_hash, "loaded_at": (now or datetime.now(UTC)).isoformat(), "files": dumps(list(files)),
            "facts": len(rows),
        })
    return True
