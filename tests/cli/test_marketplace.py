"""volmify marketplace (issue 21): an org publishes its active, priced products; the platform's
list shows every org's listed, active products with a title in a locale and a price range per
currency over the active plans, on both databases."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.cli.helpers import assert_one_error
from tests.support import Cli

# The plans of each org's product `python-101`: (plan, {market: amount}). The expected ranges
# below are computed from these inputs, never read back from the command.
PLANS = {
    "acme": [("basic", {"us": "49", "eu": "45"}), ("pro", {"us": "99.50"})],
    "globex": [("basic", {"us": "19.99"})],
}
CURRENCY = {"us": "USD", "eu": "EUR"}


def expected_ranges(plans: list[tuple[str, dict[str, str]]]) -> list[dict[str, object]]:
    by_currency: dict[str, list[Decimal]] = {}
    for _, prices in plans:
        for market, amount in prices.items():
            by_currency.setdefault(CURRENCY[market], []).append(Decimal(amount))
    return [
        {
            "currency": code,
            "min_minor": int(min(amounts) * 100),
            "max_minor": int(max(amounts) * 100),
            "min": f"{min(amounts):.2f}",
            "max": f"{max(amounts):.2f}",
        }
        for code, amounts in sorted(by_currency.items())
    ]


@pytest.fixture
def world(cli: Cli) -> Cli:
    """Two orgs, each with an active course `python-101` priced in its markets, a draft
    product and an active product without plans."""
    for org in ("acme", "globex"):
        _build(cli, org)
    return cli


def _build(cli: Cli, org: str) -> None:
    """One org of the world (both alike but for their prices and titles)."""

    def run(*args: str) -> None:
        cli.ok("--org", org, *args)

    cli.ok("orgs", "create", org, "--name", org.title())
    cli.ok("--org", org, "orgs", "locales", "add", "de-DE")
    run("markets", "create", "us", "--name", "US", "--type", "single-country",
        "--currency", "USD", "--country", "US", "--default")  # fmt: skip
    run("markets", "create", "eu", "--name", "EU", "--type", "custom", "--currency", "EUR")
    title = f"Python 101 by {org}"
    run("products", "create", "python-101", "--type", "course", "--title", title,
        "--status", "active")  # fmt: skip
    for slug, prices in PLANS[org]:
        options = [f"--price={market}={amount}" for market, amount in prices.items()]
        run("plans", "create", "python-101", slug, "--type", "one-time", "--tier", "1",
            *options)  # fmt: skip
    run("products", "create", "drafty", "--type", "digital", "--title", "Draft")
    run("plans", "create", "drafty", "dl", "--type", "one-time", "--tier", "1",
        "--price", "us=5")  # fmt: skip
    run("products", "create", "no-plans", "--type", "digital", "--title", "No plans",
        "--status", "active")  # fmt: skip


def listed(cli: Cli, *options: str) -> list[dict]:
    return cli.json("marketplace", "list", *options)


def test_publish_lists_only_active_priced_products_with_a_category_slug(world: Cli) -> None:
    acme = ("--org", "acme")
    assert_one_error(
        world.fails(1, *acme, "marketplace", "publish", "drafty", "--category", "x"),
        "'drafty' is draft",
    )
    assert_one_error(
        world.fails(1, *acme, "marketplace", "publish", "no-plans", "--category", "x"),
        "'no-plans' has no active plan priced",
    )
    for bad in ("Data Science", "data_science", "-x", "c" * 101):
        assert_one_error(
            world.fails(1, *acme, "marketplace", "publish", "python-101", "--category", bad),
            "category",
        )
    assert_one_error(
        world.fails(1, *acme, "marketplace", "publish", "ghost", "--category", "x"),
        "product 'ghost' not found in org acme",
    )
    world.fails(2, *acme, "marketplace", "publish", "python-101")  # --category is required
    assert listed(world) == []

    row = world.json(*acme, "marketplace", "publish", "python-101", "--category", "programming")
    assert (row["org"], row["product"], row["category"], row["status"]) == (
        "acme",
        "python-101",
        "programming",
        "listed",
    )
    assert row["prices"] == expected_ranges(PLANS["acme"])
    again = world.json(*acme, "marketplace", "publish", "python-101", "--category", "python")
    assert again["category"] == "python"
    assert again["listed_at"] == row["listed_at"]  # re-publishing keeps the day it was listed
    assert [(r["org"], r["category"]) for r in listed(world)] == [("acme", "python")]


def test_list_is_platform_wide_with_price_ranges_and_filters(world: Cli) -> None:
    world.ok("--org", "acme", "marketplace", "publish", "python-101", "--category", "programming")
    world.ok("--org", "globex", "marketplace", "publish", "python-101", "--category", "beginners")
    rows = listed(world)
    assert [(r["org"], r["product"], r["title"]) for r in rows] == [
        ("acme", "python-101", "Python 101 by acme"),
        ("globex", "python-101", "Python 101 by globex"),
    ]
    assert [r["prices"] for r in rows] == [expected_ranges(PLANS[org]) for org in PLANS]
    assert [r["org"] for r in listed(world, "--category", "beginners")] == ["globex"]
    assert listed(world, "--category", "nothing-here") == []

    in_euros = listed(world, "--currency", "eur")  # globex has no EUR price: left out
    assert [r["org"] for r in in_euros] == ["acme"]
    assert [p["currency"] for p in in_euros[0]["prices"]] == ["EUR"]
    assert_one_error(world.fails(1, "marketplace", "list", "--currency", "XYZ"), "XYZ")

    table = world.ok("marketplace", "list", "--format", "table").stdout
    for amount in ("$49.00", "$99.50", "€45.00", "$19.99"):  # en-US display
        assert amount in table
    csv_text = world.ok("marketplace", "list", "--format", "csv").stdout
    assert csv_text.splitlines()[0].startswith("org,product,title,category")
    assert json.loads(world.ok("marketplace", "list", "--format", "json").stdout) == rows


def test_titles_fall_back_per_locale(world: Cli) -> None:
    world.ok("--org", "acme", "products", "update", "python-101", "--title", "Python auf Deutsch",
             "--locale", "de-DE")  # fmt: skip
    for org in ("acme", "globex"):
        world.ok("--org", org, "marketplace", "publish", "python-101", "--category", "python")
    titles = {r["org"]: r["title"] for r in listed(world, "--locale", "de-AT")}
    # acme: its de-DE title (same language); globex has none: its default title
    assert titles == {"acme": "Python auf Deutsch", "globex": "Python 101 by globex"}


def test_only_what_is_listed_and_for_sale_is_shown(world: Cli) -> None:
    acme = ("--org", "acme")
    world.ok(*acme, "marketplace", "publish", "python-101", "--category", "python")
    world.ok("--org", "globex", "marketplace", "publish", "python-101", "--category", "python")

    world.ok(*acme, "plans", "update", "python-101/pro", "--status", "inactive")
    acme_row = next(r for r in listed(world) if r["org"] == "acme")
    assert acme_row["prices"] == expected_ranges(PLANS["acme"][:1])  # pro left out

    world.ok(*acme, "markets", "update", "eu", "--status", "inactive")  # no EUR for sale
    acme_row = next(r for r in listed(world) if r["org"] == "acme")
    assert [p["currency"] for p in acme_row["prices"]] == ["USD"]

    world.ok("orgs", "update", "globex", "--status", "suspended")
    assert [r["org"] for r in listed(world)] == ["acme"]
    world.ok("orgs", "update", "globex", "--status", "active")

    world.ok(*acme, "products", "archive", "python-101")  # still listed, no longer active
    assert [r["org"] for r in listed(world)] == ["globex"]
    world.ok(*acme, "products", "update", "python-101", "--status", "active")
    assert [r["org"] for r in listed(world)] == ["acme", "globex"]

    unpublished = world.json("--org", "globex", "marketplace", "unpublish", "python-101")
    assert unpublished["status"] == "delisted"
    assert [r["org"] for r in listed(world)] == ["acme"]
    assert_one_error(
        world.fails(1, "--org", "globex", "marketplace", "unpublish", "python-101"),
        "not published",
    )
    assert_one_error(
        world.fails(1, "--org", "globex", "marketplace", "unpublish", "no-plans"),
        "not published",
    )


def test_a_usage_based_plan_leaves_the_fixed_price_range_alone(world: Cli) -> None:
    """A usage plan's charge depends on the usage: its per_unit row (0 beside a unit price of
    0.005) must not pull the range's minimum down to 0.00."""
    world.ok("--org", "acme", "plans", "create", "python-101", "metered", "--type",
             "usage-based", "--tier", "1", "--unit", "call", "--price", "us=0.005")  # fmt: skip
    world.ok("--org", "acme", "marketplace", "publish", "python-101", "--category", "programming")
    (row,) = [r for r in listed(world) if r["org"] == "acme"]
    assert row["prices"] == expected_ranges(PLANS["acme"])
