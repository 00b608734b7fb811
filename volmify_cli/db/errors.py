"""Turn database driver errors that a user can cause into clear VolmifyErrors."""

from __future__ import annotations

import re

from sqlalchemy import exc as sa_exc

from volmify_cli.db.urls import mask_url, scrub
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
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "ssl",
)


def _first_line(exc: BaseException, url: str | None) -> str:
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    line = text[0] if text else type(original).__name__
    line = re.sub(r"^\(\S+\)\s*", "", line)
    return scrub(line, url) if url else line


def translate_db_error(exc: BaseException, url: str | None) -> VolmifyError | None:
    """A VolmifyError for a driver error a user can cause, or None for a real bug."""
    message = _first_line(exc, url)
    lowered = message.lower()
    where = f" at {mask_url(url)}" if url else ""
    if "database is locked" in lowered:
        return VolmifyError(
            "database is locked: another volmify command is writing to it",
            "try again when it has finished",
        )
    if isinstance(exc, sa_exc.IntegrityError):
        return ConflictError(f"the database refused the change: {message}")
    if isinstance(exc, sa_exc.DataError) and "out of range" in lowered:
        # PostgreSQL's INTEGER/BIGINT bounds (a tier, a size, an amount typed far too large)
        return RuleError(f"a number is too large to store: {message}")
    connection_error = isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError))
    if connection_error and any(marker in lowered for marker in _CONNECT_FAILURES):
        return DatabaseError(f"cannot use the database{where}: {message}")
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.ProgrammingError)) and (
        "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered)
    ):
        return DatabaseError(
            f"the database schema is incomplete{where}: {message}", "run `volmify db upgrade`"
        )
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return DatabaseError(f"lost the connection to the database{where}: {message}")
    return None
