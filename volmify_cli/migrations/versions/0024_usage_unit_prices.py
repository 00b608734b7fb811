"""plans: a usage tier's unit price to 12 decimals of the major unit (issue 20)

`org_product_variant_payment_plan_usage_tier.unit_amount_minor` (minor units of the price's
currency) becomes `unit_amount_e12`: an integer count of 10**-12 major units, so a unit may cost
0.005 USD (Stripe's `unit_amount_decimal`) and money stays integers. Every stored unit price is
multiplied by 10**(12 - the currency's minor units), read from the `currency` table: exact. Its
CHECK (`>= 0`) moves with it under the new column's name.

A unit price too large for the new scale (over 9.2 million major units a unit) stops the
upgrade with its plan named; the downgrade refuses a unit price with a fraction of the minor
unit, which the older column cannot hold.

Revision ID: 0024_usage_unit_prices
Revises: 0023_collection_seo
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from volmify_cli.migrations.sqlite_tables import rebuild_table, replace_once

revision = "0024_usage_unit_prices"
down_revision = "0023_collection_seo"
branch_labels = None
depends_on = None

TIER = "org_product_variant_payment_plan_usage_tier"
PRICE = "org_product_variant_payment_plan_market_price"
OLD, NEW = "unit_amount_minor", "unit_amount_e12"
OLD_CHECK = "ck_org_product_variant_payment_plan_usage_tier_unit_am_023c6c40"
NEW_CHECK = "ck_org_product_variant_payment_plan_usage_tier_unit_am_ccbc7ad7"
INT64_MAX = 2**63 - 1

# 10**(12 - minor units) of the tier's price currency (ISO 4217 has 0..4 digits)
FACTOR = f"""(SELECT CASE c.minor_units WHEN 0 THEN 1000000000000 WHEN 1 THEN 100000000000
    WHEN 2 THEN 10000000000 WHEN 3 THEN 1000000000 ELSE 100000000 END
  FROM {PRICE} p JOIN currency c ON c.code = p.currency_code
  WHERE p.org_id = {TIER}.org_id AND p.id = {TIER}.price_id)"""
# the tiers whose value does not fit the other scale, with the plan they price
NAMED = f"""
SELECT o.slug, pl.slug, t.{{column}} FROM {TIER} t
JOIN {PRICE} p ON p.org_id = t.org_id AND p.id = t.price_id
JOIN org_product_variant_payment_plan pl ON pl.org_id = p.org_id AND pl.id = p.plan_id
JOIN org o ON o.id = t.org_id
JOIN currency c ON c.code = p.currency_code
WHERE {{condition}}
ORDER BY o.slug, pl.slug
"""
TOO_LARGE = "t.unit_amount_minor > :limit / (CASE c.minor_units WHEN 0 THEN 1000000000000" \
    " WHEN 1 THEN 100000000000 WHEN 2 THEN 10000000000 WHEN 3 THEN 1000000000 ELSE 100000000 END)"
FRACTION = "t.unit_amount_e12 % (CASE c.minor_units WHEN 0 THEN 1000000000000" \
    " WHEN 1 THEN 100000000000 WHEN 2 THEN 10000000000 WHEN 3 THEN 1000000000 ELSE 100000000 END)" \
    " <> 0"


def _refuse_any(condition: str, column: str, why: str) -> None:
    rows = op.get_bind().execute(
        sa.text(NAMED.format(column=column, condition=condition)), {"limit": INT64_MAX}
    ).all()
    if rows:
        named = ", ".join(f"{org}/{plan} ({value})" for org, plan, value in rows)
        raise RuntimeError(f"cannot migrate the usage tiers of {named}: {why}")


def _rename(old: str, new: str, old_check: str, new_check: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        # the column and its CHECK are clauses of the stored CREATE TABLE text; the rebuild
        # copies the rows by position, so the renamed column keeps its values
        def edit(sql: str) -> str:
            sql = replace_once(sql, f"\t{old} BIGINT NOT NULL", f"\t{new} BIGINT NOT NULL")
            return replace_once(
                sql, f"CONSTRAINT {old_check} CHECK ({old} >= 0)",
                f"CONSTRAINT {new_check} CHECK ({new} >= 0)",
            )

        rebuild_table(TIER, edit)
    else:
        op.alter_column(TIER, old, new_column_name=new)
        op.execute(f"ALTER TABLE {TIER} RENAME CONSTRAINT {old_check} TO {new_check}")


def upgrade() -> None:
    _refuse_any(TOO_LARGE, OLD, "a unit price over 9.2 million major units does not fit")
    op.execute(f"UPDATE {TIER} SET {OLD} = {OLD} * {FACTOR}")
    _rename(OLD, NEW, OLD_CHECK, NEW_CHECK)


def downgrade() -> None:
    _refuse_any(
        FRACTION, NEW, "a unit price with a fraction of the minor unit (10**-12 major units shown)"
    )
    op.execute(f"UPDATE {TIER} SET {NEW} = {NEW} / {FACTOR}")
    _rename(NEW, OLD, NEW_CHECK, OLD_CHECK)
