"""org/product/payment: payment plans (CTI base + one-time, subscription, usage-based), access
tiers, market prices, and member subscriptions (the entitlements)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, ForeignKeyConstraint, PrimaryKeyConstraint, String, Text, text
from sqlmodel import Field

from volmify_cli.enums import (
    BillingInterval,
    PlanStatus,
    PlanType,
    PricingModel,
    SubscriptionStatus,
    TaxBehavior,
    UsageType,
)
from volmify_cli.models.base import (
    OrgChild,
    OrgTranslation,
    Timestamps,
    check,
    child_org_id,
    currency_field,
    enum_check,
    flag,
    metadata_field,
    non_negative,
    one_default,
    slug_field,
    tenant_fk,
    text_field,
    translation_args,
    unique,
    utc_field,
)


class OrgProductVariantPaymentPlan(OrgChild, table=True):
    """How a variant is sold; it grants `access_tier` (1 basic, 2 premium, 3 VIP, higher allowed).
    Several plans of the same type may sit on one variant at different tiers."""

    __tablename__ = "org_product_variant_payment_plan"

    variant_id: uuid.UUID = Field(nullable=False)
    slug: str = slug_field()
    type: str = Field(sa_type=String(20), nullable=False)
    access_tier: int = Field(default=1, nullable=False)
    is_default: bool = flag()
    is_featured: bool = flag()
    sort_order: int = Field(default=0, nullable=False)
    status: str = Field(default=PlanStatus.ACTIVE, sa_type=String(20), nullable=False)
    starts_at: dt.datetime | None = utc_field(default=None)
    ends_at: dt.datetime | None = utc_field(default=None)
    metadata_json: str | None = metadata_field()

    __table_args__ = (
        tenant_fk(["variant_id"], "org_product_variant"),
        unique("org_id", "variant_id", "slug"),
        unique("org_id", "id", "type"),
        unique("org_id", "variant_id", "id"),  # an order item names its plan with its variant
        one_default("org_product_variant_payment_plan", "org_id", "variant_id"),
        enum_check("type", PlanType),
        enum_check("status", PlanStatus),
        check("access_tier_min", "access_tier >= 1"),
        check("ends_after_starts", "ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at"),
    )


class OrgProductVariantPaymentPlanTranslation(OrgTranslation, table=True):
    __tablename__ = "org_product_variant_payment_plan_translation"

    plan_id: uuid.UUID = Field(nullable=False)
    name: str = text_field(200)
    description: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = translation_args(
        "org_product_variant_payment_plan_translation",
        "plan_id",
        "org_product_variant_payment_plan",
    )


def plan_type_field(plan_type: PlanType) -> Any:
    return Field(
        default=plan_type.value,
        sa_type=String(20),
        nullable=False,
        sa_column_kwargs={"server_default": text(f"'{plan_type.value}'")},
    )


def plan_extension_args(plan_type: PlanType) -> tuple[Any, ...]:
    return (
        PrimaryKeyConstraint("org_id", "plan_id"),
        ForeignKeyConstraint(
            ["org_id", "plan_id", "plan_type"],
            [
                "org_product_variant_payment_plan.org_id",
                "org_product_variant_payment_plan.id",
                "org_product_variant_payment_plan.type",
            ],
            ondelete="CASCADE",
        ),
        check("plan_type_fixed", f"plan_type = '{plan_type.value}'"),
    )


class OrgProductVariantPaymentPlanOneTime(Timestamps, table=True):
    __tablename__ = "org_product_variant_payment_plan_one_time"

    org_id: uuid.UUID = child_org_id()
    plan_id: uuid.UUID = Field(nullable=False)
    plan_type: str = plan_type_field(PlanType.ONE_TIME)
    access_duration_days: int | None = Field(default=None)  # NULL = lifetime access
    max_purchases_per_user: int | None = Field(default=None)
    allow_gifting: bool = flag()
    is_transferable: bool = flag()

    __table_args__ = (
        *plan_extension_args(PlanType.ONE_TIME),
        check("access_duration_min", "access_duration_days IS NULL OR access_duration_days >= 1"),
        check("max_purchases_min", "max_purchases_per_user IS NULL OR max_purchases_per_user >= 1"),
    )


class OrgProductVariantPaymentPlanSubscription(Timestamps, table=True):
    __tablename__ = "org_product_variant_payment_plan_subscription"

    org_id: uuid.UUID = child_org_id()
    plan_id: uuid.UUID = Field(nullable=False)
    plan_type: str = plan_type_field(PlanType.SUBSCRIPTION)
    interval: str = Field(default=BillingInterval.MONTH, sa_type=String(10), nullable=False)
    interval_count: int = Field(default=1, nullable=False)
    trial_days: int = Field(default=0, nullable=False)

    __table_args__ = (
        *plan_extension_args(PlanType.SUBSCRIPTION),
        enum_check("interval", BillingInterval),
        check("interval_count_min", "interval_count >= 1"),
        non_negative("trial_days"),
    )


class OrgProductVariantPaymentPlanUsageBased(Timestamps, table=True):
    __tablename__ = "org_product_variant_payment_plan_usage_based"

    org_id: uuid.UUID = child_org_id()
    plan_id: uuid.UUID = Field(nullable=False)
    plan_type: str = plan_type_field(PlanType.USAGE_BASED)
    unit_name: str = text_field(50)
    usage_type: str = Field(default=UsageType.METERED, sa_type=String(20), nullable=False)
    pricing_model: str = Field(default=PricingModel.PER_UNIT, sa_type=String(20), nullable=False)
    included_units: int = Field(default=0, sa_type=BigInteger, nullable=False)
    interval: str = Field(default=BillingInterval.MONTH, sa_type=String(10), nullable=False)

    __table_args__ = (
        *plan_extension_args(PlanType.USAGE_BASED),
        enum_check("usage_type", UsageType),
        enum_check("pricing_model", PricingModel),
        enum_check("interval", BillingInterval),
        non_negative("included_units"),
    )


class OrgProductVariantPaymentPlanMarketPrice(OrgChild, table=True):
    """The price of a plan in one market (one row per plan and market), in the market's currency
    unless another is given. A plan is sellable in a market only where it has a row here.

    A per_unit usage-based plan's unit price is `unit_amount_e12` (10**-12 major units, as a
    usage tier's: it may be 0.005 USD) and its `amount_minor` is 0; every other price has no
    `unit_amount_e12`. The unit price lives on the price row, not in a one-tier copy of a tiered
    plan, so every reader of a per_unit plan finds its price where a price is, and no amount
    holds a rounded copy of it (issue 20, migration 0025).

    A child of its plan; its market reference refuses the market's delete at commit (deferred,
    so deleting the org, which reaches markets before prices, still works)."""

    __tablename__ = "org_product_variant_payment_plan_market_price"

    plan_id: uuid.UUID = Field(nullable=False)
    market_id: uuid.UUID = Field(nullable=False)
    currency_code: str = currency_field()
    amount_minor: int = Field(sa_type=BigInteger, nullable=False)
    compare_at_minor: int | None = Field(default=None, sa_type=BigInteger)
    setup_fee_minor: int | None = Field(default=None, sa_type=BigInteger)
    tax_behavior: str = Field(default=TaxBehavior.INCLUSIVE, sa_type=String(20), nullable=False)
    unit_amount_e12: int | None = Field(default=None, sa_type=BigInteger)

    __table_args__ = (
        tenant_fk(["plan_id"], "org_product_variant_payment_plan"),
        tenant_fk(["market_id"], "org_market", ondelete="NO ACTION", deferred=True),
        unique("org_id", "plan_id", "market_id"),
        non_negative("amount_minor"),
        check(
            "compare_at_not_below", "compare_at_minor IS NULL OR compare_at_minor >= amount_minor"
        ),
        check("setup_fee_non_negative", "setup_fee_minor IS NULL OR setup_fee_minor >= 0"),
        enum_check("tax_behavior", TaxBehavior),
        check(
            "unit_amount_alone",
            "unit_amount_e12 IS NULL OR (unit_amount_e12 >= 0 AND amount_minor = 0)",
        ),
    )


class OrgProductVariantPaymentPlanUsageTier(OrgChild, table=True):
    """A usage tier of a usage-based plan's price row: up to `up_to_units` (NULL: no limit),
    each unit costs `unit_amount_e12` (plus an optional flat amount for the tier).

    The unit price is an integer count of 10**-12 major units of the price's currency (money
    stays integers; `money.parse_unit_amount`): a unit may cost a fraction of the minor unit,
    0.005 USD = 5_000_000_000 (Stripe's `unit_amount_decimal`), and BIGINT still holds 9.2
    million major units a unit. Migration 0023 moved `unit_amount_minor` here exactly."""

    __tablename__ = "org_product_variant_payment_plan_usage_tier"

    price_id: uuid.UUID = Field(nullable=False)
    sort_order: int = Field(default=0, nullable=False)
    up_to_units: int | None = Field(default=None, sa_type=BigInteger)
    unit_amount_e12: int = Field(sa_type=BigInteger, nullable=False)
    flat_amount_minor: int = Field(default=0, sa_type=BigInteger, nullable=False)

    __table_args__ = (
        tenant_fk(["price_id"], "org_product_variant_payment_plan_market_price"),
        unique("org_id", "price_id", "sort_order"),
        check("up_to_positive", "up_to_units IS NULL OR up_to_units >= 1"),
        non_negative("unit_amount_e12"),
        non_negative("flat_amount_minor"),
    )


class OrgMemberSubscription(OrgChild, table=True):
    """An entitlement: an org member holds a plan, with the plan's access tier as a snapshot."""

    __tablename__ = "org_member_subscription"

    member_id: uuid.UUID = Field(nullable=False)
    plan_id: uuid.UUID = Field(nullable=False)
    status: str = Field(default=SubscriptionStatus.ACTIVE, sa_type=String(20), nullable=False)
    access_tier: int = Field(default=1, nullable=False)
    started_at: dt.datetime | None = utc_field(default=None)
    trial_ends_at: dt.datetime | None = utc_field(default=None)
    current_period_end: dt.datetime | None = utc_field(default=None)
    canceled_at: dt.datetime | None = utc_field(default=None)
    external_id: str | None = text_field(200, nullable=True, default=None)

    __table_args__ = (
        tenant_fk(["member_id"], "org_member"),
        tenant_fk(["plan_id"], "org_product_variant_payment_plan", ondelete="NO ACTION"),
        unique("org_id", "external_id"),
        enum_check("status", SubscriptionStatus),
        check("access_tier_min", "access_tier >= 1"),
    )
