"""org/product/offers: discounts with their targets, coupons and promotions.

A discount without target rows applies to the whole catalog. A discount with no coupon is
automatic (applies to everyone in its window); a coupon makes it redeemable by code.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, PrimaryKeyConstraint, String, Text
from sqlmodel import Field

from volmify_cli.enums import DiscountDuration, DiscountType
from volmify_cli.models.base import (
    OrgChild,
    OrgOwned,
    OrgTranslation,
    Timestamps,
    catalog_managed_flag,
    check,
    child_org_id,
    currency_field,
    enum_check,
    flag,
    non_negative,
    slug_field,
    tenant_fk,
    text_field,
    translation_args,
    unique,
    utc_field,
)

WINDOW = "ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at"


class OrgDiscount(OrgOwned, table=True):
    __tablename__ = "org_discount"

    slug: str = slug_field()
    type: str = Field(sa_type=String(20), nullable=False)
    percent_bp: int | None = Field(default=None)
    duration: str = Field(default=DiscountDuration.ONCE, sa_type=String(20), nullable=False)
    duration_periods: int | None = Field(default=None)
    starts_at: dt.datetime | None = utc_field(default=None)
    ends_at: dt.datetime | None = utc_field(default=None)
    usage_limit: int | None = Field(default=None)
    is_active: bool = flag(True)
    catalog_managed: bool = catalog_managed_flag()

    __table_args__ = (
        unique("org_id", "slug"),
        enum_check("type", DiscountType),
        enum_check("duration", DiscountDuration),
        # a fixed amount's amounts, one per currency, are its OrgDiscountAmount rows
        check(
            "value_matches_type",
            "(type = 'percentage' AND percent_bp IS NOT NULL AND percent_bp >= 1"
            " AND percent_bp <= 10000)"
            " OR (type = 'fixed_amount' AND percent_bp IS NULL)",
        ),
        check(
            "periods_match_duration",
            "(duration = 'repeating' AND duration_periods >= 1)"
            " OR (duration <> 'repeating' AND duration_periods IS NULL)",
        ),
        check("ends_after_starts", WINDOW),
        check("usage_limit_min", "usage_limit IS NULL OR usage_limit >= 1"),
    )


class OrgDiscountAmount(Timestamps, table=True):
    """A fixed-amount offer's amount in one currency (issue 20): it applies to a price in that
    currency only. A percentage offer has none."""

    __tablename__ = "org_discount_amount"

    org_id: uuid.UUID = child_org_id()
    discount_id: uuid.UUID = Field(nullable=False)
    currency_code: str = currency_field()
    amount_minor: int = Field(sa_type=BigInteger, nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "discount_id", "currency_code"),
        tenant_fk(["discount_id"], "org_discount"),
        non_negative("amount_minor"),
    )


class OrgDiscountTranslation(OrgTranslation, table=True):
    __tablename__ = "org_discount_translation"

    discount_id: uuid.UUID = Field(nullable=False)
    name: str = text_field(200)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = translation_args("org_discount_translation", "discount_id", "org_discount")


def target_args(target_column: str, target_table: str) -> tuple[object, ...]:
    return (
        PrimaryKeyConstraint("org_id", "discount_id", target_column),
        tenant_fk(["discount_id"], "org_discount"),
        tenant_fk([target_column], target_table),
    )


class OrgDiscountProduct(Timestamps, table=True):
    __tablename__ = "org_discount_product"

    org_id: uuid.UUID = child_org_id()
    discount_id: uuid.UUID = Field(nullable=False)
    product_id: uuid.UUID = Field(nullable=False)

    __table_args__ = target_args("product_id", "org_product")


class OrgDiscountVariant(Timestamps, table=True):
    __tablename__ = "org_discount_variant"

    org_id: uuid.UUID = child_org_id()
    discount_id: uuid.UUID = Field(nullable=False)
    variant_id: uuid.UUID = Field(nullable=False)

    __table_args__ = target_args("variant_id", "org_product_variant")


class OrgDiscountPlan(Timestamps, table=True):
    __tablename__ = "org_discount_plan"

    org_id: uuid.UUID = child_org_id()
    discount_id: uuid.UUID = Field(nullable=False)
    plan_id: uuid.UUID = Field(nullable=False)

    __table_args__ = target_args("plan_id", "org_product_variant_payment_plan")


class OrgDiscountCollection(Timestamps, table=True):
    __tablename__ = "org_discount_collection"

    org_id: uuid.UUID = child_org_id()
    discount_id: uuid.UUID = Field(nullable=False)
    collection_id: uuid.UUID = Field(nullable=False)

    __table_args__ = target_args("collection_id", "org_product_collection")


class OrgDiscountMarket(Timestamps, table=True):
    __tablename__ = "org_discount_market"

    org_id: uuid.UUID = child_org_id()
    discount_id: uuid.UUID = Field(nullable=False)
    market_id: uuid.UUID = Field(nullable=False)

    __table_args__ = target_args("market_id", "org_market")


class OrgCoupon(OrgChild, table=True):
    """A redeemable code. Codes are unique per org case-insensitively (normalised column)."""

    __tablename__ = "org_coupon"

    discount_id: uuid.UUID = Field(nullable=False)
    code: str = text_field(64)
    code_normalized: str = text_field(64)
    usage_limit: int | None = Field(default=None)
    starts_at: dt.datetime | None = utc_field(default=None)
    ends_at: dt.datetime | None = utc_field(default=None)
    is_active: bool = flag(True)

    __table_args__ = (
        tenant_fk(["discount_id"], "org_discount"),
        unique("org_id", "code_normalized"),
        check("usage_limit_min", "usage_limit IS NULL OR usage_limit >= 1"),
        check("ends_after_starts", WINDOW),
    )


class OrgPromotion(OrgOwned, table=True):
    """A campaign grouping discounts."""

    __tablename__ = "org_promotion"

    slug: str = slug_field()
    starts_at: dt.datetime | None = utc_field(default=None)
    ends_at: dt.datetime | None = utc_field(default=None)
    is_active: bool = flag(True)
    catalog_managed: bool = catalog_managed_flag()

    __table_args__ = (unique("org_id", "slug"), check("ends_after_starts", WINDOW))


class OrgPromotionTranslation(OrgTranslation, table=True):
    __tablename__ = "org_promotion_translation"

    promotion_id: uuid.UUID = Field(nullable=False)
    name: str = text_field(200)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = translation_args("org_promotion_translation", "promotion_id", "org_promotion")


class OrgPromotionDiscount(Timestamps, table=True):
    __tablename__ = "org_promotion_discount"

    org_id: uuid.UUID = child_org_id()
    promotion_id: uuid.UUID = Field(nullable=False)
    discount_id: uuid.UUID = Field(nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("org_id", "promotion_id", "discount_id"),
        tenant_fk(["promotion_id"], "org_promotion"),
        tenant_fk(["discount_id"], "org_discount"),
    )
