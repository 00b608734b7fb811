"""offers: discounts, targets, coupons, promotions

Revision ID: 0005_offers
Revises: 0004_catalog
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005_offers'
down_revision = '0004_catalog'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_discount',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('percent_bp', sa.Integer(), nullable=True),
    sa.Column('amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency_code', sa.String(length=3), nullable=True),
    sa.Column('duration', sa.String(length=20), nullable=False),
    sa.Column('duration_periods', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('usage_limit', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.CheckConstraint("(duration = 'repeating' AND duration_periods >= 1) OR (duration <> 'repeating' AND duration_periods IS NULL)", name=op.f('ck_org_discount_periods_match_duration')),
    sa.CheckConstraint("(type = 'percentage' AND percent_bp >= 1 AND percent_bp <= 10000 AND amount_minor IS NULL AND currency_code IS NULL) OR (type = 'fixed_amount' AND amount_minor >= 0 AND currency_code IS NOT NULL AND percent_bp IS NULL)", name=op.f('ck_org_discount_value_matches_type')),
    sa.CheckConstraint("duration IN ('once', 'repeating', 'forever')", name=op.f('ck_org_discount_duration_valid')),
    sa.CheckConstraint("type IN ('percentage', 'fixed_amount')", name=op.f('ck_org_discount_type_valid')),
    sa.CheckConstraint('ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at', name=op.f('ck_org_discount_ends_after_starts')),
    sa.CheckConstraint('usage_limit IS NULL OR usage_limit >= 1', name=op.f('ck_org_discount_usage_limit_min')),
    sa.ForeignKeyConstraint(['currency_code'], ['currency.code'], name=op.f('fk_org_discount_currency_code_currency')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_discount_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_discount')),
    sa.UniqueConstraint('org_id', 'slug', name=op.f('uq_org_discount_org_id_slug'))
    )
    op.create_table('org_promotion',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.CheckConstraint('ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at', name=op.f('ck_org_promotion_ends_after_starts')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_promotion_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_promotion')),
    sa.UniqueConstraint('org_id', 'slug', name=op.f('uq_org_promotion_org_id_slug'))
    )
    op.create_table('org_coupon',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('discount_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('code_normalized', sa.String(length=64), nullable=False),
    sa.Column('usage_limit', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.CheckConstraint('ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at', name=op.f('ck_org_coupon_ends_after_starts')),
    sa.CheckConstraint('usage_limit IS NULL OR usage_limit >= 1', name=op.f('ck_org_coupon_usage_limit_min')),
    sa.ForeignKeyConstraint(['org_id', 'discount_id'], ['org_discount.org_id', 'org_discount.id'], name=op.f('fk_org_coupon_org_id_discount_id_org_discount'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_coupon_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_coupon')),
    sa.UniqueConstraint('org_id', 'code_normalized', name=op.f('uq_org_coupon_org_id_code_normalized'))
    )
    op.create_table('org_discount_collection',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('discount_id', sa.Uuid(), nullable=False),
    sa.Column('collection_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['org_id', 'collection_id'], ['org_product_collection.org_id', 'org_product_collection.id'], name=op.f('fk_org_discount_collection_org_id_collection_id_org_pr_f6a42841'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'discount_id'], ['org_discount.org_id', 'org_discount.id'], name=op.f('fk_org_discount_collection_org_id_discount_id_org_discount'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_discount_collection_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'discount_id', 'collection_id', name=op.f('pk_org_discount_collection'))
    )
    op.create_table('org_discount_product',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('discount_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['org_id', 'discount_id'], ['org_discount.org_id', 'org_discount.id'], name=op.f('fk_org_discount_product_org_id_discount_id_org_discount'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'product_id'], ['org_product.org_id', 'org_product.id'], name=op.f('fk_org_discount_product_org_id_product_id_org_product'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_discount_product_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'discount_id', 'product_id', name=op.f('pk_org_discount_product'))
    )
    op.create_table('org_discount_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('discount_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'discount_id'], ['org_discount.org_id', 'org_discount.id'], name=op.f('fk_org_discount_translation_org_id_discount_id_org_discount'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_discount_translation_org_id_locale_key_org_locale')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_discount_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'discount_id', 'locale_key', name=op.f('pk_org_discount_translation'))
    )
    op.create_index('uq_org_discount_translation_one_default', 'org_discount_translation', ['org_id', 'discount_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_promotion_discount',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('promotion_id', sa.Uuid(), nullable=False),
    sa.Column('discount_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['org_id', 'discount_id'], ['org_discount.org_id', 'org_discount.id'], name=op.f('fk_org_promotion_discount_org_id_discount_id_org_discount'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'promotion_id'], ['org_promotion.org_id', 'org_promotion.id'], name=op.f('fk_org_promotion_discount_org_id_promotion_id_org_promotion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_promotion_discount_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'promotion_id', 'discount_id', name=op.f('pk_org_promotion_discount'))
    )
    op.create_table('org_promotion_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('promotion_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_promotion_translation_org_id_locale_key_org_locale')),
    sa.ForeignKeyConstraint(['org_id', 'promotion_id'], ['org_promotion.org_id', 'org_promotion.id'], name=op.f('fk_org_promotion_translation_org_id_promotion_id_org_promotion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_promotion_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'promotion_id', 'locale_key', name=op.f('pk_org_promotion_translation'))
    )
    op.create_index('uq_org_promotion_translation_one_default', 'org_promotion_translation', ['org_id', 'promotion_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_discount_market',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('discount_id', sa.Uuid(), nullable=False),
    sa.Column('market_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['org_id', 'discount_id'], ['org_discount.org_id', 'org_discount.id'], name=op.f('fk_org_discount_market_org_id_discount_id_org_discount'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'market_id'], ['org_market.org_id', 'org_market.id'], name=op.f('fk_org_discount_market_org_id_market_id_org_market'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_discount_market_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'discount_id', 'market_id', name=op.f('pk_org_discount_market'))
    )
    op.create_table('org_discount_variant',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('discount_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['org_id', 'discount_id'], ['org_discount.org_id', 'org_discount.id'], name=op.f('fk_org_discount_variant_org_id_discount_id_org_discount'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'variant_id'], ['org_product_variant.org_id', 'org_product_variant.id'], name=op.f('fk_org_discount_variant_org_id_variant_id_org_product_variant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_discount_variant_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'discount_id', 'variant_id', name=op.f('pk_org_discount_variant'))
    )
    op.create_table('org_discount_plan',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('discount_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['org_id', 'discount_id'], ['org_discount.org_id', 'org_discount.id'], name=op.f('fk_org_discount_plan_org_id_discount_id_org_discount'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'plan_id'], ['org_product_variant_payment_plan.org_id', 'org_product_variant_payment_plan.id'], name=op.f('fk_org_discount_plan_org_id_plan_id_org_product_varian_222fead8'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_discount_plan_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'discount_id', 'plan_id', name=op.f('pk_org_discount_plan'))
    )

def downgrade() -> None:
    op.drop_table('org_discount_plan')
    op.drop_table('org_discount_variant')
    op.drop_table('org_discount_market')
    op.drop_index('uq_org_promotion_translation_one_default', table_name='org_promotion_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_promotion_translation')
    op.drop_table('org_promotion_discount')
    op.drop_index('uq_org_discount_translation_one_default', table_name='org_discount_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_discount_translation')
    op.drop_table('org_discount_product')
    op.drop_table('org_discount_collection')
    op.drop_table('org_coupon')
    op.drop_table('org_promotion')
    op.drop_table('org_discount')
