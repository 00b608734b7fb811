"""Migration 0029: a day's running total is part of its month's, on both databases.

A ledger recorded at head is taken back to 0028: every day row is there as it was, without its
month, with its own references again. Upgraded again, every day row is back with its month and
reports (whole months and periods that start and end inside a month) give the same figures. At
head (on SQLite a table WITHOUT ROWID) the schema refuses a day row without its month's row or
naming another month, and a month's delete takes its days with it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import IntegrityError

from tests.db.ledger_at_head import record
from tests.revenue_reference import Sale
from tests.support import Cli, engine_at
from volmify_cli.db.engine import make_engine
from volmify_cli.migrations.runner import downgrade, upgrade

BEFORE = "0028_split_part_of_entry"
NAMES = ("product", "market", "recipient")
SALES = [
    Sale("D1", "2026-01-05", "python-101", "", "basic", "us", "USD", 4900, tax=400, fee=150,
         refunded=1000),
    Sale("D2", "2026-01-28", "data-viz", "", "basic", "eu", "EUR", 2800, tax=447, fee=84),
    Sale("D3", "2026-02-03", "python-101", "", "basic", "us", "USD", 4900, fee=150),
    Sale("D4", "2026-02-20", "data-viz", "", "basic", "eu", "EUR", 2800, fee=84),
]  # fmt: skip
# whole months, and a period with days at both edges (read from the day rows)
PERIODS = ("2026-01..2026-02", "2026-01-10..2026-02-10")


def day_rows(connection: Connection, name: str) -> list[tuple[str, ...]]:
    table = f"org_revenue_day_{name}"
    columns = [c["name"] for c in inspect(connection).get_columns(table) if c["name"] != "month"]
    rows = connection.execute(text(f"SELECT {', '.join(sorted(columns))} FROM {table}"))
    return sorted(tuple(str(v) for v in row) for row in rows)


def figures(cli: Cli) -> list[Any]:
    return [
        cli.json("revenue", "report", "--org", "acme", "--by", by, "--period", period)
        for by in ("creator", "product", "market")
        for period in PERIODS
    ]


@pytest.fixture
def recorded(cli: Cli, tmp_path: Path) -> Cli:
    return record(cli, tmp_path, SALES)


def test_the_round_trip_keeps_every_day_row_and_names_its_month(recorded: Cli) -> None:
    assert recorded.db_url
    before = figures(recorded)
    with engine_at(recorded.db_url) as engine:
        with engine.connect() as connection:
            at_head = {name: day_rows(connection, name) for name in NAMES}
        assert all(len(rows) >= 4 for rows in at_head.values())
        downgrade(engine, BEFORE)
        with engine.connect() as connection:
            found = inspect(connection)
            assert {name: day_rows(connection, name) for name in NAMES} == at_head
            assert "month" not in {c["name"] for c in found.get_columns("org_revenue_day_product")}
            assert "org" in {fk["referred_table"] for fk in found.get_foreign_keys(
                "org_revenue_day_product")}  # fmt: skip
        upgrade(engine)
        with engine.connect() as connection:
            assert {name: day_rows(connection, name) for name in NAMES} == at_head
            months = connection.execute(
                text("SELECT DISTINCT month, day FROM org_revenue_day_market")
            ).all()
        assert {(str(month)[:7], str(day)[:7]) for month, day in months} == {
            ("2026-01", "2026-01"), ("2026-02", "2026-02")
        }  # fmt: skip
        assert all(str(month).endswith("-01") for month, _ in months)
    assert figures(recorded) == before


def test_at_head_a_day_row_hangs_on_its_month(recorded: Cli) -> None:
    assert recorded.db_url
    engine = make_engine(recorded.db_url)
    table = "org_revenue_day_market"
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            assert found.get_pk_constraint(table)["constrained_columns"] == [
                "org_id", "month", "currency_code", "market_id", "day"
            ]  # fmt: skip
            assert [fk["referred_table"] for fk in found.get_foreign_keys(table)] == [
                "org_revenue_month_market"
            ]
            if connection.dialect.name == "sqlite":  # one b-tree: the key's
                created = connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": table}
                ).scalar_one()
                assert created.rstrip().endswith("WITHOUT ROWID")
            org, month, currency, market = connection.execute(
                text(
                    f"SELECT org_id, month, currency_code, market_id FROM {table}"
                    " ORDER BY day LIMIT 1"
                )
            ).one()
        insert = text(
            f"INSERT INTO {table} (org_id, month, currency_code, market_id, day, line_count,"
            " gross_minor, net_minor) VALUES (:org, :month, :currency, :market, :day, 1, 1, 1)"
        )
        sqlite = engine.dialect.name == "sqlite"

        def on(day: str) -> Any:
            return day if sqlite else dt.date.fromisoformat(day)

        refused = [
            {"month": on("2025-12-01"), "day": on("2025-12-31")},  # no such month row
            {"month": month, "day": on("2026-02-27")},  # a day of another month
        ]
        for values in refused:
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(
                    insert, {"org": org, "currency": currency, "market": market, **values}
                )
        with engine.begin() as connection:
            connection.execute(
                text("DELETE FROM org_revenue_month_market WHERE org_id = :org AND month = :month"
                     " AND currency_code = :currency AND market_id = :market"),
                {"org": org, "month": month, "currency": currency, "market": market},
            )  # fmt: skip
        with engine.connect() as connection:
            left = connection.execute(
                text(f"SELECT count(*) FROM {table} WHERE org_id = :org AND month = :month"
                     " AND currency_code = :currency AND market_id = :market"),
                {"org": org, "month": month, "currency": currency, "market": market},
            ).scalar_one()  # fmt: skip
            others = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        assert left == 0
        assert others > 0  # only that month's days went
    finally:
        engine.dispose()
