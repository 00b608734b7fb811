"""catalog: managed entities (issue 19)

`catalog_managed` on the catalog's top-level entities: a catalog import sets it on what it
creates or finds in its files, and `--prune` deletes only those. Existing entities start
unmanaged, whoever made them: the next import adopts what its files name. The org's catalog
fingerprints are dropped so that import reads (and adopts) every product, none skipped as
unchanged.

Revision ID: 0018_catalog_managed
Revises: 0017_revenue_rollups
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_catalog_managed"
down_revision = "0017_revenue_rollups"
branch_labels = None
depends_on = None

TABLES = (
    "org_brand",
    "org_market",
    "org_instructor_affiliation",
    "org_product",
    "org_product_collection",
    "org_discount",
    "org_promotion",
)


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table,
            sa.Column(
                "catalog_managed", sa.Boolean(), server_default=sa.text("false"), nullable=False
            ),
        )
    op.execute("DELETE FROM org_catalog_fingerprint")


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "catalog_managed")
