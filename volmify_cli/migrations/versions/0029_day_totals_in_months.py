"""running totals: a day's total is part of its month's

`org_revenue_day_{product,market,recipient}` each referenced the org, the currency and the
product, market or brand on their own: three foreign keys, a check each per row a sales import
writes (on PostgreSQL about 8.5 us a check; a 200,000-line import writes about 250,000 day
rows). Each day row now names its month (`month`, the first day of `day`'s month, a CHECK in each
database's own SQL) and has one reference, `(org_id, month, currency_code, <key>)` ->
`org_revenue_month_*` ON DELETE CASCADE, which vouches for all of them through the month's row;
its key becomes `(org_id, month, currency_code, <key>, day)`, so a month's delete finds its days
by the key; on SQLite the key's b-tree is the table (WITHOUT ROWID). A recipient's row keeps its
profile reference, and its brand reference is deferred (it is deleted with its month, after the
org's brands). The rows are copied, not recomputed.

Revision ID: 0029_day_totals_in_months
Revises: 0028_split_part_of_entry
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from volmify_cli.db.types import FirstOfMonth

revision = "0029_day_totals_in_months"
down_revision = "0028_split_part_of_entry"
branch_labels = None
depends_on = None

SUMS = ("line_count", "gross_minor", "net_minor")
KEYS = {
    "product": ("product_id",),
    "market": ("market_id",),
    "recipient": ("recipient_kind", "recipient_key"),
}
EXTRA = {"recipient": ("profile_id", "brand_id", "amount_minor")}
PARENTS = {"product": "org_product", "market": "org_market"}
MONTH_FKS = {  # the naming convention's names, shortened to PostgreSQL's 63 characters
    "product": "fk_org_revenue_day_product_org_id_month_currency_code__7bd42572",
    "market": "fk_org_revenue_day_market_org_id_month_currency_code_m_16fd77fe",
    "recipient": "fk_org_revenue_day_recipient_org_id_month_currency_cod_03735dc2",
}


def _key_columns(name: str) -> list[sa.Column[Any]]:
    if name == "recipient":
        return [
            sa.Column("recipient_kind", sa.String(length=20), nullable=False),
            sa.Column("recipient_key", sa.String(length=32), nullable=False),
        ]
    return [sa.Column(f"{name}_id", sa.Uuid(), nullable=False)]


def _value_columns(name: str) -> list[sa.Column[Any]]:
    columns: list[sa.Column[Any]] = [
        sa.Column(column, sa.BigInteger(), nullable=False) for column in SUMS
    ]
    if name == "recipient":
        columns += [
            sa.Column("profile_id", sa.Uuid(), nullable=True),
            sa.Column("brand_id", sa.Uuid(), nullable=True),
            sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        ]
    return columns


def _recipient_constraints(table: str, *, deferred: bool) -> list[Any]:
    return [
        sa.CheckConstraint(
            "recipient_kind IN ('instructor', 'brand', 'org')",
            name=f"ck_{table}_recipient_kind_valid",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "brand_id"],
            ["org_brand.org_id", "org_brand.id"],
            name=f"fk_{table}_org_id_brand_id_org_brand",
            deferrable=True if deferred else None,
            initially="DEFERRED" if deferred else None,
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["user_profile.id"], name=f"fk_{table}_profile_id_user_profile"
        ),
    ]


def _create_in_months(name: str) -> None:
    table, key = f"org_revenue_day_{name}", list(KEYS[name])
    op.create_table(
        table,
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        *_key_columns(name),
        sa.Column("day", sa.Date(), nullable=False),
        *_value_columns(name),
        sa.PrimaryKeyConstraint(
            "org_id", "month", "currency_code", *key, "day", name=f"pk_{table}"
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "month", "currency_code", *key],
            [f"org_revenue_month_{name}.{c}" for c in ("org_id", "month", "currency_code", *key)],
            name=MONTH_FKS[name],
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            sa.column("month") == FirstOfMonth(sa.column("day")), name=f"ck_{table}_month_of_day"
        ),
        *(_recipient_constraints(table, deferred=True) if name == "recipient" else ()),
        sqlite_with_rowid=False,
    )


def _create_alone(name: str) -> None:
    """The table as 0017 made it: keyed by day, with references of its own."""
    table, key = f"org_revenue_day_{name}", list(KEYS[name])
    own = (
        []
        if name == "recipient"
        else [
            sa.ForeignKeyConstraint(
                ["org_id", *key],
                [f"{PARENTS[name]}.org_id", f"{PARENTS[name]}.id"],
                name=f"fk_{table}_org_id_{name}_id_{PARENTS[name]}",
            )
        ]
    )
    op.create_table(
        table,
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        *_key_columns(name),
        *_value_columns(name),
        sa.ForeignKeyConstraint(
            ["org_id"], ["org.id"], name=f"fk_{table}_org_id_org", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["currency_code"], ["currency.code"], name=f"fk_{table}_currency_code_currency"
        ),
        *own,
        *(_recipient_constraints(table, deferred=False) if name == "recipient" else ()),
        sa.PrimaryKeyConstraint("org_id", "day", "currency_code", *key, name=f"pk_{table}"),
    )


def _rebuilt(name: str, create: Any, with_month: bool) -> None:
    """Copy the day rows aside, make the table anew with `create`, and put them back."""
    table, copy = f"org_revenue_day_{name}", f"org_revenue_day_{name}_copied"
    bind = op.get_bind()
    columns = ["org_id", "currency_code", *KEYS[name], "day", *SUMS, *EXTRA.get(name, ())]
    first_of_month = str(FirstOfMonth(sa.column("day")).compile(dialect=bind.dialect))
    month = [f"{first_of_month} AS month"] if with_month else []
    op.execute(f"CREATE TABLE {copy} AS SELECT {', '.join([*columns, *month])} FROM {table}")
    op.drop_table(table)
    create(name)
    kept = [*columns, "month"] if with_month else columns
    names = ", ".join(kept)
    op.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {copy}")
    op.drop_table(copy)


def upgrade() -> None:
    for name in KEYS:
        _rebuilt(name, _create_in_months, with_month=True)


def downgrade() -> None:
    for name in KEYS:
        _rebuilt(name, _create_alone, with_month=False)
