"""catalog: products, variants, attribution, collections, plans, prices

Revision ID: 0004_catalog
Revises: 0003_orgs
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_catalog'
down_revision = '0003_orgs'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_product',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('thumbnail_url', sa.String(length=500), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'active', 'archived')", name=op.f('ck_org_product_status_valid')),
    sa.CheckConstraint("type IN ('course', 'digital', 'physical', 'service')", name=op.f('ck_org_product_type_valid')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_product')),
    sa.UniqueConstraint('org_id', 'id', 'type', name=op.f('uq_org_product_org_id_id_type')),
    sa.UniqueConstraint('org_id', 'slug', name=op.f('uq_org_product_org_id_slug'))
    )
    op.create_table('org_product_collection',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_collection_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_product_collection')),
    sa.UniqueConstraint('org_id', 'slug', name=op.f('uq_org_product_collection_org_id_slug'))
    )
    op.create_table('org_product_brand_attribution',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('brand_id', sa.Uuid(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('share_bp', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint('share_bp >= 0 AND share_bp <= 10000', name=op.f('ck_org_product_brand_attribution_share_bp_range')),
    sa.ForeignKeyConstraint(['org_id', 'brand_id'], ['org_brand.org_id', 'org_brand.id'], name=op.f('fk_org_product_brand_attribution_org_id_brand_id_org_brand'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'product_id'], ['org_product.org_id', 'org_product.id'], name=op.f('fk_org_product_brand_attribution_org_id_product_id_org_product'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_brand_attribution_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'product_id', 'brand_id', name=op.f('pk_org_product_brand_attribution'))
    )
    op.create_index('uq_org_product_brand_attribution_one_primary', 'org_product_brand_attribution', ['org_id', 'product_id'], unique=True, sqlite_where=sa.text('is_primary'), postgresql_where=sa.text('is_primary'))
    op.create_table('org_product_collection_product',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('collection_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id', 'collection_id'], ['org_product_collection.org_id', 'org_product_collection.id'], name=op.f('fk_org_product_collection_product_org_id_collection_id_e00c2e67'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'product_id'], ['org_product.org_id', 'org_product.id'], name=op.f('fk_org_product_collection_product_org_id_product_id_org_product'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_collection_product_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'collection_id', 'product_id', name=op.f('pk_org_product_collection_product'))
    )
    op.create_table('org_product_collection_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('collection_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'collection_id'], ['org_product_collection.org_id', 'org_product_collection.id'], name=op.f('fk_org_product_collection_translation_org_id_collectio_b60b6a92'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_product_collection_translation_org_id_locale_ke_0e0aaadb')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_collection_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'collection_id', 'locale_key', name=op.f('pk_org_product_collection_translation'))
    )
    op.create_index('uq_org_product_collection_translation_one_default', 'org_product_collection_translation', ['org_id', 'collection_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_product_digital',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('product_type', sa.String(length=20), server_default=sa.text("'digital'"), nullable=False),
    sa.Column('file_url', sa.String(length=500), nullable=True),
    sa.Column('file_size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('download_limit', sa.Integer(), nullable=True),
    sa.CheckConstraint("product_type = 'digital'", name=op.f('ck_org_product_digital_product_type_fixed')),
    sa.CheckConstraint('download_limit IS NULL OR download_limit >= 1', name=op.f('ck_org_product_digital_download_limit_min')),
    sa.CheckConstraint('file_size_bytes IS NULL OR file_size_bytes >= 0', name=op.f('ck_org_product_digital_file_size_non_negative')),
    sa.ForeignKeyConstraint(['org_id', 'product_id', 'product_type'], ['org_product.org_id', 'org_product.id', 'org_product.type'], name=op.f('fk_org_product_digital_org_id_product_id_product_type__35f1ea73'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_digital_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'product_id', name=op.f('pk_org_product_digital'))
    )
    op.create_table('org_product_instructor_attribution',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('profile_id', sa.Uuid(), nullable=False),
    sa.Column('share_bp', sa.Integer(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('role', sa.String(length=50), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint('share_bp >= 0 AND share_bp <= 10000', name=op.f('ck_org_product_instructor_attribution_share_bp_range')),
    sa.ForeignKeyConstraint(['org_id', 'product_id'], ['org_product.org_id', 'org_product.id'], name=op.f('fk_org_product_instructor_attribution_org_id_product_i_f5efbeed'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'profile_id'], ['org_instructor_affiliation.org_id', 'org_instructor_affiliation.profile_id'], name=op.f('fk_org_product_instructor_attribution_org_id_profile_i_41f0ae40')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_instructor_attribution_org_id_org'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['user_profile.id'], name=op.f('fk_org_product_instructor_attribution_profile_id_user_profile')),
    sa.PrimaryKeyConstraint('org_id', 'product_id', 'profile_id', name=op.f('pk_org_product_instructor_attribution'))
    )
    op.create_index('uq_org_product_instructor_attribution_one_primary', 'org_product_instructor_attribution', ['org_id', 'product_id'], unique=True, sqlite_where=sa.text('is_primary'), postgresql_where=sa.text('is_primary'))
    op.create_table('org_product_physical',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('product_type', sa.String(length=20), server_default=sa.text("'physical'"), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=True),
    sa.Column('weight_grams', sa.Integer(), nullable=True),
    sa.Column('requires_shipping', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.CheckConstraint("product_type = 'physical'", name=op.f('ck_org_product_physical_product_type_fixed')),
    sa.CheckConstraint('weight_grams IS NULL OR weight_grams >= 0', name=op.f('ck_org_product_physical_weight_non_negative')),
    sa.ForeignKeyConstraint(['org_id', 'product_id', 'product_type'], ['org_product.org_id', 'org_product.id', 'org_product.type'], name=op.f('fk_org_product_physical_org_id_product_id_product_type_aa5ed4a9'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_physical_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'product_id', name=op.f('pk_org_product_physical')),
    sa.UniqueConstraint('org_id', 'sku', name=op.f('uq_org_product_physical_org_id_sku'))
    )
    op.create_table('org_product_service',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('product_type', sa.String(length=20), server_default=sa.text("'service'"), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('delivery_mode', sa.String(length=20), nullable=False),
    sa.CheckConstraint("delivery_mode IN ('online', 'in_person', 'hybrid')", name=op.f('ck_org_product_service_delivery_mode_valid')),
    sa.CheckConstraint("product_type = 'service'", name=op.f('ck_org_product_service_product_type_fixed')),
    sa.CheckConstraint('duration_minutes IS NULL OR duration_minutes > 0', name=op.f('ck_org_product_service_duration_positive')),
    sa.ForeignKeyConstraint(['org_id', 'product_id', 'product_type'], ['org_product.org_id', 'org_product.id', 'org_product.type'], name=op.f('fk_org_product_service_org_id_product_id_product_type__9d60c1c7'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_service_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'product_id', name=op.f('pk_org_product_service'))
    )
    op.create_table('org_product_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('seo_metadata_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_product_translation_org_id_locale_key_org_locale')),
    sa.ForeignKeyConstraint(['org_id', 'product_id'], ['org_product.org_id', 'org_product.id'], name=op.f('fk_org_product_translation_org_id_product_id_org_product'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'seo_metadata_id'], ['seo_metadata.org_id', 'seo_metadata.id'], name=op.f('fk_org_product_translation_org_id_seo_metadata_id_seo_metadata')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'product_id', 'locale_key', name=op.f('pk_org_product_translation'))
    )
    op.create_index('uq_org_product_translation_one_default', 'org_product_translation', ['org_id', 'product_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_product_variant',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.CheckConstraint("status IN ('active', 'inactive')", name=op.f('ck_org_product_variant_status_valid')),
    sa.ForeignKeyConstraint(['org_id', 'product_id'], ['org_product.org_id', 'org_product.id'], name=op.f('fk_org_product_variant_org_id_product_id_org_product'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_variant_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_product_variant')),
    sa.UniqueConstraint('org_id', 'product_id', 'slug', name=op.f('uq_org_product_variant_org_id_product_id_slug'))
    )
    op.create_index('uq_org_product_variant_one_default', 'org_product_variant', ['org_id', 'product_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('platform_marketplace_listing',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('listed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'listed', 'delisted')", name=op.f('ck_platform_marketplace_listing_status_valid')),
    sa.ForeignKeyConstraint(['org_id', 'product_id'], ['org_product.org_id', 'org_product.id'], name=op.f('fk_platform_marketplace_listing_org_id_product_id_org_product'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_platform_marketplace_listing_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_platform_marketplace_listing')),
    sa.UniqueConstraint('org_id', 'product_id', name=op.f('uq_platform_marketplace_listing_org_id_product_id'))
    )
    op.create_table('org_product_variant_payment_plan',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('access_tier', sa.Integer(), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('is_featured', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('active', 'inactive', 'archived')", name=op.f('ck_org_product_variant_payment_plan_status_valid')),
    sa.CheckConstraint("type IN ('one_time', 'subscription', 'usage_based')", name=op.f('ck_org_product_variant_payment_plan_type_valid')),
    sa.CheckConstraint('access_tier >= 1', name=op.f('ck_org_product_variant_payment_plan_access_tier_min')),
    sa.CheckConstraint('ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at', name=op.f('ck_org_product_variant_payment_plan_ends_after_starts')),
    sa.ForeignKeyConstraint(['org_id', 'variant_id'], ['org_product_variant.org_id', 'org_product_variant.id'], name=op.f('fk_org_product_variant_payment_plan_org_id_variant_id__09711438'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_variant_payment_plan_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_product_variant_payment_plan')),
    sa.UniqueConstraint('org_id', 'id', 'type', name=op.f('uq_org_product_variant_payment_plan_org_id_id_type')),
    sa.UniqueConstraint('org_id', 'variant_id', 'slug', name=op.f('uq_org_product_variant_payment_plan_org_id_variant_id_slug'))
    )
    op.create_index('uq_org_product_variant_payment_plan_one_default', 'org_product_variant_payment_plan', ['org_id', 'variant_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_product_variant_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_product_variant_translation_org_id_locale_key_org_locale')),
    sa.ForeignKeyConstraint(['org_id', 'variant_id'], ['org_product_variant.org_id', 'org_product_variant.id'], name=op.f('fk_org_product_variant_translation_org_id_variant_id_o_749a3315'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_variant_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'variant_id', 'locale_key', name=op.f('pk_org_product_variant_translation'))
    )
    op.create_index('uq_org_product_variant_translation_one_default', 'org_product_variant_translation', ['org_id', 'variant_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_member_subscription',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('access_tier', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('trial_ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('current_period_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('canceled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.CheckConstraint("status IN ('trialing', 'active', 'past_due', 'canceled', 'expired')", name=op.f('ck_org_member_subscription_status_valid')),
    sa.CheckConstraint('access_tier >= 1', name=op.f('ck_org_member_subscription_access_tier_min')),
    sa.ForeignKeyConstraint(['org_id', 'member_id'], ['org_member.org_id', 'org_member.id'], name=op.f('fk_org_member_subscription_org_id_member_id_org_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'plan_id'], ['org_product_variant_payment_plan.org_id', 'org_product_variant_payment_plan.id'], name=op.f('fk_org_member_subscription_org_id_plan_id_org_product__a65d07f2')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_member_subscription_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_member_subscription')),
    sa.UniqueConstraint('org_id', 'external_id', name=op.f('uq_org_member_subscription_org_id_external_id'))
    )
    op.create_table('org_product_variant_payment_plan_market_price',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('market_id', sa.Uuid(), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('compare_at_minor', sa.BigInteger(), nullable=True),
    sa.Column('setup_fee_minor', sa.BigInteger(), nullable=True),
    sa.Column('tax_behavior', sa.String(length=20), nullable=False),
    sa.CheckConstraint("tax_behavior IN ('inclusive', 'exclusive')", name=op.f('ck_org_product_variant_payment_plan_market_price_tax_b_4fa602bd')),
    sa.CheckConstraint('amount_minor >= 0', name=op.f('ck_org_product_variant_payment_plan_market_price_amoun_2ce1ee26')),
    sa.CheckConstraint('compare_at_minor IS NULL OR compare_at_minor >= amount_minor', name=op.f('ck_org_product_variant_payment_plan_market_price_compa_79b73847')),
    sa.CheckConstraint('setup_fee_minor IS NULL OR setup_fee_minor >= 0', name=op.f('ck_org_product_variant_payment_plan_market_price_setup_a92b30bc')),
    sa.ForeignKeyConstraint(['currency_code'], ['currency.code'], name=op.f('fk_org_product_variant_payment_plan_market_price_curre_1e79c8c9')),
    sa.ForeignKeyConstraint(['org_id', 'market_id'], ['org_market.org_id', 'org_market.id'], name=op.f('fk_org_product_variant_payment_plan_market_price_org_i_5ad5fa3e')),
    sa.ForeignKeyConstraint(['org_id', 'plan_id'], ['org_product_variant_payment_plan.org_id', 'org_product_variant_payment_plan.id'], name=op.f('fk_org_product_variant_payment_plan_market_price_org_i_eed39dba'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_variant_payment_plan_market_price_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_product_variant_payment_plan_market_price')),
    sa.UniqueConstraint('org_id', 'plan_id', 'market_id', name=op.f('uq_org_product_variant_payment_plan_market_price_org_i_066948c5'))
    )
    op.create_table('org_product_variant_payment_plan_one_time',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('plan_type', sa.String(length=20), server_default=sa.text("'one_time'"), nullable=False),
    sa.Column('access_duration_days', sa.Integer(), nullable=True),
    sa.Column('max_purchases_per_user', sa.Integer(), nullable=True),
    sa.Column('allow_gifting', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('is_transferable', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.CheckConstraint("plan_type = 'one_time'", name=op.f('ck_org_product_variant_payment_plan_one_time_plan_type_fixed')),
    sa.CheckConstraint('access_duration_days IS NULL OR access_duration_days >= 1', name=op.f('ck_org_product_variant_payment_plan_one_time_access_du_caf04a91')),
    sa.CheckConstraint('max_purchases_per_user IS NULL OR max_purchases_per_user >= 1', name=op.f('ck_org_product_variant_payment_plan_one_time_max_purchases_min')),
    sa.ForeignKeyConstraint(['org_id', 'plan_id', 'plan_type'], ['org_product_variant_payment_plan.org_id', 'org_product_variant_payment_plan.id', 'org_product_variant_payment_plan.type'], name=op.f('fk_org_product_variant_payment_plan_one_time_org_id_pl_c7d8ceac'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_variant_payment_plan_one_time_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'plan_id', name=op.f('pk_org_product_variant_payment_plan_one_time'))
    )
    op.create_table('org_product_variant_payment_plan_subscription',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('plan_type', sa.String(length=20), server_default=sa.text("'subscription'"), nullable=False),
    sa.Column('interval', sa.String(length=10), nullable=False),
    sa.Column('interval_count', sa.Integer(), nullable=False),
    sa.Column('trial_days', sa.Integer(), nullable=False),
    sa.CheckConstraint("interval IN ('day', 'week', 'month', 'year')", name=op.f('ck_org_product_variant_payment_plan_subscription_interval_valid')),
    sa.CheckConstraint("plan_type = 'subscription'", name=op.f('ck_org_product_variant_payment_plan_subscription_plan__78cc211d')),
    sa.CheckConstraint('interval_count >= 1', name=op.f('ck_org_product_variant_payment_plan_subscription_inter_8f31ce77')),
    sa.CheckConstraint('trial_days >= 0', name=op.f('ck_org_product_variant_payment_plan_subscription_trial_afa9a5e1')),
    sa.ForeignKeyConstraint(['org_id', 'plan_id', 'plan_type'], ['org_product_variant_payment_plan.org_id', 'org_product_variant_payment_plan.id', 'org_product_variant_payment_plan.type'], name=op.f('fk_org_product_variant_payment_plan_subscription_org_i_976b388b'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_variant_payment_plan_subscription_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'plan_id', name=op.f('pk_org_product_variant_payment_plan_subscription'))
    )
    op.create_table('org_product_variant_payment_plan_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_product_variant_payment_plan_translation_org_id_741ace67')),
    sa.ForeignKeyConstraint(['org_id', 'plan_id'], ['org_product_variant_payment_plan.org_id', 'org_product_variant_payment_plan.id'], name=op.f('fk_org_product_variant_payment_plan_translation_org_id_25e79741'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_variant_payment_plan_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'plan_id', 'locale_key', name=op.f('pk_org_product_variant_payment_plan_translation'))
    )
    op.create_index('uq_org_product_variant_payment_plan_translation_one_default', 'org_product_variant_payment_plan_translation', ['org_id', 'plan_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_product_variant_payment_plan_usage_based',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('plan_type', sa.String(length=20), server_default=sa.text("'usage_based'"), nullable=False),
    sa.Column('unit_name', sa.String(length=50), nullable=False),
    sa.Column('usage_type', sa.String(length=20), nullable=False),
    sa.Column('pricing_model', sa.String(length=20), nullable=False),
    sa.Column('included_units', sa.BigInteger(), nullable=False),
    sa.Column('interval', sa.String(length=10), nullable=False),
    sa.CheckConstraint("interval IN ('day', 'week', 'month', 'year')", name=op.f('ck_org_product_variant_payment_plan_usage_based_interval_valid')),
    sa.CheckConstraint("plan_type = 'usage_based'", name=op.f('ck_org_product_variant_payment_plan_usage_based_plan_type_fixed')),
    sa.CheckConstraint("pricing_model IN ('per_unit', 'tiered', 'volume')", name=op.f('ck_org_product_variant_payment_plan_usage_based_pricin_f57ff7fd')),
    sa.CheckConstraint("usage_type IN ('metered', 'licensed')", name=op.f('ck_org_product_variant_payment_plan_usage_based_usage__bc708cd1')),
    sa.CheckConstraint('included_units >= 0', name=op.f('ck_org_product_variant_payment_plan_usage_based_includ_97c5cb1e')),
    sa.ForeignKeyConstraint(['org_id', 'plan_id', 'plan_type'], ['org_product_variant_payment_plan.org_id', 'org_product_variant_payment_plan.id', 'org_product_variant_payment_plan.type'], name=op.f('fk_org_product_variant_payment_plan_usage_based_org_id_9580fa45'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_variant_payment_plan_usage_based_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'plan_id', name=op.f('pk_org_product_variant_payment_plan_usage_based'))
    )
    op.create_table('org_product_variant_payment_plan_usage_tier',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('price_id', sa.Uuid(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('up_to_units', sa.BigInteger(), nullable=True),
    sa.Column('unit_amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('flat_amount_minor', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('flat_amount_minor >= 0', name=op.f('ck_org_product_variant_payment_plan_usage_tier_flat_am_478e31bd')),
    sa.CheckConstraint('unit_amount_minor >= 0', name=op.f('ck_org_product_variant_payment_plan_usage_tier_unit_am_023c6c40')),
    sa.CheckConstraint('up_to_units IS NULL OR up_to_units >= 1', name=op.f('ck_org_product_variant_payment_plan_usage_tier_up_to_positive')),
    sa.ForeignKeyConstraint(['org_id', 'price_id'], ['org_product_variant_payment_plan_market_price.org_id', 'org_product_variant_payment_plan_market_price.id'], name=op.f('fk_org_product_variant_payment_plan_usage_tier_org_id__352db87f'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_variant_payment_plan_usage_tier_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_product_variant_payment_plan_usage_tier')),
    sa.UniqueConstraint('org_id', 'price_id', 'sort_order', name=op.f('uq_org_product_variant_payment_plan_usage_tier_org_id__378cd6c8'))
    )

def downgrade() -> None:
    op.drop_table('org_product_variant_payment_plan_usage_tier')
    op.drop_table('org_product_variant_payment_plan_usage_based')
    op.drop_index('uq_org_product_variant_payment_plan_translation_one_default', table_name='org_product_variant_payment_plan_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_product_variant_payment_plan_translation')
    op.drop_table('org_product_variant_payment_plan_subscription')
    op.drop_table('org_product_variant_payment_plan_one_time')
    op.drop_table('org_product_variant_payment_plan_market_price')
    op.drop_table('org_member_subscription')
    op.drop_index('uq_org_product_variant_translation_one_default', table_name='org_product_variant_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_product_variant_translation')
    op.drop_index('uq_org_product_variant_payment_plan_one_default', table_name='org_product_variant_payment_plan', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_product_variant_payment_plan')
    op.drop_table('platform_marketplace_listing')
    op.drop_index('uq_org_product_variant_one_default', table_name='org_product_variant', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_product_variant')
    op.drop_index('uq_org_product_translation_one_default', table_name='org_product_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_product_translation')
    op.drop_table('org_product_service')
    op.drop_table('org_product_physical')
    op.drop_index('uq_org_product_instructor_attribution_one_primary', table_name='org_product_instructor_attribution', sqlite_where=sa.text('is_primary'), postgresql_where=sa.text('is_primary'))
    op.drop_table('org_product_instructor_attribution')
    op.drop_table('org_product_digital')
    op.drop_index('uq_org_product_collection_translation_one_default', table_name='org_product_collection_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_product_collection_translation')
    op.drop_table('org_product_collection_product')
    op.drop_index('uq_org_product_brand_attribution_one_primary', table_name='org_product_brand_attribution', sqlite_where=sa.text('is_primary'), postgresql_where=sa.text('is_primary'))
    op.drop_table('org_product_brand_attribution')
    op.drop_table('org_product_collection')
    op.drop_table('org_product')
