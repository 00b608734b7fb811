"""Plans and their market prices: type extensions, tiers, exact amounts in the currency's ISO
digits, compare-at >= price, one price per (plan, market), updates and guarded deletes."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.factories import make_product, make_variant
from tests.services.catalog_world import World, add_order, add_subscription, build
from volmify_cli.errors import ConflictError, NotFoundError, RuleError, UsageError
from volmify_cli.models.plans import (
    OrgProductVariantPaymentPlan,
    OrgProductVariantPaymentPlanMarketPrice,
    OrgProductVariantPaymentPlanUsageTier,
)
from volmify_cli.money import MoneyError
from volmify_cli.services import plans
from volmify_cli.services.price_options import parse_price_options
from volmify_cli.services.prices import PriceInput, UsageTierInput


@pytest.fixture
def world(session: Session) -> World:
    w = build(session)
    product = make_product(session, w.acme, "p")
    make_variant(session, product, "pro")
    return w


def price_rows(session: Session) -> list[OrgProductVariantPaymentPlanMarketPrice]:
    return list(session.exec(select(OrgProductVariantPaymentPlanMarketPrice)))


def prices(*values: str) -> list[PriceInput]:
    return parse_price_options(prices=values)


def test_create_on_the_default_variant_with_prices_in_market_currencies(
    session: Session, world: World
) -> None:
    record = plans.create_plan(
        session,
        org="acme",
        variant="p",
        slug="basic",
        type="one-time",
        tier=1,
        prices=parse_price_options(
            prices=["us=49", "eu=45.5", "jp=5000", "kw=15.25"],
            compare_at=["eu=59"],
        ),
        options={"duration_days": 365},
    )
    assert record["plan"] == "p/standard/basic"
    assert record["type"] == "one_time" and record["tier"] == 1
    assert record["details"] == {"duration_days": 365, "max_purchases": None}
    got = {p["market"]: (p["currency"], p["amount_minor"], p["amount"]) for p in record["prices"]}
    assert got == {
        "eu": ("EUR", 4550, "45.50"),
        "jp": ("JPY", 5000, "5000"),
        "kw": ("KWD", 15250, "15.250"),
        "us": ("USD", 4900, "49.00"),
    }
    eu = next(p for p in record["prices"] if p["market"] == "eu")
    assert (eu["compare_at_minor"], eu["compare_at"]) == (5900, "59.00")


def test_a_price_in_another_currency_uses_that_currencys_digits(
    session: Session, world: World
) -> None:
    record = plans.create_plan(
        session,
        org="acme",
        variant="p/pro",
        slug="x",
        type="one_time",
        tier=2,
        prices=prices("eu=1500:JPY"),
    )
    assert record["prices"][0] == {
        "market": "eu",
        "currency": "JPY",
        "amount_minor": 1500,
        "amount": "1500",
        "compare_at_minor": None,
        "compare_at": None,
        "setup_fee_minor": None,
        "setup_fee": None,
    }
    with pytest.raises(MoneyError, match=r"price in market 'us': amount '10.5' has too many"):
        plans.create_plan(
            session,
            org="acme",
            variant="p",
            slug="y",
            type="one_time",
            tier=1,
            prices=prices("us=10.5:JPY"),
        )


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("jp=10.5", MoneyError, "amount '10.5' has too many decimals for JPY"),
        ("eu=10.123", MoneyError, "amount '10.123' has too many decimals for EUR"),
        ("us=-5", MoneyError, "amount '-5' must not be negative"),
        ("us=abc", MoneyError, "amount 'abc' is not a decimal number"),
        ("us=5:XYZ", RuleError, "currency 'XYZ'"),
        ("gx=5", NotFoundError, "market 'gx' not found in org acme"),
        ("nowhere=5", NotFoundError, "market 'nowhere' not found in org acme"),
    ],
)
def test_bad_prices_name_the_value_and_write_nothing(
    session: Session, world: World, text: str, error: type[Exception], message: str
) -> None:
    with (
        pytest.raises(error, match=message),
        session.begin_nested(),  # the command's transaction: rolled back on error
    ):
        plans.create_plan(
            session,
            org="acme",
            variant="p",
            slug="bad",
            type="one_time",
            tier=1,
            prices=prices("us=1", text) if not text.startswith("us=") else prices(text),
        )
    assert (
        session.exec(
            select(OrgProductVariantPaymentPlan).where(OrgProductVariantPaymentPlan.slug == "bad")
        ).first()
        is None
    )
    assert price_rows(session) == []


def test_compare_at_below_the_price_is_refused(session: Session, world: World) -> None:
    with pytest.raises(RuleError, match=r"compare-at price 9\.99 USD is below the price 10\.00"):
        plans.create_plan(
            session,
            org="acme",
            variant="p",
            slug="b",
            type="one_time",
            tier=1,
            prices=parse_price_options(prices=["us=10"], compare_at=["us=9.99"]),
        )
    record = plans.create_plan(
        session,
        org="acme",
        variant="p",
        slug="c",
        type="one_time",
        tier=1,
        prices=parse_price_options(prices=["us=10"], compare_at=["us=10"]),
    )
    assert record["prices"][0]["compare_at_minor"] == 1000


def test_tier_must_be_at_least_one(session: Session, world: World) -> None:
    with pytest.raises(RuleError, match="access tier must be at least 1, not 0"):
        plans.create_plan(session, org="acme", variant="p", slug="b", type="one_time", tier=0)


def test_slug_is_unique_per_variant(session: Session, world: World) -> None:
    plans.create_plan(session, org="acme", variant="p", slug="b", type="one_time", tier=1)
    plans.create_plan(session, org="acme", variant="p/pro", slug="b", type="one_time", tier=2)
    with pytest.raises(ConflictError, match="plan 'p/standard/b' already exists in org acme"):
        plans.create_plan(session, org="acme", variant="p", slug="b", type="subscription", tier=1)


def test_subscription_details_and_setup_fee(session: Session, world: World) -> None:
    record = plans.create_plan(
        session,
        org="acme",
        variant="p",
        slug="monthly",
        type="subscription",
        tier=2,
        prices=parse_price_options(prices=["us=19.99"], setup_fees=["us=5"]),
        options={"interval": "year", "interval_count": 1, "trial_days": 14},
    )
    assert record["details"] == {"interval": "year", "interval_count": 1, "trial_days": 14}
    assert (record["prices"][0]["setup_fee_minor"], record["prices"][0]["setup_fee"]) == (
        500,
        "5.00",
    )
    with pytest.raises(RuleError, match="setup fee applies to subscription plans only"):
        plans.create_plan(
            session,
            org="acme",
            variant="p",
            slug="once",
            type="one_time",
            tier=1,
            prices=parse_price_options(prices=["us=1"], setup_fees=["us=5"]),
        )


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("one_time", {"trial_days": 7}, "--trial-days applies to subscription plans only"),
        ("subscription", {"unit": "seat"}, "--unit applies to usage-based plans only"),
        ("subscription", {"duration_days": 30}, "--duration-days applies to one-time plans"),
        ("one_time", {"interval": "month"}, "--interval applies to subscription and usage-based"),
    ],
)
def test_options_of_another_plan_type_are_usage_errors(
    session: Session, world: World, kind: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        plans.create_plan(
            session,
            org="acme",
            variant="p",
            slug="x",
            type=kind,
            tier=1,
            options=options,  # type: ignore[arg-type]
        )


def test_usage_based_plan_with_tiers(session: Session, world: World) -> None:
    record = plans.create_plan(
        session,
        org="acme",
        variant="p",
        slug="api",
        type="usage-based",
        tier=1,
        prices=parse_price_options(prices=["us=0"], usage_tiers=["us=inf:0.05", "us=1000:0.10"]),
        options={"pricing_model": "tiered", "included_units": 100},
    )
    assert record["details"]["unit"] == "unit" and record["details"]["pricing_model"] == "tiered"
    assert [(t["up_to"], t["unit_amount"]) for t in record["usage_tiers"]] == [
        (1000, "0.10"),
        (None, "0.05"),
    ]
    with pytest.raises(
        RuleError, match=r"a per_unit plan has no usage tiers \(use tiered or volume"
    ):
        plans.create_plan(
            session,
            org="acme",
            variant="p",
            slug="flat",
            type="usage-based",
            tier=1,
            prices=parse_price_options(prices=["us=0"], usage_tiers=["us=10:1"]),
        )


def test_usage_tiers_rise_to_one_open_ended_tier() -> None:
    from volmify_cli.services.prices import _check_tiers

    with pytest.raises(
        RuleError, match="only the last usage tier may be open-ended in market 'us'"
    ):
        _check_tiers([UsageTierInput(None, "1"), UsageTierInput(None, "2")], "USD", "us")
    with pytest.raises(RuleError, match="up_to 5 must be above the previous tier's 5"):
        _check_tiers(
            [UsageTierInput(5, "1"), UsageTierInput(5, "2"), UsageTierInput(None, "1")], "USD", "us"
        )
    with pytest.raises(RuleError, match="the last usage tier must be open-ended"):
        _check_tiers([UsageTierInput(5, "1"), UsageTierInput(50, "2")], "USD", "us")
    assert _check_tiers([UsageTierInput(5, "1"), UsageTierInput(None, "0.5")], "USD", "us") == [
        (5, 10**12),  # unit prices in 10**-12 major units: 1.00 and 0.50
        (None, 5 * 10**11),
    ]


def test_update_replaces_adds_and_removes_prices(session: Session, world: World) -> None:
    plans.create_plan(
        session,
        org="acme",
        variant="p",
        slug="b",
        type="one_time",
        tier=1,
        prices=parse_price_options(prices=["us=49", "eu=45"], compare_at=["us=59"]),
    )
    record = plans.update_plan(
        session,
        org="acme",
        plan="p/b",
        tier=2,
        prices=parse_price_options(prices=["us=39", "jp=4000"]),
        remove_prices=["eu"],
    )
    got = {p["market"]: (p["amount_minor"], p["compare_at_minor"]) for p in record["prices"]}
    assert got == {"us": (3900, None), "jp": (4000, None)}  # a new amount replaces compare-at too
    assert record["tier"] == 2
    record = plans.update_plan(
        session, org="acme", plan="p/standard/b", prices=parse_price_options(compare_at=["us=45"])
    )
    assert {p["market"]: p["compare_at_minor"] for p in record["prices"]}["us"] == 4500
    with pytest.raises(RuleError, match=r"compare-at price 30\.00 USD is below the price 39\.00"):
        plans.update_plan(
            session, org="acme", plan="p/b", prices=parse_price_options(compare_at=["us=30"])
        )
    with pytest.raises(RuleError, match="has no price in market 'eu' yet"):
        plans.update_plan(
            session, org="acme", plan="p/b", prices=parse_price_options(compare_at=["eu=30"])
        )
    with pytest.raises(NotFoundError, match="has no price in market 'eu'"):
        plans.update_plan(session, org="acme", plan="p/b", remove_prices=["eu"])


def test_one_default_plan_per_variant(session: Session, world: World) -> None:
    plans.create_plan(
        session, org="acme", variant="p", slug="a", type="one_time", tier=1, default=True
    )
    plans.create_plan(
        session, org="acme", variant="p", slug="b", type="one_time", tier=2, default=True
    )
    listed = {
        p["slug"]: p["is_default"] for p in plans.list_plans(session, org="acme", product="p")
    }
    assert listed == {"a": False, "b": True}
    plans.update_plan(session, org="acme", plan="p/a", default=True)
    listed = {
        p["slug"]: p["is_default"] for p in plans.list_plans(session, org="acme", product="p")
    }
    assert listed == {"a": True, "b": False}


def test_list_and_show_carry_tier_and_prices(session: Session, world: World) -> None:
    plans.create_plan(
        session,
        org="acme",
        variant="p/pro",
        slug="vip",
        type="one_time",
        tier=3,
        prices=prices("kw=1.5"),
        name="VIP",
    )
    listed = plans.list_plans(session, org="acme")
    assert [(p["plan"], p["tier"], p["name"]) for p in listed] == [("p/pro/vip", 3, "VIP")]
    assert listed[0]["prices"][0]["amount"] == "1.500"
    shown = plans.show_plan(session, org="acme", plan="p/pro/vip")
    assert shown["prices"] == listed[0]["prices"] and shown["names"] == {"en-US": "VIP"}
    with pytest.raises(NotFoundError, match="plan 'p/vip' not found in org acme"):
        plans.show_plan(session, org="acme", plan="p/vip")  # on the default variant: none


def test_delete_is_refused_while_members_hold_it(session: Session, world: World) -> None:
    plans.create_plan(session, org="acme", variant="p", slug="b", type="subscription", tier=1)
    add_subscription(session, world.acme, "p/b")
    with pytest.raises(ConflictError, match=r"held by 1 member subscription\(s\)"):
        plans.delete_plan(session, org="acme", plan="p/b")


def test_delete_is_refused_when_it_was_bought(session: Session, world: World) -> None:
    plans.create_plan(session, org="acme", variant="p", slug="b", type="one_time", tier=1)
    add_order(session, world.acme, "p/b", world.us)
    with pytest.raises(ConflictError, match=r"bought in 1 order\(s\)"):
        plans.delete_plan(session, org="acme", plan="p/b")


def test_delete_removes_prices_and_tiers(session: Session, world: World) -> None:
    plans.create_plan(
        session,
        org="acme",
        variant="p",
        slug="api",
        type="usage_based",
        tier=1,
        prices=parse_price_options(prices=["us=0"], usage_tiers=["us=10:1", "us=inf:0.5"]),
        options={"pricing_model": "volume"},
    )
    plans.delete_plan(session, org="acme", plan="p/api")
    session.expire_all()
    assert price_rows(session) == []
    assert session.exec(select(OrgProductVariantPaymentPlanUsageTier)).all() == []
