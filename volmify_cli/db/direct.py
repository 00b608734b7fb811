"""Direct reads on the DBAPI connection (sqlite3 or psycopg), without SQLAlchemy.

The revenue commands run a few hand-written aggregates, and SPEC 7 holds them within 1.5x of a
bare script running the same SQL. Importing SQLAlchemy and setting up its dialect and engine
took about a third of that budget before the first query (0.25-0.4 s against aggregates of
0.5-0.7 s on PostgreSQL), so the report path opens the driver itself.

A `DirectReader` is that connection plus the one difference the report SQL meets between the
two databases: the placeholder style (the SQL is written with `?`). It also wraps the DBAPI
connection under a SQLAlchemy session or connection (`reader_of`), so service tests and the
ORM paths run the same SQL inside their own transaction.

Values come back as each driver gives them: ids are `uuid.UUID` on PostgreSQL and 32 hex
digits on SQLite. Report code hands ids it read straight back as parameters and never compares
them with ids from elsewhere, so the two forms never meet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from volmify_cli.db.connecting import libpq_keywords, sqlite_busy_timeout_ms
from volmify_cli.db.stored import sqlite_timestamp
from volmify_cli.db.urls import DatabaseUrl, parse_url

Dialect = Literal["sqlite", "postgresql"]
Row = tuple[Any, ...]

# Ids per statement in `rows_in`: far below both databases' limits on bound parameters
# (SQLite 32,766, PostgreSQL 65,535), whatever the size of the catalog.
IN_CHUNK = 500


class DirectReader:
    """A DBAPI connection that runs `?`-placeholder SQL on either database."""

    def __init__(self, connection: Any, dialect: Dialect, close: Callable[[], None]) -> None:
        self.connection = connection
        self.dialect = dialect
        self._close = close

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of one statement. Aware datetimes are compared as each database stores
        them (timestamptz on PostgreSQL, UTC text on SQLite)."""
        if self.dialect == "postgresql":
            sql = sql.replace("%", "%%").replace("?", "%s")
            values = tuple(params)
        else:
            values = tuple(_sqlite_value(value) for value in params)
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, values)
            rows: list[Row] = cursor.fetchall()  # tuples: neither driver has a row factory set
            return rows
        finally:
            cursor.close()

    def first(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def rows_in(self, sql: str, params: Sequence[Any], values: Iterable[Any]) -> list[Row]:
        """The rows of `sql`, whose `IN ({})` takes `values` (any number, sent in chunks)."""
        wanted = list(values)
        found: list[Row] = []
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start : start + IN_CHUNK]
            found += self.rows(sql.format(", ".join("?" * len(chunk))), [*params, *chunk])
        return found

    def close(self) -> None:
        self._close()


def _sqlite_value(value: Any) -> Any:
    return sqlite_timestamp(value) if isinstance(value, dt.datetime) else value


def connect(url: str | DatabaseUrl) -> DirectReader | None:
    """A read-only connection in one snapshot (a statement's several queries agree with each
    other while an import writes), or None for a URL the driver cannot be given directly:
    an in-memory or missing SQLite file, or options in a SQLite URL. Raises DatabaseError for
    a URL `parse_url` refuses, and the driver's own error when the database cannot be
    reached."""
    parsed = url if isinstance(url, DatabaseUrl) else parse_url(url)
    if parsed.is_sqlite:
        return _connect_sqlite(parsed)
    return _connect_postgresql(parsed)


def _connect_sqlite(url: DatabaseUrl) -> DirectReader | None:
    path = url.path
    # A missing file goes through the engine, which decides whether it may be created (the
    # embedded default, privately) or is an error; sqlite3 would create it with the umask's mode.
    if path is None or url.has_options or not Path(path).is_file():
        return None
    import sqlite3

    connection = sqlite3.connect(
        path, timeout=sqlite_busy_timeout_ms() / 1000, isolation_level=None
    )
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.execute("BEGIN")  # one snapshot for every query of the command
    except BaseException:
        connection.close()
        raise
    return DirectReader(connection, "sqlite", connection.close)


def _connect_postgresql(url: DatabaseUrl) -> DirectReader:
    import psycopg

    connection = psycopg.connect(**libpq_keywords(url))
    connection.read_only = True
    connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    return DirectReader(connection, "postgresql", connection.close)


def from_engine(engine: Any) -> DirectReader:
    """A reader on a pooled connection of a SQLAlchemy engine (URLs `connect` declines)."""
    proxied = engine.raw_connection()
    return DirectReader(proxied.driver_connection, engine.dialect.name, proxied.close)


def reader_of(db: Any) -> DirectReader:
    """A reader inside the transaction of a SQLAlchemy Session or Connection (which keeps
    owning it: closing the reader leaves it open)."""
    connection = db.connection() if hasattr(db, "get_bind") else db
    return DirectReader(
        connection.connection.driver_connection, connection.dialect.name, lambda: None
    )
