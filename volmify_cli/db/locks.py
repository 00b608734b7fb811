"""One import per organization at a time (SPEC 4.1).

Every import of an org (catalog, courses, learning records, sales) takes the same lock, because
they read the org's rows, plan against them and then write: two at once would plan against the
same snapshot and either write duplicates or fail half-way on a unique constraint.

PostgreSQL: a transaction-scoped advisory lock keyed by the org's slug, polled with
`pg_try_advisory_xact_lock` until `timeout` (the lock is released by the commit or the rollback,
and by the server when the process dies). SQLite needs nothing here: the write session's
`BEGIN IMMEDIATE` already serialises writers, and a second one fails clearly after the busy
timeout ("database is locked").
"""

from __future__ import annotations

import time

from sqlalchemy import text
from sqlmodel import Session

from volmify_cli.errors import VolmifyError

POLL_SECONDS = 0.2


def import_lock_key(org_slug: str) -> str:
    """The advisory lock's key (hashed by the server); tests take it to play another import."""
    return f"volmify-import:{org_slug}"


def lock_org_imports(session: Session, org_slug: str, timeout: float) -> None:
    """Wait up to `timeout` seconds for the org's import lock, held until the transaction ends.
    Raises VolmifyError (exit 1) when another import still holds it."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + timeout
    query = text("SELECT pg_try_advisory_xact_lock(hashtext(:key))")
    while not connection.execute(query, {"key": import_lock_key(org_slug)}).scalar():
        if time.monotonic() >= deadline:
            raise VolmifyError(
                f"another import of org {org_slug} is running",
                f"try again when it has finished (waited {timeout:g} s; see --lock-timeout)",
            )
        time.sleep(POLL_SECONDS)
