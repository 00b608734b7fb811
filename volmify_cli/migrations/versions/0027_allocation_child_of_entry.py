"""ledger: an allocation is a child of its entry; its brand reference is checked at commit

`org_order_item_allocation` kept its own `org_id -> org` FK only because its NO ACTION reference
to `org_brand` had to see the split gone on the level of the org's cascade that deletes brands
(volmify_cli/models/base.py, "Roots and children"). Deferred (DEFERRABLE INITIALLY DEFERRED),
that reference is checked at commit, after every cascade: deleting a brand that still has
splits is refused as before (the brand commands say so first), deleting an org still removes
them through their entry, and the org FK goes: one check fewer per split written, three or four
per sales line. The same step as 0010's for market prices (`migrations/children.py`).

Revision ID: 0027_allocation_child_of_entry
Revises: 0026_allocation_entry_reference
"""

from __future__ import annotations

from volmify_cli.migrations.children import Reference, become_child, become_root

revision = "0027_allocation_child_of_entry"
down_revision = "0026_allocation_entry_reference"
branch_labels = None
depends_on = None

TABLE = "org_order_item_allocation"
ORG_FK = "fk_org_order_item_allocation_org_id_org"
BRAND = Reference("fk_org_order_item_allocation_org_id_brand_id_org_brand", "brand_id", "org_brand")


def upgrade() -> None:
    become_child(TABLE, ORG_FK, BRAND)


def downgrade() -> None:
    become_root(TABLE, ORG_FK, BRAND)
