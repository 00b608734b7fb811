"""volmify orgs: organizations, and (as sub-nouns) their locales, brands and members."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.commands.contacts import org_app as contact_app
from volmify_cli.cli.commands.org_brands import app as brands_app
from volmify_cli.cli.commands.org_locales import app as locales_app
from volmify_cli.cli.commands.org_members import app as members_app
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, YesOpt, enum_parser, enum_values
from volmify_cli.enums import OrgStatus

app = noun_app("Organizations: create, list, show, update, delete, choose the default.")
app.add_typer(locales_app, name="locales")
app.add_typer(brands_app, name="brands")
app.add_typer(members_app, name="members")
app.add_typer(contact_app, name="contact")

COLUMNS = [
    output.Column("slug", "Slug"),
    output.Column("name", "Name"),
    output.Column("default_locale", "Default locale"),
    output.Column("default_currency", "Currency"),
    output.Column("timezone", "Time zone"),
    output.Column("status", "Status"),
    output.Column("locales", "Locales"),
]
SlugArg = Annotated[str, typer.Argument(help="The organization's slug, e.g. acme.")]
TimezoneHelp = "IANA time zone of its report periods and closed days (e.g. Europe/Berlin)"


@app.command("create")
def create(
    ctx: typer.Context,
    slug: SlugArg,
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    locale: Annotated[
        str | None, typer.Option("--locale", help="Default content locale [default: en-US].")
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="Default currency [default: USD].")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help=f"{TimezoneHelp} [default: UTC].")
    ] = None,
    output_format: FormatOpt = None,
) -> None:
    """Create an organization (its locale becomes its first, default locale)."""
    from volmify_cli.services.orgs import DEFAULT_CURRENCY, DEFAULT_LOCALE, create_org

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    name = name or state.prompter().text("Organization name:", flag="--name")
    with state.session(write=True) as session:
        row = create_org(
            session,
            slug=slug,
            name=name,
            locale=locale or DEFAULT_LOCALE,
            currency=currency or DEFAULT_CURRENCY,
            timezone=timezone or "UTC",
        )
    output.render(row, fmt, COLUMNS)


@app.command("list")
def list_orgs(ctx: typer.Context, output_format: FormatOpt = None, limit: LimitOpt = None) -> None:
    """List organizations."""
    # The start-up benchmark's data command (SPEC 7): Core only, no ORM import.
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.org_reads import iter_orgs

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.connection() as connection:
        rows = iter_orgs(connection, limit=limit)
        stream_list(rows, fmt, COLUMNS, limit=limit)


@app.command("show")
def show(ctx: typer.Context, slug: SlugArg, output_format: FormatOpt = None) -> None:
    """Show one organization."""
    from volmify_cli.services.org_reads import show_org

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.connection() as connection:
        row = show_org(connection, slug=slug)
    output.render(row, fmt, [*COLUMNS, output.Column("created_at", "Created")])


@app.command("update")
def update(
    ctx: typer.Context,
    slug: SlugArg,
    name: Annotated[str | None, typer.Option("--name", help="New display name.")] = None,
    status: Annotated[
        OrgStatus | None,
        typer.Option(
            "--status",
            parser=enum_parser(OrgStatus),
            autocompletion=enum_values(OrgStatus),
            help="active, suspended or archived.",
        ),
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="New default currency.")
    ] = None,
    default_locale: Annotated[
        str | None,
        typer.Option("--default-locale", help="New default locale (one of the org's locales)."),
    ] = None,
    timezone: Annotated[str | None, typer.Option("--timezone", help=f"{TimezoneHelp}.")] = None,
    output_format: FormatOpt = None,
) -> None:
    """Change an organization's name, status, default currency, default locale or time zone."""
    from volmify_cli.errors import UsageError
    from volmify_cli.services.orgs import update_org

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    if all(value is None for value in (name, status, currency, default_locale, timezone)):
        raise UsageError(
            "nothing to change",
            "pass --name, --status, --currency, --default-locale or --timezone",
        )
    with state.session(write=True) as session:
        row = update_org(
            session,
            slug=slug,
            name=name,
            status=status,
            currency=currency,
            default_locale=default_locale,
            timezone=timezone,
        )
    output.render(row, fmt, COLUMNS)


@app.command("delete")
def delete(ctx: typer.Context, slug: SlugArg, yes: YesOpt = False) -> None:
    """Delete an organization and everything it owns (asks you to type the slug)."""
    from volmify_cli.services.org_reads import show_org
    from volmify_cli.services.orgs import delete_org

    state = AppContext.of(ctx)
    with state.connection() as connection:
        show_org(connection, slug=slug)  # an unknown slug fails before any question
    question = f"Delete organization {slug} and everything it owns?"
    if not state.prompter().confirm_typed(question, slug, yes=yes):
        output.notice("Nothing was deleted.")
        raise typer.Exit(1)
    with state.session(write=True) as session:
        delete_org(session, slug=slug)
    output.notice(f"Deleted organization {slug}.")


@app.command("use")
def use(ctx: typer.Context, slug: SlugArg) -> None:
    """Make an organization the default for org-scoped commands on this database (written to
    the config; another database keeps its own)."""
    from volmify_cli.services.org_reads import show_org
    from volmify_cli.settings import remember_org

    state = AppContext.of(ctx)
    with state.connection() as connection:
        show_org(connection, slug=slug)
    path = state.settings.config_path
    remember_org(path, state.settings.database_url, slug)
    output.notice(
        f"Default organization is now {slug} for {state.database().masked()} (in {path})."
    )
