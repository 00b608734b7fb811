"""org markets: regional strategy units with a currency, countries, locales, brand and domain."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKeyConstraint, Index, PrimaryKeyConstraint, String, Text
from sqlmodel import Field

from volmify_cli.enums import MarketStatus, MarketType
from volmify_cli.models.base import (
    LOCALE_KEY,
    OrgOwned,
    OrgTranslation,
    Timestamps,
    catalog_managed_flag,
    check,
    currency_field,
    enum_check,
    flag,
    locale_field,
    one_default,
    org_id_field,
    slug_field,
    tenant_fk,
    text_field,
    translation_args,
    unique,
)


class OrgMarket(OrgOwned, table=True):
    """A market. Its domain is unique across the whole platform (one of the two deliberate
    exceptions to the tenant-key rule: two orgs cannot serve the same host)."""

    __tablename__ = "org_market"

    slug: str = slug_field()
    type: str = Field(sa_type=String(20), nullable=False)
    currency_code: str = currency_field()
    brand_id: uuid.UUID | None = Field(default=None)
    domain: str | None = Field(default=None, sa_type=String(253), nullable=True, unique=True)
    is_default: bool = flag()
    status: str = Field(default=MarketStatus.ACTIVE, sa_type=String(20), nullable=False)
    catalog_managed: bool = catalog_managed_flag()

    __table_args__ = (
        unique("org_id", "slug"),
        enum_check("type", MarketType),
        enum_check("status", MarketStatus),
        check("domain_lower", "domain = lower(domain)"),
        tenant_fk(["brand_id"], "org_brand", ondelete="NO ACTION"),
        one_default("org_market", "org_id"),
    )


class OrgMarketTranslation(OrgTranslation, table=True):
    __tablename__ = "org_market_translation"

    market_id: uuid.UUID = Field(nullable=False)
    name: str = text_field(200)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = translation_args("org_market_translation", "market_id", "org_market")


class OrgMarketLocale(Timestamps, table=True):
    """The market's subset of the org's locales: the composite FK to org_locale makes a locale
    the org does not have impossible."""

    __tablename__ = "org_market_locale"

    org_id: uuid.UUID = org_id_field()
    market_id: uuid.UUID = Field(nullable=False)
    locale_key: str = locale_field()
    is_default: bool = flag()
    sort_order: int = Field(default=0, nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "market_id", "locale_key"),
        tenant_fk(["market_id"], "org_market", ondelete="CASCADE"),
        tenant_fk(["locale_key"], "org_locale", ("locale_key",), ondelete="NO ACTION"),
        one_default("org_market_locale", "org_id", "market_id"),
    )


class OrgMarketCountry(Timestamps, table=True):
    """A country in a market; its override locale must be one of the market's locales (FK)."""

    __tablename__ = "org_market_country"

    org_id: uuid.UUID = org_id_field()
    market_id: uuid.UUID = Field(nullable=False)
    country_code: str = Field(sa_type=String(2), foreign_key="country.code")
    default_locale_key: str | None = Field(default=None, sa_type=String(LOCALE_KEY))
    sort_order: int = Field(default=0, nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "market_id", "country_code"),
        # a country belongs to one market of an org (0020)
        Index("uq_org_market_country_org_id_country_code", "org_id", "country_code", unique=True),
        tenant_fk(["market_id"], "org_market", ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["org_id", "market_id", "default_locale_key"],
            [
                "org_market_locale.org_id",
                "org_market_locale.market_id",
                "org_market_locale.locale_key",
            ],
        ),
    )
