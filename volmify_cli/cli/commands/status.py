"""volmify status: the context every command runs in, and where each part of it comes from
(issue 22): the database (masked) and its schema revision, the default org and the display
locale, each with its source (a flag, an environment variable, the config, the default)."""

from collections.abc import Mapping
from typing import Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.options import FormatOpt

command = typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)

COLUMNS = [
    output.Column("database", "Database"),
    output.Column("database_source", "  from"),
    output.Column("backend", "Backend"),
    output.Column("revision", "Revision", display=lambda r: _revision(r)),
    output.Column("org", "Default org", display=lambda r: r["org"] or "(none)"),
    output.Column("org_source", "  from"),
    output.Column("locale", "Display locale"),
    output.Column("locale_source", "  from"),
    output.Column("config", "Config file"),
]


def _revision(row: Mapping[str, Any]) -> str:
    if row["error"]:
        return f"unknown: {row['error']}"
    if row["up_to_date"]:
        return f"{row['revision']} (current)"
    return f"{row['revision'] or 'none'} (head is {row['head']}: run `volmify db upgrade`)"


@command.command()
def status(ctx: typer.Context, output_format: FormatOpt = None) -> None:
    """Show the database (masked) and its schema revision, the default org and the display
    locale, and where each comes from."""
    from volmify_cli.errors import DatabaseError
    from volmify_cli.migrations.head import HEAD

    state = AppContext.of(ctx)
    settings = state.settings
    record: dict[str, object] = {
        "database": state.database().masked(),
        "database_source": settings.sources.get("database_url"),
        "backend": state.database().backend,
        "revision": None,
        "head": HEAD,
        "up_to_date": False,
        "error": None,
        "org": settings.org,
        "org_source": settings.sources.get("org"),
        "locale": state.display_locale(),
        "locale_source": settings.sources.get("locale"),
        "config": str(settings.config_path),
    }
    try:
        from volmify_cli.services.schema import schema_status

        schema = schema_status(state.engine(), url=str(record["database"]))
        record.update(
            backend=schema["backend"], revision=schema["current"], up_to_date=schema["up_to_date"]
        )
    except DatabaseError as unreachable:  # status still says what it would use, and why not
        record["error"] = unreachable.reason
    output.render(record, state.output_format(output_format), COLUMNS)
