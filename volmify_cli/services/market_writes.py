"""Creating and changing markets, the catalog's way: the org's markets are read into the
catalog reader's own input (`MarketDoc`), changed as asked, and the market is handed to the
catalog's sync (`sync.structure.sync_markets`) and the one bulk writer, so a command and a file
write the same rows by the same diff. Every value is checked before anything is written, so a
bad input leaves the database as it was."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from volmify_cli.db.bulk import Bulk
from volmify_cli.enums import MarketStatus, MarketType, enum_value
from volmify_cli.errors import ConflictError, RuleError
from volmify_cli.inputs.catalog_model import Entry
from volmify_cli.inputs.catalog_schema import CountryDoc, MarketDoc
from volmify_cli.models.markets import OrgMarket
from volmify_cli.models.orgs import Org
from volmify_cli.rulebook import NAME, check_market_countries
from volmify_cli.services.lookup import get_brand, get_market, get_org
from volmify_cli.services.markets import (
    CountrySpec,
    MarketRead,
    check_countries,
    check_countries_free,
    check_domain_free,
    check_market_locales,
    read_markets,
)
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.commands import write
from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.structure import in_order, sync_markets
from volmify_cli.services.sync.texts import stored_text
from volmify_cli.services.validation import check_currency

_READ = (t.BRAND, t.MARKET, t.MARKET_TR, t.MARKET_LOCALE, t.MARKET_COUNTRY)
_WRITTEN = (t.MARKET, t.MARKET_TR, t.MARKET_LOCALE, t.MARKET_COUNTRY)


class OrgMarkets:
    """The org's markets as the catalog reader would have them (an org has a few: all are
    read), and the rewrite of one of them."""

    def __init__(self, session: Session, org: Org) -> None:
        self.session = session
        self.db = db = Bulk(session)
        brands: dict[Any, str] = {}
        self.ctx = Context.for_command(
            org,
            db,
            dict.fromkeys(table.name for table in _READ),
            prune=False,
            ids={"brand": brands},
        )
        for key, (row_id, _d) in self.ctx.rows(t.BRAND).existing.items():
            brands[key[0]] = row_id
        self.brand_slug = {row_id: slug for slug, row_id in brands.items()}

    @property
    def empty(self) -> bool:
        return not self.ctx.rows(t.MARKET).existing

    def market(self, slug: str) -> MarketDoc | None:
        """The stored market as a document (None: the org has no such market)."""
        ctx = self.ctx
        found = ctx.rows(t.MARKET).existing.get((slug,))
        if found is None:
            return None
        market_id, (kind, currency, brand_id, domain, default, status) = found
        names, locales, countries = (
            ctx.rows(t.MARKET_TR),
            ctx.rows(t.MARKET_LOCALE),
            ctx.rows(t.MARKET_COUNTRY),
        )
        return market_document(
            slug=slug,
            name=stored_text(names, market_id),
            type=MarketType(kind),
            currency=currency,
            brand=self.brand_slug.get(brand_id) if brand_id else None,
            domain=domain,
            default=bool(default),
            status=MarketStatus(status),
            locales=[key[1] for key in in_order(locales, market_id)],
            countries=[
                country_document(key[1], countries.existing[key][1][0])
                for key in in_order(countries, market_id)
            ],
        )

    def delete(self, slug: str) -> None:
        """Delete the market; its names, locales and countries go with it (ON DELETE
        CASCADE)."""
        rows = self.ctx.rows(t.MARKET)
        rows.delete((slug,))
        write(self.session, self.db, [rows])

    def write(self, market: MarketDoc) -> None:
        """Make the market what `market` says (a default market takes the flag from the
        others); only what differs from the stored rows is written."""
        ctx = self.ctx
        ctx.catalog.markets = {str(market.slug): Entry("", "", market)}
        sync_markets(ctx)
        write(self.session, self.db, [ctx.rows(table) for table in _WRITTEN])


def market_document(**fields: Any) -> MarketDoc:
    """A market's document from values already checked against the rules (by a command, or
    stored): built without validation, and without a position in a file."""
    return MarketDoc.model_construct(**fields)


def country_document(country: str, locale: str | None) -> CountryDoc:
    fields: dict[str, Any] = {"country": country, "locale": locale}
    return CountryDoc.model_construct(**fields)


def _countries(specs: Sequence[CountrySpec]) -> list[CountryDoc]:
    return [country_document(spec.country, spec.locale) for spec in specs]


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
    moves the default here. A single_country market has exactly one country, and a country is
    in one market of the org. Raises NotFoundError (org, brand, country), RuleError, LocaleError,
    MoneyError (currency), ConflictError (slug taken in the org, domain used elsewhere)."""
    from volmify_cli.rules import check_slug

    org = get_org(session, org_slug)
    check_slug(slug, "market slug")
    name = NAME.check(name)
    market_type = enum_value(MarketType, type, "market type")
    currency_code = check_currency(currency)
    market_locales = check_market_locales(session, org, locales or [org.default_locale_key])
    checked_countries = check_countries(session, countries, market_locales)
    codes = [spec.country for spec in checked_countries]
    check_market_countries(market_type, codes)
    brand_row = get_brand(session, org, brand) if brand is not None else None
    if domain is not None:
        check_domain_free(session, org, domain)
    markets = OrgMarkets(session, org)
    if markets.market(slug) is not None:
        raise ConflictError(f"market {slug!r} already exists in org {org.slug}")
    check_countries_free(session, org, slug, codes, None)
    markets.write(
        market_document(
            slug=slug,
            name={org.default_locale_key: name},
            type=market_type,
            currency=currency_code,
            brand=brand_row.slug if brand_row is not None else None,
            domain=domain,
            default=default or markets.empty,  # the org's first market is its default
            status=MarketStatus.ACTIVE,
            locales=market_locales,
            countries=_countries(checked_countries),
        )
    )
    return read_markets(session, org, [get_market(session, org, slug)], None)[0]


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
    of a market with prices cannot change. A new type or new countries keep the market rules
    (a single_country market has one country; a country is in one market of the org). Raises
    NotFoundError, RuleError, LocaleError, MoneyError, ConflictError (domain used elsewhere)."""
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
    codes = [spec.country for spec in new_countries]
    if market_type is not None or countries is not None:  # a stored market is left as it is
        check_market_countries(market_type or market.type, codes)
    if countries is not None:
        check_countries_free(session, org, slug, codes, market.id)
    brand_row = get_brand(session, org, brand) if brand is not None else None
    if domain is not None:
        check_domain_free(session, org, domain, market.id)

    markets = OrgMarkets(session, org)
    stored = markets.market(slug)
    assert stored is not None  # get_market found it in this transaction
    changes: dict[str, Any] = {"locales": market_locales, "countries": _countries(new_countries)}
    if new_name is not None:
        names = {org.default_locale_key: new_name}
        stored_names = stored.name if isinstance(stored.name, dict) else {}
        changes["name"] = names | stored_names | names  # the default locale's first
    if default:
        changes["default"] = True
    if market_type is not None:
        changes["type"] = market_type
    if market_status is not None:
        changes["status"] = market_status
    if currency_code is not None:
        changes["currency"] = currency_code
    if brand_row is not None or clear_brand:
        changes["brand"] = brand_row.slug if brand_row is not None else None
    if domain is not None or clear_domain:
        changes["domain"] = domain
    markets.write(stored.model_copy(update=changes))
    return read_markets(session, org, [get_market(session, org, slug)], None)[0]


def delete_market(session: Session, *, org_slug: str, slug: str) -> None:
    """Delete a market with its countries, locales and names. Raises NotFoundError, or
    ConflictError naming how many prices (or orders) still use it."""
    from volmify_cli.services.references import describe_counts, referencing_counts

    org = get_org(session, org_slug)
    market = get_market(session, org, slug)
    blocking = referencing_counts(
        session, table="org_market", key={"org_id": org.id, "id": market.id}, cascade=False
    )
    if blocking:
        raise ConflictError(
            f"market {slug!r} is used by {describe_counts(blocking)} in org {org.slug}",
            "remove its prices first (a market with orders cannot be deleted; set it inactive)",
        )
    OrgMarkets(session, org).delete(slug)
