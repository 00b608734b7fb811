"""The pure offer rules of `plans price` (SPEC 5), checked by example and by property against an
independent brute force."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.enums import DiscountType
from volmify_cli.services.pricing import (
    CouponTerms,
    OfferTerms,
    PricedItem,
    best_offer,
    coupon_problem,
    discount_of,
    offer_problem,
)

P1, P2, V1, PL1, C1, C2 = (uuid.UUID(int=n) for n in range(1, 7))
US, EU = uuid.UUID(int=100), uuid.UUID(int=101)
AT = dt.datetime(2026, 3, 15, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return AT + dt.timedelta(days=n)


def item(amount: int = 4900, currency: str = "USD", market: uuid.UUID = US) -> PricedItem:
    return PricedItem(
        product_id=P1,
        variant_id=V1,
        plan_id=PL1,
        market_id=market,
        currency=currency,
        amount_minor=amount,
        collection_ids=frozenset({C1}),
    )


def pct(slug: str, bp: int, **kw: object) -> OfferTerms:
    return OfferTerms(slug=slug, type=DiscountType.PERCENTAGE, percent_bp=bp, **kw)  # type: ignore[arg-type]


def fixed(slug: str, amount: int, currency: str = "USD", **kw: object) -> OfferTerms:
    return OfferTerms(
        slug=slug,
        type=DiscountType.FIXED_AMOUNT,
        amounts={currency: amount},
        **kw,  # type: ignore[arg-type]
    )


def test_percentage_is_rounded_half_up() -> None:
    assert discount_of(pct("a", 2500), 1999, "USD") == 500  # 499.75
    assert discount_of(pct("a", 1250), 4, "JPY") == 1  # 0.5 -> 1
    assert discount_of(pct("a", 3333), 100, "USD") == 33


def test_fixed_amount_in_another_currency_does_not_apply() -> None:
    assert discount_of(fixed("a", 1000, "EUR"), 4900, "USD") is None
    problem = offer_problem(fixed("a", 1000, "EUR"), item(), AT)
    assert problem == "offer 'a' takes 10.00 EUR off, which does not apply to a price in USD"


def test_a_fixed_amount_applies_in_each_currency_it_has_an_amount_in() -> None:
    """Issue 20: one amount per currency; a price in another currency gets none, and the
    reason names every currency the offer has, by code."""
    offer = OfferTerms("multi", DiscountType.FIXED_AMOUNT, amounts={"USD": 500, "JPY": 500,
                       "EUR": 450})  # fmt: skip
    assert [discount_of(offer, 4900, c) for c in ("USD", "EUR", "JPY", "KWD")] == [
        500, 450, 500, None,
    ]  # fmt: skip
    assert offer_problem(offer, item(15_250, "KWD"), AT) == (
        "offer 'multi' takes 4.50 EUR, 500 JPY or 5.00 USD off, which does not apply to a"
        " price in KWD"
    )


def test_fixed_amount_never_exceeds_the_price() -> None:
    quote = best_offer([fixed("big", 10_000)], item(4900), AT)
    assert (quote.discount_minor, quote.final_minor) == (4900, 0)


def test_the_single_best_offer_wins_never_a_sum() -> None:
    offers = [pct("ten", 1000), fixed("five-off", 500), pct("twenty", 2000)]
    quote = best_offer(offers, item(4900), AT)
    assert quote.offer is not None and quote.offer.slug == "twenty"
    assert (quote.discount_minor, quote.final_minor) == (980, 3920)
    assert [o.slug for o, _d in quote.applicable] == ["twenty", "five-off", "ten"]


def test_ties_go_to_the_first_slug() -> None:
    quote = best_offer([fixed("b", 500), fixed("a", 500)], item(), AT)
    assert quote.offer is not None and quote.offer.slug == "a"


def test_window_is_inclusive_dates_as_a_half_open_interval() -> None:
    # starts 2026-03-15, ends 2026-03-15 (inclusive): stored as [03-15 00:00, 03-16 00:00)
    one_day = pct("d", 1000, starts_at=AT, ends_at=day(1))
    assert offer_problem(one_day, item(), AT) is None
    assert offer_problem(one_day, item(), day(1)) == "offer 'd' ended on 2026-03-15"
    assert offer_problem(one_day, item(), day(-1)) == "offer 'd' starts on 2026-03-15"


def test_inactive_and_exhausted_offers_do_not_apply() -> None:
    assert offer_problem(pct("x", 10, is_active=False), item(), AT) == "offer 'x' is inactive"
    used_up = pct("x", 10, usage_limit=3, redemptions=3)
    assert offer_problem(used_up, item(), AT) == "offer 'x' reached its usage limit (3)"
    assert offer_problem(pct("x", 10, usage_limit=3, redemptions=2), item(), AT) is None


def test_targets() -> None:
    assert offer_problem(pct("x", 10, products=frozenset({P2})), item(), AT) is not None
    assert (
        offer_problem(pct("x", 10, products=frozenset({P2}), plans=frozenset({PL1})), item(), AT)
        is None
    )
    assert offer_problem(pct("x", 10, collections=frozenset({C1})), item(), AT) is None
    assert offer_problem(pct("x", 10, collections=frozenset({C2})), item(), AT) is not None
    assert offer_problem(pct("x", 10, variants=frozenset({V1})), item(), AT) is None
    eu_only = pct("x", 10, markets=frozenset({EU}))
    assert offer_problem(eu_only, item(), AT) is not None
    assert offer_problem(eu_only, item(market=EU), AT) is None
    # catalog AND market targets: both must match
    both = pct("x", 10, products=frozenset({P1}), markets=frozenset({EU}))
    assert offer_problem(both, item(), AT) is not None


def test_coupon_problems() -> None:
    assert coupon_problem(CouponTerms("SAVE"), AT) is None
    assert coupon_problem(CouponTerms("SAVE", is_active=False), AT) == "coupon SAVE is inactive"
    assert coupon_problem(CouponTerms("SAVE", ends_at=AT), AT) == "coupon SAVE ended on 2026-03-14"
    limited = CouponTerms("SAVE", usage_limit=1, redemptions=1)
    assert coupon_problem(limited, AT) == "coupon SAVE reached its usage limit (1)"


# -- properties ---------------------------------------------------------------------------------

ids = st.sampled_from([P1, P2, V1, PL1, C1, C2])
markets = st.sampled_from([US, EU])
moments = st.none() | st.integers(min_value=-3, max_value=3).map(day)


@st.composite
def offers(draw: st.DrawFn, slug: str) -> OfferTerms:
    kind = draw(st.sampled_from(list(DiscountType)))
    common = {
        "slug": slug,
        "starts_at": draw(moments),
        "ends_at": draw(moments),
        "is_active": draw(st.booleans()),
        "usage_limit": draw(st.none() | st.integers(min_value=1, max_value=3)),
        "redemptions": draw(st.integers(min_value=0, max_value=4)),
        "products": draw(st.frozensets(ids, max_size=2)),
        "variants": draw(st.frozensets(ids, max_size=1)),
        "plans": draw(st.frozensets(ids, max_size=1)),
        "collections": draw(st.frozensets(ids, max_size=2)),
        "markets": draw(st.frozensets(markets, max_size=2)),
    }
    if kind is DiscountType.PERCENTAGE:
        return OfferTerms(
            type=kind,
            percent_bp=draw(st.integers(min_value=1, max_value=10_000)),
            **common,  # type: ignore[arg-type]
        )
    return OfferTerms(
        type=kind,
        amounts=draw(
            st.dictionaries(
                st.sampled_from(["USD", "EUR", "JPY"]),
                st.integers(min_value=0, max_value=2_000_000),
                min_size=1,
            )
        ),
        **common,  # type: ignore[arg-type]
    )


@st.composite
def offer_lists(draw: st.DrawFn) -> list[OfferTerms]:
    count = draw(st.integers(min_value=0, max_value=6))
    return [draw(offers(f"offer-{n}")) for n in range(count)]


def brute_force_discount(offer: OfferTerms, it: PricedItem, at: dt.datetime) -> int | None:
    """The discount an offer gives, written out from SPEC 5 without the code under test."""
    if not offer.is_active:
        return None
    if offer.starts_at is not None and not offer.starts_at <= at:
        return None
    if offer.ends_at is not None and not at < offer.ends_at:
        return None
    if offer.usage_limit is not None and offer.redemptions >= offer.usage_limit:
        return None
    catalog = offer.products | offer.variants | offer.plans | offer.collections
    if catalog and not (
        it.product_id in offer.products
        or it.variant_id in offer.variants
        or it.plan_id in offer.plans
        or it.collection_ids & offer.collections
    ):
        return None
    if offer.markets and it.market_id not in offer.markets:
        return None
    if offer.type is DiscountType.PERCENTAGE:
        exact = Decimal(it.amount_minor) * Decimal(offer.percent_bp or 0) / Decimal(10_000)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if it.currency not in offer.amounts:
        return None
    return min(offer.amounts[it.currency], it.amount_minor)


@given(
    offer_lists(),
    st.integers(min_value=0, max_value=10**9),
    st.sampled_from(["USD", "EUR"]),
    markets,
    st.integers(min_value=-3, max_value=3).map(day),
)
def test_best_offer_is_the_minimum_final_price_of_a_brute_force(
    candidates: list[OfferTerms], amount: int, currency: str, market: uuid.UUID, at: dt.datetime
) -> None:
    it = item(amount, currency, market)
    quote = best_offer(candidates, it, at)
    finals = {
        o.slug: amount - d for o in candidates if (d := brute_force_discount(o, it, at)) is not None
    }
    expected = min(finals.values(), default=amount)
    assert quote.final_minor == expected
    assert quote.list_price_minor - quote.discount_minor == quote.final_minor
    if quote.offer is None:
        assert not finals and quote.discount_minor == 0
    else:
        assert finals[quote.offer.slug] == expected
    assert {o.slug for o, _d in quote.applicable} == set(finals)


@given(st.builds(lambda o: o, offers("x")), st.integers(min_value=0, max_value=10**12))
def test_a_discount_is_never_negative_nor_above_the_price(offer: OfferTerms, amount: int) -> None:
    for currency in ("USD", "EUR"):
        discount = discount_of(offer, amount, currency)
        if discount is not None:
            assert 0 <= discount <= amount
        quote = best_offer([offer], item(amount, currency), AT)
        assert 0 <= quote.discount_minor <= amount
        assert 0 <= quote.final_minor <= amount


def test_a_redemption_problem_is_the_quote_rules_without_the_usage_limits() -> None:
    """Issue 14: `sales import` judges a recorded coupon by the rules `plans price` uses, but
    leaves usage limits to its own count over the ledger (a recorded sale is a redemption)."""
    from volmify_cli.services.pricing import redemption_problem

    coupon = CouponTerms(code="SAVE", usage_limit=1, redemptions=5)
    offer = pct("sale", 1000, products=frozenset({P2}), usage_limit=1, redemptions=9)
    assert redemption_problem(coupon, offer, item(), AT) == (
        "offer 'sale' does not apply to this plan in this market"
    )
    everywhere = pct("all", 1000, usage_limit=1, redemptions=9)
    assert redemption_problem(coupon, everywhere, item(), AT) is None  # limits are not looked at
    assert offer_problem(everywhere, item(), AT) == "offer 'all' reached its usage limit (1)"
    assert coupon_problem(coupon, AT) == "coupon SAVE reached its usage limit (1)"
    ended = CouponTerms(code="SAVE", ends_at=day(-1))
    assert redemption_problem(ended, everywhere, item(), AT) == (
        f"coupon SAVE ended on {day(-2).date().isoformat()}"
    )
    assert redemption_problem(coupon, pct("off", 1000, is_active=False), item(), AT) == (
        "offer 'off' is inactive"
    )
    assert redemption_problem(coupon, fixed("eur", 500, "EUR"), item(), AT) == (
        "offer 'eur' takes 5.00 EUR off, which does not apply to a price in USD"
    )
