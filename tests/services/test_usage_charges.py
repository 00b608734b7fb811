"""`services.usage_charges` (SPEC 5): the charge of a usage-based plan for a period's usage,
checked against charges computed by hand for every model in USD (2 decimals), JPY (0) and KWD
(3), the rounding half-up once per charge, and by property (a graduated charge never falls as
usage grows; with one tier, tiered and volume charge alike and equal per_unit)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from tests.factories import make_product
from tests.services.catalog_world import World, build
from volmify_cli.enums import PricingModel
from volmify_cli.errors import RuleError
from volmify_cli.money import parse_unit_amount
from volmify_cli.services import plans
from volmify_cli.services.price_options import parse_price_options
from volmify_cli.services.quotes import quote_price
from volmify_cli.services.usage_charges import TierTerms, UsageTerms, usage_charge

PER_UNIT, TIERED, VOLUME = PricingModel.PER_UNIT, PricingModel.TIERED, PricingModel.VOLUME


def price(text: str) -> int:
    return parse_unit_amount(text)


def tiers(*steps: tuple[int | None, str]) -> tuple[TierTerms, ...]:
    return tuple(TierTerms(up_to, price(amount)) for up_to, amount in steps)


# SPEC 5's example: included 60, tiers up to 1000 at 0.05 and above at 0.03
SPEC_TIERS = tiers((1000, "0.05"), (None, "0.03"))


def test_specs_example_tiered_usage_1500_is_62_00() -> None:
    terms = UsageTerms(TIERED, "USD", included_units=60, tiers=SPEC_TIERS)
    charge = usage_charge(terms, 1500)
    # 940 x 0.05 + 500 x 0.03 = 47.00 + 15.00
    assert charge["total_minor"] == 6200 and charge["total"] == "62.00"
    assert [(t["up_to"], t["units"], t["unit_price"], t["amount"]) for t in charge["tiers"]] == [
        (1000, 940, "0.05", "47.00"),
        (None, 500, "0.03", "15.00"),
    ]
    assert charge["billable_units"] == 1440


def test_specs_tiers_as_volume_price_every_billable_unit_at_the_totals_tier() -> None:
    terms = UsageTerms(VOLUME, "USD", included_units=60, tiers=SPEC_TIERS)
    # 1500 falls in the open tier: 1440 x 0.03 = 43.20
    assert usage_charge(terms, 1500)["total_minor"] == 4320
    # 1000 is within the first tier's bound: 940 x 0.05 = 47.00
    assert usage_charge(terms, 1000)["total_minor"] == 4700
    # 1001 is not: 941 x 0.03 = 28.23
    assert usage_charge(terms, 1001)["total_minor"] == 2823


@pytest.mark.parametrize("model", [PER_UNIT, TIERED, VOLUME])
@pytest.mark.parametrize("usage", [0, 1, 59, 60])
def test_usage_within_the_included_units_is_free(model: PricingModel, usage: int) -> None:
    terms = UsageTerms(model, "USD", included_units=60, unit_amount_e12=price("0.05"),
                       tiers=SPEC_TIERS)  # fmt: skip
    charge = usage_charge(terms, usage)
    assert (charge["total_minor"], charge["billable_units"]) == (0, 0)


@pytest.mark.parametrize(
    ("currency", "model", "unit_price", "usage", "expected_minor"),
    [
        # USD: 1234 x 0.005 = 6.17 exactly; 1235 x 0.005 = 6.175 -> 6.18 (half up)
        ("USD", PER_UNIT, "0.005", 1234, 617),
        ("USD", PER_UNIT, "0.005", 1235, 618),
        # 3 x 0.0033 = 0.0099 -> 0.01; 1 x 0.0049 = 0.0049 -> 0.00 (below the half)
        ("USD", PER_UNIT, "0.0033", 3, 1),
        ("USD", PER_UNIT, "0.0049", 1, 0),
        # JPY has no decimals: 7 x 0.5 = 3.5 -> 4; 3 x 0.25 = 0.75 -> 1; 1 x 0.49 -> 0
        ("JPY", PER_UNIT, "0.5", 7, 4),
        ("JPY", PER_UNIT, "0.25", 3, 1),
        ("JPY", PER_UNIT, "0.49", 1, 0),
        ("JPY", PER_UNIT, "2", 150, 300),
        # KWD has three: 3 x 0.0005 = 0.0015 -> 0.002; 1 x 0.0004 -> 0.000
        ("KWD", PER_UNIT, "0.0005", 3, 2),
        ("KWD", PER_UNIT, "0.0004", 1, 0),
        ("KWD", PER_UNIT, "1.125", 4, 4500),
    ],
)
def test_per_unit_charge_is_rounded_half_up_to_the_minor_unit(
    currency: str, model: PricingModel, unit_price: str, usage: int, expected_minor: int
) -> None:
    terms = UsageTerms(model, currency, unit_amount_e12=price(unit_price))
    assert usage_charge(terms, usage)["total_minor"] == expected_minor


def test_rounding_happens_once_per_charge_not_per_tier() -> None:
    # one unit in each of two tiers at 0.004: rounded per tier, 0.00 + 0.00 = 0.00; rounded
    # once, as SPEC 5 says, 0.008 -> 0.01
    terms = UsageTerms(TIERED, "USD", tiers=tiers((1, "0.004"), (None, "0.004")))
    charge = usage_charge(terms, 2)
    assert [t["amount"] for t in charge["tiers"]] == ["0.004", "0.004"]
    assert charge["total_minor"] == 1


@pytest.mark.parametrize(
    ("currency", "steps", "included", "usage", "tiered_minor", "volume_minor"),
    [
        # USD, sub-cent: up to 100000 at 0.005, above at 0.0025; 1000 included; 150000 used.
        # tiered: 99000 x 0.005 + 50000 x 0.0025 = 495 + 125 = 620.00
        # volume: 149000 x 0.0025 = 372.50
        ("USD", ((100000, "0.005"), (None, "0.0025")), 1000, 150000, 62000, 37250),
        # JPY: up to 100 at 3, up to 1000 at 2, above at 1.5; 10 included; 1001 used.
        # tiered: 90 x 3 + 900 x 2 + 1 x 1.5 = 270 + 1800 + 1.5 = 2071.5 -> 2072
        # volume: 991 x 1.5 = 1486.5 -> 1487
        ("JPY", ((100, "3"), (1000, "2"), (None, "1.5")), 10, 1001, 2072, 1487),
        # KWD: up to 500 at 0.0015, above at 0.00075; none included; 700 used.
        # tiered: 500 x 0.0015 + 200 x 0.00075 = 0.75 + 0.15 = 0.900
        # volume: 700 x 0.00075 = 0.525
        ("KWD", ((500, "0.0015"), (None, "0.00075")), 0, 700, 900, 525),
        # KWD, usage in the first tier: 333 x 0.0015 = 0.4995 -> 0.500 both ways
        ("KWD", ((500, "0.0015"), (None, "0.00075")), 0, 333, 500, 500),
    ],
)
def test_tiered_and_volume_charges_computed_by_hand(
    currency: str,
    steps: tuple[tuple[int | None, str], ...],
    included: int,
    usage: int,
    tiered_minor: int,
    volume_minor: int,
) -> None:
    for model, expected in ((TIERED, tiered_minor), (VOLUME, volume_minor)):
        terms = UsageTerms(model, currency, included_units=included, tiers=tiers(*steps))
        charge = usage_charge(terms, usage)
        assert charge["total_minor"] == expected, model
        assert sum(t["units"] for t in charge["tiers"]) == charge["billable_units"]


def test_a_tiers_flat_amount_is_charged_once_where_units_fall() -> None:
    flat = (TierTerms(10, price("1"), 500), TierTerms(None, price("0.5"), 200))
    # tiered, 12 used: 10 x 1 + 5.00 flat + 2 x 0.5 + 2.00 flat = 18.00
    assert usage_charge(UsageTerms(TIERED, "USD", tiers=flat), 12)["total_minor"] == 1800
    # tiered, 4 used: only the first tier: 4 + 5.00 = 9.00
    assert usage_charge(UsageTerms(TIERED, "USD", tiers=flat), 4)["total_minor"] == 900
    # volume, 12 used: 12 x 0.5 + 2.00 = 8.00
    assert usage_charge(UsageTerms(VOLUME, "USD", tiers=flat), 12)["total_minor"] == 800


unit_prices = st.integers(min_value=0, max_value=10**15)  # up to 1000 major units a unit
usages = st.integers(min_value=0, max_value=10**7)


@st.composite
def tiered_terms(draw: st.DrawFn) -> UsageTerms:
    bounds = sorted(draw(st.sets(st.integers(1, 10**6), max_size=4)))
    prices = draw(st.lists(unit_prices, min_size=len(bounds) + 1, max_size=len(bounds) + 1))
    currency = draw(st.sampled_from(["USD", "JPY", "KWD"]))
    steps = [*bounds, None]
    return UsageTerms(
        TIERED,
        currency,
        included_units=draw(st.integers(0, 10**5)),
        tiers=tuple(TierTerms(up_to, p) for up_to, p in zip(steps, prices, strict=True)),
    )


@given(tiered_terms(), usages, usages)
def test_a_graduated_charge_never_falls_as_usage_grows(
    terms: UsageTerms, first: int, second: int
) -> None:
    low, high = sorted((first, second))
    assert usage_charge(terms, low)["total_minor"] <= usage_charge(terms, high)["total_minor"]


@given(
    unit_prices,
    st.integers(0, 10**5),
    usages,
    st.sampled_from(["USD", "JPY", "KWD"]),
)
def test_with_one_tier_tiered_volume_and_per_unit_agree(
    unit_price: int, included: int, usage: int, currency: str
) -> None:
    one = (TierTerms(None, unit_price),)
    charges = {
        usage_charge(UsageTerms(model, currency, included_units=included, tiers=one,
                                unit_amount_e12=unit_price), usage)["total_minor"]
        for model in (PER_UNIT, TIERED, VOLUME)
    }  # fmt: skip
    assert len(charges) == 1
    # and it is the exact product, rounded half-up once: checked with integers by hand
    step = {"USD": 10**10, "JPY": 10**12, "KWD": 10**9}[currency]
    exact = max(0, usage - included) * unit_price
    assert charges == {exact // step + (1 if exact % step * 2 >= step else 0)}


# -- stored plans, both databases ---------------------------------------------------------------


@pytest.fixture
def world(session: Session) -> World:
    w = build(session)
    make_product(session, w.acme, "p")
    return w


def test_quotes_charge_stored_usage_plans_with_offers_rules(session: Session, world: World) -> None:
    # tiers given out of order: stored and charged by their bounds
    tiers = ["us=inf:0.03", "us=1000:0.05", "kw=1000:0.0015", "kw=inf:0.00075"]
    plans.create_plan(session, org="acme", variant="p", slug="gpu", type="usage-based", tier=1,
                      prices=parse_price_options(prices=["us=0", "kw=0"], usage_tiers=tiers),
                      options={"pricing_model": "tiered", "included_units": 60})  # fmt: skip
    day = dt.date(2026, 6, 1)
    quote = quote_price(session, org="acme", plan="p/gpu", market="us", at=day, usage=1500)
    assert (quote["list_price_minor"], quote["final_price_minor"]) == (6200, 6200)  # SPEC 5
    # KWD, 1500 used: 940 x 0.0015 + 500 x 0.00075 = 1.41 + 0.375 = 1.785
    quote = quote_price(session, org="acme", plan="p/gpu", market="kw", at=day, usage=1500)
    assert (quote["final_price_minor"], quote["final_price"]) == (1785, "1.785")
    assert quote["usage_charge"] is not None
    assert [t["unit_price"] for t in quote["usage_charge"]["tiers"]] == ["0.0015", "0.00075"]
    with pytest.raises(RuleError, match="is usage-based"):
        quote_price(session, org="acme", plan="p/gpu", market="us", at=day)
    with pytest.raises(RuleError, match="usage must be at least 0, not -5"):
        quote_price(session, org="acme", plan="p/gpu", market="us", at=day, usage=-5)
