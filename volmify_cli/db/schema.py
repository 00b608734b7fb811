"""The schema revision check that every command runs before touching data.

It reads `alembic_version` with plain SQL and compares with the HEAD constant, so ordinary
commands never import Alembic.
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy import Connection, inspect

from volmify_cli.errors import DatabaseError, SchemaOutdatedError
from volmify_cli.migrations.head import HEAD, REVISIONS


class SchemaState(Enum):
    CURRENT = "current"
    BEHIND = "behind"


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    value = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return str(value) if value is not None else None


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
