"""market prices: a child of their plan; the market reference is checked at commit

`org_product_variant_payment_plan_market_price` kept its own `org_id -> org` FK only because its
NO ACTION reference to `org_market` had to see the price gone on the level of the org's cascade
that deletes markets (volmify_cli/models/base.py, "Roots and children"). Deferred (DEFERRABLE
INITIALLY DEFERRED), that reference is checked at commit, after every cascade: deleting a market
that still has prices is refused as before, deleting an org still removes them through their
plan, and the org FK goes (one trigger fewer per price: a large catalog has 240,000).

SQLite rebuilds the table from its stored CREATE TABLE text (`migrations/children.py`).

Revision ID: 0010_price_child_of_plan
Revises: 0009_catalog_fingerprints
"""

from __future__ import annotations

from volmify_cli.migrations.children import Reference, become_child, become_root

revision = "0010_price_child_of_plan"
down_revision = "0009_catalog_fingerprints"
branch_labels = None
depends_on = None

TABLE = "org_product_variant_payment_plan_market_price"
ORG_FK = "fk_org_product_variant_payment_plan_market_price_org_id_org"
MARKET = Reference(
    "fk_org_product_variant_payment_plan_market_price_org_i_5ad5fa3e", "market_id", "org_market"
)


def upgrade() -> None:
    become_child(TABLE, ORG_FK, MARKET)


def downgrade() -> None:
    become_root(TABLE, ORG_FK, MARKET)
