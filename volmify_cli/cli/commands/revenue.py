"""volmify revenue: attribution reports for finance, and creator statements."""

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, LocaleOpt, OrgOpt, YesOpt, date_option
from volmify_cli.cli.output_files import output_file
from volmify_cli.cli.revenue_views import REPORT_FORMATS, show_report

app = noun_app("Revenue attribution reports and creator statements.")

PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="2026, 2026-H1, 2026-Q1, 2026-03 or A..B (e.g. 2026-03-01..2026-03-31).",
        show_default=False,
    ),
]
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
OutOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout (its extension chooses the format).",
        show_default=False,
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace the --output file (a regular file or a link).")
]


RatesOpt = Annotated[
    Path | None,
    typer.Option(
        "--rates",
        help="An ECB reference rates CSV (eurofxref.csv or eurofxref-hist.csv) to convert with.",
        show_default=False,
    ),
]
InOpt = Annotated[
    str | None,
    typer.Option("--in", help="The currency to convert into (with --rates).", show_default=False),
]


def _conversion(rates: Path | None, target: str | None) -> Any:
    """The converter of `--rates FILE --in CODE` (both or neither: exit 2)."""
    if rates is None and target is None:
        return None
    from volmify_cli.errors import UsageError

    if rates is None or target is None:
        raise UsageError("--rates and --in go together", "e.g. --rates eurofxref-hist.csv --in EUR")
    from volmify_cli.exchange.ecb_rates import RatesConverter, read_rates
    from volmify_cli.money import is_currency

    code = target.strip().upper()
    if not is_currency(code):
        raise UsageError(f"unknown currency {target!r}", "see `volmify currencies list`")
    return RatesConverter(read_rates(rates), code)


@app.command("report")
def report(
    ctx: typer.Context,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="creator, product, market, month or brand.",
            metavar="creator|product|market|month|brand",
        ),
    ] = "creator",
    start: FromOpt = None,
    end: ToOpt = None,
    period: PeriodOpt = None,
    creator: Annotated[
        str | None,
        typer.Option(
            "--creator",
            help="Only this creator's share: an instructor or a brand (brand:SLUG for a brand"
            " whose slug an instructor has too); across --all-orgs, an instructor.",
            show_default=False,
        ),
    ] = None,
    all_orgs: Annotated[
        bool, typer.Option("--all-orgs", help="A creator's earnings across every organization.")
    ] = False,
    currency: Annotated[
        str | None,
        typer.Option("--currency", help="Only this currency (ISO 4217).", show_default=False),
    ] = None,
    locale: LocaleOpt = None,
    chart: Annotated[
        bool, typer.Option("--chart", help="Add a bar chart to the table view.")
    ] = False,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="table, json, yaml, csv, markdown (rendered on a terminal) or html.",
            show_default=False,
            metavar="|".join(REPORT_FORMATS),
        ),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="Sort rows by amount, key (months in order), sales, gross or net.",
        ),
    ] = "amount",
    rates: RatesOpt = None,
    target: InOpt = None,
    limit: LimitOpt = None,
    out: OutOpt = None,
    force: ForceOpt = False,
    org: OrgOpt = None,
) -> None:
    """Revenue per creator (or product, market, month, brand), per currency; the period's days
    are the org's time zone's."""
    from volmify_cli.reports.periods import resolve_period
    from volmify_cli.reports.revenue import revenue_report

    state = AppContext.of(ctx)
    conversion = _conversion(rates, target)
    written = output_file(state, out, force=force, flag=output_format, formats=REPORT_FORMATS)
    chosen_period = resolve_period(period, start, end)
    display = state.display_locale(locale)
    with state.direct_reader() as reader, output.working("Adding up the ledger"):
        data = revenue_report(
            reader,
            org_slug=None if all_orgs else state.org_slug(org),
            by=by.lower(),
            period=chosen_period,
            creator=creator,
            all_orgs=all_orgs,
            currency=currency.upper() if currency else None,
            locale=display,
            sort=sort.lower(),
            conversion=conversion,
            limit=limit,
        )
    if limit is not None:
        output.notice(f"The first {limit} rows of each currency; the totals are of every row.")
    with written.capture():
        show_report(data, written.format, display, chart=chart)


STATEMENT_FORMATS = ("markdown", "html", "pdf", "json", "csv")
AllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Every creator (instructor or brand) who earned or was paid in the period: one"
        " file each in -o DIR.",
    ),
]
StatementOutOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (its extension chooses the format); with --all, into this"
        " directory (created if missing), one SLUG.EXT file per creator (SLUG.brand.EXT for a"
        " brand whose slug an instructor has too).",
        show_default=False,
    ),
]


@app.command("statement")
def statement(
    ctx: typer.Context,
    creator: Annotated[
        str | None,
        typer.Argument(
            help="An instructor's or a brand's slug (brand:SLUG for a brand whose slug an"
            " instructor has too), or --all.",
            show_default=False,
        ),
    ] = None,
    everyone: AllOpt = False,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="markdown (rendered on a terminal), html, pdf, json or csv.",
            show_default=False,
            metavar="|".join(STATEMENT_FORMATS),
        ),
    ] = None,
    out: StatementOutOpt = None,
    force: ForceOpt = False,
    rates: RatesOpt = None,
    target_currency: InOpt = None,
    locale: LocaleOpt = None,
    org: OrgOpt = None,
) -> None:
    """A creator's statement: earnings per product and currency, and per month, refunds and
    adjustments, payouts and the balance; with --all, one per creator into a directory."""
    import sys
    from pathlib import Path

    from volmify_cli.cli.output_files import choose_format, is_stdout
    from volmify_cli.errors import UsageError
    from volmify_cli.reports.periods import resolve_period

    state = AppContext.of(ctx)
    if everyone:
        if creator is not None:
            raise UsageError(
                f"CREATOR ({creator}) and --all cannot be combined",
                "name one creator, or pass --all for every one",
            )
        if out is None or is_stdout(out):
            raise UsageError("--all needs -o DIR", "every statement is written to DIR/SLUG.EXT")
        chosen = choose_format(state, output_format, None, STATEMENT_FORMATS, default="markdown")
    else:
        if creator is None:
            raise UsageError(
                "missing CREATOR", "name an instructor or a brand, or pass --all -o DIR"
            )
        target = output_file(
            state, out, force=force, flag=output_format, formats=STATEMENT_FORMATS,
            default="markdown",
        )  # fmt: skip
        chosen = target.format
        if chosen == "pdf" and target.path is None and sys.stdout.isatty():
            raise UsageError(
                "a PDF is not written to a terminal",
                "pass -o FILE.pdf, or redirect stdout to a file or a pipe",
            )
    chosen_period = resolve_period(period, start, end)
    display = state.display_locale(locale)
    conversion = _conversion(rates, target_currency)

    def render(data: Any) -> str | bytes:
        """One statement as its file holds it (what stdout shows, for the text formats)."""
        if chosen == "pdf":
            from volmify_cli.rendering.statement_pdf import render_statement_pdf

            return render_statement_pdf(data, display)
        import io
        from contextlib import redirect_stdout

        from volmify_cli.rendering.revenue import render_statement

        buffer = io.StringIO()
        with redirect_stdout(buffer):
            if chosen == "json":
                output.render(data, "json")
            elif chosen == "csv":
                from volmify_cli.cli.statement_views import statement_lines

                output.render(statement_lines(data), "csv")
            else:
                output.plain(render_statement(data, chosen, display))
        return buffer.getvalue()

    if everyone:
        from volmify_cli.services.statement_batch import write_statements

        with state.direct_reader() as reader, output.working("Writing the statements"):
            written = write_statements(
                reader, org_slug=state.org_slug(org), period=chosen_period,
                directory=Path(str(out)), output_format=chosen, render=render, force=force,
                locale=display, conversion=conversion,
            )  # fmt: skip
        output.notice(f"Wrote {len(written)} statements to {out}")
        _show_statement_files(written, state.output_format(None), display)
        return
    from volmify_cli.services.statements import creator_statement

    with state.direct_reader() as reader, output.working("Adding up the ledger"):
        data = creator_statement(
            reader,
            org_slug=state.org_slug(org),
            creator=str(creator),
            period=chosen_period,
            locale=display,
            conversion=conversion,
        )
    content = render(data)
    if chosen == "markdown" and target.path is None:
        output.markdown(str(content))  # rendered on a terminal, as written in a pipe
    elif isinstance(content, str):
        target.write(content)
    elif target.path is None:  # a PDF into a pipe or a file (never a terminal: see above)
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        from volmify_cli.files import write_file

        write_file(target.path, content, force=force)
        output.notice(f"Wrote {target.path}")


def _show_statement_files(rows: Any, fmt: str, locale: str) -> None:
    """The summary of `statement --all`: a line per file, with what each creator is owed at
    the end of the period, per currency. Always these fields: `--fields` chose those of the
    statements written."""
    from volmify_cli.cli.shaping import every_field

    def owed(row: Any) -> str:
        from volmify_cli.l10n import format_money

        return ", ".join(
            format_money(b["closing_minor"], b["currency"], locale) for b in row["balances"]
        )

    columns = [
        output.Column("slug", "Creator"),
        output.Column("name", "Name"),
        output.Column("kind", "Kind"),
        output.Column("file", "File"),
        output.Column("balances", "Owed at the end", display=owed, justify="right"),
    ]
    with every_field():
        output.render_list(rows, fmt, columns)


BALANCE_COLUMNS = [
    output.Column("key", "Creator"),
    output.Column("label", "Name"),
    output.Column("kind", "Kind"),
    output.Column("currency", "Currency"),
    output.Column("earned", "Earned", justify="right"),
    output.Column("paid", "Paid", justify="right"),
    output.Column("owed", "Owed", justify="right"),
]


@app.command("balance")
def balance(
    ctx: typer.Context,
    creator: Annotated[
        str | None,
        typer.Option("--creator", help="One instructor or brand (instructor:SLUG, brand:SLUG)."),
    ] = None,
    at: Annotated[
        dt.date | None,
        date_option(
            "--at", help="Count what was earned and paid up to this day (the org's time zone)."
        ),
    ] = None,
    rates: RatesOpt = None,
    target: InOpt = None,
    locale: LocaleOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """What each creator earned, was paid and is owed, per currency (exact, minor units)."""
    from volmify_cli.reports.balances import creator_balances

    state = AppContext.of(ctx)
    conversion = _conversion(rates, target)
    with state.direct_reader() as reader:
        data = creator_balances(
            reader,
            org_slug=state.org_slug(org),
            creator=creator,
            at=at,
            locale=state.display_locale(locale),
            conversion=conversion,
        )
    chosen = state.output_format(output_format)
    columns = BALANCE_COLUMNS
    if conversion is not None:
        owed = f"Owed in {conversion.currency}"
        columns = [*columns, output.Column("converted_owed", owed, justify="right")]
    if chosen in ("json", "yaml"):
        output.render(data, chosen)
    else:
        output.render_list(data["rows"], chosen, columns)


ClosePeriod = Annotated[
    str,
    typer.Argument(help="A period: 2026-03, 2026-Q1, 2026-H1, 2026 or a date.", show_default=False),
]
CLOSE_COLUMNS = [
    output.Column("recorded_at", "Recorded"),
    output.Column("action", "Action"),
    output.Column("period", "Period"),
    output.Column("closed_through", "Closed through"),
    output.Column("recorded_by", "By"),
]


def _who() -> str:
    """Who closes or reopens: the login of the person running the command."""
    import getpass

    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError):  # no login name and no passwd entry (a bare container)
        return "unknown"


@app.command("close")
def close(
    ctx: typer.Context,
    period: ClosePeriod,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Close every day up to the end of PERIOD: its reports and statements stay as they are
    (later sales, refunds and payouts dated in it are recorded on the first open day)."""
    from volmify_cli.services.ledger_closes import close_period

    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        result = close_period(session, org_slug=state.org_slug(org), period=period, by=_who())
    _show_close(result, state.output_format(output_format))


@app.command("reopen")
def reopen(
    ctx: typer.Context,
    period: ClosePeriod,
    yes: YesOpt = False,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Reopen every day from the start of PERIOD on (statements handed out for it may change)."""
    from volmify_cli.services.ledger_closes import reopen_period

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    question = f"Reopen {period} in org {org_slug} (its statements may then change)?"
    if not state.prompter().confirm(question, yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        result = reopen_period(session, org_slug=org_slug, period=period, by=_who())
    _show_close(result, state.output_format(output_format))


@app.command("closes")
def closes(ctx: typer.Context, org: OrgOpt = None, output_format: FormatOpt = None) -> None:
    """The org's closes and reopens, oldest first: who and when."""
    from volmify_cli.services.ledger_closes import list_closes

    state = AppContext.of(ctx)
    with state.session() as session:
        history = list_closes(session, org_slug=state.org_slug(org))
    output.render(history, state.output_format(output_format), CLOSE_COLUMNS)


def _show_close(result: Any, fmt: str) -> None:
    """The ledger's lock date after the command, and what was recorded (nothing, when the
    ledger already was as asked)."""
    made = result["close"] or {}
    record = {
        "message": result["message"],
        "closed_through": result["closed_through"],
        "changed": bool(made),
        **{key: made.get(key) for key in ("action", "period", "recorded_at", "recorded_by")},
    }
    output.render(record, fmt, [output.Column(key) for key in record])
