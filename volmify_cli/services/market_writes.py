"""Creating and changing markets. Every value is checked before anything is written, so a bad
input leaves the database as it was."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, select

from volmify_cli.enums import MarketStatus, MarketType, enum_value
from volmify_cli.errors import ConflictError, RuleError
from volmify_cli.models.markets import (
    OrgMarket,
    OrgMarketCountry,
    OrgMarketLocale,
    OrgMarketTranslation,
)
from volmify_cli.models.orgs import Org
from volmify_cli.rulebook import NAME
from volmify_cli.services.lookup import get_brand, get_market, get_org
from volmify_cli.services.markets import (
    CountrySpec,
    MarketRead,
    check_countries,
    check_domain_free,
    check_market_locales,
    clear_default_market,
    read_markets,
)
from volmify_cli.services.translations import set_texts
from volmify_cli.services.validation import check_currency


def _write_name(session: Session, org: Org, market: OrgMarket, name: str) -> None:
    """Market names are written in the org's default locale (the market's own locales are
    where it sells, not the language its admins name it in)."""
    set_texts(
        session,
        OrgMarketTranslation,
        org_id=org.id,
        parent_field="market_id",
        parent_id=market.id,
        texts={org.default_locale_key: {"name": name}},
        default_locale=org.default_locale_key,
    )


def _write_locales(session: Session, org: Org, market: OrgMarket, locales: Sequence[str]) -> None:
    """Replace the market's locales (the first is the default). Countries whose override locale
    goes away must have been removed before."""
    rows = {
        row.locale_key: row
        for row in session.exec(
            select(OrgMarketLocale).where(
                OrgMarketLocale.org_id == org.id, OrgMarketLocale.market_id == market.id
            )
        )
    }
    for key, row in rows.items():
        if key not in locales:
            session.delete(row)
        elif row.is_default:
            row.is_default = False
            session.add(row)
    session.flush()  # one default per market: clear before setting
    for order, key in enumerate(locales):
        row = rows.get(key) or OrgMarketLocale(org_id=org.id, market_id=market.id, locale_key=key)
        row.is_default = order == 0
        row.sort_order = order
        session.add(row)
    session.flush()


def _write_countries(
    session: Session, org: Org, market: OrgMarket, countries: Sequence[CountrySpec]
) -> None:
    for order, spec in enumerate(countries):
        session.add(
            OrgMarketCountry(
                org_id=org.id,
                market_id=market.id,
                country_code=spec.country,
                default_locale_key=spec.locale,
                sort_order=order,
            )
        )
    session.flush()


def create_market(
    session: Session,
    *,
    org_slug: str,
    slug: str,
    name: str,
    type: str,
    currency: str,
    countries: Sequence[CountrySpec] = (),
    locales: Sequence[str] = (),
    brand: str | None = None,
    domain: str | None = None,
    default: bool = False,
) -> MarketRead:
    """Create a market. Its locales must be the org's (the first is the market default; none
    given: the org's default locale). The org's first market becomes its default; `default`
    moves the default here. Raises NotFoundError (org, brand, country), RuleError, LocaleError,
    MoneyError (currency), ConflictError (slug taken in the org, domain used elsewhere)."""
    from volmify_cli.rules import check_slug

    org = get_org(session, org_slug)
    check_slug(slug, "market slug")
    name = NAME.check(name)
    market_type = enum_value(MarketType, type, "market type")
    currency_code = check_currency(currency)
    market_locales = check_market_locales(session, org, locales or [org.default_locale_key])
    checked_countries = check_countries(session, countries, market_locales)
    brand_row = get_brand(session, org, brand) if brand is not None else None
    if domain is not None:
        check_domain_free(session, org, domain)
    taken = session.exec(
        select(OrgMarket.id).where(OrgMarket.org_id == org.id, OrgMarket.slug == slug)
    ).first()
    if taken is not None:
        raise ConflictError(f"market {slug!r} already exists in org {org.slug}")
    first = session.exec(select(OrgMarket.id).where(OrgMarket.org_id == org.id)).first() is None
    if default:
        clear_default_market(session, org)
    market = OrgMarket(
        org_id=org.id,
        slug=slug,
        type=market_type,
        currency_code=currency_code,
        brand_id=brand_row.id if brand_row is not None else None,
        domain=domain,
        is_default=default or first,
    )
    session.add(market)
    session.flush()
    _write_name(session, org, market, name)
    _write_locales(session, org, market, market_locales)
    _write_countries(session, org, market, checked_countries)
    return read_markets(session, org, [market], None)[0]


def _price_count(session: Session, org: Org, market: OrgMarket) -> int:
    from volmify_cli.models.plans import OrgProductVariantPaymentPlanMarketPrice as Price

    return int(
        session.exec(
            select(func.count())
            .select_from(Price)
            .where(Price.org_id == org.id, Price.market_id == market.id)
        ).one()
    )


def update_market(
    session: Session,
    *,
    org_slug: str,
    slug: str,
    name: str | None = None,
    type: str | None = None,
    currency: str | None = None,
    countries: Sequence[CountrySpec] | None = None,
    locales: Sequence[str] | None = None,
    brand: str | None = None,
    clear_brand: bool = False,
    domain: str | None = None,
    clear_domain: bool = False,
    default: bool = False,
    status: str | None = None,
) -> MarketRead:
    """Change the given fields; `countries` and `locales` replace the whole list. The currency
    of a market with prices cannot change. Raises NotFoundError, RuleError, LocaleError,
    MoneyError, ConflictError (domain used elsewhere)."""
    org = get_org(session, org_slug)
    market = get_market(session, org, slug)
    new_name = NAME.check(name) if name is not None else None
    market_type = enum_value(MarketType, type, "market type") if type is not None else None
    market_status = enum_value(MarketStatus, status, "status") if status is not None else None
    currency_code = check_currency(currency) if currency is not None else None
    if currency_code is not None and currency_code != market.currency_code:
        prices = _price_count(session, org, market)
        if prices:
            raise RuleError(
                f"market {slug!r} has {prices} price(s) in {market.currency_code}; "
                "its currency cannot change",
                "create a new market for the other currency",
            )
    current = read_markets(session, org, [market], None)[0]
    market_locales = (
        check_market_locales(session, org, locales) if locales is not None else current["locales"]
    )
    if locales is not None and not market_locales:
        raise RuleError(f"market {slug!r} needs at least one locale")
    kept_countries = [CountrySpec(c["country"], c["locale"]) for c in current["countries"]]
    new_countries = check_countries(
        session, countries if countries is not None else kept_countries, market_locales
    )
    brand_row = get_brand(session, org, brand) if brand is not None else None
    if domain is not None:
        check_domain_free(session, org, domain, market.id)

    if new_name is not None:
        _write_name(session, org, market, new_name)
    if countries is not None or locales is not None:
        # Country overrides point at market locales: drop them first, rewrite after.
        for row in session.exec(
            select(OrgMarketCountry).where(
                OrgMarketCountry.org_id == org.id, OrgMarketCountry.market_id == market.id
            )
        ):
            session.delete(row)
        session.flush()
        if locales is not None:
            _write_locales(session, org, market, market_locales)
        _write_countries(session, org, market, new_countries)
    if default and not market.is_default:
        clear_default_market(session, org, keep=market.id)
        market.is_default = True
    if market_type is not None:
        market.type = market_type
    if market_status is not None:
        market.status = market_status
    if currency_code is not None:
        market.currency_code = currency_code
    if brand_row is not None or clear_brand:
        market.brand_id = brand_row.id if brand_row is not None else None
    if domain is not None or clear_domain:
        market.domain = domain
    session.add(market)
    session.flush()
    return read_markets(session, org, [market], None)[0]
