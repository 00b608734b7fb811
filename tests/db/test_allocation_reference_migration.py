"""Migration 0026: an allocation's one reference to its entry carries the entry's item and
currency, in place of three references (entry, item, currency), on both databases.

A ledger recorded at head is taken back to 0027 (0028 drops the columns this reference checked:
tests/db/test_split_part_of_entry_migration.py), then to 0025, and upgraded again: every split
survives as it was, `revenue report` gives the same figures, and the database now refuses a split that names
another currency or item than its entry's (0025 took one). The upgrade refuses a database that
holds such a split, naming how many; deleting an order still removes its splits.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import IntegrityError

from tests.db.ledger_at_head import TWO_ORDERS, record, report
from tests.support import Cli, engine_at
from volmify_cli.migrations.runner import downgrade, upgrade

BEFORE = "0025_per_unit_prices"
AFTER = "0027_allocation_child_of_entry"
SPLIT = "org_order_item_allocation"
SALES = TWO_ORDERS
SPLITS = (
    "SELECT o.external_id, e.entry_kind, a.recipient_kind, a.amount_minor, a.currency_code"
    f" FROM {SPLIT} a JOIN org_ledger_entry e ON e.org_id = a.org_id AND e.id = a.entry_id"
    " JOIN org_order_item i ON i.org_id = a.org_id AND i.id = a.item_id"
    " JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id"
)


def splits(connection: Connection) -> list[tuple[Any, ...]]:
    return sorted(tuple(str(v) for v in row) for row in connection.execute(text(SPLITS)))


def references(connection: Connection) -> set[tuple[str, tuple[str, ...]]]:
    """The split table's foreign keys as (referred table, its columns)."""
    return {
        (fk["referred_table"], tuple(fk["constrained_columns"]))
        for fk in inspect(connection).get_foreign_keys(SPLIT)
    }


ITEM_OF = text(
    "SELECT i.id FROM org_order_item i JOIN org_order o ON o.org_id = i.org_id"
    " AND o.id = i.order_id WHERE o.external_id = :order"
)


def _copy_of_a_split(connection: Connection, **changed: Any) -> None:
    """Insert a copy of one of order A1's splits (a new id) with `changed` columns."""
    item = connection.execute(ITEM_OF, {"order": "A1"}).scalar_one()
    row = dict(
        connection.execute(
            text(f"SELECT * FROM {SPLIT} WHERE item_id = :item LIMIT 1"), {"item": item}
        )
        .mappings()
        .one()
    )
    row.update(id=uuid.uuid4().hex if connection.dialect.name == "sqlite" else uuid.uuid4())
    row.update(changed)
    names = ", ".join(row)
    marks = ", ".join(f":{name}" for name in row)
    connection.execute(text(f"INSERT INTO {SPLIT} ({names}) VALUES ({marks})"), row)


@pytest.fixture
def recorded(cli: Cli, tmp_path: Path) -> Cli:
    return record(cli, tmp_path, SALES)


def test_the_round_trip_keeps_every_split_and_the_new_reference_refuses_a_mismatch(
    recorded: Cli,
) -> None:
    assert recorded.db_url
    figures = report(recorded)
    with engine_at(recorded.db_url) as engine:
        downgrade(engine, AFTER)
        with engine.connect() as connection:
            at_head = splits(connection)
            assert references(connection) >= {
                ("org_ledger_entry", ("org_id", "entry_id", "item_id", "currency_code"))
            }
            assert not {table for table, _ in references(connection)} & {
                "currency", "org_order_item"
            }  # fmt: skip
        downgrade(engine, BEFORE)
        with engine.connect() as connection:
            assert splits(connection) == at_head
            assert ("currency", ("currency_code",)) in references(connection)
        upgrade(engine, AFTER)
        with engine.connect() as connection:
            assert splits(connection) == at_head
        with engine.connect() as connection:
            other_item = connection.execute(ITEM_OF, {"order": "A2"}).scalar_one()
        for changed in ({"currency_code": "JPY"}, {"item_id": other_item}):
            with engine.begin() as connection, pytest.raises(IntegrityError):
                _copy_of_a_split(connection, **changed)
        upgrade(engine)
    assert report(recorded) == figures


def test_the_upgrade_refuses_a_split_of_another_currency_than_its_entry(recorded: Cli) -> None:
    with engine_at(recorded.db_url) as engine:
        downgrade(engine, BEFORE)
        with engine.begin() as connection:
            _copy_of_a_split(connection, currency_code="JPY")  # 0025 took it
        with pytest.raises(RuntimeError, match=r"1 allocation\(s\) name another item or currency"):
            upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text(f"DELETE FROM {SPLIT} WHERE currency_code = 'JPY'"))
        upgrade(engine, AFTER)
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM org_order WHERE external_id = 'A1'"))
            left = {row[0] for row in splits(connection)}
        upgrade(engine)
    assert left == {"A2"}  # the order's items, entries and splits went with it
