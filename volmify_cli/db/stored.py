"""The text SQLite stores for volmify's column types, for code that talks to the driver directly
(bulk writes, the catalog sync, the report reads). Import-free on purpose: the report commands
use it without SQLAlchemy.

- ids: 32 lower-case hex digits (SQLAlchemy's `Uuid` on SQLite; PostgreSQL's uuid input takes
  them too);
- timestamps: naive UTC text with microseconds, `2026-03-01 00:00:00.000000` (SQLAlchemy's
  SQLite DATETIME format, which `UTCDateTime` writes), so text comparison orders them in time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def read_time(value: Any) -> dt.datetime | None:
    """A timestamp as either driver reads it back (UTC text on SQLite, a datetime on
    PostgreSQL), as an aware UTC datetime."""
    if value is None:
        return None
    moment: dt.datetime = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def read_day(value: Any) -> dt.date | None:
    """A date as either driver reads it back (YYYY-MM-DD text on SQLite, a date on PostgreSQL)."""
    if value is None:
        return None
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def sqlite_timestamp(value: dt.datetime) -> str:
    """An aware datetime as the UTC text SQLite holds. Raises ValueError for a naive one."""
    zone = value.tzinfo
    if zone is None:
        raise ValueError(f"naive datetime {value!r}: volmify stores timezone-aware UTC only")
    if zone is not dt.UTC:  # most are UTC already: a sales import converts three per line
        value = value.astimezone(dt.UTC)
    # "YYYY-MM-DD HH:MM:SS.ffffff" without "+00:00" (a year always has four digits)
    return value.isoformat(" ", "microseconds")[:26]
