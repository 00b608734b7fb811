"""Properties of the org administration rules that must hold for every input."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from volmify_cli.models.orgs import Org, OrgLocale
from volmify_cli.reference.locales import STARTER_LOCALES
from volmify_cli.services.markets import CountrySpec, parse_country_spec
from volmify_cli.services.org_locales import add_org_locales, list_org_locales
from volmify_cli.services.orgs import create_org

LOCALES = [key for key, *_ in STARTER_LOCALES]
_serial = itertools.count()

steps = st.lists(
    st.tuples(st.lists(st.sampled_from(LOCALES), max_size=3), st.none() | st.sampled_from(LOCALES)),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_exactly_one_default_locale_and_it_is_the_orgs(
    session: Session, steps: list[tuple[list[str], str | None]]
) -> None:
    slug = f"prop-{next(_serial)}"
    create_org(session, slug=slug, name="Property")
    expected_default = "en-US"
    expected_keys = {"en-US"}
    for keys, default in steps:
        add_org_locales(session, org_slug=slug, keys=keys, default=default)
        expected_keys |= set(keys) | ({default} if default else set())
        expected_default = default or expected_default
    org = session.exec(select(Org).where(Org.slug == slug)).one()
    defaults = session.exec(
        select(OrgLocale.locale_key).where(OrgLocale.org_id == org.id, OrgLocale.is_default)
    ).all()
    assert list(defaults) == [expected_default] == [org.default_locale_key]
    listed = list_org_locales(session, org_slug=slug)
    assert {row["key"] for row in listed} == expected_keys
    assert listed[0]["key"] == expected_default


@given(
    country=st.sampled_from(["DE", "AT", "US", "BR", "JP"]),
    locale=st.none() | st.sampled_from(LOCALES),
    lower=st.booleans(),
)
def test_country_spec_round_trip(country: str, locale: str | None, lower: bool) -> None:
    text = (country.lower() if lower else country) + (f":{locale}" if locale else "")
    assert parse_country_spec(text) == CountrySpec(country, locale)
