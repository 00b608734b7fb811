"""volmify locales: the global locale registry."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, YesOpt

app = noun_app("The global locale registry (BCP 47 keys, validated with babel).")

COLUMNS = [
    output.Column("key", "Key"),
    output.Column("english_name", "English name"),
    output.Column("native_name", "Native name"),
    output.Column("direction", "Direction"),
    output.Column("is_active", "Active"),
]


@app.command("list")
def list_locales(
    ctx: typer.Context, output_format: FormatOpt = None, limit: LimitOpt = None
) -> None:
    """List registered locales."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.locales import iter_locales

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session() as session:
        stream_list(iter_locales(session, limit=limit), fmt, COLUMNS, limit=limit)


@app.command("add")
def add(
    ctx: typer.Context,
    keys: Annotated[list[str], typer.Argument(help="Locale keys, e.g. de-AT pt-BR.")],
    output_format: FormatOpt = None,
) -> None:
    """Register locales (validated with babel; an unknown key adds nothing)."""
    from volmify_cli.services.locales import add_locales

    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        rows = add_locales(session, keys=keys)
    output.render_list(rows, state.output_format(output_format), COLUMNS)


@app.command("remove")
def remove(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The locale key to remove.")],
    yes: YesOpt = False,
) -> None:
    """Remove a locale that no organization uses."""
    from volmify_cli.services.locales import remove_locale

    state = AppContext.of(ctx)
    if not state.prompter().confirm(f"Remove locale {key}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        remove_locale(session, key=key)
    output.notice(f"Removed locale {key}.")
