"""The engine factory: created on first use from the resolved URL, never at import time."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError

from volmify_cli.db.connecting import pg_connect_args, sqlite_busy_timeout_ms
from volmify_cli.db.urls import is_sqlite, normalise_url, sqlite_path

# Execution option that makes a SQLite transaction take the write lock at BEGIN.
IMMEDIATE = "volmify_begin_immediate"


def ensure_sqlite_file(path: str) -> None:
    """Create the database file with mode 0600 before SQLite does (it would use the umask)."""
    file = Path(path)
    if file.exists():
        return
    file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(file, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(fd)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Raises DatabaseError for a URL that cannot be parsed (named masked: the parser's own
    message would quote the part of a password after an unencoded `@`)."""
    url = normalise_url(url)
    try:
        if is_sqlite(url):
            return _sqlite_engine(url, echo=echo)
        _quiet_driver_log()
        parsed = make_url(url)
        return create_engine(
            parsed,
            echo=echo,
            pool_pre_ping=False,
            connect_args=pg_connect_args(parsed.query),
        )
    except (ArgumentError, ValueError):
        from volmify_cli.db.errors import URL_HINT
        from volmify_cli.db.urls import mask_url
        from volmify_cli.errors import DatabaseError

        raise DatabaseError(f"invalid database URL {mask_url(url)}", URL_HINT) from None


def _quiet_driver_log() -> None:
    """psycopg logs a warning when it abandons a COPY on a lost connection ("error ignored
    terminating ..."); with no logging configured Python prints it to stderr, above our one
    `Error:` line that already says the connection was lost."""
    import logging

    driver_log = logging.getLogger("psycopg")
    if not driver_log.handlers:
        driver_log.addHandler(logging.NullHandler())


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        ensure_sqlite_file(path)
    busy_timeout_ms = sqlite_busy_timeout_ms()
    engine = create_engine(url, echo=echo, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN and cannot take the write lock up
        # front; switch it off and emit BEGIN ourselves (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        if path is not None:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
