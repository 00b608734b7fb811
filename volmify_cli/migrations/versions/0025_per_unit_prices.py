"""plans: a per_unit plan's unit price to 12 decimals; a tiered or volume plan's amount is 0

`org_product_variant_payment_plan_market_price.unit_amount_e12` (nullable BIGINT): the unit
price of a per_unit usage-based plan in 10**-12 major units, the scale of a usage tier's unit
price (0024), so `--price us=0.005` is stored exactly. Such a row's `amount_minor` is 0; every
other price has no `unit_amount_e12`. Its CHECK `unit_amount_alone`: NULL, or not negative with
an amount of 0. Every per_unit plan's stored price moves there exactly (times 10**(12 - the
currency's minor units), from the `currency` table).

A tiered or volume plan's price is its tiers: its amount was never charged, and is now refused
unless 0 (`rulebook.usage_amount_problem`), so the upgrade sets a stored one to 0.

The downgrade moves each unit price back into `amount_minor` and refuses one with a fraction of
the minor unit, naming its plan (the older column cannot hold it); the tiered and volume
amounts stay 0.

Revision ID: 0025_per_unit_prices
Revises: 0024_usage_unit_prices
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_per_unit_prices"
down_revision = "0024_usage_unit_prices"
branch_labels = None
depends_on = None

PRICE = "org_product_variant_payment_plan_market_price"
USAGE = "org_product_variant_payment_plan_usage_based"
COLUMN = "unit_amount_e12"
CHECK = "ck_org_product_variant_payment_plan_market_price_unit__8b0cb764"
CONDITION = "unit_amount_e12 IS NULL OR (unit_amount_e12 >= 0 AND amount_minor = 0)"

# 10**(12 - minor units) of the price's currency (ISO 4217 has 0..4 digits)
STEP = """(CASE c.minor_units WHEN 0 THEN 1000000000000 WHEN 1 THEN 100000000000
    WHEN 2 THEN 10000000000 WHEN 3 THEN 1000000000 ELSE 100000000 END)"""
FACTOR = f"(SELECT {STEP} FROM currency c WHERE c.code = {PRICE}.currency_code)"


def _of_model(models: str) -> str:
    """The prices whose plan is usage-based with one of `models` (SQL list)."""
    return (
        f"EXISTS (SELECT 1 FROM {USAGE} u WHERE u.org_id = {PRICE}.org_id"
        f" AND u.plan_id = {PRICE}.plan_id AND u.pricing_model IN ({models}))"
    )


PER_UNIT, TIERED = "'per_unit'", "'tiered', 'volume'"
FRACTIONS = f"""
SELECT o.slug, pl.slug, p.{COLUMN} FROM {PRICE} p
JOIN org_product_variant_payment_plan pl ON pl.org_id = p.org_id AND pl.id = p.plan_id
JOIN org o ON o.id = p.org_id
JOIN currency c ON c.code = p.currency_code
WHERE p.{COLUMN} IS NOT NULL AND p.{COLUMN} % {STEP} <> 0
ORDER BY o.slug, pl.slug
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a table CHECK to a table; a column's CHECK may name other columns
        op.execute(
            f"ALTER TABLE {PRICE} ADD COLUMN {COLUMN} BIGINT CONSTRAINT {CHECK} CHECK ({CONDITION})"
        )
    else:
        op.add_column(PRICE, sa.Column(COLUMN, sa.BigInteger(), nullable=True))
        op.create_check_constraint(CHECK, PRICE, CONDITION)
    # one statement sets both columns, so the CHECK holds for every row it writes
    op.execute(
        f"UPDATE {PRICE} SET {COLUMN} = amount_minor * {FACTOR}, amount_minor = 0"
        f" WHERE {_of_model(PER_UNIT)}"
    )
    op.execute(f"UPDATE {PRICE} SET amount_minor = 0 WHERE {_of_model(TIERED)}")


def downgrade() -> None:
    rows = op.get_bind().execute(sa.text(FRACTIONS)).all()
    if rows:
        named = ", ".join(f"{org}/{plan} ({value})" for org, plan, value in rows)
        raise RuntimeError(
            f"cannot migrate the per_unit prices of {named}: a unit price with a fraction of"
            " the minor unit (10**-12 major units shown)"
        )
    # both columns in one statement (each SET reads the row as it was): the CHECK holds
    op.execute(
        f"UPDATE {PRICE} SET amount_minor = {COLUMN} / {FACTOR}, {COLUMN} = NULL"
        f" WHERE {COLUMN} IS NOT NULL"
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {PRICE} DROP COLUMN {COLUMN}")  # its CHECK goes with it
    else:
        op.drop_constraint(CHECK, PRICE, type_="check")
        op.drop_column(PRICE, COLUMN)
