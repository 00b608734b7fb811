"""reference data: locales, currencies, countries

Seeds ISO 4217 currencies (with the project's minor units), ISO 3166-1 countries and the starter
locales from the data modules in volmify_cli/reference (plain data, not models). A later change
to reference data is a new revision that upserts the difference, never an edit of this one.

Revision ID: 0001_reference
Revises: None
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from alembic import op

revision = '0001_reference'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('currency',
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('numeric_code', sa.Integer(), nullable=False),
    sa.Column('minor_units', sa.Integer(), nullable=False),
    sa.Column('symbol', sa.String(length=16), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.CheckConstraint('code = upper(code)', name=op.f('ck_currency_code_upper')),
    sa.CheckConstraint('minor_units >= 0 AND minor_units <= 4', name=op.f('ck_currency_minor_units_range')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_currency'))
    )
    op.create_table('locale',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('key', sa.String(length=35), nullable=False),
    sa.Column('english_name', sa.String(length=200), nullable=False),
    sa.Column('native_name', sa.String(length=200), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.CheckConstraint("direction IN ('ltr', 'rtl')", name=op.f('ck_locale_direction_valid')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_locale'))
    )
    op.create_table('country',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('alpha3', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('default_currency_code', sa.String(length=3), nullable=True),
    sa.Column('default_locale_key', sa.String(length=35), nullable=True),
    sa.ForeignKeyConstraint(['default_currency_code'], ['currency.code'], name=op.f('fk_country_default_currency_code_currency')),
    sa.ForeignKeyConstraint(['default_locale_key'], ['locale.key'], name=op.f('fk_country_default_locale_key_locale'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_country')),
    sa.UniqueConstraint('alpha3', name=op.f('uq_country_alpha3'))
    )

    _seed()


def _seed() -> None:
    from volmify_cli.reference.countries import COUNTRIES
    from volmify_cli.reference.currencies import CURRENCIES
    from volmify_cli.reference.locales import STARTER_LOCALES

    now = datetime.datetime.now(datetime.UTC)
    currency = sa.table(
        "currency",
        sa.column("code", sa.String), sa.column("numeric_code", sa.Integer),
        sa.column("minor_units", sa.Integer), sa.column("name", sa.String),
        sa.column("symbol", sa.String), sa.column("is_active", sa.Boolean),
    )
    op.bulk_insert(currency, [
        {"code": code, "numeric_code": numeric, "minor_units": minor, "name": name,
         "symbol": symbol, "is_active": True}
        for code, numeric, minor, name, symbol in CURRENCIES
    ])
    locale = sa.table(
        "locale",
        sa.column("key", sa.String), sa.column("english_name", sa.String),
        sa.column("native_name", sa.String), sa.column("direction", sa.String),
        sa.column("is_active", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(locale, [
        {"key": key, "english_name": english, "native_name": native, "direction": direction,
         "is_active": True, "created_at": now, "updated_at": now}
        for key, english, native, direction in STARTER_LOCALES
    ])
    country = sa.table(
        "country",
        sa.column("code", sa.String), sa.column("alpha3", sa.String), sa.column("name", sa.String),
        sa.column("default_currency_code", sa.String), sa.column("default_locale_key", sa.String),
    )
    op.bulk_insert(country, [
        {"code": code, "alpha3": alpha3, "name": name, "default_currency_code": currency_code,
         "default_locale_key": locale_key}
        for code, alpha3, name, currency_code, locale_key in COUNTRIES
    ])


def downgrade() -> None:
    op.drop_table('country')
    op.drop_table('locale')
    op.drop_table('currency')
