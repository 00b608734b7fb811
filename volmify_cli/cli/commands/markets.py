"""volmify markets: an organization's markets (currency, countries, locales, brand, domain)."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import (
    FormatOpt,
    LimitOpt,
    LocaleOpt,
    OrgOpt,
    YesOpt,
    enum_parser,
    enum_values,
)
from volmify_cli.enums import MarketStatus, MarketType

if TYPE_CHECKING:
    from volmify_cli.services.markets import CountrySpec

app = noun_app("Markets: regional strategy units with a currency, countries, locales and domain.")


def _countries(row: Any) -> str:
    return ", ".join(
        c["country"] + (f" ({c['locale']})" if c["locale"] else "") for c in row["countries"]
    )


COLUMNS = [
    output.Column("slug", "Slug"),
    output.Column("name", "Name"),
    output.Column("type", "Type"),
    output.Column("currency", "Currency"),
    output.Column("countries", "Countries", display=_countries),
    output.Column("locales", "Locales"),
    output.Column("brand", "Brand"),
    output.Column("domain", "Domain"),
    output.Column("is_default", "Default"),
    output.Column("status", "Status"),
]
SlugArg = Annotated[str, typer.Argument(help="The market's slug.")]
NameOpt = Annotated[str | None, typer.Option("--name", help="Market name.")]
TypeOpt = Annotated[
    MarketType | None,
    typer.Option(
        "--type",
        parser=enum_parser(MarketType),
        autocompletion=enum_values(MarketType),
        help="single-country, multi-region, linguistic, economic or custom.",
    ),
]
CurrencyOpt = Annotated[str | None, typer.Option("--currency", help="ISO 4217 code, e.g. EUR.")]
CountryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--country", metavar="CC[:LOCALE]", help="A country (repeat), e.g. DE or AT:de-AT."
    ),
]
MarketLocaleOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--locale", help="A locale of the org (repeat); the first is the market's default."
    ),
]
BrandOpt = Annotated[str | None, typer.Option("--brand", help="Brand deployed in the market.")]
DomainOpt = Annotated[str | None, typer.Option("--domain", help="Host name, e.g. de.acme.example.")]
DefaultOpt = Annotated[bool, typer.Option("--default", help="Make this the org's default market.")]


def _country_specs(values: Sequence[str] | None) -> "list[CountrySpec] | None":
    from volmify_cli.services.markets import parse_country_spec

    return None if values is None else [parse_country_spec(value) for value in values]


@app.command("create")
def create(
    ctx: typer.Context,
    slug: SlugArg,
    name: NameOpt = None,
    market_type: TypeOpt = None,
    currency: CurrencyOpt = None,
    country: CountryOpt = None,
    locale: MarketLocaleOpt = None,
    brand: BrandOpt = None,
    domain: DomainOpt = None,
    default: DefaultOpt = False,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Create a market (its locales must be the org's; none given: the org's default)."""
    from volmify_cli.services.market_writes import create_market

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    countries = _country_specs(country) or []
    prompter = state.prompter()
    name = name or prompter.text("Market name:", flag="--name")
    chosen_type = market_type or prompter.select(
        "Market type:", [t.value for t in MarketType], flag="--type"
    )
    currency = currency or prompter.text("Currency (ISO 4217, e.g. EUR):", flag="--currency")
    with state.session(write=True) as session:
        row = create_market(
            session,
            org_slug=org_slug,
            slug=slug,
            name=name,
            type=chosen_type,
            currency=currency,
            countries=countries,
            locales=locale or [],
            brand=brand,
            domain=domain.strip().lower() if domain is not None else None,
            default=default,
        )
    output.render(row, fmt, COLUMNS)


@app.command("list")
def list_markets(
    ctx: typer.Context,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List the organization's markets."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.markets import iter_markets

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    with state.session() as session:
        rows = iter_markets(
            session, org_slug=org_slug, locale=state.display_locale(locale), limit=limit
        )
        stream_list(rows, fmt, COLUMNS, limit=limit)


@app.command("show")
def show(
    ctx: typer.Context,
    slug: SlugArg,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show one market."""
    from volmify_cli.services.markets import show_market

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    with state.session() as session:
        row = show_market(
            session, org_slug=org_slug, slug=slug, locale=state.display_locale(locale)
        )
    output.render(row, fmt, COLUMNS)


@app.command("update")
def update(
    ctx: typer.Context,
    slug: SlugArg,
    name: NameOpt = None,
    market_type: TypeOpt = None,
    currency: CurrencyOpt = None,
    country: CountryOpt = None,
    locale: MarketLocaleOpt = None,
    brand: BrandOpt = None,
    no_brand: Annotated[bool, typer.Option("--no-brand", help="Deploy no brand.")] = False,
    domain: DomainOpt = None,
    no_domain: Annotated[bool, typer.Option("--no-domain", help="Remove the domain.")] = False,
    default: DefaultOpt = False,
    status: Annotated[
        MarketStatus | None,
        typer.Option(
            "--status",
            parser=enum_parser(MarketStatus),
            autocompletion=enum_values(MarketStatus),
            help="active or inactive.",
        ),
    ] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Change a market; --country and --locale replace the whole list when given."""
    from volmify_cli.errors import UsageError
    from volmify_cli.services.market_writes import update_market

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    if brand is not None and no_brand:
        raise UsageError("--brand and --no-brand contradict each other")
    if domain is not None and no_domain:
        raise UsageError("--domain and --no-domain contradict each other")
    with state.session(write=True) as session:
        row = update_market(
            session,
            org_slug=org_slug,
            slug=slug,
            name=name,
            type=market_type,
            currency=currency,
            countries=_country_specs(country),
            locales=locale,
            brand=brand,
            clear_brand=no_brand,
            domain=domain.strip().lower() if domain is not None else None,
            clear_domain=no_domain,
            default=default,
            status=status,
        )
    output.render(row, fmt, COLUMNS)


RESOLVE_COLUMNS = [
    output.Column("country", "Country"),
    output.Column("market", "Market"),
    output.Column("locale", "Locale"),
    output.Column("locale_from", "Locale from"),
]


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    country: Annotated[str, typer.Argument(help="An ISO 3166-1 country code, e.g. DE.")],
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """The market of a country and the locale a buyer there gets: the country's own locale,
    else the market's default locale, else the org's (a country in no market: exit 1)."""
    from volmify_cli.services.markets import resolve_country

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    with state.session() as session:
        row = resolve_country(session, org_slug=org_slug, country=country)
    output.render(row, fmt, RESOLVE_COLUMNS)


@app.command("delete")
def delete(ctx: typer.Context, slug: SlugArg, org: OrgOpt = None, yes: YesOpt = False) -> None:
    """Delete a market (refused while prices or orders use it)."""
    from volmify_cli.services.market_writes import delete_market
    from volmify_cli.services.markets import show_market

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    with state.session() as session:
        show_market(session, org_slug=org_slug, slug=slug)  # unknown: fail before asking
    if not state.prompter().confirm(f"Delete market {slug} of org {org_slug}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        delete_market(session, org_slug=org_slug, slug=slug)
    output.notice(f"Deleted market {slug}.")
