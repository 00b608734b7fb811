"""Offers, coupons and promotions as stored, and `plans price` quotes over them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from tests.factories import default_variant, make_plan, make_product
from tests.services.catalog_world import World, add_order, build
from volmify_cli.errors import ConflictError, NotFoundError, RuleError, UsageError
from volmify_cli.models.offers import OrgCoupon, OrgDiscount
from volmify_cli.services import coupons, offers, promotions
from volmify_cli.services.collections import create_collection
from volmify_cli.services.coupons import CouponInput
from volmify_cli.services.quotes import quote_price

MARCH_1, MARCH_31 = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


@pytest.fixture
def world(session: Session) -> World:
    w = build(session)
    for slug, amount in (("p", 4900), ("q", 1999)):
        product = make_product(session, w.acme, slug)
        make_plan(
            session,
            default_variant(session, product),
            "basic",
            prices=[(w.us, amount), (w.eu, 4500), (w.jp, 5000)],
        )
    return w


def test_window_dates_are_stored_as_a_half_open_utc_interval_and_shown_back(
    session: Session, world: World
) -> None:
    record = offers.create_offer(
        session,
        org="acme",
        slug="spring",
        type="percentage",
        percent="25%",
        starts=MARCH_1,
        ends=MARCH_31,
        products=["p"],
        name="Spring sale",
    )
    row = session.exec(select(OrgDiscount).where(OrgDiscount.slug == "spring")).one()
    assert row.starts_at == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert row.ends_at == dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    assert (record["starts"], record["ends"]) == (MARCH_1, MARCH_31)
    assert (record["percent_bp"], record["percent"], record["name"]) == (2500, "25%", "Spring sale")
    assert record["targets"]["products"] == ["p"] and record["automatic"] is True


def test_a_one_day_offer_is_valid_and_an_offer_ending_before_it_starts_is_not(
    session: Session, world: World
) -> None:
    offers.create_offer(
        session,
        org="acme",
        slug="one-day",
        type="percentage",
        percent="5",
        starts=MARCH_1,
        ends=MARCH_1,
    )
    with pytest.raises(RuleError, match="ends on 2026-02-28, before it starts on 2026-03-01"):
        offers.create_offer(
            session,
            org="acme",
            slug="x",
            type="percentage",
            percent="5",
            starts=MARCH_1,
            ends=dt.date(2026, 2, 28),
        )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"type": "percentage"}, UsageError, "needs --percent"),
        ({"type": "percentage", "percent": "10", "amount": "1"}, UsageError, "takes --percent"),
        ({"type": "percentage", "percent": "0"}, RuleError, "must be more than 0%"),
        ({"type": "percentage", "percent": "101"}, RuleError, "percent '101' is over 100%"),
        ({"type": "percentage", "percent": "33.333%"}, RuleError, "more than two decimals"),
        ({"type": "fixed-amount"}, UsageError, "needs --amount AMOUNT:CURRENCY"),
        ({"type": "fixed-amount", "amount": "5"}, UsageError, "--amount 5 names no currency"),
        (
            {"type": "fixed-amount", "amount": "5.5", "currency": "JPY"},
            RuleError,
            "offer amount in JPY: '5.5' has too many decimals for JPY",
        ),
        (
            {"type": "fixed-amount", "amount": ["5.00:USD", "4.50:EUR", "5.00:usd"]},
            UsageError,
            "two amounts in USD",
        ),
        ({"type": "fixed-amount", "amount": ["5:XYZ"]}, RuleError, "unknown currency 'XYZ'"),
        (
            {"type": "fixed-amount", "amount": ["5:USD"], "currency": "EUR"},
            UsageError,
            "--currency goes with an --amount written without a currency",
        ),
        (
            {"type": "fixed-amount", "amount": "0", "currency": "USD"},
            RuleError,
            "offer amount in USD: '0' must be more than 0",
        ),
        (
            {"type": "percentage", "percent": "5", "duration": "repeating"},
            UsageError,
            "--periods N",
        ),
        ({"type": "percentage", "percent": "5", "periods": 2}, UsageError, "repeating only"),
        (
            {"type": "percentage", "percent": "5", "usage_limit": 0},
            RuleError,
            "usage limit must be at least 1, not 0",
        ),
        (
            {"type": "percentage", "percent": "5", "products": ["globex-course"]},
            NotFoundError,
            "product 'globex-course' not found in org acme",
        ),
        (
            {"type": "percentage", "percent": "5", "markets": ["gx"]},
            NotFoundError,
            "market 'gx' not found in org acme",
        ),
        (
            {"type": "percentage", "percent": "5", "plans": ["p/nope"]},
            NotFoundError,
            "plan 'p/nope' not found in org acme",
        ),
    ],
)
def test_bad_offers(
    session: Session, world: World, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        offers.create_offer(session, org="acme", slug="bad", **kwargs)  # type: ignore[arg-type]
    assert session.exec(select(OrgDiscount).where(OrgDiscount.slug == "bad")).first() is None


def test_coupon_codes_are_unique_per_org_ignoring_case(session: Session, world: World) -> None:
    offers.create_offer(
        session,
        org="acme",
        slug="a",
        type="percentage",
        percent="5",
        coupons=[CouponInput("Save10")],
    )
    with pytest.raises(ConflictError, match="coupon code 'Save10' is already used in org acme"):
        offers.create_offer(
            session,
            org="acme",
            slug="b",
            type="percentage",
            percent="5",
            coupons=[CouponInput("SAVE10")],
        )
    with pytest.raises(UsageError, match="given twice"):
        coupons.add_coupons(session, org="acme", offer="a", codes=["x1", "X1"])
    # another org may use the same code
    offers.create_offer(
        session,
        org="globex",
        slug="a",
        type="percentage",
        percent="5",
        coupons=[CouponInput("save10")],
    )
    listed = coupons.list_coupons(session, org="acme")
    assert [(c["code"], c["offer"]) for c in listed] == [("Save10", "a")]
    row = session.exec(select(OrgCoupon).where(OrgCoupon.code == "Save10")).one()
    assert row.code_normalized == "SAVE10"


def test_delete_offer_is_refused_when_its_coupon_was_redeemed(
    session: Session, world: World
) -> None:
    offers.create_offer(
        session,
        org="acme",
        slug="a",
        type="percentage",
        percent="5",
        coupons=[CouponInput("SAVE")],
    )
    add_order(session, world.acme, "p/basic", world.us, coupon="save")
    assert offers.show_offer(session, org="acme", slug="a")["redemptions"] == 1
    with pytest.raises(ConflictError, match=r"redeemed by 1 order\(s\)"):
        offers.delete_offer(session, org="acme", slug="a")
    with pytest.raises(ConflictError, match=r"redeemed by 1 order\(s\)"):
        coupons.remove_coupon(session, org="acme", code="SAVE")


def test_promotions_group_offers(session: Session, world: World) -> None:
    offers.create_offer(session, org="acme", slug="a", type="percentage", percent="5")
    record = promotions.create_promotion(
        session,
        org="acme",
        slug="spring",
        name="Spring",
        offers=["a"],
        starts=MARCH_1,
        ends=MARCH_31,
    )
    assert (record["offers"], record["starts"], record["ends"]) == (["a"], MARCH_1, MARCH_31)
    assert offers.show_offer(session, org="acme", slug="a")["promotions"] == ["spring"]
    with pytest.raises(NotFoundError, match="offer 'zzz' not found in org acme"):
        promotions.create_promotion(session, org="acme", slug="x", name="X", offers=["zzz"])
    promotions.delete_promotion(session, org="acme", slug="spring")
    assert offers.show_offer(session, org="acme", slug="a")["promotions"] == []


# -- quotes ---------------------------------------------------------------------------------------


def quote(
    session: Session, plan: str = "p/basic", market: str = "us", **kw: object
) -> dict[str, object]:
    return dict(quote_price(session, org="acme", plan=plan, market=market, at=MARCH_31, **kw))  # type: ignore[arg-type]


def test_no_offer_means_the_list_price(session: Session, world: World) -> None:
    q = quote(session)
    assert (q["list_price_minor"], q["discount_minor"], q["final_price_minor"]) == (4900, 0, 4900)
    assert q["offer"] is None and q["final_price"] == "49.00"


def test_automatic_offer_in_its_window_applies_rounded_half_up(
    session: Session, world: World
) -> None:
    offers.create_offer(
        session,
        org="acme",
        slug="spring",
        type="percentage",
        percent="25",
        starts=MARCH_1,
        ends=MARCH_31,
    )
    q = quote(session, plan="q/basic")  # 19.99 * 25% = 4.9975 -> 5.00
    assert (q["discount_minor"], q["final_price_minor"], q["offer"]) == (500, 1499, "spring")
    after = quote_price(session, org="acme", plan="q/basic", market="us", at=dt.date(2026, 4, 1))
    assert after["offer"] is None and after["final_price_minor"] == 1999


def test_best_single_offer_not_a_sum(session: Session, world: World) -> None:
    offers.create_offer(session, org="acme", slug="ten", type="percentage", percent="10")
    offers.create_offer(
        session, org="acme", slug="flat", type="fixed-amount", amount="7", currency="USD"
    )
    q = quote(session)
    assert (q["offer"], q["discount_minor"], q["final_price_minor"]) == ("flat", 700, 4200)
    assert [a["offer"] for a in q["applicable"]] == ["flat", "ten"]  # type: ignore[attr-defined]


def test_a_coupon_adds_its_offer(session: Session, world: World) -> None:
    offers.create_offer(session, org="acme", slug="auto", type="percentage", percent="10")
    offers.create_offer(
        session,
        org="acme",
        slug="vip",
        type="percentage",
        percent="30",
        coupons=[CouponInput("VIP30")],
    )
    assert quote(session)["offer"] == "auto"  # the coupon's offer is not automatic
    q = quote(session, coupon="vip30")
    assert (q["offer"], q["discount_minor"], q["coupon"]) == ("vip", 1470, "VIP30")
    with pytest.raises(NotFoundError, match="coupon 'NOPE' not found in org acme"):
        quote(session, coupon="NOPE")


def test_fixed_amount_in_another_currency_does_not_apply(session: Session, world: World) -> None:
    offers.create_offer(
        session,
        org="acme",
        slug="usd-off",
        type="fixed-amount",
        amount="10",
        currency="USD",
        coupons=[CouponInput("TEN")],
    )
    q = quote(session, market="eu", coupon="TEN")
    assert q["offer"] is None and q["final_price_minor"] == 4500
    assert "does not apply to a price in EUR" in str(q["coupon_note"])


def test_targets_and_markets_must_match(session: Session, world: World) -> None:
    create_collection(session, org="acme", slug="shelf", name="Shelf", products=["q"])
    offers.create_offer(
        session,
        org="acme",
        slug="shelf-eu",
        type="percentage",
        percent="50",
        collections=["shelf"],
        markets=["eu"],
    )
    assert quote(session, plan="q/basic", market="eu")["offer"] == "shelf-eu"
    assert quote(session, plan="q/basic", market="us")["offer"] is None
    assert quote(session, plan="p/basic", market="eu")["offer"] is None


def test_inactive_and_exhausted_offers_do_not_apply(session: Session, world: World) -> None:
    offers.create_offer(
        session,
        org="acme",
        slug="once",
        type="percentage",
        percent="20",
        usage_limit=1,
        coupons=[CouponInput("ONCE")],
    )
    assert quote(session, coupon="ONCE")["offer"] == "once"
    add_order(session, world.acme, "p/basic", world.us, coupon="ONCE")
    q = quote(session, coupon="ONCE")
    assert q["offer"] is None and q["coupon_note"] == "offer 'once' reached its usage limit (1)"
    offers.create_offer(session, org="acme", slug="off", type="percentage", percent="20")
    offers.update_offer(session, org="acme", slug="off", active=False)
    assert quote(session)["offer"] is None


def test_a_coupon_window_and_limit_of_its_own(session: Session, world: World) -> None:
    offers.create_offer(session, org="acme", slug="o", type="percentage", percent="20")
    offers.update_offer(session, org="acme", slug="o", active=True)
    coupons.add_coupons(session, org="acme", offer="o", codes=["LATE"], starts=dt.date(2026, 4, 1))
    q = quote(session, coupon="LATE")  # the offer became a coupon offer: no longer automatic
    assert q["offer"] is None and q["coupon_note"] == "coupon LATE starts on 2026-04-01"


def test_no_price_in_the_market_is_not_found(session: Session, world: World) -> None:
    with pytest.raises(NotFoundError, match="plan 'p/standard/basic' has no price in market 'kw'"):
        quote(session, market="kw")
