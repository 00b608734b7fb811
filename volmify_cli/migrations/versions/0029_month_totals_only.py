"""ledger: running totals per month only; a report adds up the entries of its edge days

`org_revenue_day_product|market|recipient` kept, per day of the org's zone, what the entries
dated that day add. A day, a product and a currency make about one row per sales line: recording
a sale wrote a row of totals beside its entry, and the day tables were a third of a sales
import's time on PostgreSQL (a 200,000-line import upserted 370,000 day rows, each with its
foreign-key checks). Reports read them only for the days at a period's edges (whole months come
from `org_revenue_month_*`) and for a conversion's days; both now add up the entries of those
days (`reports/revenue_queries`, `reports/balances`), through the entries' `(org_id, entry_at)`
index. The month tables are unchanged.

The downgrade creates the day tables again and fills them from the entries, with each org's
days.

Revision ID: 0029_month_totals_only
Revises: 0028_split_part_of_entry
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from volmify_cli.db.rollups import day_of_entry, entry_day

revision = "0029_month_totals_only"
down_revision = "0028_split_part_of_entry"
branch_labels = None
depends_on = None

SUMS = ("line_count", "gross_minor", "net_minor")
KEYED = (("product", "org_product"), ("market", "org_market"))


def upgrade() -> None:
    for name in ("recipient", "market", "product"):
        op.drop_table(f"org_revenue_day_{name}")


# -- downgrade: the tables as 0017 created them, filled from the entries ---------------------------


def _common(table: str) -> list[Any]:
    return [
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["org.id"], name=f"fk_{table}_org_id_org", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["currency_code"], ["currency.code"], name=f"fk_{table}_currency_code_currency"
        ),
    ]


def _create_tables() -> None:
    for name, target in KEYED:
        table = f"org_revenue_day_{name}"
        op.create_table(
            table,
            *_common(table),
            sa.Column(f"{name}_id", sa.Uuid(), nullable=False),
            *(sa.Column(column, sa.BigInteger(), nullable=False) for column in SUMS),
            sa.ForeignKeyConstraint(
                ["org_id", f"{name}_id"],
                [f"{target}.org_id", f"{target}.id"],
                name=f"fk_{table}_org_id_{name}_id_{target}",
            ),
            sa.PrimaryKeyConstraint(
                "org_id", "day", "currency_code", f"{name}_id", name=f"pk_{table}"
            ),
        )
    table = "org_revenue_day_recipient"
    op.create_table(
        table,
        *_common(table),
        sa.Column("recipient_kind", sa.String(length=20), nullable=False),
        sa.Column("recipient_key", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=True),
        sa.Column("brand_id", sa.Uuid(), nullable=True),
        *(sa.Column(c, sa.BigInteger(), nullable=False) for c in (*SUMS, "amount_minor")),
        sa.CheckConstraint(
            "recipient_kind IN ('instructor', 'brand', 'org')",
            name=f"ck_{table}_recipient_kind_valid",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "brand_id"],
            ["org_brand.org_id", "org_brand.id"],
            name=f"fk_{table}_org_id_brand_id_org_brand",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["user_profile.id"], name=f"fk_{table}_profile_id_user_profile"
        ),
        sa.PrimaryKeyConstraint(
            "org_id", "day", "currency_code", "recipient_kind", "recipient_key",
            name=f"pk_{table}",
        ),  # fmt: skip
    )


LINES = "sum(e.line_count), sum(e.line_gross_minor), sum(e.line_net_minor)"
ITEMS = "JOIN org_order_item i ON i.org_id = e.org_id AND i.id = e.item_id"
SOURCES = {
    "product": (f"{ITEMS}", "i.product_id"),
    "market": (f"{ITEMS} JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id",
               "o.market_id"),
}  # fmt: skip


def _fill(connection: Any, org_id: Any, zone: str) -> None:
    dialect = connection.dialect.name
    mark = "?" if dialect == "sqlite" else "%s"

    def rows(sql: str, params: Sequence[Any]) -> list[Any]:
        return list(connection.exec_driver_sql(sql.replace("?", mark), tuple(params)).fetchall())

    def stored(day: dt.date) -> Any:
        return day.isoformat() if dialect == "sqlite" else day

    day, day_params = day_of_entry(dialect, zone)
    for name, (joins, key) in SOURCES.items():
        sums: dict[tuple[Any, ...], list[int]] = {}
        for bucket, currency, value, *figures in rows(
            f"SELECT {day}, e.currency_code, {key}, {LINES} FROM org_ledger_entry e {joins}"
            " WHERE e.org_id = ? GROUP BY 1, 2, 3",
            [*day_params, org_id],
        ):
            held = sums.setdefault((entry_day(bucket, dialect, zone), currency, value), [0, 0, 0])
            for index, figure in enumerate(figures):
                held[index] += int(figure)
        if sums:
            connection.exec_driver_sql(
                f"INSERT INTO org_revenue_day_{name} (org_id, day, currency_code, {name}_id,"
                f" line_count, gross_minor, net_minor) VALUES ({', '.join([mark] * 7)})",
                [(org_id, stored(d), c, v, *s) for (d, c, v), s in sums.items()],
            )
    recipients: dict[tuple[Any, ...], list[int]] = {}
    for bucket, currency, kind, profile, brand, *figures in rows(
        f"SELECT {day}, e.currency_code, a.recipient_kind, a.profile_id, a.brand_id, {LINES},"
        " sum(a.amount_minor) FROM org_ledger_entry e JOIN org_order_item_allocation a"
        " ON a.org_id = e.org_id AND a.entry_id = e.id WHERE e.org_id = ?"
        " GROUP BY 1, 2, 3, 4, 5",
        [*day_params, org_id],
    ):
        key = (entry_day(bucket, dialect, zone), currency, kind, profile, brand)
        held = recipients.setdefault(key, [0, 0, 0, 0])
        for index, figure in enumerate(figures):
            held[index] += int(figure)
    if recipients:
        connection.exec_driver_sql(
            "INSERT INTO org_revenue_day_recipient (org_id, day, currency_code, recipient_kind,"
            " recipient_key, profile_id, brand_id, line_count, gross_minor, net_minor,"
            f" amount_minor) VALUES ({', '.join([mark] * 11)})",
            [
                (org_id, stored(d), c, kind, getattr(profile or brand, "hex", profile or brand)
                 or "", profile, brand, *s)
                for (d, c, kind, profile, brand), s in recipients.items()
            ],
        )  # fmt: skip


def downgrade() -> None:
    _create_tables()
    connection = op.get_bind()
    for org_id, zone in connection.exec_driver_sql("SELECT id, timezone FROM org").fetchall():
        _fill(connection, org_id, zone)
