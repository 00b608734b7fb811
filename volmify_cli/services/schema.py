"""Schema status and migrations, as a service for `volmify db`."""

from __future__ import annotations

from typing import TypedDict

from sqlalchemy import Engine

from volmify_cli.db.schema import current_revision
from volmify_cli.migrations.head import HEAD, REVISIONS


class SchemaStatus(TypedDict):
    url: str
    backend: str
    current: str | None
    head: str
    up_to_date: bool
    pending: list[str]


def schema_status(engine: Engine, *, url: str) -> SchemaStatus:
    """`url` is shown as given: the caller passes it masked."""
    with engine.connect() as connection:
        current = current_revision(connection)
    if current is None:
        pending = list(REVISIONS)
    elif current in REVISIONS:
        pending = list(REVISIONS[REVISIONS.index(current) + 1 :])
    else:
        pending = []
    return SchemaStatus(
        url=url,
        backend=engine.dialect.name,
        current=current,
        head=HEAD,
        up_to_date=current == HEAD,
        pending=pending,
    )


def upgrade_schema(engine: Engine, *, revision: str = "head") -> list[str]:
    """Apply migrations up to `revision` (idempotent); returns what the migrations say about the
    data they converted. Raises DatabaseError on a newer schema."""
    from volmify_cli.db.schema import schema_state
    from volmify_cli.migrations.runner import upgrade

    with engine.connect() as connection:
        schema_state(current_revision(connection))  # refuses a revision this volmify lacks
    return upgrade(engine, revision)


def downgrade_schema(engine: Engine, *, revision: str) -> None:
    """Step the schema back to `revision` (`base` removes everything). Raises UsageError for a
    revision that does not exist."""
    from volmify_cli.errors import UsageError
    from volmify_cli.migrations.runner import downgrade

    if revision not in (*REVISIONS, "base") and not revision.startswith("-"):
        raise UsageError(
            f"unknown revision {revision!r}", f"choose base or one of: {', '.join(REVISIONS)}"
        )
    downgrade(engine, revision)
