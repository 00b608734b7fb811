"""Brands: translated names per org locale, display fallback, guarded deletion."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.factories import attribute_brand, make_market, make_org, make_product
from volmify_cli.errors import ConflictError, NotFoundError, RuleError
from volmify_cli.services.brands import (
    create_brand,
    delete_brand,
    list_brands,
    show_brand,
    update_brand,
)
from volmify_cli.services.lookup import get_brand


def test_create_writes_the_default_locale_and_reads_back(session: Session) -> None:
    make_org(session, "acme")
    created = create_brand(
        session, org_slug="acme", slug="academy", name="Acme Academy", description="Courses"
    )
    assert created == {
        **created,
        "slug": "academy",
        "name": "Acme Academy",
        "description": "Courses",
        "is_active": True,
        "translations": {"en-US": {"name": "Acme Academy", "description": "Courses"}},
    }


def test_names_per_locale_with_fallback(session: Session) -> None:
    make_org(session, "acme", locales=("en-US", "de-DE"))
    create_brand(session, org_slug="acme", slug="academy", name="Acme Academy")
    update_brand(session, org_slug="acme", slug="academy", name="Akademie", locale="de-DE")
    by_locale = {
        locale: list_brands(session, org_slug="acme", locale=locale)[0]["name"]
        for locale in ("en-US", "de-DE", "de-AT", "fr-FR")
    }
    assert by_locale == {
        "en-US": "Acme Academy",
        "de-DE": "Akademie",
        "de-AT": "Akademie",  # same language
        "fr-FR": "Acme Academy",  # the default translation
    }
    shown = show_brand(session, org_slug="acme", slug="academy", locale="de-DE")
    assert list(shown["translations"]) == ["en-US", "de-DE"]


def test_first_translation_in_another_locale_is_the_default_until_the_org_locale_comes(
    session: Session,
) -> None:
    make_org(session, "acme", locales=("en-US", "de-DE"))
    create_brand(session, org_slug="acme", slug="marke", name="Marke", locale="de-DE")
    assert show_brand(session, org_slug="acme", slug="marke", locale="fr-FR")["name"] == "Marke"
    update_brand(session, org_slug="acme", slug="marke", name="Brand", locale="en-US")
    assert show_brand(session, org_slug="acme", slug="marke", locale="fr-FR")["name"] == "Brand"


def test_a_locale_the_org_does_not_have_is_refused(session: Session) -> None:
    make_org(session, "acme")
    with pytest.raises(RuleError, match="locale 'fr-FR' is not a locale of org acme"):
        create_brand(session, org_slug="acme", slug="b", name="B", locale="fr-FR")
    assert list_brands(session, org_slug="acme") == []


def test_new_translation_needs_a_name(session: Session) -> None:
    make_org(session, "acme", locales=("en-US", "de-DE"))
    create_brand(session, org_slug="acme", slug="b", name="B")
    with pytest.raises(RuleError, match="no text in de-DE yet"):
        update_brand(session, org_slug="acme", slug="b", description="Text", locale="de-DE")


def test_duplicate_slug_in_the_same_org_only(session: Session) -> None:
    make_org(session, "acme")
    make_org(session, "other")
    create_brand(session, org_slug="acme", slug="b", name="B")
    create_brand(session, org_slug="other", slug="b", name="Other B")
    with pytest.raises(ConflictError, match="brand 'b' already exists in org acme"):
        create_brand(session, org_slug="acme", slug="b", name="Again")


def test_brands_of_another_org_are_not_found(session: Session) -> None:
    make_org(session, "acme")
    make_org(session, "other")
    create_brand(session, org_slug="other", slug="theirs", name="Theirs")
    assert list_brands(session, org_slug="acme") == []
    with pytest.raises(NotFoundError, match="brand 'theirs' not found in org acme"):
        show_brand(session, org_slug="acme", slug="theirs")


def test_update_active_flag(session: Session) -> None:
    make_org(session, "acme")
    create_brand(session, org_slug="acme", slug="b", name="B")
    assert update_brand(session, org_slug="acme", slug="b", active=False)["is_active"] is False


def test_delete_refused_while_a_market_deploys_it(session: Session) -> None:
    org = make_org(session, "acme")
    create_brand(session, org_slug="acme", slug="b", name="B")
    make_market(session, org, "us", brand=get_brand(session, org, "b"))
    with pytest.raises(ConflictError, match="brand 'b' is used by 1 market in org acme"):
        delete_brand(session, org_slug="acme", slug="b")


def test_delete_takes_translations_and_attributions_with_it(session: Session) -> None:
    org = make_org(session, "acme")
    create_brand(session, org_slug="acme", slug="b", name="B")
    attribute_brand(session, make_product(session, org), get_brand(session, org, "b"))
    removed = delete_brand(session, org_slug="acme", slug="b")
    assert removed == {"org_brand_translation": 1, "org_product_brand_attribution": 1}
    session.expire_all()
    assert list_brands(session, org_slug="acme") == []
