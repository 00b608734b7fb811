"""organizations: members, locales, brands, markets, affiliations

Revision ID: 0003_orgs
Revises: 0002_identity
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003_orgs'
down_revision = '0002_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('default_locale_key', sa.String(length=35), nullable=False),
    sa.Column('default_currency_code', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_user_id', sa.Uuid(), nullable=True),
    sa.CheckConstraint("status IN ('active', 'suspended', 'archived')", name=op.f('ck_org_status_valid')),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['user.id'], name=op.f('fk_org_created_by_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['default_currency_code'], ['currency.code'], name=op.f('fk_org_default_currency_code_currency')),
    sa.ForeignKeyConstraint(['default_locale_key'], ['locale.key'], name=op.f('fk_org_default_locale_key_locale')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org')),
    sa.UniqueConstraint('slug', name=op.f('uq_org_slug'))
    )
    op.create_table('org_brand',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('logo_url', sa.String(length=500), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_brand_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_brand')),
    sa.UniqueConstraint('org_id', 'slug', name=op.f('uq_org_brand_org_id_slug'))
    )
    op.create_table('org_contact_info',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('contact_info_id', sa.Uuid(), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['contact_info_id'], ['contact_info.id'], name=op.f('fk_org_contact_info_contact_info_id_contact_info'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_contact_info_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'contact_info_id', name=op.f('pk_org_contact_info'))
    )
    op.create_table('org_instructor_affiliation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('profile_id', sa.Uuid(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('default_share_bp', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'active', 'suspended', 'ended')", name=op.f('ck_org_instructor_affiliation_status_valid')),
    sa.CheckConstraint("type IN ('owner', 'employee', 'contractor', 'partner', 'guest')", name=op.f('ck_org_instructor_affiliation_type_valid')),
    sa.CheckConstraint('default_share_bp >= 0 AND default_share_bp <= 10000', name=op.f('ck_org_instructor_affiliation_default_share_bp_range')),
    sa.CheckConstraint('ended_at IS NULL OR started_at IS NULL OR ended_at > started_at', name=op.f('ck_org_instructor_affiliation_ended_after_started')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_instructor_affiliation_org_id_org'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['user_profile.id'], name=op.f('fk_org_instructor_affiliation_profile_id_user_profile')),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_instructor_affiliation')),
    sa.UniqueConstraint('org_id', 'profile_id', name=op.f('uq_org_instructor_affiliation_org_id_profile_id'))
    )
    op.create_table('org_locale',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['locale_key'], ['locale.key'], name=op.f('fk_org_locale_locale_key_locale')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_locale_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'locale_key', name=op.f('pk_org_locale'))
    )
    op.create_index('uq_org_locale_one_default', 'org_locale', ['org_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_member',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('owner', 'admin', 'instructor', 'member')", name=op.f('ck_org_member_role_valid')),
    sa.CheckConstraint("status IN ('invited', 'active', 'suspended', 'left')", name=op.f('ck_org_member_status_valid')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_member_org_id_org'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_org_member_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_member')),
    sa.UniqueConstraint('org_id', 'user_id', name=op.f('uq_org_member_org_id_user_id'))
    )
    op.create_table('seo_metadata',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('canonical_url', sa.String(length=500), nullable=True),
    sa.Column('robots', sa.String(length=100), nullable=True),
    sa.Column('image_url', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_seo_metadata_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_seo_metadata'))
    )
    op.create_table('org_brand_contact_info',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('brand_id', sa.Uuid(), nullable=False),
    sa.Column('contact_info_id', sa.Uuid(), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['contact_info_id'], ['contact_info.id'], name=op.f('fk_org_brand_contact_info_contact_info_id_contact_info'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'brand_id'], ['org_brand.org_id', 'org_brand.id'], name=op.f('fk_org_brand_contact_info_org_id_brand_id_org_brand'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_brand_contact_info_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'brand_id', 'contact_info_id', name=op.f('pk_org_brand_contact_info'))
    )
    op.create_table('org_brand_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('brand_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('story', sa.Text(), nullable=True),
    sa.Column('seo_metadata_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'brand_id'], ['org_brand.org_id', 'org_brand.id'], name=op.f('fk_org_brand_translation_org_id_brand_id_org_brand'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_brand_translation_org_id_locale_key_org_locale')),
    sa.ForeignKeyConstraint(['org_id', 'seo_metadata_id'], ['seo_metadata.org_id', 'seo_metadata.id'], name=op.f('fk_org_brand_translation_org_id_seo_metadata_id_seo_metadata')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_brand_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'brand_id', 'locale_key', name=op.f('pk_org_brand_translation'))
    )
    op.create_index('uq_org_brand_translation_one_default', 'org_brand_translation', ['org_id', 'brand_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_market',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=False),
    sa.Column('brand_id', sa.Uuid(), nullable=True),
    sa.Column('domain', sa.String(length=253), nullable=True),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.CheckConstraint("status IN ('active', 'inactive')", name=op.f('ck_org_market_status_valid')),
    sa.CheckConstraint("type IN ('single_country', 'multi_region', 'linguistic', 'economic', 'custom')", name=op.f('ck_org_market_type_valid')),
    sa.CheckConstraint('domain = lower(domain)', name=op.f('ck_org_market_domain_lower')),
    sa.ForeignKeyConstraint(['currency_code'], ['currency.code'], name=op.f('fk_org_market_currency_code_currency')),
    sa.ForeignKeyConstraint(['org_id', 'brand_id'], ['org_brand.org_id', 'org_brand.id'], name=op.f('fk_org_market_org_id_brand_id_org_brand')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_market_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_market')),
    sa.UniqueConstraint('domain', name=op.f('uq_org_market_domain')),
    sa.UniqueConstraint('org_id', 'slug', name=op.f('uq_org_market_org_id_slug'))
    )
    op.create_index('uq_org_market_one_default', 'org_market', ['org_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_market_locale',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('market_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_market_locale_org_id_locale_key_org_locale')),
    sa.ForeignKeyConstraint(['org_id', 'market_id'], ['org_market.org_id', 'org_market.id'], name=op.f('fk_org_market_locale_org_id_market_id_org_market'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_market_locale_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'market_id', 'locale_key', name=op.f('pk_org_market_locale'))
    )
    op.create_index('uq_org_market_locale_one_default', 'org_market_locale', ['org_id', 'market_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_market_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('market_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_market_translation_org_id_locale_key_org_locale')),
    sa.ForeignKeyConstraint(['org_id', 'market_id'], ['org_market.org_id', 'org_market.id'], name=op.f('fk_org_market_translation_org_id_market_id_org_market'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_market_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'market_id', 'locale_key', name=op.f('pk_org_market_translation'))
    )
    op.create_index('uq_org_market_translation_one_default', 'org_market_translation', ['org_id', 'market_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_market_country',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('market_id', sa.Uuid(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('default_locale_key', sa.String(length=35), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_org_market_country_country_code_country')),
    sa.ForeignKeyConstraint(['org_id', 'market_id', 'default_locale_key'], ['org_market_locale.org_id', 'org_market_locale.market_id', 'org_market_locale.locale_key'], name=op.f('fk_org_market_country_org_id_market_id_default_locale__27da975a')),
    sa.ForeignKeyConstraint(['org_id', 'market_id'], ['org_market.org_id', 'org_market.id'], name=op.f('fk_org_market_country_org_id_market_id_org_market'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_market_country_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'market_id', 'country_code', name=op.f('pk_org_market_country'))
    )

def downgrade() -> None:
    op.drop_table('org_market_country')
    op.drop_index('uq_org_market_translation_one_default', table_name='org_market_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_market_translation')
    op.drop_index('uq_org_market_locale_one_default', table_name='org_market_locale', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_market_locale')
    op.drop_index('uq_org_market_one_default', table_name='org_market', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_market')
    op.drop_index('uq_org_brand_translation_one_default', table_name='org_brand_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_brand_translation')
    op.drop_table('org_brand_contact_info')
    op.drop_table('seo_metadata')
    op.drop_table('org_member')
    op.drop_index('uq_org_locale_one_default', table_name='org_locale', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_locale')
    op.drop_table('org_instructor_affiliation')
    op.drop_table('org_contact_info')
    op.drop_table('org_brand')
    op.drop_table('org')
