"""payouts: money paid to a creator of the org (SPEC 5, revision 2)

`org_payout`: an instructor or a brand, a currency, an amount in minor units (> 0), when it was
paid and a reference. Append-only; a creator's balance is its ledger entries minus its payouts.

Revision ID: 0013_payouts
Revises: 0012_refunds_return_tax
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_payouts"
down_revision = "0012_refunds_return_tax"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "org_payout",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("recipient_kind", sa.String(length=20), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=True),
        sa.Column("brand_id", sa.Uuid(), nullable=True),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "recipient_kind IN ('instructor', 'brand')", name="ck_org_payout_recipient_kind_valid"
        ),
        sa.CheckConstraint(
            "(recipient_kind = 'instructor' AND profile_id IS NOT NULL AND brand_id IS NULL)"
            " OR (recipient_kind = 'brand' AND brand_id IS NOT NULL AND profile_id IS NULL)",
            name="ck_org_payout_recipient_matches_kind",
        ),
        sa.CheckConstraint("amount_minor > 0", name="ck_org_payout_amount_positive"),
        sa.ForeignKeyConstraint(
            ["org_id", "brand_id"],
            ["org_brand.org_id", "org_brand.id"],
            name="fk_org_payout_org_id_brand_id_org_brand",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["org.id"], name="fk_org_payout_org_id_org", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["user_profile.id"], name="fk_org_payout_profile_id_user_profile"
        ),
        sa.ForeignKeyConstraint(
            ["currency_code"], ["currency.code"], name="fk_org_payout_currency_code_currency"
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name="pk_org_payout"),
    )
    op.create_index("ix_org_payout_org_id_paid_at", "org_payout", ["org_id", "paid_at"])


def downgrade() -> None:
    op.drop_index("ix_org_payout_org_id_paid_at", "org_payout")
    op.drop_table("org_payout")
