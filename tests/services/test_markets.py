"""Markets: locales as a subset of the org's, countries, brand, domain, one default."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlmodel import Session

from tests.factories import default_variant, make_brand, make_org, make_plan, make_product
from volmify_cli.errors import ConflictError, NotFoundError, RuleError, UsageError
from volmify_cli.l10n import LocaleError
from volmify_cli.money import MoneyError
from volmify_cli.services.lookup import get_market
from volmify_cli.services.market_writes import create_market, delete_market, update_market
from volmify_cli.services.markets import (
    CountrySpec,
    list_markets,
    parse_country_spec,
    show_market,
)


def _create(session: Session, slug: str = "eu", **kwargs: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "org_slug": "acme",
        "slug": slug,
        "name": slug.upper(),
        "type": "custom",
        "currency": "EUR",
        **kwargs,
    }
    return dict(create_market(session, **values))


@pytest.fixture
def acme(session: Session) -> Any:
    return make_org(session, "acme", locales=("en-US", "de-DE", "de-AT", "fr-FR"))


def test_parse_country_spec() -> None:
    assert parse_country_spec("DE") == CountrySpec("DE", None)
    assert parse_country_spec(" at:de-AT ") == CountrySpec("AT", "de-AT")
    with pytest.raises(RuleError, match="names no locale"):
        parse_country_spec("DE:")
    with pytest.raises(RuleError, match="'D1' is not an ISO 3166-1"):
        parse_country_spec("D1")


def test_create_full_market(session: Session, acme: Any) -> None:
    make_brand(session, acme, "academy")
    market = _create(
        session,
        type="multi-region",
        countries=[CountrySpec("DE"), CountrySpec("AT", "de-AT")],
        locales=["de-DE", "de_at"],
        brand="academy",
        domain="eu.acme.example",
    )
    assert market == {
        "slug": "eu",
        "name": "EU",
        "type": "multi_region",
        "currency": "EUR",
        "countries": [{"country": "DE", "locale": None}, {"country": "AT", "locale": "de-AT"}],
        "locales": ["de-DE", "de-AT"],
        "default_locale": "de-DE",
        "brand": "academy",
        "domain": "eu.acme.example",
        "is_default": True,  # the org's first market
        "status": "active",
    }


def test_without_locales_the_market_uses_the_org_default(session: Session, acme: Any) -> None:
    one = [parse_country_spec("US")]  # a single_country market has one country (issue 20)
    assert _create(session, type="single_country", countries=one)["locales"] == ["en-US"]


def test_market_locale_must_be_one_of_the_orgs(session: Session, acme: Any) -> None:
    with pytest.raises(RuleError, match="locale 'ja-JP' is not a locale of org acme"):
        _create(session, locales=["de-DE", "ja-JP"])
    with pytest.raises(LocaleError, match="unknown locale 'zz-ZZ'"):
        _create(session, locales=["zz-ZZ"])
    assert list_markets(session, org_slug="acme") == []


def test_country_locale_must_be_a_market_locale(session: Session, acme: Any) -> None:
    with pytest.raises(RuleError, match=r"country AT: locale 'de-AT' is not one of the market"):
        _create(session, countries=[CountrySpec("AT", "de-AT")], locales=["de-DE"])


def test_unknown_or_repeated_country(session: Session, acme: Any) -> None:
    with pytest.raises(NotFoundError, match="unknown country 'XX'"):
        _create(session, countries=[CountrySpec("XX")])
    with pytest.raises(RuleError, match="country DE is listed twice"):
        _create(session, countries=[CountrySpec("DE"), CountrySpec("DE")])


def test_unknown_currency_and_type(session: Session, acme: Any) -> None:
    with pytest.raises(MoneyError, match="unknown currency 'ABC'"):
        _create(session, currency="ABC")
    with pytest.raises(UsageError, match="market type 'global' is not one of"):
        _create(session, type="global")


def test_brand_of_another_org_is_not_found(session: Session, acme: Any) -> None:
    make_brand(session, make_org(session, "other"), "theirs")
    with pytest.raises(NotFoundError, match="brand 'theirs' not found in org acme"):
        _create(session, brand="theirs")


def test_domain_rules(session: Session, acme: Any) -> None:
    make_org(session, "other")
    create_market(
        session,
        org_slug="other",
        slug="o",
        name="O",
        type="custom",
        currency="USD",
        domain="shop.example.com",
    )
    with pytest.raises(ConflictError) as info:
        _create(session, domain="shop.example.com")
    assert info.value.reason == "domain 'shop.example.com' is already used by another organization"
    assert "other" not in info.value.reason.replace("another", "")
    _create(session, "one", domain="one.acme.example")
    with pytest.raises(ConflictError, match="already used by market 'one'"):
        _create(session, "two", domain="one.acme.example")
    with pytest.raises(
        RuleError, match=re.escape("domain 'Bad.Example' is not a lower-case host name")
    ):
        _create(session, "three", domain="Bad.Example")


def test_duplicate_slug(session: Session, acme: Any) -> None:
    _create(session)
    with pytest.raises(ConflictError, match="market 'eu' already exists in org acme"):
        _create(session)


def test_one_default_market_per_org(session: Session, acme: Any) -> None:
    _create(session, "eu")
    _create(session, "us")
    assert [m["slug"] for m in list_markets(session, org_slug="acme") if m["is_default"]] == ["eu"]
    _create(session, "uk", default=True)
    assert [m["slug"] for m in list_markets(session, org_slug="acme") if m["is_default"]] == ["uk"]
    update_market(session, org_slug="acme", slug="us", default=True)
    assert [m["slug"] for m in list_markets(session, org_slug="acme") if m["is_default"]] == ["us"]


def test_update_replaces_locales_and_countries(session: Session, acme: Any) -> None:
    _create(session, countries=[CountrySpec("AT", "de-AT")], locales=["de-DE", "de-AT"])
    with pytest.raises(RuleError, match="country AT: locale 'de-AT' is not one of"):
        update_market(session, org_slug="acme", slug="eu", locales=["fr-FR"])
    updated = update_market(
        session,
        org_slug="acme",
        slug="eu",
        locales=["fr-FR", "de-DE"],
        countries=[CountrySpec("FR"), CountrySpec("BE", "fr-FR")],
        name="Europe",
        status="inactive",
    )
    assert updated == {
        **updated,
        "name": "Europe",
        "locales": ["fr-FR", "de-DE"],
        "default_locale": "fr-FR",
        "countries": [{"country": "FR", "locale": None}, {"country": "BE", "locale": "fr-FR"}],
        "status": "inactive",
    }


def test_update_brand_and_domain_set_and_clear(session: Session, acme: Any) -> None:
    make_brand(session, acme, "academy")
    _create(session)
    updated = update_market(
        session, org_slug="acme", slug="eu", brand="academy", domain="eu.acme.example"
    )
    assert (updated["brand"], updated["domain"]) == ("academy", "eu.acme.example")
    cleared = update_market(
        session, org_slug="acme", slug="eu", clear_brand=True, clear_domain=True
    )
    assert (cleared["brand"], cleared["domain"]) == (None, None)


def _price(session: Session, org: Any, market_slug: str) -> None:
    product = make_product(session, org)
    make_plan(
        session,
        default_variant(session, product),
        prices=[(get_market(session, org, market_slug), 1900)],
    )


def test_currency_of_a_market_with_prices_cannot_change(session: Session, acme: Any) -> None:
    _create(session)
    _price(session, acme, "eu")
    with pytest.raises(RuleError, match="market 'eu' has 1 price\\(s\\) in EUR"):
        update_market(session, org_slug="acme", slug="eu", currency="USD")


def test_delete_with_prices_is_refused_naming_the_count(session: Session, acme: Any) -> None:
    _create(session)
    _price(session, acme, "eu")
    with pytest.raises(ConflictError, match="market 'eu' is used by 1 price in org acme"):
        delete_market(session, org_slug="acme", slug="eu")


def test_delete_removes_countries_locales_and_names(session: Session, acme: Any) -> None:
    _create(session, countries=[CountrySpec("DE")], locales=["de-DE"])
    delete_market(session, org_slug="acme", slug="eu")
    session.expire_all()
    assert list_markets(session, org_slug="acme") == []
    with pytest.raises(NotFoundError, match="market 'eu' not found in org acme"):
        show_market(session, org_slug="acme", slug="eu")


def test_markets_of_another_org_are_invisible(session: Session, acme: Any) -> None:
    make_org(session, "other")
    create_market(
        session, org_slug="other", slug="eu", name="Theirs", type="custom", currency="EUR"
    )
    assert list_markets(session, org_slug="acme") == []
    _create(session)
    assert [m["name"] for m in list_markets(session, org_slug="acme")] == ["EU"]
    assert show_market(session, org_slug="other", slug="eu")["name"] == "Theirs"
