"""volmify orgs locales: the locales an organization creates content in."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, OrgOpt

app = noun_app("The locales an organization creates content in (one is the default).")

COLUMNS = [
    output.Column("key", "Key"),
    output.Column("english_name", "English name"),
    output.Column("native_name", "Native name"),
    output.Column("direction", "Direction"),
    output.Column("is_default", "Default"),
]


@app.command("list")
def list_locales(
    ctx: typer.Context, org: OrgOpt = None, output_format: FormatOpt = None, limit: LimitOpt = None
) -> None:
    """List the organization's locales, the default first."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.org_locales import iter_org_locales

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    with state.session() as session:
        rows = iter_org_locales(session, org_slug=org_slug, limit=limit)
        stream_list(rows, fmt, COLUMNS, limit=limit)


@app.command("add")
def add(
    ctx: typer.Context,
    keys: Annotated[list[str], typer.Argument(help="Locale keys, e.g. de-DE fr-FR.")],
    default: Annotated[
        str | None, typer.Option("--default", help="Make this locale the org's default.")
    ] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Add locales (validated with babel; registered globally when new) and maybe the default."""
    from volmify_cli.services.org_locales import add_org_locales

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    with state.session(write=True) as session:
        rows = add_org_locales(session, org_slug=org_slug, keys=keys, default=default)
    output.render_list(rows, fmt, COLUMNS)


@app.command("remove")
def remove(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The locale key to remove.")],
    org: OrgOpt = None,
) -> None:
    """Remove a locale that is neither the default nor used by markets or translations.

    No confirmation: a locale anything still uses is refused, so nothing can be lost."""
    from volmify_cli.services.org_locales import remove_org_locale

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    with state.session(write=True) as session:
        remove_org_locale(session, org_slug=org_slug, key=key)
    output.notice(f"Removed locale {key} from org {org_slug}.")
