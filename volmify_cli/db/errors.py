"""Turn database driver errors that a user can cause into clear VolmifyErrors.

Errors are told apart by their PEP 249 class (OperationalError, IntegrityError, ...), which
SQLAlchemy's wrappers, sqlite3 and psycopg all name alike: the report commands meet the
drivers' own errors (they read without SQLAlchemy), every other command SQLAlchemy's.
"""

from __future__ import annotations

import re

from volmify_cli.db.urls import URL_HINT, mask_url, scrub
from volmify_cli.errors import ConflictError, DatabaseError, RuleError, VolmifyError

_CONNECT_FAILURES = (
    "connection refused",
    "could not connect",
    "connection failed",
    "password authentication failed",
    "no password supplied",
    "does not exist",
    "could not translate host name",
    "name or service not known",
    "timeout expired",
    "unable to open database file",
    "ssl",
)
# A connection that was there and went away (the server was stopped or ended the session, the
# network dropped): whether SQLAlchemy marked it invalidated depends on where the statement was
# when it happened, so the driver's words say it too.
_LOST = ("terminating connection", "server closed the connection", "connection is closed")
# libpq's words for a connection string it cannot use (a bad port, an unknown option, a broken
# URI): the user's configuration, not a bug.
_URL_PROBLEMS = (
    "invalid port number",
    "invalid connection option",
    "invalid uri",
    "invalid integer value",
    "end of string reached",
    'missing "=" after',
)
# SQLite's words for a file that is not a database or whose pages are broken (a truncated
# copy, a file of something else).
_DAMAGED = (
    "file is not a database",
    "database disk image is malformed",
    "malformed database schema",
    "file is encrypted",
)


def _location(url: str | None) -> str:
    """The file of a SQLite URL, else the masked URL."""
    if url is None:
        return "the database"
    from volmify_cli.db.urls import parse_url

    try:
        parsed = parse_url(url)
    except DatabaseError:
        return mask_url(url)
    if parsed.is_sqlite and parsed.path:
        return parsed.path
    return parsed.masked()


def _first_line(exc: BaseException, url: str | None) -> str:
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    line = text[0] if text else type(original).__name__
    line = re.sub(r"^\(\S+\)\s*", "", line)
    return scrub(line, url) if url else line


def _kinds(exc: BaseException) -> set[str]:
    """The PEP 249 classes an error is an instance of, by name (`psycopg.errors.UndefinedTable`
    is a ProgrammingError; SQLAlchemy's wrappers carry the names of the driver's classes)."""
    return {cls.__name__ for cls in type(exc).__mro__}


def translate_db_error(exc: BaseException, url: str | None) -> VolmifyError | None:
    """A VolmifyError for a driver error a user can cause, or None for a real bug."""
    message = _first_line(exc, url)
    lowered = message.lower()
    where = f" at {mask_url(url)}" if url else ""
    kinds = _kinds(exc)
    if "database is locked" in lowered:
        return VolmifyError(
            "database is locked: another volmify command is writing to it",
            "try again when it has finished",
        )
    if "IntegrityError" in kinds:
        return ConflictError(f"the database refused the change: {message}")
    if "DataError" in kinds and "out of range" in lowered:
        # PostgreSQL's INTEGER/BIGINT bounds (a tier, a size, an amount typed far too large)
        return RuleError(f"a number is too large to store: {message}")
    driver_error = bool(kinds & {"OperationalError", "ProgrammingError", "InterfaceError"})
    if driver_error and any(marker in lowered for marker in _URL_PROBLEMS):
        named = f" {mask_url(url)}" if url else ""
        return DatabaseError(f"invalid database URL{named}: {message}", URL_HINT)
    connection_error = bool(kinds & {"OperationalError", "InterfaceError"})
    if connection_error and any(marker in lowered for marker in _LOST):
        return DatabaseError(f"lost the connection to the database{where}: {message}")
    if connection_error and any(marker in lowered for marker in _CONNECT_FAILURES):
        return DatabaseError(f"cannot use the database{where}: {message}")
    if "DatabaseError" in kinds and any(marker in lowered for marker in _DAMAGED):
        return DatabaseError(
            f"not a volmify database or damaged: {_location(url)}",
            "point --db at the right file, or restore it from a backup",
        )
    if kinds & {"OperationalError", "ProgrammingError"} and (
        "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered)
    ):
        return DatabaseError(
            f"the database schema is incomplete{where}: {message}", "run `volmify db upgrade`"
        )
    if getattr(exc, "connection_invalidated", False):  # SQLAlchemy's mark of a lost connection
        return DatabaseError(f"lost the connection to the database{where}: {message}")
    return None
