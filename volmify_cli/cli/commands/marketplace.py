"""volmify marketplace: an org publishes its products; the platform lists every org's."""

from collections.abc import Callable, Mapping
from typing import Annotated, Any

import typer

from volmify_cli.cli import catalog_display as show
from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, LocaleOpt, OrgOpt

app = noun_app("The cross-org marketplace: publish products, list every org's listings.")

ProductArg = Annotated[str, typer.Argument(help="The product's slug.", show_default=False)]
CategoryHelp = "A category slug, e.g. programming."


def _ranges(locale: str) -> Callable[[Mapping[str, Any]], str]:
    """`$19.99..$49.00; 45,00 €` in the display locale (one amount when min = max)."""

    def cell(row: Mapping[str, Any]) -> str:
        parts = []
        for price in row["prices"]:
            low = show.money(price["min_minor"], price["currency"], locale)
            high = show.money(price["max_minor"], price["currency"], locale)
            parts.append(low if low == high else f"{low}..{high}")
        return "; ".join(parts)

    return cell


def columns(locale: str) -> list[output.Column]:
    return [
        output.Column("org", "Org"),
        output.Column("product", "Product"),
        output.Column("title", "Title"),
        output.Column("category", "Category"),
        output.Column("prices", "Prices", display=_ranges(locale)),
    ]


def listing_columns(locale: str) -> list[output.Column]:
    return [
        *columns(locale),
        output.Column("status", "Status"),
        output.Column("listed_at", "Listed"),
    ]


@app.command("publish")
def publish(
    ctx: typer.Context,
    product: ProductArg,
    category: Annotated[str, typer.Option("--category", help=CategoryHelp, show_default=False)],
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """List an active product (with an active plan priced in an active market) in the
    marketplace; publishing it again changes its category."""
    from volmify_cli.services.marketplace import publish_product

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session(write=True) as session:
        row = publish_product(session, org=org_slug, product=product, category=category)
    output.render(row, fmt, listing_columns(state.display_locale()))


@app.command("unpublish")
def unpublish(
    ctx: typer.Context,
    product: ProductArg,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Take a product out of the marketplace."""
    from volmify_cli.services.marketplace import unpublish_product

    state = AppContext.of(ctx)
    org_slug, fmt = state.org_slug(org), state.output_format(output_format)
    with state.session(write=True) as session:
        row = unpublish_product(session, org=org_slug, product=product)
    output.render(row, fmt, listing_columns(state.display_locale()))


@app.command("list")
def list_listings(
    ctx: typer.Context,
    category: Annotated[
        str | None, typer.Option("--category", help="Only this category.", show_default=False)
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency", help="Only prices in this currency (ISO 4217).", show_default=False
        ),
    ] = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """Every organization's published, active products (platform-wide): title in the display
    locale, category, and price range per currency over their active plans."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.marketplace import iter_marketplace

    state = AppContext.of(ctx)
    fmt, display = state.output_format(output_format), state.display_locale(locale)
    with state.session() as session:
        # no limit to the query: listings not in --currency are left out as they are read
        rows = iter_marketplace(session, category=category, locale=display, currency=currency)
        stream_list(rows, fmt, columns(display), limit=limit)
