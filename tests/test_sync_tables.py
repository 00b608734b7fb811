"""The catalog's table specs (services/sync/tables.py) are held to the models: every column of a
table the catalog writes is written, or listed in NOT_WRITTEN with the reason; and the kinds of
its columns (ids, flags, timestamps) are the models' own."""

from __future__ import annotations

import sqlalchemy as sa

from volmify_cli.db.types import UTCDateTime
from volmify_cli.models import load_all
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.rows import MANAGED

METADATA = load_all()


def _written(table: t.Table) -> set[str]:
    return {
        *table.key,
        *table.data,
        *table.insert_only,
        *(name for name, _value in table.extra),
        *t.STAMPS,
        *(("id",) if table.has_id else ()),
        *((MANAGED,) if table.managed else ()),
    }


def test_every_column_is_written_or_left_alone_for_a_reason() -> None:
    for table in t.ORDER:
        columns = {c.name for c in METADATA.tables[table.name].columns}
        written, left = _written(table), t.NOT_WRITTEN.get(table.name, {})
        assert written <= columns, f"{table.name}: no column {sorted(written - columns)}"
        assert not written & set(left), f"{table.name}: {sorted(written & set(left))} both"
        unaccounted = columns - written - set(left)
        assert not unaccounted, f"{table.name}: {sorted(unaccounted)} neither written nor excused"
        assert all(reason.strip() for reason in left.values())
    assert set(t.NOT_WRITTEN) <= {table.name for table in t.ORDER}


def test_the_kinds_of_columns_are_the_models() -> None:
    for table in t.ORDER:
        columns = METADATA.tables[table.name].columns
        compared = (*table.key, *table.data)
        assert set(table.ids) == {c for c in compared if isinstance(columns[c].type, sa.Uuid)}
        assert set(table.bools) == {c for c in compared if isinstance(columns[c].type, sa.Boolean)}
        assert set(table.times) == {
            c for c in table.data if isinstance(columns[c].type, (sa.DateTime, UTCDateTime))
        }
        assert table.has_id == ("id" in columns)


def test_parents_come_before_children() -> None:
    """ORDER is the order of the writes: a table's foreign keys point at tables written before
    it (or at tables the catalog does not write)."""
    position = {table.name: index for index, table in enumerate(t.ORDER)}
    for table in t.ORDER:
        for key in METADATA.tables[table.name].foreign_keys:
            parent = key.column.table.name
            if parent in position and parent != table.name:
                assert position[parent] < position[table.name], (table.name, parent)
