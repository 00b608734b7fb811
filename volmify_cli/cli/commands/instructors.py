"""volmify instructors: global instructor profiles and their affiliations with organizations."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.commands.contacts import instructor_app as contact_app
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, OrgOpt, enum_parser, enum_values
from volmify_cli.enums import AffiliationStatus, AffiliationType

app = noun_app("Instructor profiles (global slugs) and their affiliations with organizations.")
app.add_typer(contact_app, name="contact")

COLUMNS = [
    output.Column("slug", "Slug"),
    output.Column("name", "Name"),
    output.Column("title", "Title"),
    output.Column("email", "E-mail"),
]
ORG_COLUMNS = [
    *COLUMNS,
    output.Column("affiliation", "Type", display=lambda row: row["affiliation"]["type"]),
    output.Column("status", "Status", display=lambda row: row["affiliation"]["status"]),
    output.Column("share", "Default share", display=lambda row: row["affiliation"]["share"]),
]
AFFILIATION_COLUMNS = [
    output.Column("org", "Org"),
    output.Column("instructor", "Instructor"),
    output.Column("type", "Type"),
    output.Column("status", "Status"),
    output.Column("share", "Default share"),
    output.Column("started_at", "Started"),
    output.Column("ended_at", "Ended"),
]
DETAIL_COLUMNS = [
    *COLUMNS,
    output.Column(
        "affiliations",
        "Affiliations",
        display=lambda row: ", ".join(
            f"{a['org']} ({a['type']}, {a['status']}, {a['share']})" for a in row["affiliations"]
        ),
    ),
]
SlugArg = Annotated[str, typer.Argument(help="The instructor's global profile slug.")]
FilterOrgOpt = Annotated[
    str | None,
    typer.Option("--org", help="Only this organization's affiliations.", show_default=False),
]


def _share(value: str) -> int:
    from volmify_cli.money import MoneyError, parse_percent

    try:
        return parse_percent(value)
    except MoneyError as exc:
        raise typer.BadParameter(f"{exc.reason} ({exc.hint})" if exc.hint else exc.reason) from None


@app.command("create")
def create(
    ctx: typer.Context,
    slug: SlugArg,
    user: Annotated[
        str | None, typer.Option("--user", help="E-mail of the user (created when unknown).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name shown on the profile.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Professional title.")] = None,
    output_format: FormatOpt = None,
) -> None:
    """Create an instructor profile for a user (an unknown user is created with --name)."""
    from volmify_cli.services.instructors import create_instructor

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    prompter = state.prompter()
    user = user or prompter.text("E-mail of the instructor's user:", flag="--user")
    name = name or prompter.text("Instructor name:", flag="--name")
    with state.session(write=True) as session:
        row = create_instructor(session, slug=slug, email=user, name=name, title=title)
    output.render(row, fmt, DETAIL_COLUMNS)


@app.command("list")
def list_instructors(
    ctx: typer.Context,
    org: FilterOrgOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List instructors of the platform, or with --org those affiliated with it."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.instructors import iter_instructors

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    # Instructors are global: only an explicit --org narrows the list (not the default org).
    org_slug = org or state.org
    with state.session() as session:
        rows = iter_instructors(session, org_slug=org_slug, limit=limit)
        stream_list(rows, fmt, ORG_COLUMNS if org_slug else COLUMNS, limit=limit)


@app.command("show")
def show(
    ctx: typer.Context, slug: SlugArg, org: FilterOrgOpt = None, output_format: FormatOpt = None
) -> None:
    """Show an instructor with their affiliations (with --org: only that one)."""
    from volmify_cli.services.instructors import show_instructor

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session() as session:
        row = show_instructor(session, slug=slug, org_slug=org or state.org)
    output.render(row, fmt, DETAIL_COLUMNS)


@app.command("affiliate")
def affiliate(
    ctx: typer.Context,
    slug: SlugArg,
    org: OrgOpt = None,
    share: Annotated[
        int | None,
        typer.Option(
            "--share",
            parser=_share,
            metavar="PCT",
            help="Default revenue share for new attributions: 40, 40% or 40.5%.",
        ),
    ] = None,
    affiliation_type: Annotated[
        AffiliationType | None,
        typer.Option(
            "--type",
            parser=enum_parser(AffiliationType),
            autocompletion=enum_values(AffiliationType),
            help="owner, employee, contractor, partner or guest [default: contractor].",
        ),
    ] = None,
    status: Annotated[
        AffiliationStatus | None,
        typer.Option(
            "--status",
            parser=enum_parser(AffiliationStatus),
            autocompletion=enum_values(AffiliationStatus),
            help="pending, active, suspended or ended [default: active].",
        ),
    ] = None,
    output_format: FormatOpt = None,
) -> None:
    """Affiliate an instructor with an organization, or change the affiliation."""
    from volmify_cli.services.instructors import affiliate_instructor

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    with state.session(write=True) as session:
        row = affiliate_instructor(
            session,
            slug=slug,
            org_slug=org_slug,
            share_bp=share,
            type=affiliation_type,
            status=status,
        )
    output.render(row, fmt, AFFILIATION_COLUMNS)
