"""ISO 4217 currencies as seeded by the migrations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.models.core import Currency


class CurrencyRead(TypedDict):
    code: str
    name: str
    numeric_code: int
    minor_units: int
    symbol: str


def list_currencies(session: Session, *, limit: int | None = None) -> list[CurrencyRead]:
    """The active currencies by code, all at once (see `iter_currencies`)."""
    return list(iter_currencies(session, limit=limit))


READ_BATCH = 1000  # currencies per fetch


def iter_currencies(session: Session, *, limit: int | None = None) -> Iterator[CurrencyRead]:
    """The active currencies by code, streamed from the database in batches (`limit + 1` of
    them with a limit)."""
    query = select(Currency).where(col(Currency.is_active)).order_by(col(Currency.code))
    if limit is not None:
        query = query.limit(limit + 1)
    return (
        CurrencyRead(
            code=c.code,
            name=c.name,
            numeric_code=c.numeric_code,
            minor_units=c.minor_units,
            symbol=c.symbol,
        )
        for c in session.exec(query.execution_options(yield_per=READ_BATCH))
    )
