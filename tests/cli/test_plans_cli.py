"""`volmify plans …`: creation with prices, the bad inputs (exit 1 or 2, one line naming the
value, nothing written), prices in every output format, updates, deletes and `plans price`."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.cli.catalog_world import build_world, record_order, subscribe
from tests.cli.test_products_cli import one_error_line
from tests.support import Cli


@pytest.fixture
def acme(cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    build_world(db_url)
    monkeypatch.setenv("VOLMIFY_ORG", "acme")
    cli.json("products", "create", "p", "--type", "course", "--title", "P")
    cli.json("products", "variants", "add", "p", "pro")
    return cli


def snapshot(cli: Cli) -> Any:
    return [cli.json("plans", "list"), cli.json("products", "show", "p")]


def basic(cli: Cli) -> Any:
    return cli.json(
        "plans",
        "create",
        "p",
        "basic",
        "--type",
        "one-time",
        "--tier",
        "1",
        "--price",
        "us=49",
        "--price",
        "eu=45.00:EUR",
        "--compare-at",
        "eu=59",
        "--price",
        "jp=5000",
        "--name",
        "Basic",
    )


def test_create_prices_in_market_currencies(acme: Cli) -> None:
    record = basic(acme)
    assert (record["plan"], record["tier"], record["type"], record["name"]) == (
        "p/standard/basic",
        1,
        "one_time",
        "Basic",
    )
    assert record["prices"] == [
        {
            "market": "eu",
            "currency": "EUR",
            "amount_minor": 4500,
            "amount": "45.00",
            "compare_at_minor": 5900,
            "compare_at": "59.00",
            "setup_fee_minor": None,
            "setup_fee": None,
        },
        {
            "market": "jp",
            "currency": "JPY",
            "amount_minor": 5000,
            "amount": "5000",
            "compare_at_minor": None,
            "compare_at": None,
            "setup_fee_minor": None,
            "setup_fee": None,
        },
        {
            "market": "us",
            "currency": "USD",
            "amount_minor": 4900,
            "amount": "49.00",
            "compare_at_minor": None,
            "compare_at": None,
            "setup_fee_minor": None,
            "setup_fee": None,
        },
    ]


def test_subscription_and_usage_based(acme: Cli) -> None:
    sub = acme.json(
        "plans",
        "create",
        "p/pro",
        "monthly",
        "--type",
        "subscription",
        "--tier",
        "2",
        "--interval",
        "month",
        "--interval-count",
        "1",
        "--trial-days",
        "14",
        "--price",
        "us=19.99",
        "--setup-fee",
        "us=5",
        "--default",
        "--featured",
    )
    assert sub["details"] == {"interval": "month", "interval_count": 1, "trial_days": 14}
    assert (sub["is_default"], sub["is_featured"]) == (True, True)
    assert sub["prices"][0]["setup_fee_minor"] == 500
    usage = acme.json(
        "plans",
        "create",
        "p",
        "api",
        "--type",
        "usage_based",
        "--tier",
        "1",
        "--unit",
        "call",
        "--included-units",
        "1000",
        "--pricing-model",
        "tiered",
        "--price",
        "kw=0",
        "--usage-tier",
        "kw=10000:0.002",
        "--usage-tier",
        "kw=inf:0.001",
    )
    assert usage["details"]["unit"] == "call" and usage["details"]["included_units"] == 1000
    assert [(t["up_to"], t["unit_amount_e12"], t["unit_amount"]) for t in usage["usage_tiers"]] == [
        (10000, 2 * 10**9, "0.002"),
        (None, 10**9, "0.001"),
    ]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--tier", "0", "--price", "us=1"], ["access tier must be at least 1, not 0"]),
        (["--tier", "1", "--price", "jp=10.5"], ["'10.5'", "too many decimals for JPY"]),
        (["--tier", "1", "--price", "eu=10.123"], ["'10.123'", "too many decimals for EUR"]),
        (["--tier", "1", "--price", "us=-3"], ["'-3'", "must not be negative"]),
        (["--tier", "1", "--price", "us=ten"], ["'ten'", "not a decimal number"]),
        (
            ["--tier", "1", "--price", "us=10", "--compare-at", "us=9"],
            ["compare-at price 9.00 USD is below the price 10.00 USD in market 'us'"],
        ),
        (["--tier", "1", "--price", "gx=10"], ["market 'gx' not found in org acme"]),
        (["--tier", "1", "--price", "mars=10"], ["market 'mars' not found in org acme"]),
        (["--tier", "1", "--price", "us=10:XYZ"], ["'XYZ'"]),
        (["--tier", "1", "--setup-fee", "us=1", "--price", "us=1"], ["setup fee applies to"]),
    ],
)
def test_bad_inputs_exit_1_naming_the_value_and_write_nothing(
    acme: Cli, args: list[str], needles: list[str]
) -> None:
    basic(acme)
    before = snapshot(acme)
    result = acme.fails(1, "plans", "create", "p", "bad", "--type", "one-time", *args)
    one_error_line(result.stderr, *needles)
    assert result.stdout == ""
    assert snapshot(acme) == before


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--price", "us"], "--price 'us' is not written as MARKET=AMOUNT"),
        (["--price", "us=1", "--price", "us=2"], "market 'us' is given twice in --price"),
        (["--tier", "x"], "Invalid value for '--tier'"),
        (["--type", "monthly"], "'monthly'"),
        (["--trial-days", "3"], "--trial-days applies to subscription plans only"),
    ],
)
def test_malformed_options_exit_2(acme: Cli, args: list[str], needle: str) -> None:
    before = snapshot(acme)
    full = ["plans", "create", "p", "bad", "--type", "one-time", "--tier", "1", *args]
    result = acme.fails(2, *full)
    assert needle in result.stderr
    assert snapshot(acme) == before


def test_duplicate_slug_and_unknown_product(acme: Cli) -> None:
    basic(acme)
    before = snapshot(acme)
    result = acme.fails(1, "plans", "create", "p", "basic", "--type", "one-time", "--tier", "2")
    one_error_line(result.stderr, "plan 'p/standard/basic' already exists in org acme")
    result = acme.fails(
        1, "plans", "create", "globex-course", "x", "--type", "one-time", "--tier", "1"
    )
    one_error_line(result.stderr, "product 'globex-course' not found in org acme")
    assert snapshot(acme) == before


def test_prices_appear_in_every_format(acme: Cli) -> None:
    basic(acme)
    listed = acme.json("plans", "list", "p")
    assert listed[0]["tier"] == 1 and len(listed[0]["prices"]) == 3
    shown = acme.json("plans", "show", "p/basic")
    assert shown["prices"] == listed[0]["prices"]
    yaml_out = acme.ok("plans", "list", "--format", "yaml").stdout
    assert "amount_minor: 4500" in yaml_out and "compare_at: '59.00'" in yaml_out
    rows = list(csv.DictReader(io.StringIO(acme.ok("plans", "list", "--format", "csv").stdout)))
    assert rows[0]["tier"] == "1"
    assert [p["amount_minor"] for p in json.loads(rows[0]["prices"])] == [4500, 5000, 4900]
    table = acme.ok("plans", "list", "--format", "table", "--locale", "de-DE").stdout
    flat = table.replace("\xa0", " ")
    assert "45,00 €" in flat and "59,00 €" in flat and "49,00 $" in flat
    table = acme.ok("plans", "show", "p/basic", "--format", "table").stdout
    assert "$49.00" in table and "¥5,000" in table


def test_update_prices(acme: Cli) -> None:
    basic(acme)
    record = acme.json(
        "plans",
        "update",
        "p/standard/basic",
        "--tier",
        "2",
        "--price",
        "us=39.50",
        "--remove-price",
        "jp",
        "--compare-at",
        "eu=65",
    )
    prices = {p["market"]: (p["amount_minor"], p["compare_at_minor"]) for p in record["prices"]}
    assert prices == {"eu": (4500, 6500), "us": (3950, None)}
    assert record["tier"] == 2
    before = snapshot(acme)
    result = acme.fails(1, "plans", "update", "p/basic", "--remove-price", "kw")
    one_error_line(result.stderr, "has no price in market 'kw'")
    result = acme.fails(1, "plans", "update", "p/basic", "--compare-at", "us=1")
    one_error_line(result.stderr, "compare-at price 1.00 USD is below the price 39.50 USD")
    assert snapshot(acme) == before


def test_delete(acme: Cli) -> None:
    acme.json("plans", "create", "p", "monthly", "--type", "subscription", "--tier", "1")
    acme.json("plans", "create", "p", "gone", "--type", "one-time", "--tier", "1")
    subscribe(acme.db_url or "", plan="p/monthly")
    result = acme.fails(1, "plans", "delete", "p/monthly", "--yes")
    one_error_line(result.stderr, "plan 'p/monthly' is held by 1 member subscription(s)")
    assert "--status archived" in result.stderr
    acme.ok("plans", "delete", "p/gone", "--yes")
    assert [p["slug"] for p in acme.json("plans", "list")] == ["monthly"]
    archived = acme.json("plans", "update", "p/monthly", "--status", "archived")
    assert archived["status"] == "archived"


def test_price_after_offers(acme: Cli) -> None:
    basic(acme)
    acme.json("products", "update", "p", "--status", "active")  # a draft is not for sale
    acme.json(
        "offers",
        "create",
        "spring",
        "--type",
        "percentage",
        "--percent",
        "12.5",
        "--starts",
        "2026-03-01",
        "--ends",
        "2026-03-31",
        "--product",
        "p",
    )
    acme.json(
        "offers",
        "create",
        "vip",
        "--type",
        "fixed-amount",
        "--amount",
        "10",
        "--currency",
        "USD",
        "--coupon",
        "VIP10",
    )
    quote = acme.json("plans", "price", "p/basic", "--market", "us", "--at", "2026-03-31")
    assert (quote["offer"], quote["list_price_minor"], quote["discount_minor"]) == (
        "spring",
        4900,
        613,
    )
    assert (quote["final_price_minor"], quote["final_price"]) == (4287, "42.87")
    quote = acme.json(
        "plans", "price", "p/basic", "--market", "us", "--at", "2026-03-31", "--coupon", "vip10"
    )
    assert (quote["offer"], quote["final_price_minor"]) == ("vip", 3900)
    quote = acme.json("plans", "price", "p/basic", "--market", "us", "--at", "2026-04-01")
    assert quote["offer"] is None and quote["final_price_minor"] == 4900
    result = acme.run(
        "plans", "price", "p/basic", "--market", "eu", "--coupon", "VIP10", "--format", "json"
    )
    assert result.exit_code == 0 and json.loads(result.stdout)["offer"] is None
    assert "Warning: coupon not applied" in result.stderr and "EUR" in result.stderr
    result = acme.fails(1, "plans", "price", "p/basic", "--market", "us", "--coupon", "NOPE")
    one_error_line(result.stderr, "coupon 'NOPE' not found in org acme")
    result = acme.fails(2, "plans", "price", "p/basic", "--market", "us", "--at", "31.03.2026")
    assert "31.03.2026" in result.stderr


def test_price_counts_recorded_coupon_redemptions(acme: Cli) -> None:
    basic(acme)
    acme.json("products", "update", "p", "--status", "active")  # a draft is not for sale
    acme.json(
        "offers",
        "create",
        "once",
        "--type",
        "percentage",
        "--percent",
        "50",
        "--coupon",
        "HALF",
        "--usage-limit",
        "1",
    )
    args = ("plans", "price", "p/basic", "--market", "us", "--coupon", "HALF")
    assert acme.json(*args)["final_price_minor"] == 2450
    record_order(acme.db_url or "", plan="p/basic", coupon="half")
    quote = acme.json(*args)
    assert quote["final_price_minor"] == 4900
    assert quote["coupon_note"] == "offer 'once' reached its usage limit (1)"
