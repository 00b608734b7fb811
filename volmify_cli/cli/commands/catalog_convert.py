"""volmify catalog convert: a store's product CSV (Shopify, Medusa) as a catalog file to review
and then import. Registered on the `catalog` noun at the end of `catalog.py`; the readers are
imported only when the command runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.options import ForceOpt, YamlOutputOpt

if TYPE_CHECKING:
    from volmify_cli.exchange.product_csv import Conversion, ConvertOptions

SOURCES = ("shopify-csv", "medusa-csv")

FileArg = Annotated[Path, typer.Argument(help="The store's product CSV (`-` reads stdin).")]
SourceOpt = Annotated[
    str,
    typer.Option(
        "--from",
        metavar="shopify-csv|medusa-csv",
        help="The layout of FILE: shopify-csv (Shopify's product export, old or new column"
        " names) or medusa-csv (Medusa's product export, v1 or v2).",
        show_default=False,
    ),
]
CurrencyOpt = Annotated[
    str | None,
    typer.Option(
        "--currency",
        metavar="CODE",
        help="Shopify: the store currency its prices are in (required: the file does not name it).",
        show_default=False,
    ),
]
MarketOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--market",
        metavar="SLUG=CURRENCY",
        help="Put the prices in CURRENCY (or in a Medusa price region: SLUG=REGION) on the org's"
        " existing market SLUG; the file refers to it and does not define it. Without it,"
        " each currency (or region) gets a market of its own: `usd` named `US Dollar (USD)`.",
        show_default=False,
    ),
]
CatalogLocaleOpt = Annotated[
    str,
    typer.Option(
        "--locale",
        metavar="KEY",
        help="The locale of the titles and descriptions: the catalog's first locale, which an"
        " import makes the org's default, so give the org's default locale.",
    ),
]
CatalogOrgOpt = Annotated[
    str | None,
    typer.Option(
        "--org",
        metavar="SLUG",
        help="Write `org: SLUG` into the catalog (default: none; the import's --org decides).",
        show_default=False,
    ),
]
SummaryFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="table|json",
        help="table or json: the summary of the conversion (with -o FILE; on stdout goes the"
        " catalog otherwise). Default: table on a terminal, json otherwise.",
        show_default=False,
    ),
]


def convert(
    ctx: typer.Context,
    file: FileArg,
    source: SourceOpt,
    out: YamlOutputOpt = None,
    force: ForceOpt = False,
    currency: CurrencyOpt = None,
    market: MarketOpt = None,
    locale: CatalogLocaleOpt = "en-US",
    org: CatalogOrgOpt = None,
    output_format: SummaryFormatOpt = None,
) -> None:
    """Convert a Shopify or Medusa product CSV into a catalog file to review, then import.

    One product per handle, one variant per variant row (image-only rows are skipped), each
    variant sold by a one-time plan `standard` at tier 1 with its price in every market.
    What a catalog cannot hold (a compare-at price below the price, an unknown currency, a
    variant without a price, a product type or status volmify lacks, a SKU a spreadsheet
    mangled, columns with no place in a catalog) is a warning naming FILE:LINE on stderr.
    """
    from volmify_cli.cli.output_files import is_stdout, output_file
    from volmify_cli.errors import UsageError
    from volmify_cli.exchange.product_csv import catalog_text

    state = AppContext.of(ctx)
    options = _options(source, currency, market, locale, org)
    fmt = None
    if not is_stdout(out):
        fmt = state.output_format(output_format)
        if fmt not in ("table", "json"):
            raise UsageError(f"unknown format {fmt!r}", "choose table or json")
    elif output_format is not None and output_format.lower() != "table":
        raise UsageError(
            "--format json needs -o FILE: without it the catalog is written on stdout",
            "write the catalog with -o catalog.yaml",
        )
    target = output_file(state, out, force=force, flag=None, formats=("yaml",), default="yaml")
    conversion = _read(file, source, options)
    for note in conversion.notes:
        output.warning(str(note))
    target.write(catalog_text(conversion, options))
    result = _summary(conversion, options, target.path)
    if fmt == "json":
        output.render(result, "json")
    else:
        output.notice(_line(result))


def _read(file: Path, source: str, options: ConvertOptions) -> Conversion:
    if source == "shopify-csv":
        from volmify_cli.exchange.shopify_products import read_shopify_products

        return read_shopify_products(file, options)
    from volmify_cli.exchange.medusa_products import read_medusa_products

    return read_medusa_products(file, options)


def _options(
    source: str, currency: str | None, markets: list[str] | None, locale: str, org: str | None
) -> ConvertOptions:
    """The options, checked before the file is read. Raises UsageError (exit 2)."""
    from volmify_cli.errors import UsageError, VolmifyError
    from volmify_cli.exchange.product_csv import ConvertOptions
    from volmify_cli.inputs.catalog_schema import check_currency, check_locale
    from volmify_cli.rules import check_slug

    if source not in SOURCES:
        raise UsageError(f"--from {source!r} is not a layout", f"choose {' or '.join(SOURCES)}")
    if currency is not None and source != "shopify-csv":
        raise UsageError(
            "--currency is for shopify-csv: a Medusa file names the currency of each price column"
        )
    options = ConvertOptions(org=org)
    try:
        options.locale = check_locale(locale)
        if currency is not None:
            options.currency = check_currency(currency.strip().upper())
        if org is not None:
            check_slug(org, "org")
        for given in markets or ():
            slug, key = _market(given)
            if key.casefold() in options.markets or slug in options.markets.values():
                raise UsageError(f"--market {given!r}: its market or currency is given twice")
            options.markets[key.casefold()] = slug
    except UsageError:
        raise
    except VolmifyError as exc:
        raise UsageError(exc.reason, exc.hint) from None
    return options


def _market(given: str) -> tuple[str, str]:
    """`us=USD` -> (`us`, `USD`). Raises UsageError, RuleError for a slug that is not one."""
    from volmify_cli.errors import UsageError
    from volmify_cli.rules import check_slug

    slug, sign, key = given.partition("=")
    if not sign or not slug.strip() or not key.strip():
        raise UsageError(f"--market {given!r} is not SLUG=CURRENCY", "e.g. --market us=USD")
    key = key.strip()
    if len(key) == 3 and key.isalpha():
        key = key.upper()
    return check_slug(slug.strip(), "market"), key


def _summary(conversion: Conversion, options: ConvertOptions, path: Path | None) -> dict[str, Any]:
    """What was converted: the file written (None: stdout), counts, markets, warnings."""
    from dataclasses import asdict

    from volmify_cli.exchange.product_csv import markets

    used = markets(conversion, options)
    return {
        "written": None if path is None else str(path),
        "from": conversion.source,
        "products": len(conversion.products),
        "variants": sum(len(product.variants) for product in conversion.products.values()),
        "markets": [
            {"slug": m.slug, "currency": m.key.currency, "defined": m.defined} for m in used
        ],
        "warnings": [asdict(note) for note in conversion.notes],
    }


def _line(result: dict[str, Any]) -> str:
    products, variants, warned = result["products"], result["variants"], len(result["warnings"])
    text = f"Converted {products} products with {variants} variants from {result['from']}"
    if warned:
        return f"{text}; {warned} warnings above: review them and the file before importing it"
    return f"{text}: review the file, then `volmify catalog import` it"
