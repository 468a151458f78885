"""The stored form of a claim (`claims.data`): JSON written and read by one pydantic TypeAdapter.

The adapter is discriminated on `kind`, so a row comes back as the class it was written from
(QuantityClaim, SumClaim, DateClaim, PeriodClaim, RoleClaim) with its types checked: Decimal
values (written as strings, so no float ever rounds them), real dates (ISO days).

Rows written before the claim kinds had their own classes are one flat dict with every field
of every kind (null where unused) and dates as ordinal day numbers ("low": "737425"). They
still decode: the fields a kind does not have are ignored, and a date's or a role's ordinal
days become dates. Nothing is rewritten in the table; a row is upgraded each time it is read.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Tag, TypeAdapter

from checker.models import Claim, DateClaim, PeriodClaim, QuantityClaim, RoleClaim, SumClaim


def _old_days(data: Any) -> Any:
    """A date or period as old rows stored it: ordinals in low/high, "relative" in hedge."""
    if not isinstance(data, dict) or "first" in data or ("low" not in data and "value" not in data):
        return data
    low = data.get("low") if data.get("low") is not None else data.get("value")
    high = data.get("high") if data.get("high") is not None else low
    if low is None:
        raise ValueError(f"저장된 날짜 주장에 날짜가 없습니다: {data.get('text')!r}")
    return {
        **data,
        "first": date.fromordinal(int(Decimal(str(low)))),
        "last": date.fromordinal(int(Decimal(str(high)))),
        "grain": data.get("grain") or "day",  # an ungrained date was compared day by day
        "relative": data.get("hedge") == "relative",
    }


def _old_role(data: Any) -> Any:
    """A role as old rows stored it: `as_of` an ordinal day number, `role` possibly null."""
    if not isinstance(data, dict):
        return data
    as_of, role = data.get("as_of"), data.get("role")
    if isinstance(as_of, int) or role is None:
        data = {**data, "role": role or ""}
        if isinstance(as_of, int):
            # An int here is an ordinal day, never a Unix time (which pydantic would make of it).
            data["as_of"] = date.fromordinal(as_of)
    return data


def _old_measure(data: Any) -> Any:
    """A quantity or sum as old rows stored it: the other kinds' fields null (they carry `grain`)."""
    if isinstance(data, dict) and "grain" in data:
        return {name: value for name, value in data.items() if value is not None}
    return data


def _kind(data: Any) -> str | None:
    kind = data.get("kind") if isinstance(data, dict) else getattr(data, "kind", None)
    return kind if isinstance(kind, str) else None


_STORED = Annotated[
    Annotated[QuantityClaim, BeforeValidator(_old_measure), Tag("quantity")]
    | Annotated[SumClaim, BeforeValidator(_old_measure), Tag("sum")]
    | Annotated[DateClaim, BeforeValidator(_old_days), Tag("date")]
    | Annotated[PeriodClaim, BeforeValidator(_old_days), Tag("period")]
    | Annotated[RoleClaim, BeforeValidator(_old_role), Tag("role")],
    Discriminator(_kind),
]
CLAIM_ADAPTER: TypeAdapter[Claim] = TypeAdapter(_STORED)


def claim_to_json(claim: Claim) -> str:
    return CLAIM_ADAPTER.dump_json(claim).decode()


def claim_from_json(text: str | bytes) -> Claim:
    """A stored claim, of today's shape or an older one; pydantic.ValidationError when it is neither."""
    return CLAIM_ADAPTER.validate_json(text)
