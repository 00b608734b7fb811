"""`plans price`: load the plan's price in a market, the offers that could apply (every automatic
offer of the org, plus the coupon's offer) and the redemption counts, then let the pure rules of
`services.pricing` choose the single best offer."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TypedDict

from sqlalchemy import exists
from sqlmodel import Session, col, select

from volmify_cli.enums import DiscountType
from volmify_cli.errors import NotFoundError
from volmify_cli.models.offers import OrgCoupon, OrgDiscount
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import OrgProductVariantPaymentPlanMarketPrice as Price
from volmify_cli.models.products import OrgProductCollectionProduct
from volmify_cli.money import format_amount
from volmify_cli.services import history, lookup
from volmify_cli.services.offer_targets import load_targets
from volmify_cli.services.pricing import (
    CouponTerms,
    OfferTerms,
    PricedItem,
    best_offer,
    coupon_problem,
    offer_problem,
)


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
    offer: str | None
    offer_type: str | None
    applicable: list[AppliedOfferRead]
    coupon_note: str | None


def offer_terms(
    session: Session, org_id: uuid.UUID, offers: Sequence[OrgDiscount], *, redemptions: bool = True
) -> list[OfferTerms]:
    """The offers as the pricing rules read them: value, window, targets and (unless
    `redemptions=False`) how often each was redeemed."""
    ids = [o.id for o in offers]
    targets = load_targets(session, org_id, ids)
    used = history.redemptions_by_offer(session, org_id, ids) if redemptions else {}
    return [
        OfferTerms(
            slug=o.slug,
            type=DiscountType(o.type),
            percent_bp=o.percent_bp,
            amount_minor=o.amount_minor,
            currency=o.currency_code,
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
) -> PriceQuoteRead:
    """The list price, the best discount and the final price of a plan in a market on a day
    (default: today, UTC), exactly in minor units. Raises NotFoundError (plan, market, coupon,
    or no price in that market). A coupon that cannot be redeemed is not an error: the quote
    says why in `coupon_note`."""
    the_org = lookup.get_org(session, org)
    product, variant, the_plan = lookup.get_plan(session, the_org, plan)
    the_market = lookup.get_market(session, the_org, market)
    the_coupon = lookup.get_coupon(session, the_org, coupon) if coupon is not None else None
    price = session.exec(
        select(Price).where(
            Price.org_id == the_org.id,
            Price.plan_id == the_plan.id,
            Price.market_id == the_market.id,
        )
    ).first()
    address = f"{product.slug}/{variant.slug}/{the_plan.slug}"
    if price is None:
        raise NotFoundError(
            f"plan {address!r} has no price in market {market!r}",
            f"add one with `volmify plans update {address} --price {market}=AMOUNT`",
        )
    day = at or dt.datetime.now(dt.UTC).date()
    moment = dt.datetime.combine(day, dt.time(), dt.UTC)
    collections = frozenset(
        session.exec(
            select(OrgProductCollectionProduct.collection_id).where(
                OrgProductCollectionProduct.org_id == the_org.id,
                OrgProductCollectionProduct.product_id == product.id,
            )
        )
    )
    item = PricedItem(
        product_id=product.id,
        variant_id=variant.id,
        plan_id=the_plan.id,
        market_id=the_market.id,
        currency=price.currency_code,
        amount_minor=price.amount_minor,
        collection_ids=collections,
    )
    candidates = _automatic_offers(session, the_org)
    note = None
    if the_coupon is not None:
        used = history.redemptions_by_coupon(session, the_org.id, [the_coupon.id])
        note = coupon_problem(coupon_terms(the_coupon, used.get(the_coupon.id, 0)), moment)
        coupon_offer = session.exec(
            select(OrgDiscount).where(
                OrgDiscount.org_id == the_org.id, OrgDiscount.id == the_coupon.discount_id
            )
        ).one()
        if note is None:
            note = offer_problem(offer_terms(session, the_org.id, [coupon_offer])[0], item, moment)
            candidates.append(coupon_offer)
    quote = best_offer(offer_terms(session, the_org.id, candidates), item, moment)
    currency = item.currency

    def money(amount: int) -> str:
        return format_amount(amount, currency)

    return PriceQuoteRead(
        plan=address,
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
    )
