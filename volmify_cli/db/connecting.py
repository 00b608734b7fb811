"""How volmify connects, the same for the SQLAlchemy engine and the direct report reader.
Import-free: the report commands connect without SQLAlchemy (SPEC 7)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from volmify_cli.db.urls import DatabaseUrl

SQLITE_BUSY_TIMEOUT_MS = 5_000  # VOLMIFY_SQLITE_BUSY_TIMEOUT_MS overrides it
PG_CONNECT_TIMEOUT_S = 5
# libpq keywords of every PostgreSQL connection: fail fast on an unreachable server, name
# ourselves in pg_stat_activity, and read timestamps in UTC: the driver hands a timestamptz over
# in the session's time zone, and on a server set west (east) of UTC the first (last) instant of
# the calendar falls in year 0 (10000), which it cannot read ("timestamp too small").
PG_CONNECT_DEFAULTS = {
    "connect_timeout": PG_CONNECT_TIMEOUT_S,
    "application_name": "volmify",
    "options": "-c TimeZone=UTC",
}


def libpq_keywords(url: DatabaseUrl) -> dict[str, Any]:
    """What psycopg.connect is given, by the engine and by the direct reader alike: our
    defaults, then the URL's own keywords (`?connect_timeout=30` for a slow link wins)."""
    return {**PG_CONNECT_DEFAULTS, **url.params}


def sqlite_busy_timeout_ms() -> int:
    """How long a SQLite writer waits for another one before "database is locked": 5 s, or
    VOLMIFY_SQLITE_BUSY_TIMEOUT_MS (a CI job running imports side by side may want minutes)."""
    value = os.environ.get("VOLMIFY_SQLITE_BUSY_TIMEOUT_MS", "")
    return int(value) if value.isascii() and value.isdigit() else SQLITE_BUSY_TIMEOUT_MS
