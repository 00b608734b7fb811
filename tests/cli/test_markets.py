"""volmify markets: create, list, show, update, delete, and every bad input."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.cli.helpers import assert_one_error, fake_terminal, snapshot
from tests.factories import default_variant, make_plan, make_product
from tests.support import Cli
from volmify_cli.db.engine import make_engine
from volmify_cli.services.lookup import get_market, get_org

MARKET_KEYS = {
    "slug",
    "name",
    "type",
    "currency",
    "countries",
    "locales",
    "default_locale",
    "brand",
    "domain",
    "is_default",
    "status",
}


@pytest.fixture
def acme(cli: Cli) -> Cli:
    cli.ok("orgs", "create", "acme", "--name", "Acme")
    cli.ok("orgs", "locales", "add", "de-DE", "de-AT", "fr-FR", "--org", "acme")
    cli.ok("orgs", "brands", "create", "academy", "--name", "Academy", "--org", "acme")
    cli.ok("orgs", "create", "rivalco", "--name", "Rival Co")
    cli.ok("orgs", "brands", "create", "theirs", "--name", "Theirs", "--org", "rivalco")
    cli.ok(
        "markets",
        "create",
        "o",
        "--name",
        "O",
        "--type",
        "custom",
        "--currency",
        "USD",
        "--domain",
        "shop.example.net",
        "--org",
        "rivalco",
    )
    cli.ok("orgs", "use", "acme")
    return cli


def test_create_everything(acme: Cli) -> None:
    market = acme.json(
        "markets",
        "create",
        "dach",
        "--name",
        "DACH",
        "--type",
        "multi-region",
        "--currency",
        "eur",
        "--country",
        "de",
        "--country",
        "AT:de-AT",
        "--locale",
        "de-DE",
        "--locale",
        "de-AT",
        "--brand",
        "academy",
        "--domain",
        "DACH.Acme.Example",
    )
    assert set(market) == MARKET_KEYS
    assert market == {
        "slug": "dach",
        "name": "DACH",
        "type": "multi_region",
        "currency": "EUR",
        "countries": [{"country": "DE", "locale": None}, {"country": "AT", "locale": "de-AT"}],
        "locales": ["de-DE", "de-AT"],
        "default_locale": "de-DE",
        "brand": "academy",
        "domain": "dach.acme.example",
        "is_default": True,
        "status": "active",
    }
    assert acme.json("markets", "show", "dach") == market
    assert acme.json("markets", "list") == [market]


def test_type_spellings_and_default_locale(acme: Cli) -> None:
    one = acme.json(
        "markets", "create", "a", "--name", "A", "--type", "multi_region", "--currency", "EUR"
    )
    two = acme.json(
        "markets",
        "create",
        "b",
        "--name",
        "B",
        "--type",
        "single-country",
        "--currency",
        "USD",
        "--country",
        "US",  # a single_country market has exactly one country (issue 20)
        "--default",
    )
    assert (one["type"], two["type"]) == ("multi_region", "single_country")
    assert one["locales"] == ["en-US"]  # the org's default locale
    assert [m["slug"] for m in acme.json("markets", "list") if m["is_default"]] == ["b"]


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("--currency", "XXX"), 1, ["unknown currency 'XXX'"]),
        (("--locale", "zz-ZZ"), 1, ["unknown locale 'zz-ZZ'"]),
        (("--locale", "ja-JP"), 1, ["locale 'ja-JP' is not a locale of org acme"]),
        (("--locale", "de-DE", "--country", "AT:de-AT"), 1, ["locale 'de-AT' is not one of"]),
        (("--country", "XX"), 1, ["unknown country 'XX'"]),
        (("--country", "D1"), 1, ["'D1'"]),
        (
            ("--domain", "shop.example.net"),
            1,
            ["domain 'shop.example.net' is already used by another organization"],
        ),
        (("--domain", "not a host"), 1, ["domain 'not a host' is not a lower-case host name"]),
        (("--domain", "under_score.example"), 1, ["'under_score.example'"]),
        (("--brand", "theirs"), 1, ["brand 'theirs' not found in org acme"]),
        (("--brand", "nothing"), 1, ["brand 'nothing' not found in org acme"]),
    ],
)
def test_bad_inputs_exit_with_one_line_and_write_nothing(
    acme: Cli, args: tuple[str, ...], code: int, words: list[str]
) -> None:
    before = snapshot(acme, "acme", "rivalco")
    result = acme.fails(
        code,
        "markets",
        "create",
        "new",
        "--name",
        "New",
        "--type",
        "custom",
        "--currency",
        "EUR",
        *args,
    )
    assert_one_error(result, *words)
    assert "rivalco" not in result.stderr
    assert snapshot(acme, "acme", "rivalco") == before


def test_duplicate_slug_and_malformed_type(acme: Cli) -> None:
    acme.ok("markets", "create", "eu", "--name", "EU", "--type", "custom", "--currency", "EUR")
    before = snapshot(acme, "acme")
    assert_one_error(
        acme.fails(
            1, "markets", "create", "eu", "--name", "EU", "--type", "custom", "--currency", "EUR"
        ),
        "market 'eu' already exists in org acme",
    )
    result = acme.fails(
        2, "markets", "create", "x", "--name", "X", "--type", "global", "--currency", "EUR"
    )
    assert "'global' is not one of" in result.stderr
    assert snapshot(acme, "acme") == before


def test_missing_values_are_asked_on_a_terminal_only(
    acme: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_one_error(
        acme.fails(2, "markets", "create", "x", "--name", "X", "--currency", "EUR"), "--type"
    )
    terminal = fake_terminal(monkeypatch)
    terminal.answers.extend(["Prompted", "linguistic", "JPY"])
    market = acme.json("markets", "create", "jp")
    assert (market["name"], market["type"], market["currency"]) == ("Prompted", "linguistic", "JPY")


def test_update(acme: Cli) -> None:
    acme.ok(
        "markets",
        "create",
        "eu",
        "--name",
        "EU",
        "--type",
        "custom",
        "--currency",
        "EUR",
        "--locale",
        "de-DE",
        "--country",
        "DE",
    )
    updated = acme.json(
        "markets",
        "update",
        "eu",
        "--name",
        "Europe",
        "--type",
        "economic",
        "--locale",
        "fr-FR",
        "--locale",
        "de-DE",
        "--country",
        "FR:fr-FR",
        "--country",
        "BE",
        "--brand",
        "academy",
        "--domain",
        "eu.acme.example",
        "--status",
        "inactive",
    )
    assert {k: v for k, v in updated.items() if k != "is_default"} == {
        "slug": "eu",
        "name": "Europe",
        "type": "economic",
        "currency": "EUR",
        "countries": [{"country": "FR", "locale": "fr-FR"}, {"country": "BE", "locale": None}],
        "locales": ["fr-FR", "de-DE"],
        "default_locale": "fr-FR",
        "brand": "academy",
        "domain": "eu.acme.example",
        "status": "inactive",
    }
    cleared = acme.json("markets", "update", "eu", "--no-brand", "--no-domain")
    assert (cleared["brand"], cleared["domain"]) == (None, None)
    assert_one_error(
        acme.fails(2, "markets", "update", "eu", "--brand", "academy", "--no-brand"), "contradict"
    )
    assert_one_error(
        acme.fails(1, "markets", "update", "eu", "--domain", "shop.example.net"),
        "already used by another organization",
    )


def _add_price(db_url: str) -> None:
    engine = make_engine(db_url)
    with Session(engine) as session:
        org = get_org(session, "acme")
        product = make_product(session, org)
        make_plan(
            session,
            default_variant(session, product),
            prices=[(get_market(session, org, "eu"), 1900)],
        )
        session.commit()
    engine.dispose()


def test_delete(acme: Cli, db_url: str) -> None:
    acme.ok("markets", "create", "eu", "--name", "EU", "--type", "custom", "--currency", "EUR")
    acme.ok("markets", "create", "us", "--name", "US", "--type", "custom", "--currency", "USD")
    _add_price(db_url)
    assert "pass --yes" in acme.fails(2, "markets", "delete", "us").stderr
    assert_one_error(
        acme.fails(1, "markets", "delete", "eu", "--yes"),
        "market 'eu' is used by 1 price in org acme",
    )
    assert_one_error(
        acme.fails(1, "markets", "update", "eu", "--currency", "USD"), "has 1 price(s) in EUR"
    )
    acme.ok("markets", "delete", "us", "--yes")
    assert [m["slug"] for m in acme.json("markets", "list")] == ["eu"]
    assert_one_error(
        acme.fails(1, "markets", "delete", "us", "--yes"), "'us' not found in org acme"
    )
