"""Running the planned writes, table by table, in an order the constraints accept:

1. early deletes (a plan whose type changes loses its old type extension first), children first;
2. per table, parents first: flags that go off are cleared (one default per parent is a partial
   unique index, checked row by row), then the other updates, then the inserts;
3. deletes, children first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from volmify_cli.db.bulk import Bulk
from volmify_cli.services.sync.rows import MANAGED, Data, Rows, Table


def apply_writes(db: Bulk, tables: Sequence[Rows], advance: Callable[[int], None]) -> None:
    """Run the writes; each table's inserts are released once written (a first import's are
    most of what the plan holds)."""
    for rows in reversed(tables):
        _delete(db, rows.table, rows.writes.early_deletes, rows)
    for rows in tables:
        table, writes = rows.table, rows.writes
        if table.flags:
            _clear_flags(db, rows)
        _update(db, table, rows.org_id, writes.updates)
        _adopt(db, rows)
        inserts, writes.inserts = writes.inserts, []
        _insert(db, rows, inserts)
        advance(len(writes.updates) + len(inserts))
        del inserts
    for rows in reversed(tables):
        _delete(db, rows.table, rows.writes.deletes, rows)
        advance(len(rows.writes.deletes))


def _converter(db: Bulk, table: Table, columns: Sequence[str]) -> Callable[[Sequence[Any]], Any]:
    """Rows as the driver takes them: SQLite gets datetimes as SQLAlchemy's text format."""
    times = [i for i, c in enumerate(columns) if c in table.times]
    if not times or not db.sqlite:
        return lambda values: values

    def convert(values: Sequence[Any]) -> list[Any]:
        row = list(values)
        for i in times:
            row[i] = db.time_value(row[i])
        return row

    return convert


def _where(table: Table) -> str:
    return " AND ".join(["org_id = ?", *(f"{c} = ?" for c in table.key)])


def _update(
    db: Bulk, table: Table, org_id: str, updates: Sequence[tuple[tuple[Any, ...], Data]]
) -> None:
    if not updates:
        return
    sets = ", ".join(f"{c} = ?" for c in (*table.data, "updated_at"))
    sql = f"UPDATE {table.name} SET {sets} WHERE {_where(table)}"
    convert = _converter(db, table, table.data)
    rows = [(*convert(data), db.now_value, org_id, *key) for key, data in updates]
    db.execute_many(sql, rows)


def _clear_flags(db: Bulk, rows: Rows) -> None:
    """Rows whose one-per-parent flag goes off (or that will be deleted) lose it first."""
    table = rows.table
    for flag in table.flags:
        index = table.data.index(flag)
        keys = [
            key
            for key, data in rows.writes.updates
            if not data[index] and rows.existing[key][1][index]
        ]
        keys += [key for key in rows.writes.deletes if rows.existing[key][1][index]]
        if keys:
            sql = f"UPDATE {table.name} SET {flag} = ? WHERE {_where(table)}"
            db.execute_many(sql, [(False, rows.org_id, *key) for key in keys])


def _adopt(db: Bulk, rows: Rows) -> None:
    """The existing rows a catalog import wants become managed by the catalog."""
    if rows.adopt:
        sql = f"UPDATE {rows.table.name} SET {MANAGED} = ? WHERE {_where(rows.table)}"
        db.execute_many(sql, [(True, rows.org_id, *key) for key in rows.adopt])
        rows.adopt = []


def _insert(db: Bulk, planned: Rows, inserts: Sequence[Data]) -> None:
    if not inserts:
        return
    table, org_id = planned.table, planned.org_id
    head = ("id",) if table.has_id else ()
    extra = (*table.extra, *(((MANAGED, planned.adopting),) if table.managed else ()))
    extra_names = tuple(name for name, _ in extra)
    extra_values = tuple(value for _, value in extra)
    columns = (
        *head,
        *table.key,
        *table.data,
        *table.insert_only,
        *extra_names,
        "org_id",
        "created_at",
        "updated_at",
    )
    tail = (*extra_values, org_id, db.now_value, db.now_value)
    if db.sqlite and table.times:
        convert = _converter(db, table, head + table.key + table.data + table.insert_only)
        rows: Iterable[Sequence[Any]] = ((*convert(row), *tail) for row in inserts)
    else:  # the rows as planned: one tuple concatenation each
        rows = (row + tail for row in inserts)
    db.insert(table.name, columns, rows, org=org_id)


def _delete(db: Bulk, table: Table, keys: Sequence[tuple[Any, ...]], rows: Rows) -> None:
    if keys:
        sql = f"DELETE FROM {table.name} WHERE {_where(table)}"
        db.execute_many(sql, [(rows.org_id, *key) for key in keys])
