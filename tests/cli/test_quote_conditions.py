"""Issue 20: `plans price` follows the conditions of sale, on the demo's data (`volmify demo`,
plus an archived early-bird product whose inactive plan sold in January 2026):

- a plan not for sale on the day is exit 1, one line giving every reason, the most fundamental
  first;
- a setup fee is its own line and the first payment includes it; a trial moves the first charge;
- a promotion's offers apply only inside its window: a coupon outside it is exit 1 naming the
  promotion and its window;
- an offer's percent takes two decimals of a percent at most.

Amounts are computed here from the demo's catalog (fixtures/acme/catalog), in minor units.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.support import Cli
from tests.test_hostile_values import copy_of

BACKENDS = ["sqlite", "postgresql"] if os.environ.get("VOLMIFY_TEST_POSTGRES_URL") else ["sqlite"]
ACME = ("--org", "acme")
JUNE_1 = "2026-06-01"
EARLY_BIRD = """version: 1
kind: catalog
org: acme
locales: [en-US]
products:
  - slug: early-bird
    type: digital
    status: archived
    title: Early-bird pass
    variants:
      - slug: standard
        plans:
          - slug: launch
            type: one_time
            tier: 1
            status: inactive
            starts: 2026-01-01
            ends: 2026-01-31
            prices: {us: "19.00"}
"""


def cents(amount: str) -> int:
    """A USD amount as written in the demo's catalog, in minor units."""
    return int(Decimal(amount) * 100)


def percent_off(amount_minor: int, percent: str) -> int:
    """A percentage discount rounded half-up to the minor unit (SPEC 5)."""
    exact = Decimal(amount_minor) * Decimal(percent) / 100
    return int(exact.quantize(Decimal(1), ROUND_HALF_UP))


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest, databases: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cli]:
    """The demo's two organizations, with acme's early-bird product added from a catalog file.
    Quotes only read: the tests share it (a test that writes works on a copy)."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOLMIFY_HOME", str(folder / "home"))
        url = databases.migrated(request.param)
        cli = Cli(url)
        cli.ok("demo")
        (folder / "early-bird.yaml").write_text(EARLY_BIRD, encoding="utf-8")
        cli.ok("catalog", "import", str(folder / "early-bird.yaml"), *ACME)
    yield cli
    databases.drop(url)


def price(cli: Cli, plan: str, market: str, at: str, *more: str) -> Any:
    return cli.json("plans", "price", plan, "--market", market, "--at", at, *more, *ACME)


def refused(cli: Cli, plan: str, market: str, at: str, *more: str) -> str:
    """The one error line of a refused quote (exit 1, nothing on stdout)."""
    result = cli.fails(1, "plans", "price", plan, "--market", market, "--at", at, *more, *ACME)
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    return line


# -- 1. what is not for sale ------------------------------------------------------------------


def test_an_archived_products_inactive_ended_plan_is_not_for_sale(demo: Cli) -> None:
    assert refused(demo, "early-bird/launch", "us", JUNE_1) == (
        "Error: plan early-bird/standard/launch is not for sale on 2026-06-01: its product "
        "early-bird is archived; the plan is inactive; its sale ended on 2026-01-31"
    )
    # inside its window, the product and the plan are still reasons
    assert refused(demo, "early-bird/launch", "us", "2026-01-31") == (
        "Error: plan early-bird/standard/launch is not for sale on 2026-01-31: its product "
        "early-bird is archived; the plan is inactive"
    )


def test_the_reasons_go_as_the_conditions_are_met(demo: Cli, databases: Any) -> None:
    cli = copy_of(databases, demo)
    cli.ok("products", "update", "early-bird", "--status", "active", *ACME)
    cli.ok("plans", "update", "early-bird/launch", "--status", "active", *ACME)
    assert refused(cli, "early-bird/launch", "us", JUNE_1).endswith(
        "is not for sale on 2026-06-01: its sale ended on 2026-01-31"
    )
    assert refused(cli, "early-bird/launch", "us", "2025-12-31").endswith(
        ": its sale starts on 2026-01-01"
    )
    for day in ("2026-01-01", "2026-01-31"):  # the window's first and last days
        quote = price(cli, "early-bird/launch", "us", day)
        assert (quote["final_price_minor"], quote["first_payment_minor"]) == (1900, 1900)
    cli.ok("products", "update", "early-bird", "--status", "draft", *ACME)
    assert refused(cli, "early-bird/launch", "us", "2026-01-15").endswith(
        ": its product early-bird is a draft"
    )
    databases.drop(cli.db_url)


# -- 2. the setup fee and 3. the trial ------------------------------------------------------------


def test_the_setup_fee_is_its_own_line_of_the_first_payment(demo: Cli) -> None:
    # python-101/vip-annual in us: {amount: "299.00", setup_fee: "25.00"}, no trial
    quote = price(demo, "python-101/vip-annual", "us", JUNE_1)
    assert (quote["list_price_minor"], quote["discount_minor"]) == (cents("299.00"), 0)
    assert quote["setup_fee_minor"] == cents("25.00")
    assert quote["first_payment_minor"] == cents("299.00") + cents("25.00")
    assert (quote["setup_fee"], quote["first_payment"]) == ("25.00", "324.00")
    assert (quote["trial_days"], quote["first_charge_on"]) == (0, JUNE_1)
    # in eu it has no setup fee: the first payment is the price
    eu = price(demo, "python-101/vip-annual", "eu", JUNE_1)
    assert (eu["setup_fee_minor"], eu["first_payment_minor"]) == (0, 27900)


def test_an_offer_discounts_the_price_never_the_setup_fee(demo: Cli) -> None:
    # SPRING25: 25% off python-101 in March (offer spring-sale, promotion spring-campaign)
    quote = price(demo, "python-101/vip-annual", "us", "2026-03-15", "--coupon", "SPRING25")
    discount = percent_off(cents("299.00"), "25")
    assert (quote["offer"], quote["discount_minor"]) == ("spring-sale", discount)
    assert quote["final_price_minor"] == cents("299.00") - discount
    assert quote["first_payment_minor"] == cents("299.00") - discount + cents("25.00")


def test_a_trial_says_when_the_first_charge_happens(demo: Cli) -> None:
    # python-101/premium-monthly: a monthly subscription with trial_days: 14
    quote = price(demo, "python-101/premium-monthly", "us", JUNE_1)
    first = dt.date(2026, 6, 1) + dt.timedelta(days=14)
    assert (quote["trial_days"], quote["first_charge_on"]) == (14, first.isoformat())
    assert quote["first_payment_minor"] == quote["final_price_minor"] == cents("19.99")
    # a one-time plan is charged on the day
    basic = price(demo, "python-101/basic", "us", JUNE_1)
    assert (basic["trial_days"], basic["first_charge_on"]) == (0, JUNE_1)


def test_the_table_shows_the_setup_fee_first_payment_and_first_charge(demo: Cli) -> None:
    args = ("plans", "price", "python-101/vip-annual", "--market", "us", "--at", JUNE_1)
    table = demo.ok(*args, *ACME, "--format", "table").stdout
    lines = {line.split("  ")[0]: line.split()[-1] for line in table.splitlines() if line.strip()}
    assert lines["Setup fee"] == "$25.00"
    assert lines["First payment"] == "$324.00"
    assert lines["First charge on"] == JUNE_1


# -- 4. promotions ------------------------------------------------------------------------------


def test_a_coupon_of_a_promotion_applies_only_in_its_window(demo: Cli) -> None:
    # MENTOR10: 10.00 USD off mentoring-session in us; promotion spring-campaign 03-01..04-15
    for day in ("2026-03-01", "2026-04-15"):
        quote = price(demo, "mentoring-session/session", "us", day, "--coupon", "MENTOR10")
        assert (quote["offer"], quote["discount_minor"]) == ("ten-off-mentoring", cents("10.00"))
        assert quote["final_price_minor"] == cents("120.00") - cents("10.00")
    for day in ("2026-02-28", "2026-04-16", JUNE_1):
        assert refused(demo, "mentoring-session/session", "us", day, "--coupon", "MENTOR10") == (
            f"Error: coupon MENTOR10 cannot be used on {day}: offer 'ten-off-mentoring' is part "
            "of promotion 'spring-campaign', which runs 2026-03-01..2026-04-15"
        )


def test_inside_its_promotion_an_offer_keeps_its_own_window(demo: Cli) -> None:
    # spring-sale ends 03-31, its promotion 04-15: on 04-10 SPRING25 is a note, not an error
    args = ("plans", "price", "python-101/basic", "--market", "us", "--at", "2026-04-10")
    result = demo.ok(*args, "--coupon", "SPRING25", *ACME, "--format", "json")
    quote = json.loads(result.stdout)
    assert (quote["offer"], quote["final_price_minor"]) == (None, cents("49.00"))
    assert quote["coupon_note"] == "offer 'spring-sale' ended on 2026-03-31"
    assert "Warning: coupon not applied" in result.stderr


# -- 5. an offer's percent ----------------------------------------------------------------------


def test_an_offers_percent_takes_two_decimals(demo: Cli, databases: Any, tmp_path: Path) -> None:
    cli = copy_of(databases, demo)
    made = cli.json("offers", "create", "third", "--type", "percentage", "--percent", "33.33%",
                    "--product", "python-cheatsheets", *ACME)  # fmt: skip
    assert (made["percent_bp"], made["percent"]) == (3333, "33.33%")
    quote = price(cli, "python-cheatsheets/download", "us", JUNE_1)
    assert (quote["offer"], quote["discount_minor"]) == ("third", percent_off(900, "33.33"))
    result = cli.fails(1, "offers", "create", "x", "--type", "percentage", "--percent",
                       "33.333%", *ACME)  # fmt: skip
    message = "percent '33.333%' has more than two decimals of a percent"
    assert result.stderr.startswith(f"Error: {message}") and "share" not in result.stderr
    document = tmp_path / "offer.yaml"
    document.write_text(
        "version: 1\nkind: catalog\norg: acme\nlocales: [en-US]\noffers:\n"
        '  - slug: x\n    type: percentage\n    percent: "33.333%"\n',
        encoding="utf-8",
    )
    result = cli.fails(3, "catalog", "import", str(document), *ACME)
    assert result.stderr.startswith(f"{document}:8:14: offers[0].percent: {message}")
    assert [o["slug"] for o in cli.json("offers", "list", *ACME)].count("x") == 0
    databases.drop(cli.db_url)
