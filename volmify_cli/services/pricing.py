"""The final price of a plan in a market after offers (SPEC 5): pure functions over loaded rows.

- A percentage discount is rounded half-up to the currency's minor unit; a fixed-amount offer
  applies only to a price in a currency it has an amount in (one amount per currency), and
  takes that amount off; a discount never exceeds the price.
- An offer applies when it is active, `starts_at <= at < ends_at` (inclusive dates are stored
  as a half-open window), its usage limit is not reached, and its targets match: with catalog
  targets (products, variants, plans, collections) the item must match one of them, with market
  targets the market must be one of them; no targets means the whole catalog, every market.
- An offer that belongs to promotions applies only while one of them runs (active, in its
  window: `sale_conditions.promotion_problem`).
- Automatic offers (without coupons) apply to everyone; a coupon adds its own offer. When
  several apply, the single best for the buyer (the lowest final price) is used, never a sum.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from volmify_cli.enums import DiscountType
from volmify_cli.money import format_amount, percent_discount
from volmify_cli.services.sale_conditions import PromotionTerms, promotion_problem
from volmify_cli.windows import end_date


@dataclass(frozen=True)
class OfferTerms:
    """An offer as loaded: its value (a percentage, or a fixed amount per currency: currency
    -> minor units), window, limit and targets (ids)."""

    slug: str
    type: DiscountType
    percent_bp: int | None = None
    amounts: Mapping[str, int] = field(default_factory=dict, hash=False)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    is_active: bool = True
    usage_limit: int | None = None
    redemptions: int = 0
    products: frozenset[uuid.UUID] = field(default_factory=frozenset)
    variants: frozenset[uuid.UUID] = field(default_factory=frozenset)
    plans: frozenset[uuid.UUID] = field(default_factory=frozenset)
    collections: frozenset[uuid.UUID] = field(default_factory=frozenset)
    markets: frozenset[uuid.UUID] = field(default_factory=frozenset)
    promotions: tuple[PromotionTerms, ...] = ()  # the campaigns it belongs to


@dataclass(frozen=True)
class PricedItem:
    """What is being bought: a plan's price in one market."""

    product_id: uuid.UUID
    variant_id: uuid.UUID
    plan_id: uuid.UUID
    market_id: uuid.UUID
    currency: str
    amount_minor: int
    collection_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)


@dataclass(frozen=True)
class CouponTerms:
    code: str
    is_active: bool = True
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    usage_limit: int | None = None
    redemptions: int = 0


@dataclass(frozen=True)
class Quote:
    list_price_minor: int
    discount_minor: int
    final_minor: int
    offer: OfferTerms | None
    applicable: tuple[tuple[OfferTerms, int], ...] = ()  # (offer, discount), best first


def _day(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).date().isoformat()


def _last_day(ends_at: dt.datetime) -> str:
    last = end_date(ends_at)
    assert last is not None
    return last.isoformat()


def discount_of(offer: OfferTerms, amount_minor: int, currency: str) -> int | None:
    """The discount an offer gives on a price, or None when it cannot apply to that currency
    (a fixed-amount offer without an amount in it). Never more than the price, never
    negative."""
    if offer.type is DiscountType.PERCENTAGE:
        return min(percent_discount(amount_minor, offer.percent_bp or 0), amount_minor)
    amount = offer.amounts.get(currency)
    if amount is None:
        return None
    return max(0, min(amount, amount_minor))


def amounts_text(amounts: Mapping[str, int]) -> str:
    """What a fixed-amount offer takes off, by currency code: `4.50 EUR, 500 JPY or 5.00 USD`
    (`no amount` when it has none)."""
    shown = [f"{format_amount(amounts[code], code)} {code}" for code in sorted(amounts)]
    if len(shown) < 2:
        return shown[0] if shown else "no amount"
    return f"{', '.join(shown[:-1])} or {shown[-1]}"


def window_problem(
    starts_at: dt.datetime | None, ends_at: dt.datetime | None, at: dt.datetime, what: str
) -> str | None:
    if starts_at is not None and at < starts_at:
        return f"{what} starts on {_day(starts_at)}"
    if ends_at is not None and at >= ends_at:
        return f"{what} ended on {_last_day(ends_at)}"
    return None


def limit_problem(limit: int | None, used: int, what: str) -> str | None:
    if limit is not None and used >= limit:
        return f"{what} reached its usage limit ({limit})"
    return None


def targets_match(offer: OfferTerms, item: PricedItem) -> bool:
    catalog = (offer.products, offer.variants, offer.plans, offer.collections)
    if any(catalog) and not (
        item.product_id in offer.products
        or item.variant_id in offer.variants
        or item.plan_id in offer.plans
        or bool(item.collection_ids & offer.collections)
    ):
        return False
    return not offer.markets or item.market_id in offer.markets


def offer_problem(
    offer: OfferTerms,
    item: PricedItem,
    at: dt.datetime,
    *,
    limits: bool = True,
    promotions: bool = True,
) -> str | None:
    """Why an offer does not apply to this item at this moment, or None when it does: its
    promotions first (none running), then the offer's own state, window, limit, targets and
    currency. `limits=False` leaves the usage limit out (a recorded sale counts its redemption
    itself), `promotions=False` the promotions (see `redemption_problem`)."""
    what = f"offer {offer.slug!r}"
    problem = promotion_problem(offer.slug, offer.promotions, at) if promotions else None
    if problem:
        return problem
    if not offer.is_active:
        return f"{what} is inactive"
    problem = window_problem(offer.starts_at, offer.ends_at, at, what)
    if problem is None and limits:
        problem = limit_problem(offer.usage_limit, offer.redemptions, what)
    if problem:
        return problem
    if not targets_match(offer, item):
        return f"{what} does not apply to this plan in this market"
    if discount_of(offer, item.amount_minor, item.currency) is None:
        return (
            f"{what} takes {amounts_text(offer.amounts)} off, which does not apply to a price"
            f" in {item.currency}"
        )
    return None


def coupon_problem(coupon: CouponTerms, at: dt.datetime, *, limits: bool = True) -> str | None:
    """Why a coupon cannot be redeemed at this moment, or None (`limits` as `offer_problem`)."""
    what = f"coupon {coupon.code}"
    if not coupon.is_active:
        return f"{what} is inactive"
    problem = window_problem(coupon.starts_at, coupon.ends_at, at, what)
    if problem is None and limits:
        problem = limit_problem(coupon.usage_limit, coupon.redemptions, what)
    return problem


def redemption_problem(
    coupon: CouponTerms, offer: OfferTerms, item: PricedItem, at: dt.datetime
) -> str | None:
    """Why a coupon recorded on a sale could not have applied to it, by the rules `plans price`
    quotes with: the coupon inactive or outside its window, or its offer inactive, outside its
    window, not for this plan in this market, or in another currency. None when it applies.
    Usage limits are left out: a sales import counts redemptions over the whole ledger
    (`services.sales_coupons`), since a recorded sale is a redemption that happened. Promotion
    windows (issue 20) are left out too: they decide what `plans price` quotes, while a
    recorded sale is history that a sales import keeps as it was written."""
    return coupon_problem(coupon, at, limits=False) or offer_problem(
        offer, item, at, limits=False, promotions=False
    )


def best_offer(offers: Iterable[OfferTerms], item: PricedItem, at: dt.datetime) -> Quote:
    """The quote with the single best applicable offer (lowest final price; ties go to the
    offer whose slug sorts first, so the answer never depends on load order)."""
    applicable: list[tuple[OfferTerms, int]] = []
    seen: set[str] = set()
    for offer in offers:
        if offer.slug in seen or offer_problem(offer, item, at) is not None:
            continue
        seen.add(offer.slug)
        discount = discount_of(offer, item.amount_minor, item.currency)
        assert discount is not None  # offer_problem checked the currency
        applicable.append((offer, discount))
    applicable.sort(key=lambda pair: (-pair[1], pair[0].slug))
    if not applicable:
        return Quote(item.amount_minor, 0, item.amount_minor, None)
    offer, discount = applicable[0]
    return Quote(
        item.amount_minor, discount, item.amount_minor - discount, offer, tuple(applicable)
    )
