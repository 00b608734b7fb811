"""catalog fingerprints: what the last catalog import read of each product

An unchanged product's text is skipped by the next import of the same files (SPEC 7: an
unchanged re-import within 0.3x of the first import). The rows are deleted by every other write
to the org (volmify_cli/db/fingerprints.py), so a fingerprint never stands for rows that changed.

Revision ID: 0009_catalog_fingerprints
Revises: 0008_child_org_fks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_catalog_fingerprints"
down_revision = "0008_child_org_fks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "org_catalog_fingerprint",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("text_digest", sa.String(length=64), nullable=False),
        sa.Column("context_digest", sa.String(length=64), nullable=False),
        sa.Column("counts", sa.String(length=500), nullable=False),
        sa.Column("instructors", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "product_id"],
            ["org_product.org_id", "org_product.id"],
            name=op.f("fk_org_catalog_fingerprint_org_id_product_id_org_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "product_id", name=op.f("pk_org_catalog_fingerprint")),
    )


def downgrade() -> None:
    op.drop_table("org_catalog_fingerprint")
