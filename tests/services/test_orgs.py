"""Organizations: creation defaults, validation, updates, deletion (services)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.factories import make_brand, make_market, make_member, make_org, make_user
from volmify_cli.errors import ConflictError, NotFoundError, RuleError, UsageError
from volmify_cli.l10n import LocaleError
from volmify_cli.models.core import Locale
from volmify_cli.models.markets import OrgMarket
from volmify_cli.models.orgs import Org, OrgBrand, OrgLocale, OrgMember
from volmify_cli.money import MoneyError
from volmify_cli.services.org_reads import find_org_read, list_orgs, show_org
from volmify_cli.services.orgs import create_org, delete_org, update_org


def _org_locales(session: Session, slug: str) -> dict[str, bool]:
    org = session.exec(select(Org).where(Org.slug == slug)).one()
    rows = session.exec(select(OrgLocale).where(OrgLocale.org_id == org.id))
    return {row.locale_key: row.is_default for row in rows}


def test_create_defaults_to_en_us_and_usd_with_one_default_locale(session: Session) -> None:
    created = create_org(session, slug="acme", name="Acme Inc")
    assert created == {
        **created,
        "slug": "acme",
        "name": "Acme Inc",
        "default_locale": "en-US",
        "default_currency": "USD",
        "status": "active",
        "locales": ["en-US"],
    }
    assert created["created_at"].tzinfo is not None
    assert _org_locales(session, "acme") == {"en-US": True}


def test_create_canonicalises_locale_and_currency(session: Session) -> None:
    created = create_org(session, slug="beta", name="Beta", locale="de_at", currency="eur")
    assert (created["default_locale"], created["default_currency"]) == ("de-AT", "EUR")
    assert _org_locales(session, "beta") == {"de-AT": True}


def test_a_locale_babel_knows_but_the_registry_lacks_is_registered(session: Session) -> None:
    assert session.get(Locale, "sw-TZ") is None
    create_org(session, slug="kilimo", name="Kilimo", locale="sw-TZ")
    registered = session.get(Locale, "sw-TZ")
    assert registered is not None
    assert registered.english_name == "Swahili (Tanzania)"


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"currency": "XXX"}, MoneyError, "unknown currency 'XXX'"),
        ({"currency": "dollars"}, RuleError, "currency 'DOLLARS'"),
        ({"locale": "xx-YY"}, LocaleError, "unknown locale 'xx-YY'"),
        ({"slug": "Acme Inc"}, RuleError, "'Acme Inc' is not a valid slug"),
        ({"name": "  "}, RuleError, "name must not be empty"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    session: Session, kwargs: dict[str, str], error: type[Exception], words: str
) -> None:
    values = {"slug": "acme", "name": "Acme", **kwargs}
    with pytest.raises(error, match=words.replace("(", r"\(")):
        create_org(session, **values)
    assert session.exec(select(Org)).all() == []


def test_duplicate_slug_is_a_conflict(session: Session) -> None:
    create_org(session, slug="acme", name="Acme")
    with pytest.raises(ConflictError, match="organization 'acme' already exists"):
        create_org(session, slug="acme", name="Other")


def test_list_is_sorted_by_slug_and_limit_fetches_one_more(session: Session) -> None:
    for slug in ("gamma", "alpha", "beta"):
        create_org(session, slug=slug, name=slug.title())
    assert [row["slug"] for row in list_orgs(session)] == ["alpha", "beta", "gamma"]
    assert [row["slug"] for row in list_orgs(session, limit=1)] == ["alpha", "beta"]


def test_show_unknown_org_names_it(session: Session) -> None:
    with pytest.raises(NotFoundError, match="organization 'nope' not found"):
        show_org(session, slug="nope")
    assert find_org_read(session, "nope") is None


def test_update_changes_fields_and_keeps_the_default_locale_in_sync(session: Session) -> None:
    make_org(session, "acme", locales=("en-US", "de-DE"))
    updated = update_org(
        session,
        slug="acme",
        name="Acme AG",
        status="suspended",
        currency="chf",
        default_locale="de-DE",
    )
    assert updated["name"] == "Acme AG"
    assert updated["status"] == "suspended"
    assert updated["default_currency"] == "CHF"
    assert updated["default_locale"] == "de-DE"
    assert updated["locales"][0] == "de-DE"
    assert _org_locales(session, "acme") == {"en-US": False, "de-DE": True}


def test_update_default_locale_must_be_one_of_the_orgs(session: Session) -> None:
    make_org(session, "acme")
    with pytest.raises(RuleError, match="locale 'fr-FR' is not a locale of org acme"):
        update_org(session, slug="acme", default_locale="fr-FR")
    assert _org_locales(session, "acme") == {"en-US": True}


def test_update_refuses_an_unknown_status(session: Session) -> None:
    make_org(session, "acme")
    with pytest.raises(UsageError, match="status 'closed' is not one of: active"):
        update_org(session, slug="acme", status="closed")


def test_delete_removes_everything_the_org_owns_and_nothing_else(session: Session) -> None:
    acme = make_org(session, "acme")
    other = make_org(session, "other")
    for org in (acme, other):
        brand = make_brand(session, org, f"{org.slug}-brand")
        make_market(session, org, "us", brand=brand, default=True)
        make_member(session, org, make_user(session, f"ana@{org.slug}.example"))
    delete_org(session, slug="acme")
    session.expire_all()
    assert [o.slug for o in session.exec(select(Org))] == ["other"]
    for model in (OrgBrand, OrgMarket, OrgMember, OrgLocale):
        assert {row.org_id for row in session.exec(select(model))} == {other.id}  # type: ignore[attr-defined]
