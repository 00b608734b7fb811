"""Issue 20: the conditions of sale (`services.sale_conditions`) as pure rules, checked by
example and by property against dates compared by hand, and `quote_price` over stored rows:
what is not for sale is refused with every reason, a promotion holds its offers to its window,
the setup fee is its own line of the first payment, and a trial moves the first charge."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from tests.factories import default_variant, make_plan, make_product
from tests.services.catalog_world import World, build
from volmify_cli.enums import PlanType
from volmify_cli.errors import ConflictError
from volmify_cli.models.offers import OrgPromotion
from volmify_cli.models.plans import OrgProductVariantPaymentPlanMarketPrice as Price
from volmify_cli.models.plans import OrgProductVariantPaymentPlanSubscription as Subscription
from volmify_cli.services import offers, promotions
from volmify_cli.services.coupons import CouponInput
from volmify_cli.services.quotes import quote_price
from volmify_cli.services.sale_conditions import (
    PlanTerms,
    PromotionTerms,
    first_charge_on,
    promotion_problem,
    sale_problems,
)
from volmify_cli.windows import window_end, window_start

MARCH_1, MARCH_31 = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def plan(**kw: object) -> PlanTerms:
    fields: dict[str, object] = {
        "address": "p/standard/basic",
        "product": "p",
        "product_status": "active",
        "variant": "p/standard",
        "variant_status": "active",
        "status": "active",
    }
    return PlanTerms(**(fields | kw))  # type: ignore[arg-type]


# -- the pure rules ----------------------------------------------------------------------------


def test_an_active_plan_of_an_active_product_is_for_sale() -> None:
    assert sale_problems(plan(), midnight(MARCH_1)) == []


def test_every_reason_is_given_the_most_fundamental_first() -> None:
    ended = plan(
        product_status="archived",
        variant_status="inactive",
        status="inactive",
        starts_at=window_start(dt.date(2026, 1, 1)),
        ends_at=window_end(dt.date(2026, 1, 31)),
    )
    assert sale_problems(ended, midnight(dt.date(2026, 6, 1))) == [
        "its product p is archived",
        "its variant p/standard is inactive",
        "the plan is inactive",
        "its sale ended on 2026-01-31",
    ]
    assert sale_problems(plan(product_status="draft"), midnight(MARCH_1)) == [
        "its product p is a draft"
    ]
    assert sale_problems(plan(status="archived"), midnight(MARCH_1)) == ["the plan is archived"]


def test_a_plans_window_holds_its_first_and_last_days() -> None:
    march = plan(starts_at=window_start(MARCH_1), ends_at=window_end(MARCH_31))
    assert sale_problems(march, midnight(MARCH_1)) == []
    assert sale_problems(march, midnight(MARCH_31)) == []
    assert sale_problems(march, midnight(dt.date(2026, 2, 28))) == ["its sale starts on 2026-03-01"]
    assert sale_problems(march, midnight(dt.date(2026, 4, 1))) == ["its sale ended on 2026-03-31"]


DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@given(DAYS, DAYS, DAYS, st.booleans(), st.booleans())
def test_a_plan_is_for_sale_exactly_on_the_days_of_its_window(
    first: dt.date, last: dt.date, day: dt.date, has_start: bool, has_end: bool
) -> None:
    first, last = min(first, last), max(first, last)
    windowed = plan(
        starts_at=window_start(first) if has_start else None,
        ends_at=window_end(last) if has_end else None,
    )
    inside = (not has_start or first <= day) and (not has_end or day <= last)
    assert (sale_problems(windowed, midnight(day)) == []) == inside


SPRING = PromotionTerms(
    "spring", starts_at=window_start(MARCH_1), ends_at=window_end(dt.date(2026, 4, 15))
)


def test_a_promotion_holds_its_offers_to_its_window() -> None:
    assert promotion_problem("o", [], midnight(dt.date(2030, 1, 1))) is None  # no promotion
    assert promotion_problem("o", [SPRING], midnight(MARCH_1)) is None
    assert promotion_problem("o", [SPRING], midnight(dt.date(2026, 4, 15))) is None
    for day in (dt.date(2026, 2, 28), dt.date(2026, 4, 16)):
        assert promotion_problem("o", [SPRING], midnight(day)) == (
            "offer 'o' is part of promotion 'spring', which runs 2026-03-01..2026-04-15"
        )


def test_an_inactive_promotion_holds_its_offers_back_even_in_its_window() -> None:
    paused = PromotionTerms("spring", False, SPRING.starts_at, SPRING.ends_at)
    assert promotion_problem("o", [paused], midnight(MARCH_31)) == (
        "offer 'o' is part of promotion 'spring', which is inactive "
        "(its window: 2026-03-01..2026-04-15)"
    )
    open_ended = PromotionTerms("always", False)
    assert "which is inactive (its window: at any time)" in str(
        promotion_problem("o", [open_ended], midnight(MARCH_31))
    )


def test_an_offer_in_two_promotions_is_usable_while_either_runs() -> None:
    autumn = PromotionTerms("autumn", starts_at=window_start(dt.date(2026, 10, 1)))
    assert promotion_problem("o", [SPRING, autumn], midnight(MARCH_31)) is None
    assert promotion_problem("o", [SPRING, autumn], midnight(dt.date(2026, 10, 1))) is None
    assert promotion_problem("o", [SPRING, autumn], midnight(dt.date(2026, 6, 1))) == (
        "offer 'o' is part of promotion 'autumn', which runs from 2026-10-01, "
        "and of promotion 'spring', which runs 2026-03-01..2026-04-15"
    )


def test_the_pricing_rules_weigh_promotions_but_a_recorded_sale_keeps_its_coupon() -> None:
    import uuid

    from volmify_cli.enums import DiscountType
    from volmify_cli.services.pricing import (
        CouponTerms,
        OfferTerms,
        PricedItem,
        best_offer,
        offer_problem,
        redemption_problem,
    )

    product, variant, plan_id, market = (uuid.UUID(int=n) for n in range(1, 5))
    item = PricedItem(product, variant, plan_id, market, currency="USD", amount_minor=12_000)
    offer = OfferTerms("ten-off", DiscountType.FIXED_AMOUNT, amounts={"USD": 1000},
                       promotions=(SPRING,))  # fmt: skip
    june = midnight(dt.date(2026, 6, 1))
    assert offer_problem(offer, item, june) == (
        "offer 'ten-off' is part of promotion 'spring', which runs 2026-03-01..2026-04-15"
    )
    assert best_offer([offer], item, june).final_minor == 12_000
    assert best_offer([offer], item, midnight(MARCH_31)).final_minor == 11_000
    # a sales import records history as written: the promotion's window is not its rule
    assert redemption_problem(CouponTerms("TEN"), offer, item, june) is None


@given(DAYS, st.integers(min_value=0, max_value=3650))
def test_a_trial_moves_the_first_charge_by_its_days(day: dt.date, trial: int) -> None:
    assert first_charge_on(day, trial) == day + dt.timedelta(days=trial)


def test_a_trial_beyond_the_calendar_has_no_first_charge_day() -> None:
    assert first_charge_on(dt.date(9999, 12, 31), 0) == dt.date(9999, 12, 31)
    assert first_charge_on(dt.date(9999, 12, 20), 11) == dt.date(9999, 12, 31)
    assert first_charge_on(dt.date(9999, 12, 20), 12) is None
    assert first_charge_on(dt.date(2026, 3, 1), 2_147_483_647) is None


# -- quotes over stored rows -------------------------------------------------------------------


@pytest.fixture
def world(session: Session) -> World:
    w = build(session)
    product = make_product(session, w.acme, "p")
    make_plan(session, default_variant(session, product), "basic", prices=[(w.us, 4900)])
    monthly = make_plan(
        session,
        default_variant(session, product),
        "monthly",
        type=PlanType.SUBSCRIPTION,
        prices=[(w.us, 1999)],
    )
    row = session.exec(select(Subscription).where(Subscription.plan_id == monthly.id)).one()
    row.trial_days = 14
    price = session.exec(select(Price).where(Price.plan_id == monthly.id)).one()
    price.setup_fee_minor = 500
    session.add_all([row, price])
    session.flush()
    return w


def quote(
    session: Session, plan: str = "p/basic", day: dt.date = MARCH_31, coupon: str | None = None
) -> dict[str, Any]:
    return dict(quote_price(session, org="acme", plan=plan, market="us", at=day, coupon=coupon))


def half_up(amount: int, percent: str) -> int:
    return int((Decimal(amount) * Decimal(percent) / 100).quantize(Decimal(1), ROUND_HALF_UP))


def test_a_draft_or_archived_product_is_not_quoted(session: Session, world: World) -> None:
    from volmify_cli.services.products import update_product

    for status, words in (("draft", "is a draft"), ("archived", "is archived")):
        update_product(session, org="acme", slug="p", status=status)
        with pytest.raises(ConflictError) as refusal:
            quote(session)
        assert refusal.value.reason == (
            f"plan p/standard/basic is not for sale on 2026-03-31: its product p {words}"
        )
    update_product(session, org="acme", slug="p", status="active")
    assert quote(session)["final_price_minor"] == 4900


def test_the_setup_fee_is_its_own_line_and_never_discounted(session: Session, world: World) -> None:
    offers.create_offer(session, org="acme", slug="ten", type="percentage", percent="12.5%")
    q = quote(session, plan="p/monthly")
    discount = half_up(1999, "12.5")  # 249.875 -> 250
    assert (q["list_price_minor"], q["discount_minor"]) == (1999, discount)
    assert (q["final_price_minor"], q["setup_fee_minor"]) == (1999 - discount, 500)
    assert q["first_payment_minor"] == 1999 - discount + 500
    assert (q["setup_fee"], q["first_payment"]) == ("5.00", "22.49")
    assert (q["trial_days"], q["first_charge_on"]) == (14, MARCH_31 + dt.timedelta(days=14))
    one_time = quote(session)
    assert (one_time["setup_fee_minor"], one_time["trial_days"]) == (0, 0)
    assert (
        one_time["first_payment_minor"]
        == one_time["final_price_minor"]
        == 4900 - half_up(4900, "12.5")
    )
    assert one_time["first_charge_on"] == MARCH_31


def test_an_automatic_offer_applies_only_while_its_promotion_runs(
    session: Session, world: World
) -> None:
    offers.create_offer(session, org="acme", slug="spring-sale", type="percentage", percent="20")
    promotions.create_promotion(
        session, org="acme", slug="spring", name="Spring", offers=["spring-sale"],
        starts=MARCH_1, ends=MARCH_31,
    )  # fmt: skip
    assert quote(session, day=MARCH_1)["discount_minor"] == 980  # 20% of 49.00
    assert quote(session, day=MARCH_31)["offer"] == "spring-sale"
    after = quote(session, day=dt.date(2026, 4, 1))
    assert (after["offer"], after["final_price_minor"], after["applicable"]) == (None, 4900, [])
    row = session.exec(select(OrgPromotion).where(OrgPromotion.slug == "spring")).one()
    row.is_active = False
    session.add(row)
    session.flush()
    assert quote(session, day=MARCH_31)["offer"] is None


def test_a_coupon_outside_its_promotion_is_refused_naming_it(
    session: Session, world: World
) -> None:
    offers.create_offer(
        session, org="acme", slug="vip", type="fixed-amount", amount="10", currency="USD",
        coupons=[CouponInput("VIP10")],
    )  # fmt: skip
    promotions.create_promotion(
        session, org="acme", slug="launch", name="Launch", offers=["vip"],
        starts=MARCH_1, ends=dt.date(2026, 3, 7),
    )  # fmt: skip
    assert quote(session, day=dt.date(2026, 3, 7), coupon="vip10")["final_price_minor"] == 3900
    with pytest.raises(ConflictError) as refusal:
        quote(session, day=dt.date(2026, 3, 8), coupon="vip10")
    assert refusal.value.reason == (
        "coupon VIP10 cannot be used on 2026-03-08: offer 'vip' is part of promotion 'launch', "
        "which runs 2026-03-01..2026-03-07"
    )
