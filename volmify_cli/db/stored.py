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


def sqlite_timestamp(value: dt.datetime) -> str:
    """An aware datetime as the UTC text SQLite holds. Raises ValueError for a naive one."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: volmify stores timezone-aware UTC only")
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
