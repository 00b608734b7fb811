"""sales: orders, items, the revenue ledger

Revision ID: 0007_sales
Revises: 0006_courses
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007_sales'
down_revision = '0006_courses'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_order',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('ordered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('coupon_id', sa.Uuid(), nullable=True),
    sa.Column('customer_user_id', sa.Uuid(), nullable=True),
    sa.Column('customer_email', sa.String(length=320), nullable=True),
    sa.Column('market_id', sa.Uuid(), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=False),
    sa.Column('subtotal_minor', sa.BigInteger(), nullable=False),
    sa.Column('discount_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_minor', sa.BigInteger(), nullable=False),
    sa.Column('fee_minor', sa.BigInteger(), nullable=False),
    sa.Column('refunded_minor', sa.BigInteger(), nullable=False),
    sa.Column('total_minor', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source_digest', sa.String(length=64), nullable=True),
    sa.CheckConstraint("status IN ('paid', 'partially_refunded', 'refunded')", name=op.f('ck_org_order_status_valid')),
    sa.CheckConstraint('discount_minor >= 0', name=op.f('ck_org_order_discount_minor_non_negative')),
    sa.CheckConstraint('fee_minor >= 0', name=op.f('ck_org_order_fee_minor_non_negative')),
    sa.CheckConstraint('refunded_minor <= total_minor', name=op.f('ck_org_order_refund_within_total')),
    sa.CheckConstraint('refunded_minor >= 0', name=op.f('ck_org_order_refunded_minor_non_negative')),
    sa.CheckConstraint('subtotal_minor >= 0', name=op.f('ck_org_order_subtotal_minor_non_negative')),
    sa.CheckConstraint('tax_minor >= 0', name=op.f('ck_org_order_tax_minor_non_negative')),
    sa.CheckConstraint('total_minor = subtotal_minor - discount_minor + tax_minor', name=op.f('ck_org_order_total_balances')),
    sa.CheckConstraint('total_minor >= 0', name=op.f('ck_org_order_total_minor_non_negative')),
    sa.ForeignKeyConstraint(['currency_code'], ['currency.code'], name=op.f('fk_org_order_currency_code_currency')),
    sa.ForeignKeyConstraint(['customer_user_id'], ['user.id'], name=op.f('fk_org_order_customer_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id', 'coupon_id'], ['org_coupon.org_id', 'org_coupon.id'], name=op.f('fk_org_order_org_id_coupon_id_org_coupon')),
    sa.ForeignKeyConstraint(['org_id', 'market_id'], ['org_market.org_id', 'org_market.id'], name=op.f('fk_org_order_org_id_market_id_org_market')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_order_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_order')),
    sa.UniqueConstraint('org_id', 'external_id', name=op.f('uq_org_order_org_id_external_id'))
    )
    op.create_index('ix_org_order_org_id_ordered_at', 'org_order', ['org_id', 'ordered_at'], unique=False)
    op.create_table('org_order_item',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('access_tier', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('line_amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('net_minor', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('access_tier >= 1', name=op.f('ck_org_order_item_access_tier_min')),
    sa.CheckConstraint('line_amount_minor >= 0', name=op.f('ck_org_order_item_line_amount_minor_non_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_org_order_item_quantity_positive')),
    sa.CheckConstraint('unit_amount_minor >= 0', name=op.f('ck_org_order_item_unit_amount_minor_non_negative')),
    sa.ForeignKeyConstraint(['org_id', 'order_id'], ['org_order.org_id', 'org_order.id'], name=op.f('fk_org_order_item_org_id_order_id_org_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'plan_id'], ['org_product_variant_payment_plan.org_id', 'org_product_variant_payment_plan.id'], name=op.f('fk_org_order_item_org_id_plan_id_org_product_variant_p_3b1c2529')),
    sa.ForeignKeyConstraint(['org_id', 'product_id'], ['org_product.org_id', 'org_product.id'], name=op.f('fk_org_order_item_org_id_product_id_org_product')),
    sa.ForeignKeyConstraint(['org_id', 'variant_id'], ['org_product_variant.org_id', 'org_product_variant.id'], name=op.f('fk_org_order_item_org_id_variant_id_org_product_variant')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_order_item_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_order_item'))
    )
    op.create_index('ix_org_order_item_org_id_order_id', 'org_order_item', ['org_id', 'order_id'], unique=False)
    op.create_table('org_order_item_allocation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('recipient_kind', sa.String(length=20), nullable=False),
    sa.Column('profile_id', sa.Uuid(), nullable=True),
    sa.Column('brand_id', sa.Uuid(), nullable=True),
    sa.Column('share_bp', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=False),
    sa.CheckConstraint("(recipient_kind = 'instructor' AND profile_id IS NOT NULL AND brand_id IS NULL) OR (recipient_kind = 'brand' AND brand_id IS NOT NULL AND profile_id IS NULL) OR (recipient_kind = 'org' AND profile_id IS NULL AND brand_id IS NULL)", name=op.f('ck_org_order_item_allocation_recipient_matches_kind')),
    sa.CheckConstraint("recipient_kind = 'org' OR amount_minor >= 0", name=op.f('ck_org_order_item_allocation_only_org_negative')),
    sa.CheckConstraint("recipient_kind IN ('instructor', 'brand', 'org')", name=op.f('ck_org_order_item_allocation_recipient_kind_valid')),
    sa.CheckConstraint('share_bp >= 0 AND share_bp <= 10000', name=op.f('ck_org_order_item_allocation_share_bp_range')),
    sa.ForeignKeyConstraint(['currency_code'], ['currency.code'], name=op.f('fk_org_order_item_allocation_currency_code_currency')),
    sa.ForeignKeyConstraint(['org_id', 'brand_id'], ['org_brand.org_id', 'org_brand.id'], name=op.f('fk_org_order_item_allocation_org_id_brand_id_org_brand')),
    sa.ForeignKeyConstraint(['org_id', 'item_id'], ['org_order_item.org_id', 'org_order_item.id'], name=op.f('fk_org_order_item_allocation_org_id_item_id_org_order_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_order_item_allocation_org_id_org'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['user_profile.id'], name=op.f('fk_org_order_item_allocation_profile_id_user_profile')),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_order_item_allocation'))
    )
    op.create_index('ix_org_order_item_allocation_org_id_item_id', 'org_order_item_allocation', ['org_id', 'item_id'], unique=False)

def downgrade() -> None:
    op.drop_index('ix_org_order_item_allocation_org_id_item_id', table_name='org_order_item_allocation')
    op.drop_table('org_order_item_allocation')
    op.drop_index('ix_org_order_item_org_id_order_id', table_name='org_order_item')
    op.drop_table('org_order_item')
    op.drop_index('ix_org_order_org_id_ordered_at', table_name='org_order')
    op.drop_table('org_order')
