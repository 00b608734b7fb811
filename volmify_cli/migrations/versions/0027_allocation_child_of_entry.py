"""ledger: an allocation is a child of its entry; its brand reference is checked at commit

`org_order_item_allocation` kept its own `org_id -> org` FK only because its NO ACTION reference
to `org_brand` had to see the split gone on the level of the org's cascade that deletes brands
(volmify_cli/models/base.py, "Roots and children"). Deferred (DEFERRABLE INITIALLY DEFERRED),
that reference is checked at commit, after every cascade: deleting a brand that still has
splits is refused as before (the brand commands say so first), deleting an org still removes
them through their entry, and the org FK goes: one check fewer per split written, three or four
per sales line.

SQLite rebuilds the table from its stored CREATE TABLE text (`migrations/sqlite_tables.py`).

Revision ID: 0027_allocation_child_of_entry
Revises: 0026_allocation_entry_reference
"""

from __future__ import annotations

from alembic import op

from volmify_cli.migrations.sqlite_tables import rebuild_table, replace_once

revision = "0027_allocation_child_of_entry"
down_revision = "0026_allocation_entry_reference"
branch_labels = None
depends_on = None

TABLE = "org_order_item_allocation"
ORG_FK = "fk_org_order_item_allocation_org_id_org"
BRAND_FK = "fk_org_order_item_allocation_org_id_brand_id_org_brand"
ORG_CLAUSE = f"CONSTRAINT {ORG_FK} FOREIGN KEY(org_id) REFERENCES org (id) ON DELETE CASCADE"
BRAND_CLAUSE = (
    f"CONSTRAINT {BRAND_FK} FOREIGN KEY(org_id, brand_id) REFERENCES org_brand (org_id, id)"
)
DEFERRED = " DEFERRABLE INITIALLY DEFERRED"


def _sqlite_upgrade(sql: str) -> str:
    sql = replace_once(sql, f", \n\t{ORG_CLAUSE}", "")
    return replace_once(sql, BRAND_CLAUSE, BRAND_CLAUSE + DEFERRED)


def _sqlite_downgrade(sql: str) -> str:
    sql = replace_once(sql, BRAND_CLAUSE + DEFERRED, BRAND_CLAUSE)
    body, closing = sql.rstrip().rsplit(")", 1)
    return f"{body.rstrip()}, \n\t{ORG_CLAUSE}\n){closing}"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        rebuild_table(TABLE, _sqlite_upgrade)
        return
    op.drop_constraint(ORG_FK, TABLE, type_="foreignkey")
    op.drop_constraint(BRAND_FK, TABLE, type_="foreignkey")
    op.create_foreign_key(
        BRAND_FK,
        TABLE,
        "org_brand",
        ["org_id", "brand_id"],
        ["org_id", "id"],
        deferrable=True,
        initially="DEFERRED",
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        rebuild_table(TABLE, _sqlite_downgrade)
        return
    op.drop_constraint(BRAND_FK, TABLE, type_="foreignkey")
    op.create_foreign_key(BRAND_FK, TABLE, "org_brand", ["org_id", "brand_id"], ["org_id", "id"])
    op.create_foreign_key(ORG_FK, TABLE, "org", ["org_id"], ["id"], ondelete="CASCADE")
