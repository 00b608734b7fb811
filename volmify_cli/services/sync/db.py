"""Set-based reads and bulk writes on the session's own connection (same transaction as the rest).

Reads are one query per table for the whole organization; writes are DBAPI `executemany` on
SQLite and `COPY` (inserts) or pipelined `executemany` (updates, deletes) on PostgreSQL. Ids are
handled as 32-digit hex text on both databases (SQLite stores them so; PostgreSQL accepts it),
so rows are compared and keyed without building a `uuid.UUID` per value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session

from volmify_cli.db.stored import sqlite_timestamp

UTC = dt.UTC


class Db:
    """The session's connection seen as a bulk reader and writer."""

    def __init__(self, session: Session) -> None:
        self.connection = session.connection()
        self.sqlite = self.connection.dialect.name == "sqlite"
        self.raw: Any = self.connection.connection.driver_connection
        self.mark = "?" if self.sqlite else "%s"
        self.now = dt.datetime.now(UTC)
        self.now_value = self.time_value(self.now)

    # -- values --------------------------------------------------------------------------------

    def id_sql(self, column: str) -> str:
        return column if self.sqlite else f"replace({column}::text, '-', '')"

    def time_value(self, value: dt.datetime | None) -> Any:
        """A datetime as this database's driver takes it (SQLAlchemy's SQLite text format)."""
        if value is None or not self.sqlite:
            return value
        return sqlite_timestamp(value)

    @staticmethod
    def read_time(value: Any) -> dt.datetime | None:
        if value is None:
            return None
        moment: dt.datetime = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    # -- reads ---------------------------------------------------------------------------------

    def select(
        self, table: str, columns: Sequence[str], org_id: str, *, ids: Sequence[str] = ()
    ) -> list[tuple[Any, ...]]:
        """Rows of one table of the org; columns named in `ids` are read as hex text."""
        wanted = ", ".join(self.id_sql(c) if c in ids else c for c in columns)
        sql = f"SELECT {wanted} FROM {table} WHERE org_id = {self.mark}"
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql, (org_id,))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
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
        if self.sqlite:
            marks = ", ".join("?" for _ in columns)
            self.raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            return
        with self.raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        sql = sql.replace("?", self.mark)
        if self.sqlite:
            self.raw.executemany(sql, rows)
        else:
            with self.raw.cursor() as cursor:
                cursor.executemany(sql, rows)
