"""The one bulk reader and writer: set-based reads and bulk writes on the session's own
connection, inside its transaction (the write session already holds BEGIN IMMEDIATE on SQLite).

One ORM object per row costs about 58x a raw executemany (SPEC 7), so large imports (the catalog,
sales) read and write plain tuples here: DBAPI `executemany` on SQLite; `COPY` for inserts and
pipelined `executemany` for updates and deletes on PostgreSQL.

Ids travel as 32 hex digits on both databases: what SQLAlchemy's Uuid stores on SQLite, and what
PostgreSQL's uuid input accepts; reads ask PostgreSQL for the same text (`id_sql`), so rows are
compared and keyed without building a `uuid.UUID` per value. Timestamps are aware UTC datetimes;
on SQLite they are written as the text UTCDateTime stores (microseconds, so text order is time
order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from volmify_cli.db.stored import sqlite_timestamp

UTC = dt.UTC
Scope = tuple[str, Sequence[Any]]  # an SQL condition with `?` marks, and its values


class Bulk:
    """The session's connection seen as a set-based reader and bulk writer."""

    def __init__(self, session: Session) -> None:
        session.flush()  # pending ORM rows go first: bulk rows may reference them
        self.session = session
        self.connection = session.connection()
        self.sqlite = self.connection.dialect.name == "sqlite"
        self.raw: Any = self.connection.connection.driver_connection
        self.mark = "?" if self.sqlite else "%s"
        self.now = dt.datetime.now(UTC)
        self.now_value = self.time_value(self.now)

    # -- values --------------------------------------------------------------------------------

    def id_sql(self, column: str) -> str:
        """The SQL that reads a uuid column as 32 hex digits."""
        return column if self.sqlite else f"replace({column}::text, '-', '')"

    def time_value(self, value: dt.datetime | None) -> Any:
        """An aware datetime as this database's driver takes it. Raises ValueError for a naive
        one (volmify stores timezone-aware UTC only)."""
        if value is None:
            return None
        if self.sqlite:
            return sqlite_timestamp(value)
        if value.tzinfo is None:
            sqlite_timestamp(value)  # the one place that words the refusal
        return value

    @staticmethod
    def read_time(value: Any) -> dt.datetime | None:
        """A timestamp as read back (text on SQLite, a datetime on PostgreSQL), as aware UTC."""
        if value is None:
            return None
        moment: dt.datetime = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    # -- reads ---------------------------------------------------------------------------------

    def select(
        self,
        table: str,
        columns: Sequence[str],
        org_id: str,
        *,
        ids: Sequence[str] = (),
        where: Scope | None = None,
    ) -> list[tuple[Any, ...]]:
        """Rows of one table of the org (and of `where`, a condition with `?` marks and its
        values); columns named in `ids` are read as hex text."""
        wanted = ", ".join(self.id_sql(c) if c in ids else c for c in columns)
        sql = f"SELECT {wanted} FROM {table} WHERE org_id = ?"
        params: tuple[Any, ...] = (org_id,)
        if where is not None:
            sql += f" AND ({where[0]})"
            params += tuple(where[1])
        return self.query(sql, params)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a query written with `?` marks (turned into the driver's own)."""
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql.replace("?", self.mark), tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    # -- writes --------------------------------------------------------------------------------

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Rows are streamed to the driver (not copied into a list first)."""
        names = ", ".join(columns)
        cursor = self.raw.cursor()
        try:
            if self.sqlite:
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            else:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        finally:
            cursor.close()

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement written with `?` marks, run for each row (updates, deletes)."""
        if not rows:
            return
        cursor = self.raw.cursor()
        try:
            cursor.executemany(sql.replace("?", self.mark), rows)
        finally:
            cursor.close()

    def analyze(self, *tables: str) -> None:
        """Refresh the planner's statistics after a large load (PostgreSQL plans the report
        queries about 2x slower on fresh, statistics-less tables)."""
        if not self.sqlite:
            for table in tables:
                self.session.execute(text(f"ANALYZE {table}"))
