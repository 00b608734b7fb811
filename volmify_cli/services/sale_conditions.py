"""The conditions of sale (issue 20): whether a plan is for sale on a day, whether an offer's
promotions let it be used, and what a purchase charges first. `plans price` quotes by these
rules (`services.quotes`), and `services.pricing` asks `promotion_problem` of every offer.

- A plan is for sale on a day when its product is active (neither a draft nor archived), its
  variant is active, the plan is active, and the day lies in the plan's window. Windows are
  half-open UTC instants [starts_at, ends_at) (a file's inclusive dates, `windows.py`); a day
  is its first instant, midnight UTC, as for offers and coupons.
- An offer that belongs to promotions is usable only while one of them runs: active, with the
  day in its window. An offer in no promotion is not held back by this rule.
- A subscription's trial puts off the first charge by its `trial_days`; the first payment is
  the price after the offer plus the setup fee (an offer never discounts the setup fee).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from volmify_cli.enums import PlanStatus, ProductStatus, VariantStatus
from volmify_cli.errors import ConflictError
from volmify_cli.models.offers import OrgPromotion, OrgPromotionDiscount
from volmify_cli.models.plans import OrgProductVariantPaymentPlan as Plan
from volmify_cli.models.plans import OrgProductVariantPaymentPlanSubscription as Subscription
from volmify_cli.models.products import OrgProduct, OrgProductVariant
from volmify_cli.windows import dates_from_window, end_date, start_date


@dataclass(frozen=True)
class PromotionTerms:
    """A promotion as the rules read it: whether it is on, and its window."""

    slug: str
    is_active: bool = True
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None


@dataclass(frozen=True)
class PlanTerms:
    """What decides whether a plan is for sale: its own status and window, and the statuses
    of its variant and product. `address` is PRODUCT/VARIANT/PLAN."""

    address: str
    product: str
    product_status: str
    variant: str
    variant_status: str
    status: str
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None


def in_window(starts_at: dt.datetime | None, ends_at: dt.datetime | None, at: dt.datetime) -> bool:
    """starts_at <= at < ends_at, an absent end being open."""
    return (starts_at is None or starts_at <= at) and (ends_at is None or at < ends_at)


def window_text(starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> str:
    """A stored window as the inclusive dates it was written as: `2026-03-01..2026-04-15`,
    `from 2026-03-01`, `until 2026-04-15`, or `at any time`."""
    starts, ends = dates_from_window(starts_at, ends_at)
    if starts is not None and ends is not None:
        return f"{starts.isoformat()}..{ends.isoformat()}"
    if starts is not None:
        return f"from {starts.isoformat()}"
    if ends is not None:
        return f"until {ends.isoformat()}"
    return "at any time"


def _runs(promotion: PromotionTerms, at: dt.datetime) -> bool:
    return promotion.is_active and in_window(promotion.starts_at, promotion.ends_at, at)


def _held_back(promotion: PromotionTerms) -> str:
    window = window_text(promotion.starts_at, promotion.ends_at)
    if not promotion.is_active:
        return f"promotion {promotion.slug!r}, which is inactive (its window: {window})"
    return f"promotion {promotion.slug!r}, which runs {window}"


def promotion_problem(
    offer: str, promotions: Sequence[PromotionTerms], at: dt.datetime
) -> str | None:
    """Why an offer's promotions hold it back at `at`, naming each promotion and its window;
    None when the offer belongs to no promotion or one of its promotions runs then."""
    if not promotions or any(_runs(p, at) for p in promotions):
        return None
    held = sorted(promotions, key=lambda p: p.slug)
    return f"offer {offer!r} is part of " + ", and of ".join(_held_back(p) for p in held)


def sale_problems(plan: PlanTerms, at: dt.datetime) -> list[str]:
    """Every reason a plan is not for sale at `at`, the most fundamental first (its product,
    its variant, the plan, its window); empty when it is for sale."""
    reasons = []
    if plan.product_status == ProductStatus.DRAFT:
        reasons.append(f"its product {plan.product} is a draft")
    elif plan.product_status != ProductStatus.ACTIVE:
        reasons.append(f"its product {plan.product} is {plan.product_status}")
    if plan.variant_status != VariantStatus.ACTIVE:
        reasons.append(f"its variant {plan.variant} is {plan.variant_status}")
    if plan.status != PlanStatus.ACTIVE:
        reasons.append(f"the plan is {plan.status}")
    if plan.starts_at is not None and at < plan.starts_at:
        first = start_date(plan.starts_at)
        assert first is not None
        reasons.append(f"its sale starts on {first.isoformat()}")
    if plan.ends_at is not None and at >= plan.ends_at:
        last = end_date(plan.ends_at)
        assert last is not None
        reasons.append(f"its sale ended on {last.isoformat()}")
    return reasons


def check_for_sale(plan: PlanTerms, at: dt.datetime) -> None:
    """Raises ConflictError naming every reason the plan is not for sale on the day of `at`."""
    reasons = sale_problems(plan, at)
    if reasons:
        day = at.astimezone(dt.UTC).date().isoformat()
        raise ConflictError(f"plan {plan.address} is not for sale on {day}: " + "; ".join(reasons))


def first_charge_on(day: dt.date, trial_days: int) -> dt.date | None:
    """The day of the first charge of a purchase made on `day`: after the trial, if any. None
    when a trial would end beyond the calendar's last day (9999-12-31)."""
    ordinal = day.toordinal() + max(trial_days, 0)
    return dt.date.fromordinal(ordinal) if ordinal <= dt.date.max.toordinal() else None


# -- loading ---------------------------------------------------------------------------------


def plan_terms(product: OrgProduct, variant: OrgProductVariant, plan: Plan) -> PlanTerms:
    return PlanTerms(
        address=f"{product.slug}/{variant.slug}/{plan.slug}",
        product=product.slug,
        product_status=product.status,
        variant=f"{product.slug}/{variant.slug}",
        variant_status=variant.status,
        status=plan.status,
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
    )


def trial_days_of(session: Session, org_id: uuid.UUID, plan: Plan) -> int:
    """A subscription plan's trial days (0 for other plans and for no trial)."""
    days = session.exec(
        select(Subscription.trial_days).where(
            Subscription.org_id == org_id, Subscription.plan_id == plan.id
        )
    ).first()
    return days or 0


def load_promotions(
    session: Session, org_id: uuid.UUID, offer_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[PromotionTerms, ...]]:
    """The promotions of each offer (one query); an offer in none is left out."""
    if not offer_ids:
        return {}
    rows = session.exec(
        select(OrgPromotionDiscount.discount_id, OrgPromotion)
        .join(
            OrgPromotion,
            (col(OrgPromotion.org_id) == col(OrgPromotionDiscount.org_id))
            & (col(OrgPromotion.id) == col(OrgPromotionDiscount.promotion_id)),
        )
        .where(
            OrgPromotionDiscount.org_id == org_id,
            col(OrgPromotionDiscount.discount_id).in_(list(offer_ids)),
        )
        .order_by(col(OrgPromotion.slug))
    )
    found: dict[uuid.UUID, list[PromotionTerms]] = {}
    for offer_id, promotion in rows:
        found.setdefault(offer_id, []).append(
            PromotionTerms(
                slug=promotion.slug,
                is_active=promotion.is_active,
                starts_at=promotion.starts_at,
                ends_at=promotion.ends_at,
            )
        )
    return {offer_id: tuple(terms) for offer_id, terms in found.items()}
