"""Turning SQLite rows into the store's frozen records, and the JSON form of a stored column."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlite_utils.db import Table

T = TypeVar("T")


def record(cls: type[T], row: Mapping[str, Any]) -> T:
    """`cls` (a frozen dataclass) from a row: the fields it declares, None for a column an older
    store does not have yet; columns it does not declare are left out."""
    names = [field.name for field in dataclasses.fields(cls)]  # type: ignore[arg-type]
    return cls(**{name: row.get(name) for name in names})


def inserted_id(table: Table) -> int:
    """The id of the row `table` just inserted (sqlite-utils types it as optional)."""
    if table.last_pk is None:
        raise RuntimeError(f"{table.name}: 방금 넣은 행의 id가 없습니다")
    return int(table.last_pk)


def dumps(data: Any) -> str:
    """The JSON of a stored column: Korean kept readable, keys sorted so equal data is equal text."""
    return json.dumps(data, ensure_ascii=False, default=str, sort_keys=True)
