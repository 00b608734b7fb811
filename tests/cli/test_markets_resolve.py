"""Issue 20: the localization hierarchy is used. `markets resolve COUNTRY` gives the country's
market and the locale a buyer there gets (the country's own locale > the market's default
locale > the org's default locale) with the level that decided it; `products show|list
--market M [--country CC]` show the catalog as a buyer there sees it: texts in that locale,
falling back field by field (its language, then the org's default locale), and that market's
prices only. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from tests.cli.helpers import assert_one_error
from tests.support import Cli
from volmify_cli.db.engine import make_engine

ORG = ("--org", "acme")
EN = ("Python 101", "An introduction to Python.")
DE = "Python 101 auf Deutsch"  # no German description
FR = ("Python 101 en français", "Une introduction à Python.")


@pytest.fixture
def shop(cli: Cli) -> Cli:
    """acme (default locale en-US) sells in us (USD), dach (EUR; AT has its own locale de-AT)
    and fr (EUR); python-101's basic plan is priced in dach and us, its team plan in us only;
    a mug is priced nowhere."""
    cli.ok("orgs", "create", "acme", "--name", "Acme", "--locale", "en-US")
    cli.ok("orgs", "locales", "add", "de-DE", "de-AT", "fr-FR", *ORG)
    markets = [
        ("us", "single-country", "USD", ["US"], ["en-US"]),
        ("dach", "multi-region", "EUR", ["DE", "AT:de-AT", "CH"], ["de-DE", "de-AT", "en-US"]),
        ("fr", "single-country", "EUR", ["FR"], ["fr-FR"]),
    ]
    for slug, kind, currency, countries, locales in markets:
        cli.ok(
            "markets", "create", slug, "--name", slug.upper(), "--type", kind,
            "--currency", currency, *[a for c in countries for a in ("--country", c)],
            *[a for k in locales for a in ("--locale", k)], *ORG,
        )  # fmt: skip
    cli.ok(
        "products", "create", "python-101", "--type", "course", "--title", EN[0],
        "--description", EN[1], *ORG,
    )  # fmt: skip
    cli.ok("products", "update", "python-101", "--title", DE, "--locale", "de-DE", *ORG)
    cli.ok(
        "products", "update", "python-101", "--title", FR[0], "--description", FR[1],
        "--locale", "fr-FR", *ORG,
    )  # fmt: skip
    cli.ok("products", "create", "mug", "--type", "physical", "--title", "Acme mug", *ORG)
    cli.ok(
        "plans", "create", "python-101", "basic", "--type", "one-time", "--tier", "1",
        "--price", "dach=49", "--compare-at", "dach=59", "--price", "us=59", *ORG,
    )  # fmt: skip
    cli.ok(
        "plans", "create", "python-101", "team", "--type", "subscription", "--tier", "2",
        "--interval", "month", "--price", "us=19.99", *ORG,
    )  # fmt: skip
    return cli


def resolved(country: str | None, market: str, locale: str, level: str) -> dict[str, Any]:
    return {"country": country, "market": market, "locale": locale, "locale_from": level}


def price(currency: str, minor: int, decimal: str, **extra: Any) -> dict[str, Any]:
    return {
        "currency": currency, "amount_minor": minor, "amount": decimal,
        "compare_at_minor": None, "compare_at": None, "setup_fee_minor": None, "setup_fee": None,
    } | extra  # fmt: skip


BASIC_IN_DACH = price("EUR", 4900, "49.00", compare_at_minor=5900, compare_at="59.00")
DACH_BASIC = {"market": "dach", **BASIC_IN_DACH}  # as `products show` lists a plan's prices


# -- markets resolve -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("AT", resolved("AT", "dach", "de-AT", "country")),
        ("at", resolved("AT", "dach", "de-AT", "country")),
        ("DE", resolved("DE", "dach", "de-DE", "market")),
        ("CH", resolved("CH", "dach", "de-DE", "market")),
        ("US", resolved("US", "us", "en-US", "market")),
        ("FR", resolved("FR", "fr", "fr-FR", "market")),
    ],
)
def test_resolve_names_the_market_and_the_locale_with_its_level(
    shop: Cli, country: str, expected: dict[str, Any]
) -> None:
    assert shop.json("markets", "resolve", country, *ORG) == expected


def test_a_market_without_locales_takes_the_orgs_default_locale(shop: Cli) -> None:
    # a market stored without locales (the commands and files always give it one)
    engine = make_engine(shop.db_url or "")
    with engine.begin() as connection:
        connection.execute(
            text(
                "DELETE FROM org_market_locale WHERE market_id IN"
                " (SELECT id FROM org_market WHERE slug = 'fr')"
            )
        )
    engine.dispose()
    assert shop.json("markets", "resolve", "FR", *ORG) == resolved("FR", "fr", "en-US", "org")


def test_a_country_in_no_market_is_an_error_naming_the_default_market(shop: Cli) -> None:
    shop.ok("orgs", "create", "rival", "--name", "Rival")
    shop.ok(
        "markets", "create", "br", "--name", "BR", "--type", "single-country",
        "--currency", "BRL", "--country", "BR", "--org", "rival",
    )  # fmt: skip
    result = shop.fails(1, "markets", "resolve", "BR", *ORG)
    assert_one_error(result, "country BR is in no market of org acme")
    assert "the org's default market is us" in result.stderr.splitlines()[1]
    assert shop.json("markets", "resolve", "BR", "--org", "rival") == resolved(
        "BR", "br", "en-US", "market"
    )
    assert_one_error(shop.fails(1, "markets", "resolve", "XX", *ORG), "unknown country 'XX'")
    assert_one_error(shop.fails(1, "markets", "resolve", "D1", *ORG), "'D1'")


# -- products show / list as a buyer sees them ---------------------------------------------------


def shown(cli: Cli, *args: str) -> dict[str, Any]:
    product = cli.json("products", "show", "python-101", *args, *ORG)
    return {
        "texts": (product["title"], product["description"]),
        "where": {k: product[k] for k in ("country", "market", "locale", "locale_from")},
        "plans": {plan["plan"]: plan["prices"] for plan in product["plans"]},
    }


def test_show_as_a_buyer_in_a_country_with_its_own_locale(shop: Cli) -> None:
    # de-AT: the title in its language (de-DE), the description in the org's default locale
    assert shown(shop, "--market", "dach", "--country", "AT") == {
        "texts": (DE, EN[1]),
        "where": resolved("AT", "dach", "de-AT", "country"),
        "plans": {"python-101/standard/basic": [DACH_BASIC]},  # the team plan is not sold there
    }
    # --locale does not change what a buyer there reads
    assert shown(shop, "--market", "dach", "--country", "AT", "--locale", "fr-FR")["texts"] == (
        DE,
        EN[1],
    )


def test_show_in_a_market_and_in_a_country_alone(shop: Cli) -> None:
    assert shown(shop, "--market", "fr") == {
        "texts": FR,
        "where": resolved(None, "fr", "fr-FR", "market"),
        "plans": {},
    }
    assert shown(shop, "--market", "us") == {
        "texts": EN,
        "where": resolved(None, "us", "en-US", "market"),
        "plans": {
            "python-101/standard/basic": [{"market": "us", **price("USD", 5900, "59.00")}],
            "python-101/standard/team": [{"market": "us", **price("USD", 1999, "19.99")}],
        },
    }
    assert shown(shop, "--country", "CH") == {  # the country's market
        "texts": (DE, EN[1]),
        "where": resolved("CH", "dach", "de-DE", "market"),
        "plans": {"python-101/standard/basic": [DACH_BASIC]},
    }
    # without a market: every market's prices, as before
    everything = shop.json("products", "show", "python-101", *ORG)
    basic = {p["plan"]: p["prices"] for p in everything["plans"]}["python-101/standard/basic"]
    assert [p["market"] for p in basic] == ["dach", "us"]


def test_list_as_a_buyer_in_a_market(shop: Cli) -> None:
    rows = shop.json("products", "list", "--market", "dach", "--country", "AT", *ORG)
    assert [
        (r["slug"], r["title"], r["prices"], r["market"], r["country"], r["locale"]) for r in rows
    ] == [
        ("mug", "Acme mug", [], "dach", "AT", "de-AT"),  # not sold there
        (
            "python-101",
            DE,
            [{"plan": "python-101/standard/basic", **BASIC_IN_DACH}],
            "dach",
            "AT",
            "de-AT",
        ),
    ]
    us = shop.json("products", "list", "--market", "us", *ORG)
    assert [[p["plan"] for p in r["prices"]] for r in us] == [
        [],
        ["python-101/standard/basic", "python-101/standard/team"],
    ]
    table = shop.ok("products", "list", "--market", "dach", "--format", "table", *ORG).stdout
    assert "standard/basic 49,00" in table  # money as a buyer in de-DE reads it


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--market", "dach", "--country", "FR"), "country FR is not in market 'dach'"),
        (("--market", "nowhere"), "market 'nowhere' not found in org acme"),
        (("--country", "BR"), "country BR is in no market of org acme"),
    ],
)
def test_a_country_outside_the_market_is_an_error(
    shop: Cli, args: tuple[str, ...], words: str
) -> None:
    for command in (("show", "python-101"), ("list",)):
        assert_one_error(shop.fails(1, "products", *command, *args, *ORG), words)
