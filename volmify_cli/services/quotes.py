"""`plans price`: check that the plan is for sale on the day (`services.sale_conditions`), load
its price in a market, the offers that could apply (every automatic offer of the org, plus the
coupon's offer) with their promotions and redemption counts, then let the pure rules of
`services.pricing` choose the single best offer. The quote adds what the first purchase
charges: the setup fee on its own line, and the day of the first charge after a trial.

A usage-based plan is quoted for a period's usage (`usage`): its list price is the usage
charge of `services.usage_charges` (rounded once), which the offers then apply to as to any
price; the quote carries the charge's breakdown per tier."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TypedDict

from sqlalchemy import exists
from sqlmodel import Session, col, select

from volmify_cli.enums import DiscountType, PlanType
from volmify_cli.errors import ConflictError, NotFoundError, RuleError
from volmify_cli.models.offers import OrgCoupon, OrgDiscount
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import OrgProductVariantPaymentPlanMarketPrice as Price
from volmify_cli.models.products import OrgProductCollectionProduct
from volmify_cli.money import format_amount
from volmify_cli.rulebook import USAGE_UNITS
from volmify_cli.services import history, lookup
from volmify_cli.services.offer_amounts import load_amounts
from volmify_cli.services.offer_targets import load_targets
from volmify_cli.services.pricing import (
    CouponTerms,
    OfferTerms,
    PricedItem,
    best_offer,
    coupon_problem,
    offer_problem,
)
from volmify_cli.services.sale_conditions import (
    check_for_sale,
    first_charge_on,
    load_promotions,
    plan_terms,
    promotion_problem,
    trial_days_of,
)
from volmify_cli.services.usage_charges import UsageChargeRead, load_usage_terms, usage_charge


class AppliedOfferRead(TypedDict):
    offer: str
    type: str
    discount_minor: int
    discount: str
    final_price_minor: int
    final_price: str


class PriceQuoteRead(TypedDict):
    plan: str
    market: str
    currency: str
    at: dt.date
    coupon: str | None
    list_price_minor: int
    list_price: str
    discount_minor: int
    discount: str
    final_price_minor: int
    final_price: str
    setup_fee_minor: int
    setup_fee: str
    first_payment_minor: int
    first_payment: str
    trial_days: int
    first_charge_on: dt.date | None
    offer: str | None
    offer_type: str | None
    applicable: list[AppliedOfferRead]
    coupon_note: str | None
    usage: int | None  # the period's usage a usage-based plan is quoted for
    usage_charge: UsageChargeRead | None  # its breakdown; the list price is its total


def offer_terms(
    session: Session, org_id: uuid.UUID, offers: Sequence[OrgDiscount], *, redemptions: bool = True
) -> list[OfferTerms]:
    """The offers as the pricing rules read them: value (a fixed-amount offer's amount in
    each of its currencies), window, targets, promotions and (unless `redemptions=False`) how
    often each was redeemed."""
    ids = [o.id for o in offers]
    amounts = load_amounts(session, org_id, ids)
    targets = load_targets(session, org_id, ids)
    promotions = load_promotions(session, org_id, ids)
    used = history.redemptions_by_offer(session, org_id, ids) if redemptions else {}
    return [
        OfferTerms(
            slug=o.slug,
            type=DiscountType(o.type),
            percent_bp=o.percent_bp,
            amounts=amounts.get(o.id, {}),
            starts_at=o.starts_at,
            ends_at=o.ends_at,
            is_active=o.is_active,
            usage_limit=o.usage_limit,
            redemptions=used.get(o.id, 0),
            products=frozenset(targets[o.id].products),
            variants=frozenset(targets[o.id].variants),
            plans=frozenset(targets[o.id].plans),
            collections=frozenset(targets[o.id].collections),
            markets=frozenset(targets[o.id].markets),
            promotions=promotions.get(o.id, ()),
        )
        for o in offers
    ]


def coupon_terms(coupon: OrgCoupon, redemptions: int = 0) -> CouponTerms:
    return CouponTerms(
        code=coupon.code,
        is_active=coupon.is_active,
        starts_at=coupon.starts_at,
        ends_at=coupon.ends_at,
        usage_limit=coupon.usage_limit,
        redemptions=redemptions,
    )


def _automatic_offers(session: Session, org: Org) -> list[OrgDiscount]:
    """Offers without any coupon: they apply to everyone (in their window)."""
    has_coupon = exists().where(
        col(OrgCoupon.org_id) == col(OrgDiscount.org_id),
        col(OrgCoupon.discount_id) == col(OrgDiscount.id),
    )
    return list(
        session.exec(
            select(OrgDiscount)
            .where(OrgDiscount.org_id == org.id, ~has_coupon)
            .order_by(col(OrgDiscount.slug))
        )
    )


def quote_price(
    session: Session,
    *,
    org: str,
    plan: str,
    market: str,
    coupon: str | None = None,
    at: dt.date | None = None,
    usage: int | None = None,
) -> PriceQuoteRead:
    """The list price, the best discount and the final price of a plan in a market on a day
    (default: today, UTC), exactly in minor units, with the setup fee, the first payment (the
    final price plus the setup fee) and the day it is charged (after a trial). Raises
    NotFoundError (plan, market, coupon, or no price in that market) and ConflictError (the
    plan is not for sale that day; the coupon's offer belongs to promotions none of which runs
    that day). A coupon that cannot be redeemed for another reason is not an error: the quote
    says why in `coupon_note`. A usage-based plan needs `usage` (units in one period, >= 0)
    and no other plan takes it: RuleError otherwise."""
    the_org = lookup.get_org(session, org)
    product, variant, the_plan = lookup.get_plan(session, the_org, plan)
    the_market = lookup.get_market(session, the_org, market)
    the_coupon = lookup.get_coupon(session, the_org, coupon) if coupon is not None else None
    day = at or dt.datetime.now(dt.UTC).date()
    moment = dt.datetime.combine(day, dt.time(), dt.UTC)
    sale = plan_terms(product, variant, the_plan)
    check_for_sale(sale, moment)
    _check_usage(sale.address, PlanType(the_plan.type), usage)
    price = session.exec(
        select(Price).where(
            Price.org_id == the_org.id,
            Price.plan_id == the_plan.id,
            Price.market_id == the_market.id,
        )
    ).first()
    if price is None:
        raise NotFoundError(
            f"plan {sale.address!r} has no price in market {market!r}",
            f"add one with `volmify plans update {sale.address} --price {market}=AMOUNT`",
        )
    collections = frozenset(
        session.exec(
            select(OrgProductCollectionProduct.collection_id).where(
                OrgProductCollectionProduct.org_id == the_org.id,
                OrgProductCollectionProduct.product_id == product.id,
            )
        )
    )
    charge = None
    if usage is not None:
        charge = usage_charge(load_usage_terms(session, the_org.id, the_plan.id, price), usage)
    item = PricedItem(
        product_id=product.id,
        variant_id=variant.id,
        plan_id=the_plan.id,
        market_id=the_market.id,
        currency=price.currency_code,
        amount_minor=price.amount_minor if charge is None else charge["total_minor"],
        collection_ids=collections,
    )
    candidates = _automatic_offers(session, the_org)
    note = None
    if the_coupon is not None:
        coupon_offer = session.exec(
            select(OrgDiscount).where(
                OrgDiscount.org_id == the_org.id, OrgDiscount.id == the_coupon.discount_id
            )
        ).one()
        terms = offer_terms(session, the_org.id, [coupon_offer])[0]
        held = promotion_problem(terms.slug, terms.promotions, moment)
        if held is not None:
            raise ConflictError(f"coupon {the_coupon.code} cannot be used on {day}: {held}")
        used = history.redemptions_by_coupon(session, the_org.id, [the_coupon.id])
        note = coupon_problem(coupon_terms(the_coupon, used.get(the_coupon.id, 0)), moment)
        if note is None:
            note = offer_problem(terms, item, moment)
            candidates.append(coupon_offer)
    quote = best_offer(offer_terms(session, the_org.id, candidates), item, moment)
    currency = item.currency
    setup_fee = price.setup_fee_minor or 0
    trial_days = trial_days_of(session, the_org.id, the_plan)

    def money(amount: int) -> str:
        return format_amount(amount, currency)

    return PriceQuoteRead(
        plan=sale.address,
        market=the_market.slug,
        currency=currency,
        at=day,
        coupon=the_coupon.code if the_coupon else None,
        list_price_minor=quote.list_price_minor,
        list_price=money(quote.list_price_minor),
        discount_minor=quote.discount_minor,
        discount=money(quote.discount_minor),
        final_price_minor=quote.final_minor,
        final_price=money(quote.final_minor),
        setup_fee_minor=setup_fee,
        setup_fee=money(setup_fee),
        first_payment_minor=quote.final_minor + setup_fee,
        first_payment=money(quote.final_minor + setup_fee),
        trial_days=trial_days,
        first_charge_on=first_charge_on(day, trial_days),
        offer=quote.offer.slug if quote.offer else None,
        offer_type=quote.offer.type.value if quote.offer else None,
        applicable=[
            AppliedOfferRead(
                offer=offer.slug,
                type=offer.type.value,
                discount_minor=discount,
                discount=money(discount),
                final_price_minor=item.amount_minor - discount,
                final_price=money(item.amount_minor - discount),
            )
            for offer, discount in quote.applicable
        ],
        coupon_note=note,
        usage=usage,
        usage_charge=charge,
    )


def _check_usage(address: str, plan_type: PlanType, usage: int | None) -> None:
    """A usage-based plan is priced for a usage, and only such a plan. Raises RuleError."""
    if plan_type is PlanType.USAGE_BASED and usage is None:
        raise RuleError(
            f"plan {address!r} is usage-based: its price depends on the usage in a period",
            "give the period's usage in units with --usage N",
        )
    if plan_type is not PlanType.USAGE_BASED and usage is not None:
        kind = plan_type.value.replace("_", "-")
        raise RuleError(
            f"plan {address!r} is a {kind} plan: --usage prices usage-based plans only",
            "leave out --usage",
        )
    if usage is not None:
        USAGE_UNITS.check(usage)
