"""A catalog fingerprint holds only while nothing else has written to its org.

The catalog import remembers, per product, a digest of the text it read (the
`org_catalog_fingerprint` table), so that the next import of the same text can skip that
product: its rows are what the text says. That is only true while nobody else changed them,
so every statement that writes to a table the catalog reads deletes, before it runs and once
per transaction, the fingerprints of the orgs it writes to: of the one org its `org_id`
parameters name, or of every org when it names none (a global table such as instructor
profiles, or SQL that does not say). The import writes its own org's fingerprints back after its
last write, in the same transaction, and a rolled-back transaction rolls the deletion back too.

This sits under every write path at once (the ORM's flushes, Core and text statements through
the engine's `before_cursor_execute` event; the bulk writer, which writes on the driver's own
cursor, calls `forget` itself), so a new command cannot forget to invalidate.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, event

TABLE = "org_catalog_fingerprint"

# Tables no catalog import or export reads: sales, members and their learning, sessions. A
# write to them leaves the catalog as it is. (Deleting a product with sales or enrollments is
# refused by prune, but a skipped product is never deleted.) Every other table counts.
UNRELATED = frozenset(
    (
        TABLE,
        "alembic_version",
        "org_order",
        "org_order_item",
        "org_order_item_allocation",
        "org_member",
        "org_member_course_enrollment",
        "org_member_lesson_progress",
        "org_member_subscription",
        "org_product_course_rating",
        "user_session",
        "user_learning_profile",
    )
)
# Tables without a tenant. A new row in one of them (or a new org) is no row of any product (a
# new customer, a new skill): an insert is harmless. An update or a delete may rename what a
# catalog names (an instructor's slug), so it forgets every org's fingerprints (the tests hold
# this list to the schema).
GLOBAL = frozenset(
    (
        "contact_info",
        "country",
        "currency",
        "locale",
        "skill",
        "skill_translation",
        "user",
        "user_instructor_profile",
        "user_instructor_profile_translation",
        "user_profile",
        "user_profile_contact_info",
    )
)
EVERY_ORG = "*"
FORGOTTEN = "volmify.fingerprints_forgotten"  # connection.info: orgs done in this transaction
MIGRATING = "volmify.migrating"  # connection.info: a migration's writes (the table may not exist)
HAS_TABLE = "volmify.fingerprints_table"  # connection.info: the answer of `_has_table`

_WRITE = re.compile(
    r'\s*(INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
# Bind names that carry a row's org: `org_id`, `org_id_1` (Core), `org_product_org_id` (the
# ORM's table-qualified labels), `org_id` of the org table's own `id`.
_ORG_BIND = re.compile(r"(?:^|_)org_id(?:_\d+)?$")
_TABLES: dict[str, str | None] = {}  # statement -> the related table it writes, or None


def watch(engine: Engine) -> None:
    """Make every write through `engine` forget the fingerprints it makes untrue."""
    event.listen(engine, "before_cursor_execute", _before_execute)
    for name in ("commit", "rollback", "rollback_savepoint"):
        event.listen(engine, name, _end_of_transaction)
    # Connection.info lives as long as the pooled DBAPI connection: never carry it over.
    event.listen(engine.pool, "checkin", _checked_in)


def written_table(statement: str) -> str | None:
    """The table a statement writes when that can change a catalog; None for reads, DDL, the
    tables in UNRELATED and inserts into GLOBAL tables."""
    found = _TABLES.get(statement)
    if found is None and statement not in _TABLES:
        match = _WRITE.match(statement)
        table = match.group(2).lower() if match else None
        if table in UNRELATED or (
            table in GLOBAL | {"org"} and match is not None and match.group(1)[0] in "iI"
        ):
            table = None
        found = table
        if len(_TABLES) < 10_000:  # statements repeat; text with literals must not grow it
            _TABLES[statement] = found
    return found


def forget(connection: Any, orgs: Iterable[Any] | None) -> None:
    """Delete the fingerprints of `orgs` (ids as uuid.UUID or hex), or of every org (None),
    unless this transaction already did. `connection` is a SQLAlchemy Connection."""
    info = connection.info
    if info.get(MIGRATING):
        return
    done: set[str] = info.setdefault(FORGOTTEN, set())
    if EVERY_ORG in done:
        return
    # Through the Connection (not the driver's own): a lost connection is then reported as
    # the statement's would be.
    run = connection.exec_driver_sql
    sqlite = connection.dialect.name == "sqlite"
    if not _has_table(info, run, sqlite):  # a database at a revision before 0009
        done.add(EVERY_ORG)
        return
    if orgs is None:
        run(f"DELETE FROM {TABLE}")
        done.add(EVERY_ORG)
        return
    for org in {_hex(o) for o in orgs} - done:
        if sqlite:
            run(f"DELETE FROM {TABLE} WHERE org_id = ?", (org,))
        else:
            run(f"DELETE FROM {TABLE} WHERE org_id = %s", (uuid.UUID(hex=org),))
        done.add(org)


def forget_for(connection: Any, statement: str, orgs: Iterable[Any] | None) -> None:
    """`forget` for a statement written by hand (the bulk writer): nothing when it does not
    write a related table."""
    if written_table(statement) is not None:
        forget(connection, orgs)


def _has_table(info: dict[str, Any], run: Any, sqlite: bool) -> bool:
    """Whether the database has the fingerprints' table, asked once per connection (the
    migration runner forgets the answer: it may create the table)."""
    found = info.get(HAS_TABLE)
    if found is None:
        if sqlite:
            query = f"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'"
        else:
            query = f"SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = '{TABLE}'"
        found = info[HAS_TABLE] = bool(run(query).scalar())
    return bool(found)


def _hex(value: Any) -> str:
    if isinstance(value, uuid.UUID):
        return value.hex
    return uuid.UUID(str(value)).hex


def _before_execute(
    connection: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
) -> None:
    if written_table(statement) is not None:
        forget(connection, _orgs_of(context))


def _orgs_of(context: Any) -> set[Any] | None:
    """The orgs a compiled statement's parameters name, or None when a parameter set names
    none (then the statement may write anything)."""
    compiled = getattr(context, "compiled", None)
    parameters = getattr(context, "compiled_parameters", None)
    if compiled is None or not parameters:
        return None
    orgs: set[Any] = set()
    for values in parameters:
        named = [v for k, v in values.items() if v is not None and _ORG_BIND.search(k)]
        if not named:
            return None
        orgs.update(named)
    return orgs


def _end_of_transaction(connection: Any, *_args: Any) -> None:
    # A lost connection has no info to clear (asking would try to reconnect); the pool's
    # checkin clears it in any case.
    if not connection.invalidated:
        connection.info.pop(FORGOTTEN, None)


def _checked_in(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info.pop(FORGOTTEN, None)
        record.info.pop(MIGRATING, None)
