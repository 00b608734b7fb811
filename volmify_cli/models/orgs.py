"""org: the tenant, its members, brands, locale capabilities and instructor affiliations."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import PrimaryKeyConstraint, String, Text
from sqlmodel import Field

from volmify_cli.enums import (
    AffiliationStatus,
    AffiliationType,
    MemberRole,
    MemberStatus,
    OrgStatus,
)
from volmify_cli.models.base import (
    GlobalRow,
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
    share_check,
    slug_field,
    tenant_fk,
    text_field,
    translation_args,
    unique,
    utc_field,
)


class Org(GlobalRow, table=True):
    """The tenant. Its slug is globally unique; deleting it deletes everything it owns."""

    __tablename__ = "org"

    slug: str = slug_field(unique=True)
    name: str = text_field(200)
    default_locale_key: str = locale_field(foreign_key="locale.key")
    default_currency_code: str = currency_field()
    status: str = Field(default=OrgStatus.ACTIVE, sa_type=String(20), nullable=False)
    # Its days: report periods, months and closed periods (an IANA name; rules.check_timezone).
    timezone: str = text_field(64, default="UTC", sa_column_kwargs={"server_default": "UTC"})
    created_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="user.id", ondelete="SET NULL"
    )

    __table_args__ = (enum_check("status", OrgStatus),)


class OrgLocale(Timestamps, table=True):
    """A locale the org can create content in; exactly one is the org's default."""

    __tablename__ = "org_locale"

    org_id: uuid.UUID = org_id_field()
    locale_key: str = locale_field(foreign_key="locale.key")
    is_default: bool = flag()
    is_active: bool = flag(True)
    sort_order: int = Field(default=0, nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "locale_key"),
        one_default("org_locale", "org_id"),
    )


class OrgMember(OrgOwned, table=True):
    __tablename__ = "org_member"

    user_id: uuid.UUID = Field(foreign_key="user.id", ondelete="CASCADE", nullable=False)
    role: str = Field(default=MemberRole.MEMBER, sa_type=String(20), nullable=False)
    status: str = Field(default=MemberStatus.ACTIVE, sa_type=String(20), nullable=False)
    joined_at: dt.datetime | None = utc_field(default=None)

    __table_args__ = (
        unique("org_id", "user_id"),
        enum_check("role", MemberRole),
        enum_check("status", MemberStatus),
    )


class OrgBrand(OrgOwned, table=True):
    __tablename__ = "org_brand"

    slug: str = slug_field()
    logo_url: str | None = text_field(500, nullable=True, default=None)
    is_active: bool = flag(True)
    catalog_managed: bool = catalog_managed_flag()

    __table_args__ = (unique("org_id", "slug"),)


class OrgBrandTranslation(OrgTranslation, table=True):
    __tablename__ = "org_brand_translation"

    brand_id: uuid.UUID = Field(nullable=False)
    name: str = text_field(200)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)
    story: str | None = Field(default=None, sa_type=Text, nullable=True)
    seo_metadata_id: uuid.UUID | None = Field(default=None)

    __table_args__ = (
        *translation_args("org_brand_translation", "brand_id", "org_brand"),
        tenant_fk(["seo_metadata_id"], "seo_metadata", ondelete="NO ACTION"),
    )


class OrgInstructorAffiliation(OrgOwned, table=True):
    """An instructor profile working with an org; its share is only the default for new
    product attributions (the product attribution share is authoritative)."""

    __tablename__ = "org_instructor_affiliation"

    profile_id: uuid.UUID = Field(foreign_key="user_profile.id", nullable=False)
    type: str = Field(default=AffiliationType.CONTRACTOR, sa_type=String(20), nullable=False)
    status: str = Field(default=AffiliationStatus.ACTIVE, sa_type=String(20), nullable=False)
    default_share_bp: int = Field(default=0, nullable=False)
    started_at: dt.datetime | None = utc_field(default=None)
    ended_at: dt.datetime | None = utc_field(default=None)
    catalog_managed: bool = catalog_managed_flag()

    __table_args__ = (
        unique("org_id", "profile_id"),
        enum_check("type", AffiliationType),
        enum_check("status", AffiliationStatus),
        share_check("default_share_bp"),
        check(
            "ended_after_started", "ended_at IS NULL OR started_at IS NULL OR ended_at > started_at"
        ),
    )
