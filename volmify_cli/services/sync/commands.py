"""What a command that writes a part of the org the catalog's way needs beyond the sync: a
column of its own (one the catalog's files have no key for, such as a product's thumbnail or a
brand's active flag), written by the same writer, and the write itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from volmify_cli.db.bulk import Bulk
from volmify_cli.services.sync.apply import apply_writes
from volmify_cli.services.sync.rows import Rows
from volmify_cli.services.sync.tables import spec


def id_by_slug(db: Bulk, table: str, org_id: str, slug: str) -> str | None:
    """The id (hex) of the org's row `slug` of `table`; None when there is none."""
    found = db.query(
        f"SELECT {db.id_sql('id')} FROM {table} WHERE org_id = ? AND slug = ?", (org_id, slug)
    )
    return found[0][0] if found else None


def own_column(
    db: Bulk, table: str, column: str, org_id: str, slug: str, value: Any, *, key: str = "slug"
) -> Rows:
    """The write that sets `column` of the org's row `slug` of `table` (its natural key
    column: `key`) to `value`, only if it differs."""
    table_spec = spec(table, key=(key,), data=(column,))
    rows = Rows(db, table_spec, org_id, scope=(f"{key} = ?", (slug,)))
    rows.want((slug,), (value,))
    return rows


def write(session: Session, db: Bulk, tables: Sequence[Rows]) -> None:
    """Run the planned writes of `tables` (parents first) in the session's transaction."""
    apply_writes(db, tables, lambda _n: None)
    session.expire_all()  # ORM objects read before the bulk writes are stale now
