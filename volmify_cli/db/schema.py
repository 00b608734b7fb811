"""The schema revision check that every command runs before touching data.

It reads `alembic_version` with plain SQL and compares with the HEAD constant, so ordinary
commands never import Alembic (and the report commands, which read through the driver, never
import SQLAlchemy).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from volmify_cli.errors import DatabaseError, SchemaOutdatedError
from volmify_cli.migrations.head import HEAD, REVISIONS

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from volmify_cli.db.direct import DirectReader


class SchemaState(Enum):
    CURRENT = "current"
    BEHIND = "behind"


def current_revision(connection: Connection) -> str | None:
    from sqlalchemy import inspect

    if not inspect(connection).has_table("alembic_version"):
        return None
    value = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return str(value) if value is not None else None


_HAS_VERSION_TABLE = {
    "sqlite": "SELECT count(*) FROM sqlite_master"
    " WHERE type = 'table' AND name = 'alembic_version'",
    "postgresql": "SELECT to_regclass('alembic_version') IS NOT NULL",
}


def current_revision_direct(reader: DirectReader) -> str | None:
    """`current_revision` through the driver alone."""
    found = reader.first(_HAS_VERSION_TABLE[reader.dialect])
    if found is None or not found[0]:
        return None
    row = reader.first("SELECT version_num FROM alembic_version")
    return str(row[0]) if row is not None and row[0] is not None else None


def schema_state(current: str | None) -> SchemaState:
    """CURRENT or BEHIND; a revision this volmify does not know is an error (exit 4)."""
    if current == HEAD:
        return SchemaState.CURRENT
    if current is None or current in REVISIONS:
        return SchemaState.BEHIND
    raise DatabaseError(
        f"the database is at revision {current}, which this volmify does not know (head {HEAD})",
        "upgrade volmify to a version that knows this schema",
    )


def require_current(current: str | None) -> None:
    if schema_state(current) is SchemaState.BEHIND:
        raise SchemaOutdatedError(current, HEAD)
