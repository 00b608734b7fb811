"""catalog: metadata (issue 19)

`metadata_json` on products, variants, plans and collections: an entity's `metadata:` mapping
(text keys and values, bounded by the rule book) as JSON text with sorted keys, NULL for none.
The org's catalog fingerprints are dropped: the next import reads every product again.

Revision ID: 0019_metadata
Revises: 0018_catalog_managed
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_metadata"
down_revision = "0018_catalog_managed"
branch_labels = None
depends_on = None

TABLES = (
    "org_product",
    "org_product_variant",
    "org_product_variant_payment_plan",
    "org_product_collection",
)


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("metadata_json", sa.Text(), nullable=True))
    op.execute("DELETE FROM org_catalog_fingerprint")


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "metadata_json")
