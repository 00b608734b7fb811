"""Migration 0029: the running totals are kept per month only, on both databases.

A Berlin org's ledger recorded at head is taken back to 0028: the day totals come back, filled
from the entries with the org's days (a sale at 23:30 UTC on January 31st is a February 1st in
Berlin), and each month's days add up to the month's totals. Upgraded again, the day tables are
gone and `revenue report` gives the same figures for whole months and for a period whose edges
are days.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, inspect, text

from tests.db.ledger_at_head import record
from tests.revenue_reference import Sale
from tests.support import Cli
from volmify_cli.db.engine import make_engine
from volmify_cli.migrations.runner import downgrade, upgrade

BEFORE = "0028_split_part_of_entry"
TOTALS = ("product", "market", "recipient")
DAYS = ("org_revenue_day_product", "org_revenue_day_market", "org_revenue_day_recipient")
SALES = [
    Sale("M1", "2026-01-05T10:00:00Z", "python-101", "", "basic", "us", "USD", 4900, tax=400,
         fee=150, refunded=1000),
    Sale("M2", "2026-01-31T23:30:00Z", "python-101", "", "basic", "us", "USD", 2000, fee=80),
    Sale("M3", "2026-02-12T08:00:00Z", "data-viz", "", "basic", "eu", "EUR", 2800, tax=447,
         fee=84),
]  # fmt: skip
PERIODS = (None, "2026-01", "2026-01-20..2026-02-15")


@pytest.fixture
def recorded(cli: Cli, tmp_path: Path) -> Cli:
    return record(cli, tmp_path, SALES, timezone="Europe/Berlin")


def reports(cli: Cli) -> list[Any]:
    found = []
    for by in ("creator", "product", "market", "month"):
        for period in PERIODS:
            chosen = ("--period", period) if period else ()
            found.append(cli.json("revenue", "report", "--org", "acme", "--by", by, *chosen))
    return found


def sums_per_month(connection: Connection, table: str, period: str) -> dict[str, list[int]]:
    """The lines, gross and net of `org_revenue_<period>_<table>` added up per month."""
    rows = connection.execute(
        text(
            f"SELECT substr(CAST({period} AS TEXT), 1, 7), sum(line_count), sum(gross_minor),"
            f" sum(net_minor) FROM org_revenue_{period}_{table} GROUP BY 1"
        )
    )
    return {month: [int(value) for value in sums] for month, *sums in rows}


def test_the_round_trip_gives_back_day_totals_of_the_orgs_days_and_keeps_every_report(
    recorded: Cli,
) -> None:
    assert recorded.db_url
    before = reports(recorded)
    engine = make_engine(recorded.db_url)
    try:
        with engine.connect() as connection:
            assert not set(DAYS) & set(inspect(connection).get_table_names())
        downgrade(engine, BEFORE)
        with engine.connect() as connection:
            days = {
                str(day)[:10]: (int(count), int(net))
                for day, count, net in connection.execute(
                    text(
                        "SELECT day, sum(line_count), sum(net_minor)"
                        " FROM org_revenue_day_product GROUP BY day"
                    )
                )
            }
            by_month = {table: sums_per_month(connection, table, "month") for table in TOTALS}
            from_days = {table: sums_per_month(connection, table, "day") for table in TOTALS}
        # M1 (sale and refund on its day), M2 on Berlin's February 1st, M3
        assert days == {
            "2026-01-05": (1, 4900 - 400 - 150 - (1000 - 82)),
            "2026-02-01": (1, 2000 - 80),
            "2026-02-12": (1, 2800 - 447 - 84),
        }
        assert from_days == by_month
        upgrade(engine)
        with engine.connect() as connection:
            assert not set(DAYS) & set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert reports(recorded) == before
