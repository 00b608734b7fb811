"""The locales of an organization: one default, kept in sync with the org; safe removal."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.factories import make_brand, make_market, make_org
from volmify_cli.errors import ConflictError, NotFoundError, RuleError
from volmify_cli.l10n import LocaleError
from volmify_cli.models.orgs import Org, OrgLocale
from volmify_cli.services.org_locales import (
    add_org_locales,
    list_org_locales,
    remove_org_locale,
)


def _defaults(session: Session, org: Org) -> list[str]:
    rows = session.exec(
        select(OrgLocale).where(OrgLocale.org_id == org.id, OrgLocale.is_default)
    ).all()
    return [row.locale_key for row in rows]


def test_add_keeps_order_and_the_existing_default(session: Session) -> None:
    org = make_org(session, "acme")
    rows = add_org_locales(session, org_slug="acme", keys=["fr_fr", "de-DE", "en-US"])
    assert [(r["key"], r["is_default"]) for r in rows] == [
        ("en-US", True),
        ("fr-FR", False),
        ("de-DE", False),
    ]
    assert rows[1]["native_name"] == "français (France)"
    assert _defaults(session, org) == ["en-US"]


def test_default_moves_and_the_org_follows(session: Session) -> None:
    org = make_org(session, "acme")
    add_org_locales(session, org_slug="acme", keys=["de-DE"])
    rows = add_org_locales(session, org_slug="acme", keys=["fr-FR"], default="de-DE")
    assert [r["key"] for r in rows if r["is_default"]] == ["de-DE"]
    assert _defaults(session, org) == ["de-DE"]
    assert org.default_locale_key == "de-DE"


def test_adding_an_inactive_locale_makes_it_active_again(session: Session) -> None:
    org = make_org(session, "acme")
    add_org_locales(session, org_slug="acme", keys=["de-DE"])
    row = session.exec(
        select(OrgLocale).where(OrgLocale.org_id == org.id, OrgLocale.locale_key == "de-DE")
    ).one()
    row.is_active = False  # as an older version or another tool may leave it
    session.add(row)
    session.flush()
    rows = add_org_locales(session, org_slug="acme", keys=["de-DE"])
    assert [(r["key"], r["is_active"]) for r in rows] == [("en-US", True), ("de-DE", True)]


def test_default_that_is_not_listed_is_added_too(session: Session) -> None:
    org = make_org(session, "acme")
    rows = add_org_locales(session, org_slug="acme", keys=["fr-FR"], default="pt-BR")
    assert {r["key"] for r in rows} == {"en-US", "fr-FR", "pt-BR"}
    assert org.default_locale_key == "pt-BR"
    assert _defaults(session, org) == ["pt-BR"]


def test_an_unknown_key_adds_nothing(session: Session) -> None:
    make_org(session, "acme")
    with pytest.raises(LocaleError, match="unknown locale 'xx-YY'"):
        add_org_locales(session, org_slug="acme", keys=["de-DE", "xx-YY"])
    assert [r["key"] for r in list_org_locales(session, org_slug="acme")] == ["en-US"]


def test_remove_an_unused_locale(session: Session) -> None:
    make_org(session, "acme", locales=("en-US", "de-DE"))
    remove_org_locale(session, org_slug="acme", key="de-de")
    assert [r["key"] for r in list_org_locales(session, org_slug="acme")] == ["en-US"]


def test_removing_the_default_is_refused(session: Session) -> None:
    make_org(session, "acme", locales=("en-US", "de-DE"))
    with pytest.raises(RuleError, match="'en-US' is the default locale of org acme"):
        remove_org_locale(session, org_slug="acme", key="en-US")


def test_removing_a_locale_a_market_uses_is_refused(session: Session) -> None:
    org = make_org(session, "acme", locales=("de-DE", "en-US"))
    make_market(session, org, "de")  # market locale = org default de-DE
    add_org_locales(session, org_slug="acme", keys=["en-US"], default="en-US")
    with pytest.raises(ConflictError, match="'de-DE' is still used in org acme by 1 market"):
        remove_org_locale(session, org_slug="acme", key="de-DE")


def test_removing_a_locale_a_translation_uses_is_refused(session: Session) -> None:
    org = make_org(session, "acme", locales=("de-DE", "en-US"))
    make_brand(session, org, "marke")  # its name is written in de-DE
    add_org_locales(session, org_slug="acme", keys=["en-US"], default="en-US")
    with pytest.raises(ConflictError, match="by 1 translation"):
        remove_org_locale(session, org_slug="acme", key="de-DE")


def test_removing_a_locale_the_org_does_not_have(session: Session) -> None:
    make_org(session, "acme")
    with pytest.raises(NotFoundError, match="'ja-JP' is not a locale of org acme"):
        remove_org_locale(session, org_slug="acme", key="ja-JP")


def test_locales_of_another_org_are_untouched(session: Session) -> None:
    make_org(session, "acme")
    other = make_org(session, "other", locales=("fr-FR",))
    add_org_locales(session, org_slug="acme", keys=["de-DE"], default="de-DE")
    assert [r["key"] for r in list_org_locales(session, org_slug="other")] == ["fr-FR"]
    assert other.default_locale_key == "fr-FR"
