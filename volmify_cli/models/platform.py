"""platform: SEO metadata, contact information and the cross-org marketplace."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKeyConstraint, PrimaryKeyConstraint, String, Text
from sqlmodel import Field

from volmify_cli.enums import ListingStatus
from volmify_cli.models.base import (
    GlobalRow,
    OrgChild,
    OrgOwned,
    Timestamps,
    child_org_id,
    enum_check,
    org_id_field,
    tenant_fk,
    text_field,
    unique,
    utc_field,
)


class SeoMetadata(OrgOwned, table=True):
    """SEO fields referenced from translation rows (the locale is the translation's). Org-owned:
    it describes an org's content, so it carries the tenant key like that content."""

    __tablename__ = "seo_metadata"

    title: str | None = text_field(300, nullable=True, default=None)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)
    canonical_url: str | None = text_field(500, nullable=True, default=None)
    robots: str | None = text_field(100, nullable=True, default=None)
    image_url: str | None = text_field(500, nullable=True, default=None)


class ContactInfo(GlobalRow, table=True):
    __tablename__ = "contact_info"

    email: str | None = text_field(320, nullable=True, default=None)
    phone: str | None = text_field(50, nullable=True, default=None)
    address: str | None = Field(default=None, sa_type=Text, nullable=True)
    website: str | None = text_field(500, nullable=True, default=None)


class OrgContactInfo(Timestamps, table=True):
    """Links an org to its contact info (a link table per owner kind: no polymorphic id)."""

    __tablename__ = "org_contact_info"

    org_id: uuid.UUID = org_id_field()
    contact_info_id: uuid.UUID = Field(foreign_key="contact_info.id", ondelete="CASCADE")
    label: str = Field(default="main", sa_type=String(50), nullable=False)

    __table_args__ = (PrimaryKeyConstraint("org_id", "contact_info_id"),)


class OrgBrandContactInfo(Timestamps, table=True):
    __tablename__ = "org_brand_contact_info"

    org_id: uuid.UUID = child_org_id()
    brand_id: uuid.UUID = Field(nullable=False)
    contact_info_id: uuid.UUID = Field(foreign_key="contact_info.id", ondelete="CASCADE")
    label: str = Field(default="main", sa_type=String(50), nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "brand_id", "contact_info_id"),
        tenant_fk(["brand_id"], "org_brand"),
    )


class UserProfileContactInfo(Timestamps, table=True):
    __tablename__ = "user_profile_contact_info"

    profile_id: uuid.UUID = Field(nullable=False)
    contact_info_id: uuid.UUID = Field(nullable=False)
    label: str = Field(default="main", sa_type=String(50), nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("profile_id", "contact_info_id"),
        ForeignKeyConstraint(["profile_id"], ["user_profile.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["contact_info_id"], ["contact_info.id"], ondelete="CASCADE"),
    )


class PlatformMarketplaceListing(OrgChild, table=True):
    """An org's product listed in the cross-org marketplace."""

    __tablename__ = "platform_marketplace_listing"

    product_id: uuid.UUID = Field(nullable=False)
    category: str | None = text_field(100, nullable=True, default=None)
    status: str = Field(default=ListingStatus.DRAFT, sa_type=String(20), nullable=False)
    listed_at: dt.datetime | None = utc_field(default=None)

    __table_args__ = (
        tenant_fk(["product_id"], "org_product"),
        unique("org_id", "product_id"),
        enum_check("status", ListingStatus),
    )
