"""Markets of an organization: reading them, and the checks every market write shares.

A market has a type, a currency, countries (each with an optional country-specific default
locale), a subset of the org's locales (the first is its default), an optional brand and an
optional domain that is unique across the whole platform. One market per org is the default.
Writes live in `market_writes`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.errors import ConflictError, NotFoundError, RuleError
from volmify_cli.models.core import Country
from volmify_cli.models.markets import (
    OrgMarket,
    OrgMarketCountry,
    OrgMarketLocale,
    OrgMarketTranslation,
)
from volmify_cli.models.orgs import Org, OrgBrand
from volmify_cli.services.lookup import get_market, get_org
from volmify_cli.translation_choice import choose_translation


class MarketCountryRead(TypedDict):
    country: str
    locale: str | None


class LocaleRead(TypedDict):
    """Where a buyer's country takes them: its market, and the locale by the localization
    hierarchy with the level that decided it (`country`, `market` or `org`)."""

    country: str | None
    market: str
    locale: str
    locale_from: str


class MarketRead(TypedDict):
    slug: str
    name: str | None
    type: str
    currency: str
    countries: list[MarketCountryRead]
    locales: list[str]
    default_locale: str | None
    brand: str | None
    domain: str | None
    is_default: bool
    status: str


@dataclass(frozen=True)
class CountrySpec:
    """A country of a market, with its optional country-specific default locale."""

    country: str
    locale: str | None = None


def parse_country_spec(text: str) -> CountrySpec:
    """`DE` or `DE:de-AT` as written on the command line (`de` is read as DE). Raises RuleError."""
    from volmify_cli.rules import check_country

    code, sep, locale = text.strip().partition(":")
    if sep and not locale.strip():
        raise RuleError(f"country {text!r} names no locale after ':'", "write it like DE:de-AT")
    return CountrySpec(check_country(code.strip().upper()), locale.strip() or None)


# -- reading ----------------------------------------------------------------------------------


def read_markets(
    session: Session, org: Org, markets: Sequence[OrgMarket], locale: str | None
) -> list[MarketRead]:
    """Read shapes of `markets`, with a fixed number of queries whatever their count."""
    ids = [market.id for market in markets]
    countries: dict[uuid.UUID, list[MarketCountryRead]] = {i: [] for i in ids}
    locales: dict[uuid.UUID, list[str]] = {i: [] for i in ids}
    defaults: dict[uuid.UUID, str] = {}
    names: dict[uuid.UUID, dict[str, OrgMarketTranslation]] = {i: {} for i in ids}
    brands: dict[uuid.UUID, str] = {}
    if ids:
        for c in session.exec(
            select(OrgMarketCountry)
            .where(OrgMarketCountry.org_id == org.id, col(OrgMarketCountry.market_id).in_(ids))
            .order_by(col(OrgMarketCountry.sort_order), col(OrgMarketCountry.country_code))
        ):
            countries[c.market_id].append(
                MarketCountryRead(country=c.country_code, locale=c.default_locale_key)
            )
        for loc in session.exec(
            select(OrgMarketLocale)
            .where(OrgMarketLocale.org_id == org.id, col(OrgMarketLocale.market_id).in_(ids))
            .order_by(
                col(OrgMarketLocale.is_default).desc(),
                col(OrgMarketLocale.sort_order),
                col(OrgMarketLocale.locale_key),
            )
        ):
            locales[loc.market_id].append(loc.locale_key)
            if loc.is_default:
                defaults[loc.market_id] = loc.locale_key
        for t in session.exec(
            select(OrgMarketTranslation).where(
                OrgMarketTranslation.org_id == org.id,
                col(OrgMarketTranslation.market_id).in_(ids),
            )
        ):
            names[t.market_id][t.locale_key] = t
        brand_ids = {m.brand_id for m in markets if m.brand_id is not None}
        if brand_ids:
            for brand_id, brand_slug in session.exec(
                select(OrgBrand.id, OrgBrand.slug).where(
                    OrgBrand.org_id == org.id, col(OrgBrand.id).in_(brand_ids)
                )
            ):
                brands[brand_id] = brand_slug
    result: list[MarketRead] = []
    for m in markets:
        chosen = choose_translation(names[m.id], locale)
        result.append(
            MarketRead(
                slug=m.slug,
                name=chosen.name if chosen is not None else None,
                type=m.type,
                currency=m.currency_code,
                countries=countries[m.id],
                locales=locales[m.id],
                default_locale=defaults.get(m.id),
                brand=brands.get(m.brand_id) if m.brand_id is not None else None,
                domain=m.domain,
                is_default=m.is_default,
                status=m.status,
            )
        )
    return result


def list_markets(
    session: Session, *, org_slug: str, locale: str | None = None, limit: int | None = None
) -> list[MarketRead]:
    """The org's markets by slug, all at once (see `iter_markets`)."""
    return list(iter_markets(session, org_slug=org_slug, locale=locale, limit=limit))


READ_BATCH = 1000  # markets per fetch: each batch's names, currencies and countries together


def iter_markets(
    session: Session, *, org_slug: str, locale: str | None = None, limit: int | None = None
) -> Iterator[MarketRead]:
    """The org's markets by slug, named in `locale` (with fallback), streamed from the
    database in batches (`limit + 1` of them with a limit). Raises NotFoundError (before the
    first row)."""
    org = get_org(session, org_slug)
    query = select(OrgMarket).where(OrgMarket.org_id == org.id).order_by(col(OrgMarket.slug))
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.exec(query.execution_options(yield_per=READ_BATCH))
    return (
        read for batch in found.partitions() for read in read_markets(session, org, batch, locale)
    )


def show_market(
    session: Session, *, org_slug: str, slug: str, locale: str | None = None
) -> MarketRead:
    """Raises NotFoundError ("market 'x' not found in org acme")."""
    org = get_org(session, org_slug)
    return read_markets(session, org, [get_market(session, org, slug)], locale)[0]


# -- checks shared by create and update ------------------------------------------------------


def check_market_locales(session: Session, org: Org, keys: Sequence[str]) -> list[str]:
    """Canonical, de-duplicated keys, each one of the org's locales. Raises LocaleError,
    RuleError naming the locale the org does not have."""
    from volmify_cli.services.org_locales import require_org_locales

    return list(dict.fromkeys(require_org_locales(session, org, keys)))


def check_countries(
    session: Session, specs: Sequence[CountrySpec], market_locales: Sequence[str]
) -> list[CountrySpec]:
    """Each country known (ISO 3166-1), listed once, and its locale one of the market's.
    Returns the specs with canonical locale keys. Raises NotFoundError, RuleError, LocaleError."""
    from volmify_cli.services.validation import canonical_locale

    seen: set[str] = set()
    checked: list[CountrySpec] = []
    for spec in specs:
        if session.get(Country, spec.country) is None:
            raise NotFoundError(f"unknown country {spec.country!r}", "use ISO 3166-1 codes")
        if spec.country in seen:
            raise RuleError(f"country {spec.country} is listed twice")
        seen.add(spec.country)
        locale = canonical_locale(spec.locale) if spec.locale is not None else None
        if locale is not None and locale not in market_locales:
            raise RuleError(
                f"country {spec.country}: locale {locale!r} is not one of the market's "
                f"locales ({', '.join(market_locales)})",
                "add it with --locale",
            )
        checked.append(CountrySpec(spec.country, locale))
    return checked


def check_domain_free(
    session: Session, org: Org, domain: str, market_id: uuid.UUID | None = None
) -> str:
    """A well-formed host name that no other market serves. Another organization's domain is
    reported without naming that organization. Raises RuleError, ConflictError."""
    from volmify_cli.rules import check_domain

    check_domain(domain)
    holder = session.exec(select(OrgMarket).where(OrgMarket.domain == domain)).first()
    if holder is not None and holder.id != market_id:
        if holder.org_id != org.id:
            raise ConflictError(f"domain {domain!r} is already used by another organization")
        raise ConflictError(f"domain {domain!r} is already used by market {holder.slug!r}")
    return domain


def country_holders(
    session: Session, org: Org, market_id: uuid.UUID | None = None
) -> dict[str, str]:
    """The org's countries held by a market other than `market_id`: country -> market slug."""
    query = (
        select(OrgMarketCountry.country_code, OrgMarket.slug)
        .join(
            OrgMarket,
            (col(OrgMarket.org_id) == col(OrgMarketCountry.org_id))
            & (col(OrgMarket.id) == col(OrgMarketCountry.market_id)),
        )
        .where(OrgMarketCountry.org_id == org.id)
    )
    if market_id is not None:
        query = query.where(OrgMarketCountry.market_id != market_id)
    return dict(session.exec(query).all())


def check_countries_free(
    session: Session, org: Org, slug: str, countries: Sequence[str], market_id: uuid.UUID | None
) -> None:
    """Each country in no other market of the org (the rule book's rule). Raises RuleError
    naming the market that holds it."""
    from volmify_cli.rulebook import check_country_once

    holders = country_holders(session, org, market_id)
    for country in countries:
        check_country_once(country, slug, holders)


# -- the localization hierarchy ----------------------------------------------------------------


def _country_code(session: Session, text: str) -> str:
    """`de` or `DE`: a known ISO 3166-1 code. Raises RuleError, NotFoundError."""
    from volmify_cli.rules import check_country

    code = text.strip()
    code = check_country(code.upper() if code.isascii() else code)  # "ß".upper() is "SS"
    if session.get(Country, code) is None:
        raise NotFoundError(f"unknown country {code!r}", "use ISO 3166-1 codes")
    return code


def market_locale(
    session: Session, org: Org, market: OrgMarket, country: str | None = None
) -> LocaleRead:
    """The locale of `market`, for a buyer in `country` (one of its countries) when given: the
    country's own default locale, else the market's default locale, else the org's. Raises
    RuleError (a country that is not the market's), NotFoundError (an unknown country)."""
    override: str | None = None
    if country is not None:
        country = _country_code(session, country)
        found = session.exec(
            select(OrgMarketCountry).where(
                OrgMarketCountry.org_id == org.id,
                OrgMarketCountry.market_id == market.id,
                OrgMarketCountry.country_code == country,
            )
        ).first()
        if found is None:
            raise RuleError(
                f"country {country} is not in market {market.slug!r}",
                f"`volmify markets resolve {country}` names its market",
            )
        override = found.default_locale_key
    if override is not None:
        return LocaleRead(
            country=country, market=market.slug, locale=override, locale_from="country"
        )
    default = session.exec(
        select(OrgMarketLocale.locale_key).where(
            OrgMarketLocale.org_id == org.id,
            OrgMarketLocale.market_id == market.id,
            col(OrgMarketLocale.is_default),
        )
    ).first()
    if default is not None:
        return LocaleRead(country=country, market=market.slug, locale=default, locale_from="market")
    return LocaleRead(
        country=country, market=market.slug, locale=org.default_locale_key, locale_from="org"
    )


def country_market(session: Session, org: Org, country: str) -> tuple[str, OrgMarket]:
    """The country's code and the market of the org it is in. Raises RuleError (not a
    country code), NotFoundError (an unknown country, or one in no market of the org: the
    hint names the org's default market, volmify does not send a buyer there by itself)."""
    code = _country_code(session, country)
    market = session.exec(
        select(OrgMarket)
        .join(
            OrgMarketCountry,
            (col(OrgMarketCountry.org_id) == col(OrgMarket.org_id))
            & (col(OrgMarketCountry.market_id) == col(OrgMarket.id)),
        )
        .where(OrgMarket.org_id == org.id, OrgMarketCountry.country_code == code)
    ).first()
    if market is None:
        default = session.exec(
            select(OrgMarket.slug).where(OrgMarket.org_id == org.id, col(OrgMarket.is_default))
        ).first()
        add = "add it to a market: `volmify markets update SLUG --country …` with all its countries"
        raise NotFoundError(
            f"country {code} is in no market of org {org.slug}",
            add + (f" (the org's default market is {default})" if default else ""),
        )
    return code, market


def resolve_country(session: Session, *, org_slug: str, country: str) -> LocaleRead:
    """The market of `country` in the org and the locale a buyer there gets (see
    `market_locale`). Raises NotFoundError (org, country, a country in no market), RuleError."""
    org = get_org(session, org_slug)
    code, market = country_market(session, org, country)
    return market_locale(session, org, market, code)


def buyer_locale(
    session: Session, org: Org, *, market: str | None, country: str | None
) -> tuple[OrgMarket, LocaleRead]:
    """The market a buyer sees (`market`, or the market of `country`) and its locale.
    Raises NotFoundError, RuleError (`country` not in `market`)."""
    if market is not None:
        row = get_market(session, org, market)
        return row, market_locale(session, org, row, country)
    assert country is not None, "a market or a country"
    code, row = country_market(session, org, country)
    return row, market_locale(session, org, row, code)
