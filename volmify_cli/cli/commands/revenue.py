"""volmify revenue: attribution reports for finance, and creator statements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import LocaleOpt, OrgOpt
from volmify_cli.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy import Connection

app = noun_app("Revenue attribution reports and creator statements.")

REPORT_FORMATS = ("table", "json", "yaml", "csv", "markdown", "html")
SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".md": "markdown",
            ".markdown": "markdown", ".html": "html", ".htm": "html"}  # fmt: skip

PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="2026, 2026-H1, 2026-Q1, 2026-03 or A..B (e.g. 2026-03-01..2026-03-31).",
        show_default=False,
    ),
]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="First day (YYYY-MM-DD, UTC).", show_default=False)
]
ToOpt = Annotated[
    str | None,
    typer.Option("--to", help="Last day, inclusive (YYYY-MM-DD, UTC).", show_default=False),
]
OutOpt = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of stdout.", show_default=False
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite the --output file.")]


@contextmanager
def read_connection(state: AppContext) -> Iterator[Connection]:
    """A plain read connection (schema checked): reports need no ORM session, and not loading
    SQLModel and pydantic saves most of a report's start-up time (SPEC 7)."""
    state.ensure_schema()
    with state.engine().connect() as connection:
        yield connection


def choose_format(
    state: AppContext, flag: str | None, path: str | None, allowed: tuple[str, ...]
) -> str:
    """--format, else the -o file's suffix, else the usual default (table on a terminal)."""
    chosen = flag.lower() if flag else None
    if chosen is None and path is not None:
        from pathlib import Path

        chosen = SUFFIXES.get(Path(path).suffix.lower())
    if chosen is None:
        chosen = state.output_format(None)
    if chosen not in allowed:
        raise UsageError(f"unknown format {chosen!r}", f"choose one of {', '.join(allowed)}")
    return chosen


def _money(field: str, locale: str) -> output.Column:
    from volmify_cli.l10n import format_money

    def show(row: Any) -> str:
        return format_money(row[f"{field}_minor"], row["currency"], locale)

    return output.Column(field, field.title(), display=show, justify="right")


def _columns(creator_view: bool, locale: str | None = None) -> list[output.Column]:
    columns = [output.Column("key", "Key"), output.Column("label", "Label")]
    if creator_view:
        columns.append(output.Column("kind", "Kind"))
    columns += [
        output.Column("currency", "Currency"),
        output.Column("sales", "Sales", justify="right"),
    ]
    if locale is None:  # csv: the exact values, minor units and decimal text
        return columns + [
            output.Column(name)
            for name in ("gross_minor", "gross", "net_minor", "net", "amount_minor", "amount")
        ]
    return columns + [_money(name, locale) for name in ("gross", "net", "amount")]


def _show_table(report: Any, locale: str, chart: bool) -> None:
    creator_view = report["by"] == "creator"
    period = f"{report['from'] or '…'} to {report['to'] or '…'}"
    title = f"Revenue by {report['by']}" + (f" · {report['org']}" if report["org"] else "")
    output.render(
        report["rows"], "table", _columns(creator_view, locale), title=f"{title} · {period}"
    )
    totals = [_money(name, locale) for name in ("gross", "net", "amount")]
    output.render(
        report["totals"],
        "table",
        [
            output.Column("currency", "Currency"),
            output.Column("sales", "Sales", justify="right"),
            *totals,
        ],
        title="Totals",
    )
    if chart:
        from volmify_cli.l10n import format_money

        rows = report["rows"]
        if report["by"] == "month":  # a month chart reads in time order
            rows = sorted(rows, key=lambda row: row["key"])
        for currency in sorted({row["currency"] for row in rows}):
            bars = [
                output.Bar(
                    f"{row['key'] or '—'}" + (f" ({row['kind']})" if creator_view else ""),
                    row["amount_minor"],
                    format_money(row["amount_minor"], currency, locale),
                )
                for row in rows
                if row["currency"] == currency
            ]
            output.bar_chart(f"Amount by {report['by']} · {currency}", bars)


@app.command("report")
def report(
    ctx: typer.Context,
    by: Annotated[
        str, typer.Option("--by", help="creator, product, market, month or brand.")
    ] = "creator",
    start: FromOpt = None,
    end: ToOpt = None,
    period: PeriodOpt = None,
    creator: Annotated[
        str | None,
        typer.Option("--creator", help="Only this instructor's share.", show_default=False),
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
            "--format", "-f", help="table, json, yaml, csv, markdown or html.", show_default=False
        ),
    ] = None,
    out: OutOpt = None,
    force: ForceOpt = False,
    org: OrgOpt = None,
) -> None:
    """Revenue per creator (or product, market, month, brand), per currency."""
    from volmify_cli.reports.periods import resolve_period
    from volmify_cli.reports.revenue import revenue_report

    state = AppContext.of(ctx)
    chosen = choose_format(state, output_format, out, REPORT_FORMATS)
    chosen_period = resolve_period(period, start, end)
    display = state.display_locale(locale)
    with read_connection(state) as connection:
        data = revenue_report(
            connection,
            org_slug=None if all_orgs else state.org_slug(org),
            by=by.lower(),
            period=chosen_period,
            creator=creator,
            all_orgs=all_orgs,
            currency=currency.upper() if currency else None,
            locale=display,
        )
    with output.destination(out, force=force):
        if chosen == "table":
            _show_table(data, display, chart)
        elif chosen in ("markdown", "html"):
            from volmify_cli.rendering.revenue import render_report

            output.plain(render_report(data, chosen, display))
        elif chosen == "csv":
            output.render(data["rows"], "csv", _columns(data["by"] == "creator"))
        else:
            output.render(data, chosen)


@app.command("statement")
def statement(
    ctx: typer.Context,
    creator: Annotated[str, typer.Argument(help="The instructor's slug.")],
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    output_format: Annotated[
        str | None, typer.Option("--format", "-f", help="markdown or html.", show_default=False)
    ] = None,
    out: OutOpt = None,
    force: ForceOpt = False,
    locale: LocaleOpt = None,
    org: OrgOpt = None,
) -> None:
    """A creator's statement: earnings per product and currency, and per month."""
    from volmify_cli.rendering.revenue import render_statement
    from volmify_cli.reports.periods import resolve_period
    from volmify_cli.services.statements import creator_statement

    state = AppContext.of(ctx)
    chosen = (output_format or "").lower() or None
    if chosen is None and out is not None:
        from pathlib import Path

        chosen = SUFFIXES.get(Path(out).suffix.lower())
    chosen = chosen or "markdown"
    if chosen not in ("markdown", "html"):
        raise UsageError(f"unknown format {chosen!r} for a statement", "choose markdown or html")
    chosen_period = resolve_period(period, start, end)
    display = state.display_locale(locale)
    with read_connection(state) as connection:
        data = creator_statement(
            connection,
            org_slug=state.org_slug(org),
            creator=creator,
            period=chosen_period,
            locale=display,
        )
    with output.destination(out, force=force):
        output.plain(render_statement(data, chosen, display))
