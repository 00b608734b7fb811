"""volmify sales: record sales from CSV or YAML, and read the sales ledger."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import (
    DEFAULT_LOCK_TIMEOUT_S,
    DryRunOpt,
    FormatOpt,
    LimitOpt,
    LocaleOpt,
    LockTimeoutOpt,
    OrgOpt,
)

if TYPE_CHECKING:
    from volmify_cli.exchange.stripe_payments import StripePayments

app = noun_app("Record sales (CSV or YAML) and read the sales ledger.")

FromOpt = Annotated[
    str | None,
    typer.Option("--from", help="First day (YYYY-MM-DD, the org's time zone).", show_default=False),
]
ToOpt = Annotated[
    str | None,
    typer.Option(
        "--to", help="Last day, inclusive (YYYY-MM-DD, the org's time zone).", show_default=False
    ),
]

IMPORT_COLUMNS = [
    output.Column("org", "Org"),
    output.Column("file", "File"),
    output.Column("lines", "Lines", justify="right"),
    output.Column("created", "Created", justify="right"),
    output.Column("unchanged", "Unchanged", justify="right"),
    output.Column("replaced", "Replaced"),
    output.Column("refunded", "Refunds recorded"),
    output.Column("dry_run", "Dry run"),
]


def _money(key: str, locale: str) -> Any:
    from volmify_cli.l10n import format_money

    return lambda row: format_money(row[f"{key}_minor"], row["currency"], locale)


def sale_columns(locale: str) -> list[output.Column]:
    return [
        output.Column("order_id", "Order"),
        output.Column("sold_at", "Sold at"),
        output.Column("product", "Product"),
        output.Column("plan", "Plan", display=lambda r: f"{r['variant']}/{r['plan']}"),
        output.Column("market", "Market"),
        output.Column("currency", "Currency"),
        output.Column("amount", "Amount", display=_money("amount", locale), justify="right"),
        output.Column("net", "Net", display=_money("net", locale), justify="right"),
        output.Column("status", "Status"),
    ]


STRIPE_IMPORT_COLUMNS = [
    *IMPORT_COLUMNS,
    output.Column("skipped", "Skipped", display=lambda row: _skipped(row["skipped"]) or "none"),
    output.Column("fees_converted", "Fees converted", justify="right"),
]
ExportOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="stripe",
        help="Read FILE as stripe: a Stripe Dashboard payments export (CSV); payments that did"
        " not go through are skipped and counted.",
        show_default=False,
    ),
]


def _column_option(noun: str) -> Any:
    return typer.Option(
        f"--{noun}-from",
        metavar="COLUMN",
        help=f"With --from stripe: the column naming each payment's {noun} (default:"
        f" metadata[{noun}], also found as '{noun} (metadata)').",
        show_default=False,
    )


@app.command("import")
def import_sales(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A sales CSV (header row) or YAML file (kind: sales); with --from stripe, a"
            " Stripe payments export."
        ),
    ],
    export: ExportOpt = None,
    product_from: Annotated[str | None, _column_option("product")] = None,
    plan_from: Annotated[str | None, _column_option("plan")] = None,
    market_from: Annotated[str | None, _column_option("market")] = None,
    variant_from: Annotated[str | None, _column_option("variant")] = None,
    dry_run: DryRunOpt = False,
    update: Annotated[
        bool,
        typer.Option("--update", help="Replace orders whose lines changed (recomputes them)."),
    ] = False,
    lock_timeout: LockTimeoutOpt = DEFAULT_LOCK_TIMEOUT_S,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Record sales lines; order_id makes a re-import of the same lines a no-op."""
    from volmify_cli.exchange.sales_files import SalesSource, open_sales_file
    from volmify_cli.services.sales import import_sales

    state = AppContext.of(ctx)
    columns = {"product": product_from, "plan": plan_from, "market": market_from}
    stripe = _stripe_payments(file, export, {**columns, "variant": variant_from})
    source = (
        open_sales_file(file) if stripe is None else SalesSource(stripe.name, None, stripe.lines)
    )
    org_slug = state.org_slug(org, file_org=source.org, file=source.name)
    importing = state.session(
        write=True, import_of=None if dry_run else org_slug, lock_timeout=lock_timeout
    )
    total = _csv_records(file) if stripe is None and output.on_terminal() else None
    with output.progress("Importing sales", total=total) as advance, importing as session:
        result = import_sales(
            session,
            org_slug=org_slug,
            lines=source.lines,
            file=source.name,
            update=update,
            dry_run=dry_run,
            progress=advance,
        )
    for warning in result["line_warnings"]:
        output.warning(
            f"{result['file']}:{warning['line']}: order {warning['order_id']}: "
            f"{warning['reason']} (recorded as sold, and counted as a redemption)"
        )
    unlisted = result["line_warnings_total"] - len(result["line_warnings"])
    if unlisted:
        output.warning(f"{unlisted} more lines redeem a coupon that cannot apply (not listed)")
    for message in result["warnings"]:
        output.warning(message)
    for order_id in result["replaced"]:
        output.notice(f"Replaced order {order_id}")
    for order_id in result["refunded"]:
        output.notice(f"Recorded the refund of order {order_id}")
    if stripe is not None:
        _stripe_notices(stripe.tally())
    if dry_run:
        output.notice("Dry run: nothing was written.")
    chosen = state.output_format(output_format)
    if stripe is None:
        output.render(result, chosen, IMPORT_COLUMNS)
    else:
        output.render({**result, **stripe.tally()}, chosen, STRIPE_IMPORT_COLUMNS)


def _stripe_payments(
    file: Path, export: str | None, columns: dict[str, str | None]
) -> "StripePayments | None":
    """`--from stripe`: the payments export's reader (None: a sales file). A `--*-from` option
    names the column of its noun; without --from stripe it is a usage error."""
    if export is None:
        given = [f"--{noun}-from" for noun, column in columns.items() if column is not None]
        if given:
            raise typer.BadParameter("is read with --from stripe", param_hint=f"'{given[0]}'")
        return None
    if export.strip().lower() != "stripe":
        raise typer.BadParameter(f"{export!r} is not one of: stripe", param_hint="'--from'")
    from volmify_cli.exchange.stripe_payments import MetadataColumns, StripePayments

    chosen = {noun: column for noun, column in columns.items() if column is not None}
    return StripePayments(file, columns=MetadataColumns(**chosen))


def _stripe_notices(tally: dict[str, Any]) -> None:
    skipped = tally["skipped"]
    if skipped:
        count = sum(skipped.values())
        output.notice(f"Skipped {count} Stripe payments that are not sales: {_skipped(skipped)}")
    if tally["fees_converted"]:
        output.notice(
            f"Converted the fee of {tally['fees_converted']} payments from the settlement"
            " currency into the charge's, at each payment's own rate (Converted Amount)"
        )


def _csv_records(file: Path) -> int | None:
    """About how many lines a CSV file holds (its line breaks less the header), for the bar's
    total: counted in blocks, far quicker than reading the lines. None for YAML, stdin or a
    file that is not a regular one."""
    if file.suffix.lower() in (".yaml", ".yml") or str(file) == "-":
        return None
    try:
        if not file.is_file():
            return None
        size = file.stat().st_size
        breaks = 0
        # first the file's bytes (a large file takes a moment to count), then its rows
        with (
            file.open("rb") as stream,
            output.progress(
                f"Counting the lines of {file.name}", total=size, in_bytes=True
            ) as advance,
        ):
            for block in iter(lambda: stream.read(1 << 20), b""):
                breaks += block.count(b"\n")
                advance(len(block))
    except OSError:
        return None  # the import says what is wrong with the file
    return max(breaks - 1, 0) or None


def _skipped(counts: dict[str, int]) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in counts.items())


def _text_option(flag: str, help: str, metavar: str) -> Any:
    return typer.Option(flag, help=help, metavar=metavar, show_default=False)


@app.command("list")
def list_sales(
    ctx: typer.Context,
    start: FromOpt = None,
    end: ToOpt = None,
    product: Annotated[
        str | None, _text_option("--product", "Only this product's sales.", "PRODUCT")
    ] = None,
    market: Annotated[
        str | None, _text_option("--market", "Only the sales in this market.", "MARKET")
    ] = None,
    creator: Annotated[
        str | None,
        _text_option("--creator", "Only sales an instructor or brand has a share of.", "SLUG"),
    ] = None,
    customer: Annotated[
        str | None, _text_option("--customer", "Only this customer's sales.", "EMAIL")
    ] = None,
    coupon: Annotated[
        str | None, _text_option("--coupon", "Only the sales with this coupon.", "CODE")
    ] = None,
    refunded: Annotated[
        bool | None,
        typer.Option(
            "--refunded/--not-refunded",
            help="Only refunded sales (in part or whole), or only the others.",
            show_default=False,
        ),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="newest first, oldest first, or largest amount first.",
            metavar="newest|oldest|amount",
        ),
    ] = "newest",
    limit: LimitOpt = None,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """List the org's sales, newest first; streamed (the first row at once, whatever the
    ledger's size)."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.reports.periods import resolve_period
    from volmify_cli.services.sales_read import SaleFilter, list_sales

    state = AppContext.of(ctx)
    period = resolve_period(None, start, end)
    fmt = state.output_format(output_format)
    where = SaleFilter(product, market, creator, customer, coupon, refunded)
    columns = sale_columns(state.display_locale(locale))
    with state.session() as session:
        rows = list_sales(
            session,
            org_slug=state.org_slug(org),
            period=period,
            limit=limit,
            where=where,
            sort=sort.lower(),
        )
        stream_list(rows, fmt, columns, limit=limit)


@app.command("show")
def show_sale(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="The order_id of the sale.")],
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show one sale with its revenue allocations."""
    from volmify_cli.services.sales_read import get_sale

    state = AppContext.of(ctx)
    with state.session() as session:
        sale = get_sale(session, org_slug=state.org_slug(org), order_id=order_id)
    chosen = state.output_format(output_format)
    if chosen != "table":
        output.render(sale, chosen)
        return
    display = state.display_locale(locale)
    output.render(sale, chosen, sale_columns(display), title=f"Order {order_id}")
    output.render(
        sale["allocations"],
        chosen,
        [
            output.Column("kind", "Recipient"),
            output.Column("key", "Key"),
            output.Column("share", "Share", justify="right"),
            output.Column(
                "amount",
                "Amount",
                display=lambda r: _format(r["amount_minor"], sale["currency"], display),
                justify="right",
            ),
        ],
        title="Allocations",
    )
    output.render(
        sale["entries"],
        chosen,
        [
            output.Column("at", "Dated"),
            output.Column("for_date", "For (closed day)"),
            output.Column("kind", "Entry"),
            output.Column(
                "net",
                "Net",
                display=lambda r: _format(r["net_minor"], sale["currency"], display),
                justify="right",
            ),
        ],
        title="Ledger entries",
    )


def _format(amount: int, currency: str, locale: str) -> str:
    from volmify_cli.l10n import format_money

    return format_money(amount, currency, locale)
