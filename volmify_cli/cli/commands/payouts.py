"""volmify payouts: money paid to the org's instructors and brands (SPEC 5). What a creator is
still owed is `volmify revenue balance`."""

import datetime as dt
from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.commands.revenue import FromOpt, PeriodOpt, ToOpt
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, OrgOpt, date_option

app = noun_app("Money paid to the org's instructors and brands.")

CreatorHelp = "An instructor's or a brand's slug (instructor:SLUG or brand:SLUG when both exist)."
COLUMNS = [
    output.Column("paid_at", "Paid"),
    output.Column("for_date", "For (closed day)"),
    output.Column("creator", "Creator"),
    output.Column("kind", "Kind"),
    output.Column("currency", "Currency"),
    output.Column("amount", "Amount", justify="right"),
    output.Column("reference", "Reference"),
]


@app.command("record")
def record(
    ctx: typer.Context,
    creator: Annotated[str, typer.Argument(help=CreatorHelp, show_default=False)],
    amount: Annotated[
        str, typer.Option("--amount", help="What was paid, in the currency (e.g. 120.50).")
    ],
    currency: Annotated[str, typer.Option("--currency", help="ISO 4217 code (e.g. USD).")],
    at: Annotated[
        dt.date | None,
        date_option("--at", help="The day it was paid (the org's time zone; default: now)."),
    ] = None,
    reference: Annotated[
        str | None, typer.Option("--reference", help="The bank's or processor's reference.")
    ] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Record a payout (money that left the bank: a payout over what is owed, or in a currency
    never earned in, is recorded with a warning)."""
    from volmify_cli.services.payouts import record_payout

    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        made = record_payout(
            session,
            org=state.org_slug(org),
            creator=creator,
            amount=amount,
            currency=currency,
            at=at,
            reference=reference,
        )
    for warning in made["warnings"]:
        output.warning(warning)
    output.render(
        {**made["payout"], "owed_minor": made["owed_minor"], "owed": made["owed"]},
        state.output_format(output_format),
        [*COLUMNS, output.Column("owed", "Still owed", justify="right")],
    )


@app.command("list")
def list_payouts(
    ctx: typer.Context,
    creator: Annotated[str | None, typer.Option("--creator", help=CreatorHelp)] = None,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """The org's payouts, oldest first."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.reports.periods import resolve_period
    from volmify_cli.services.payouts import iter_payouts

    state = AppContext.of(ctx)
    chosen = resolve_period(period, start, end)
    fmt = state.output_format(output_format)
    with state.session() as session:
        rows = iter_payouts(
            session, org=state.org_slug(org), creator=creator, period=chosen, limit=limit
        )
        stream_list(rows, fmt, COLUMNS, limit=limit)
