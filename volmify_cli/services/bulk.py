"""Set-based writes through SQLAlchemy Core on the session's connection (one executemany per
table and shape, never one ORM object per row), in the session's transaction.

Ids are generated in Python (uuid7) by the callers, so inserts need no RETURNING round trip.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, insert, update
from sqlmodel import Session

from volmify_cli.db.types import utcnow

CHUNK = 500  # stays far below SQLite's bound-variable limit


def table_of(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(session: Session, model: type[Any], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows (each carrying its own key); timestamps are filled in here. Rows with the
    same columns go in one executemany (an executemany needs the same keys in every row)."""
    if not rows:
        return
    now = utcnow()
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        shapes.setdefault(tuple(sorted(row)), []).append(
            {"created_at": now, "updated_at": now, **row}
        )
    for values in shapes.values():
        session.connection().execute(insert(table_of(model)), values)


def update_rows(
    session: Session,
    model: type[Any],
    keys: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """Update rows by their key columns: each row holds the key values and the columns to set.
    Rows setting the same columns go in one executemany."""
    if not rows:
        return
    table = table_of(model)
    now = utcnow()
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        columns = tuple(sorted(name for name in row if name not in keys))
        if columns:
            shapes.setdefault(columns, []).append(
                {f"k_{name}": row[name] for name in keys}
                | {f"v_{name}": row[name] for name in columns}
                | {"v_updated_at": now}
            )
    for columns, params in shapes.items():
        statement = (
            update(table)
            .where(and_(*(table.c[name] == bindparam(f"k_{name}") for name in keys)))
            .values(
                {name: bindparam(f"v_{name}") for name in columns}
                | {"updated_at": bindparam("v_updated_at")}
            )
        )
        session.connection().execute(statement, params)


def delete_by_ids(
    session: Session, model: type[Any], org_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> None:
    table = table_of(model)
    for part in chunks(list(ids)):
        session.connection().execute(
            delete(table).where(table.c.org_id == org_id, table.c.id.in_(part))
        )


def delete_by_keys(
    session: Session, model: type[Any], columns: Sequence[str], keys: Sequence[tuple[Any, ...]]
) -> None:
    """Delete rows by a composite key (e.g. (org_id, course_id, skill_id)): one executemany."""
    if not keys:
        return
    table = table_of(model)
    statement = delete(table).where(
        and_(*(table.c[name] == bindparam(f"k_{name}") for name in columns))
    )
    session.connection().execute(
        statement,
        [{f"k_{name}": value for name, value in zip(columns, key, strict=True)} for key in keys],
    )
