"""market prices: a child of their plan; the market reference is checked at commit

`org_product_variant_payment_plan_market_price` kept its own `org_id -> org` FK only because its
NO ACTION reference to `org_market` had to see the price gone on the level of the org's cascade
that deletes markets (volmify_cli/models/base.py, "Roots and children"). Deferred (DEFERRABLE
INITIALLY DEFERRED), that reference is checked at commit, after every cascade: deleting a market
that still has prices is refused as before, deleting an org still removes them through their
plan, and the org FK goes (one trigger fewer per price: a large catalog has 240,000).

SQLite rebuilds the table from its stored CREATE TABLE text (`migrations/sqlite_tables.py`).

Revision ID: 0010_price_child_of_plan
Revises: 0009_catalog_fingerprints
"""

from __future__ import annotations

from alembic import op

from volmify_cli.migrations.sqlite_tables import rebuild_table, replace_once

revision = "0010_price_child_of_plan"
down_revision = "0009_catalog_fingerprints"
branch_labels = None
depends_on = None

TABLE = "org_product_variant_payment_plan_market_price"
ORG_FK = "fk_org_product_variant_payment_plan_market_price_org_id_org"
MARKET_FK = "fk_org_product_variant_payment_plan_market_price_org_i_5ad5fa3e"
ORG_CLAUSE = f"CONSTRAINT {ORG_FK} FOREIGN KEY(org_id) REFERENCES org (id) ON DELETE CASCADE"
MARKET_CLAUSE = (
    f"CONSTRAINT {MARKET_FK} FOREIGN KEY(org_id, market_id) REFERENCES org_market (org_id, id)"
)
DEFERRED = " DEFERRABLE INITIALLY DEFERRED"


def _sqlite_upgrade(sql: str) -> str:
    sql = replace_once(sql, f", \n\t{ORG_CLAUSE}", "")
    return replace_once(sql, MARKET_CLAUSE, MARKET_CLAUSE + DEFERRED)


def _sqlite_downgrade(sql: str) -> str:
    sql = replace_once(sql, MARKET_CLAUSE + DEFERRED, MARKET_CLAUSE)
    body, closing = sql.rstrip().rsplit(")", 1)
    return f"{body.rstrip()}, \n\t{ORG_CLAUSE}\n){closing}"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        rebuild_table(TABLE, _sqlite_upgrade)
        return
    op.drop_constraint(ORG_FK, TABLE, type_="foreignkey")
    op.drop_constraint(MARKET_FK, TABLE, type_="foreignkey")
    op.create_foreign_key(
        MARKET_FK,
        TABLE,
        "org_market",
        ["org_id", "market_id"],
        ["org_id", "id"],
        deferrable=True,
        initially="DEFERRED",
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        rebuild_table(TABLE, _sqlite_downgrade)
        return
    op.drop_constraint(MARKET_FK, TABLE, type_="foreignkey")
    op.create_foreign_key(
        MARKET_FK, TABLE, "org_market", ["org_id", "market_id"], ["org_id", "id"]
    )
    op.create_foreign_key(ORG_FK, TABLE, "org", ["org_id"], ["id"], ondelete="CASCADE")
