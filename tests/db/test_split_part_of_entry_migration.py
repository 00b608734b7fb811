"""Migration 0028: a split is part of its entry, keyed `(org_id, entry_id, id)`, on both
databases.

A ledger recorded at head is taken back to 0027: each split gets its entry's item, currency and
recording time back. Upgraded again, every split is as it was and `revenue report` gives the
same figures. At head the split table has one index, its key (on SQLite the table itself,
WITHOUT ROWID), the entry table lost the unique constraint only 0026's reference needed, and
deleting an order still removes its entries and splits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, inspect, text

from tests.db.ledger_at_head import TWO_ORDERS, record, report
from tests.support import Cli, engine_at
from volmify_cli.migrations.runner import downgrade, upgrade

BEFORE = "0027_allocation_child_of_entry"
SPLIT = "org_order_item_allocation"
SALES = TWO_ORDERS
SPLITS = (
    "SELECT o.external_id, e.entry_kind, a.id, a.recipient_kind, a.profile_id, a.brand_id,"
    " a.share_bp, a.amount_minor, e.currency_code"
    f" FROM {SPLIT} a JOIN org_ledger_entry e ON e.org_id = a.org_id AND e.id = a.entry_id"
    " JOIN org_order_item i ON i.org_id = e.org_id AND i.id = e.item_id"
    " JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id"
)
# at 0027 a split holds its item, currency and stamps: each must be its entry's
STRAYS = (
    f"SELECT count(*) FROM {SPLIT} a JOIN org_ledger_entry e"
    " ON e.org_id = a.org_id AND e.id = a.entry_id"
    " WHERE a.item_id <> e.item_id OR a.currency_code <> e.currency_code"
    " OR a.created_at <> e.created_at OR a.updated_at <> e.created_at"
)


def splits(connection: Connection) -> list[tuple[Any, ...]]:
    return sorted(tuple(str(v) for v in row) for row in connection.execute(text(SPLITS)))


@pytest.fixture
def recorded(cli: Cli, tmp_path: Path) -> Cli:
    return record(cli, tmp_path, SALES)


def test_the_round_trip_keeps_every_split_and_gives_back_its_entrys_columns(
    recorded: Cli,
) -> None:
    assert recorded.db_url
    figures = report(recorded)
    with engine_at(recorded.db_url) as engine:
        with engine.connect() as connection:
            at_head = splits(connection)
        assert {(row[0], row[1]) for row in at_head} == {
            ("A1", "sale"), ("A1", "refund"), ("A2", "sale")
        }  # fmt: skip
        downgrade(engine, BEFORE)
        with engine.connect() as connection:
            assert splits(connection) == at_head
            assert connection.execute(text(STRAYS)).scalar_one() == 0
            assert {"item_id", "currency_code", "created_at"} <= {
                column["name"] for column in inspect(connection).get_columns(SPLIT)
            }
        upgrade(engine)
        with engine.connect() as connection:
            assert splits(connection) == at_head
    assert report(recorded) == figures


def test_at_head_a_split_is_one_b_tree_keyed_by_its_entry(recorded: Cli) -> None:
    with engine_at(recorded.db_url) as engine, engine.connect() as connection:
        found = inspect(connection)
        assert found.get_pk_constraint(SPLIT)["constrained_columns"] == [
            "org_id", "entry_id", "id"
        ]  # fmt: skip
        assert found.get_indexes(SPLIT) == []
        assert [
            (fk["referred_table"], fk["constrained_columns"])
            for fk in found.get_foreign_keys(SPLIT)
            if fk["referred_table"] == "org_ledger_entry"
        ] == [("org_ledger_entry", ["org_id", "entry_id"])]
        assert found.get_unique_constraints("org_ledger_entry") == []
        if connection.dialect.name == "sqlite":
            created = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": SPLIT}
            ).scalar_one()
            assert created.rstrip().endswith("WITHOUT ROWID")


def test_deleting_an_order_still_removes_its_entries_and_splits(recorded: Cli) -> None:
    with engine_at(recorded.db_url) as engine:
        with engine.connect() as connection:
            of_a2 = [row for row in splits(connection) if row[0] == "A2"]
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM org_order WHERE external_id = 'A1'"))
        with engine.connect() as connection:
            left = splits(connection)
            total = connection.execute(text(f"SELECT count(*) FROM {SPLIT}")).scalar_one()
    assert of_a2 and left == of_a2
    assert total == len(of_a2)  # no split left without its entry
