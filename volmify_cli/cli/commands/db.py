"""volmify db: create, upgrade and inspect the schema."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, YesOpt

app = noun_app("Create, upgrade and inspect the database schema.")

STATUS_COLUMNS = [
    output.Column("url", "Database"),
    output.Column("backend", "Backend"),
    output.Column("current", "Current revision"),
    output.Column("head", "Head revision"),
    output.Column("up_to_date", "Up to date"),
    output.Column("pending", "Pending"),
]


def _show_status(state: AppContext, output_format: str | None) -> None:
    from volmify_cli.services.schema import schema_status

    status = schema_status(state.engine(), url=state.database().masked())
    output.render(status, state.output_format(output_format), STATUS_COLUMNS)


@app.command("upgrade")
def upgrade(ctx: typer.Context, output_format: FormatOpt = None) -> None:
    """Create the schema or bring it to the current revision (safe to run again)."""
    from volmify_cli.services.schema import upgrade_schema

    state = AppContext.of(ctx)
    for notice in upgrade_schema(state.engine(create=True)):
        output.notice(notice)
    _show_status(state, output_format)


@app.command("init")
def init(ctx: typer.Context, output_format: FormatOpt = None) -> None:
    """Alias of `db upgrade`."""
    upgrade(ctx, output_format)


@app.command("status")
def status(ctx: typer.Context, output_format: FormatOpt = None) -> None:
    """Show the (masked) database URL and the current and head revisions."""
    _show_status(AppContext.of(ctx), output_format)


@app.command("downgrade")
def downgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision, or `base` to remove all.")],
    yes: YesOpt = False,
    output_format: FormatOpt = None,
) -> None:
    """Step the schema back to REVISION. Tables added after it are dropped with their data."""
    from volmify_cli.services.schema import downgrade_schema

    state = AppContext.of(ctx)
    question = f"Downgrade the database to {revision}? Data in later tables is lost."
    if not state.prompter().confirm(question, yes=yes):
        raise typer.Exit(1)
    downgrade_schema(state.engine(), revision=revision)
    _show_status(state, output_format)
