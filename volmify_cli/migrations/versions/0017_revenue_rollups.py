"""the ledger's running totals (SPEC 7, revision 2: reports read aggregates, not the ledger)

Per day of the org's time zone and currency: `org_revenue_day_product`, `org_revenue_day_market`
and `org_revenue_day_recipient` add up what the entries dated that day add; the
`org_revenue_month_*` twins the same per month (`month`: its first day). Every writer of
entries keeps them in the same transaction (`db/rollups`); here they are computed once from the
entries already recorded, org by org, and written in the tables' shape here (frozen: 0029 made
a day's row part of its month's, and today's writer writes that shape).

Revision ID: 0017_revenue_rollups
Revises: 0016_org_timezone
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from volmify_cli.db.rollups import RollupDeltas, by_month, recomputed

revision = "0017_revenue_rollups"
down_revision = "0016_org_timezone"
branch_labels = None
depends_on = None

SUMS = ("line_count", "gross_minor", "net_minor")
PERIODS = ("day", "month")


def _key_columns(name: str, period: str) -> list[Any]:
    return [
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column(period, sa.Date(), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        *(() if name == "recipient" else (sa.Column(f"{name}_id", sa.Uuid(), nullable=False),)),
    ]


def _common(table: str) -> list[Any]:
    return [
        sa.ForeignKeyConstraint(
            ["org_id"], ["org.id"], name=f"fk_{table}_org_id_org", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["currency_code"], ["currency.code"], name=f"fk_{table}_currency_code_currency"
        ),
    ]


def _create_keyed(name: str, target: str, period: str) -> None:
    table = f"org_revenue_{period}_{name}"
    op.create_table(
        table,
        *_key_columns(name, period),
        *(sa.Column(column, sa.BigInteger(), nullable=False) for column in SUMS),
        *_common(table),
        sa.ForeignKeyConstraint(
            ["org_id", f"{name}_id"],
            [f"{target}.org_id", f"{target}.id"],
            name=f"fk_{table}_org_id_{name}_id_{target}",
        ),
        sa.PrimaryKeyConstraint(
            "org_id", period, "currency_code", f"{name}_id", name=f"pk_{table}"
        ),
    )


def _create_recipients(period: str) -> None:
    table = f"org_revenue_{period}_recipient"
    op.create_table(
        table,
        *_key_columns("recipient", period),
        sa.Column("recipient_kind", sa.String(length=20), nullable=False),
        sa.Column("recipient_key", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=True),
        sa.Column("brand_id", sa.Uuid(), nullable=True),
        *(sa.Column(c, sa.BigInteger(), nullable=False) for c in (*SUMS, "amount_minor")),
        sa.CheckConstraint(
            "recipient_kind IN ('instructor', 'brand', 'org')",
            name=f"ck_{table}_recipient_kind_valid",
        ),
        *_common(table),
        sa.ForeignKeyConstraint(
            ["org_id", "brand_id"],
            ["org_brand.org_id", "org_brand.id"],
            name=f"fk_{table}_org_id_brand_id_org_brand",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["user_profile.id"], name=f"fk_{table}_profile_id_user_profile"
        ),
        sa.PrimaryKeyConstraint(
            "org_id", period, "currency_code", "recipient_kind", "recipient_key",
            name=f"pk_{table}",
        ),
    )


def upgrade() -> None:
    for period in PERIODS:
        _create_keyed("product", "org_product", period)
        _create_keyed("market", "org_market", period)
        _create_recipients(period)
    connection = op.get_bind()
    dialect = connection.dialect.name
    mark = "?" if dialect == "sqlite" else "%s"

    def rows(sql: str, params: Sequence[Any]) -> list[Any]:
        return list(connection.exec_driver_sql(sql.replace("?", mark), tuple(params)).fetchall())

    def execute(sql: str, values: Sequence[Sequence[Any]]) -> None:
        if values:
            connection.exec_driver_sql(sql.replace("?", mark), [tuple(v) for v in values])

    def date_value(day: dt.date) -> Any:
        return day.isoformat() if dialect == "sqlite" else day

    for org_id, zone in rows("SELECT id, timezone FROM org", []):
        _write(execute, org_id, recomputed(rows, dialect, org_id, zone), date_value)


def _write(execute: Any, org_id: Any, deltas: RollupDeltas, date_value: Any) -> None:
    """The totals of one org into the new (empty) tables: each key once per day and month."""
    org = getattr(org_id, "hex", org_id)
    for period, totals in (("day", lambda t: t), ("month", by_month)):
        for name, found in (("product", deltas.products), ("market", deltas.markets)):
            execute(
                f"INSERT INTO org_revenue_{period}_{name} (org_id, {period}, currency_code,"
                f" {name}_id, {', '.join(SUMS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(org, date_value(d), c, key, *s) for (d, c, key), s in totals(found).items()],
            )
        execute(
            f"INSERT INTO org_revenue_{period}_recipient (org_id, {period}, currency_code,"
            " recipient_kind, recipient_key, profile_id, brand_id, line_count, gross_minor,"
            " net_minor, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (org, date_value(d), c, kind, profile or brand or "", profile, brand, *s)
                for (d, c, kind, profile, brand), s in totals(deltas.recipients).items()
            ],
        )


def downgrade() -> None:
    for period in PERIODS:
        for name in ("recipient", "market", "product"):
            op.drop_table(f"org_revenue_{period}_{name}")
