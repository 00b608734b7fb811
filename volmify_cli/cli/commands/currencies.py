"""volmify currencies: ISO 4217 with minor units."""

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt

app = noun_app("ISO 4217 currencies with their minor units.")

COLUMNS = [
    output.Column("code", "Code"),
    output.Column("name", "Name"),
    output.Column("numeric_code", "Numeric", justify="right"),
    output.Column("minor_units", "Minor units", justify="right"),
    output.Column("symbol", "Symbol"),
]


@app.command("list")
def list_currencies(
    ctx: typer.Context, output_format: FormatOpt = None, limit: LimitOpt = None
) -> None:
    """List currencies and their ISO 4217 minor units (JPY 0, USD 2, KWD 3, CLF 4)."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.currencies import iter_currencies

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session() as session:
        stream_list(iter_currencies(session, limit=limit), fmt, COLUMNS, limit=limit)
