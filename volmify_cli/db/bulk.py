"""Bulk writes on the session's own connection and transaction: DBAPI executemany on SQLite
(the write session already holds BEGIN IMMEDIATE), psycopg COPY on PostgreSQL.

One ORM object per row costs about 58x a raw executemany (SPEC 7), so large imports write plain
tuples here. Values are given in the text form both databases read for these column types, so a
row is built once, whichever the backend: ids as 32 hex digits (what SQLAlchemy's Uuid stores on
SQLite; PostgreSQL's uuid input accepts it) and timestamps as UTC text with microseconds (what
UTCDateTime stores on SQLite, so text comparisons order correctly; `+00` on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from volmify_cli.db.stored import sqlite_timestamp


class BulkWriter:
    """Writes rows into tables on the session's connection, inside its transaction."""

    def __init__(self, session: Session) -> None:
        session.flush()  # pending ORM rows go first: bulk rows may reference them
        self.session = session
        connection = session.connection()
        self.backend = connection.dialect.name
        self.dbapi: Any = connection.connection.dbapi_connection
        self._zone = "" if self.backend == "sqlite" else "+00"

    def id(self, value: uuid.UUID) -> str:
        return value.hex

    def timestamp(self, value: dt.datetime) -> str:
        """An aware datetime as UTC text. Raises ValueError for a naive one."""
        return sqlite_timestamp(value) + self._zone

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        names = ", ".join(columns)
        cursor = self.dbapi.cursor()
        try:
            if self.backend == "postgresql":
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        finally:
            cursor.close()

    def analyze(self, *tables: str) -> None:
        """Refresh the planner's statistics after a large load (PostgreSQL plans the report
        queries about 2x slower on fresh, statistics-less tables)."""
        if self.backend == "postgresql":
            for table in tables:
                self.session.execute(text(f"ANALYZE {table}"))
