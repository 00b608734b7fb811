"""offers: a fixed-amount offer has one amount per currency (issue 20)

`org_discount_amount (org_id, discount_id, currency_code, amount_minor)`: a fixed-amount offer's
amount in each currency it applies in (a 5 USD coupon can be 4.50 EUR and 500 JPY too). Every
fixed-amount offer's single amount moves there, and `org_discount` loses `amount_minor` and
`currency_code`: its CHECK `value_matches_type` now says only that a percentage offer has its
percent (1..10000, never NULL) and a fixed-amount offer none. The amounts keep the CHECK the
column had (`amount_minor >= 0`), so every stored amount moves as it is.

The downgrade gives each fixed-amount offer back the first of its amounts by currency code
(the others are lost: the older schema holds one), and refuses a fixed-amount offer that has
none.

Revision ID: 0021_offer_amounts
Revises: 0020_market_country_once
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from volmify_cli.migrations.sqlite_tables import rebuild_table, replace_once

revision = "0021_offer_amounts"
down_revision = "0020_market_country_once"
branch_labels = None
depends_on = None

DISCOUNT = "org_discount"
AMOUNT = "org_discount_amount"
VALUE = "ck_org_discount_value_matches_type"
OLD_VALUE = (
    "(type = 'percentage' AND percent_bp >= 1 AND percent_bp <= 10000 AND amount_minor IS NULL"
    " AND currency_code IS NULL) OR (type = 'fixed_amount' AND amount_minor >= 0 AND"
    " currency_code IS NOT NULL AND percent_bp IS NULL)"
)
NEW_VALUE = (
    "(type = 'percentage' AND percent_bp IS NOT NULL AND percent_bp >= 1"
    " AND percent_bp <= 10000)"
    " OR (type = 'fixed_amount' AND percent_bp IS NULL)"
)
CURRENCY_FK = "fk_org_discount_currency_code_currency"
# The clauses of the stored CREATE TABLE text on SQLite (as 0005 wrote them).
SQLITE_CHECK = "CONSTRAINT {name} CHECK ({condition})"
SQLITE_CURRENCY_FK = (
    f"CONSTRAINT {CURRENCY_FK} FOREIGN KEY(currency_code) REFERENCES currency (code), \n\t"
)
SQLITE_ORG_FK = "CONSTRAINT fk_org_discount_org_id_org FOREIGN KEY"

COPY_AMOUNTS = f"""
INSERT INTO {AMOUNT} (created_at, updated_at, org_id, discount_id, currency_code, amount_minor)
SELECT created_at, updated_at, org_id, id, currency_code, amount_minor FROM {DISCOUNT}
WHERE type = 'fixed_amount' AND amount_minor IS NOT NULL AND currency_code IS NOT NULL
"""
# Each fixed-amount offer's first amount by currency code.
FIRST_AMOUNT = f"""
UPDATE {DISCOUNT} SET
  currency_code = (SELECT min(a.currency_code) FROM {AMOUNT} a
                   WHERE a.org_id = {DISCOUNT}.org_id AND a.discount_id = {DISCOUNT}.id),
  amount_minor = (SELECT a.amount_minor FROM {AMOUNT} a
                  WHERE a.org_id = {DISCOUNT}.org_id AND a.discount_id = {DISCOUNT}.id
                  ORDER BY a.currency_code LIMIT 1)
WHERE type = 'fixed_amount'
"""
WITHOUT_AMOUNT = f"""
SELECT o.slug, d.slug FROM {DISCOUNT} d JOIN org o ON o.id = d.org_id
WHERE d.type = 'fixed_amount' AND NOT EXISTS
  (SELECT 1 FROM {AMOUNT} a WHERE a.org_id = d.org_id AND a.discount_id = d.id)
ORDER BY o.slug, d.slug
"""


def _check(condition: str) -> str:
    return SQLITE_CHECK.format(name=VALUE, condition=condition)


def _sqlite_up(sql: str) -> str:
    sql = replace_once(sql, _check(OLD_VALUE), _check(NEW_VALUE))
    return replace_once(sql, SQLITE_CURRENCY_FK, "")


def _sqlite_down(sql: str) -> str:
    sql = replace_once(sql, _check(NEW_VALUE), _check(OLD_VALUE))
    return replace_once(sql, SQLITE_ORG_FK, SQLITE_CURRENCY_FK + SQLITE_ORG_FK)


def _columns() -> list[Any]:
    return [
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency_code", sa.String(length=3), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        AMOUNT,
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("discount_id", sa.Uuid(), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "amount_minor >= 0", name="ck_org_discount_amount_amount_minor_non_negative"
        ),
        sa.ForeignKeyConstraint(
            ["currency_code"],
            ["currency.code"],
            name="fk_org_discount_amount_currency_code_currency",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "discount_id"],
            [f"{DISCOUNT}.org_id", f"{DISCOUNT}.id"],
            name="fk_org_discount_amount_org_id_discount_id_org_discount",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "org_id", "discount_id", "currency_code", name="pk_org_discount_amount"
        ),
    )
    op.execute(COPY_AMOUNTS)
    if op.get_bind().dialect.name == "sqlite":
        # the CHECK and the foreign key name the columns: SQLite drops neither with them
        rebuild_table(DISCOUNT, _sqlite_up)
    else:
        op.drop_constraint(VALUE, DISCOUNT, type_="check")
        op.drop_constraint(CURRENCY_FK, DISCOUNT, type_="foreignkey")
        op.create_check_constraint(VALUE, DISCOUNT, NEW_VALUE)
    op.drop_column(DISCOUNT, "currency_code")
    op.drop_column(DISCOUNT, "amount_minor")


def downgrade() -> None:
    connection = op.get_bind()
    missing = connection.execute(sa.text(WITHOUT_AMOUNT)).all()
    if missing:
        named = ", ".join(f"{org}/{offer}" for org, offer in missing)
        raise RuntimeError(
            f"cannot downgrade: fixed-amount offers without an amount ({named}), which the"
            " older schema cannot hold; give each an amount or delete it first"
        )
    for column in _columns():
        op.add_column(DISCOUNT, column)
    op.execute(FIRST_AMOUNT)
    if connection.dialect.name == "sqlite":
        rebuild_table(DISCOUNT, _sqlite_down)
    else:
        op.drop_constraint(VALUE, DISCOUNT, type_="check")
        op.create_check_constraint(VALUE, DISCOUNT, OLD_VALUE)
        op.create_foreign_key(CURRENCY_FK, DISCOUNT, "currency", ["currency_code"], ["code"])
    op.drop_table(AMOUNT)
