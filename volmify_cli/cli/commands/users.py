"""volmify users: platform users (global accounts, addressed by e-mail)."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.commands.user_sessions import app as sessions_app
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, OrgOpt

app = noun_app("Platform users (global accounts, addressed by e-mail).")
app.add_typer(sessions_app, name="sessions")

COLUMNS = [
    output.Column("email", "E-mail"),
    output.Column("name", "Name"),
    output.Column("display_name", "Display name"),
]
MEMBER_COLUMNS = [*COLUMNS, output.Column("role", "Role"), output.Column("status", "Status")]
DETAIL_COLUMNS = [
    *COLUMNS,
    output.Column(
        "memberships",
        "Memberships",
        display=lambda row: ", ".join(
            f"{m['org']} ({m['role']}, {m['status']})" for m in row["memberships"]
        ),
    ),
    output.Column(
        "profiles",
        "Profiles",
        display=lambda row: ", ".join(f"{p['slug']} ({p['type']})" for p in row["profiles"]),
    ),
]
EmailArg = Annotated[str, typer.Argument(help="The user's e-mail address.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every organization, not only one.")]


def _org_or_all(state: AppContext, org: str | None, all_orgs: bool) -> str | None:
    """None for --all; else the org (failing with a hint that names --all too)."""
    from volmify_cli.errors import UsageError

    if all_orgs:
        return None
    try:
        return state.org_slug(org)
    except UsageError as error:
        raise UsageError(error.reason, f"{error.hint}; or pass --all") from None


@app.command("create")
def create(
    ctx: typer.Context,
    email: EmailArg,
    name: Annotated[str | None, typer.Option("--name", help="Full name.")] = None,
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="Name shown to others.")
    ] = None,
    output_format: FormatOpt = None,
) -> None:
    """Create a user (e-mail addresses are unique, compared case-insensitively)."""
    from volmify_cli.services.users import create_user

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    name = name or state.prompter().text("Full name:", flag="--name")
    with state.session(write=True) as session:
        row = create_user(session, email=email, name=name, display_name=display_name)
    output.render(row, fmt, COLUMNS)


@app.command("list")
def list_users(
    ctx: typer.Context,
    all_users: AllOpt = False,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List the organization's members, or with --all every user of the platform."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.users import iter_users

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = _org_or_all(state, org, all_users)
    with state.session() as session:
        rows = iter_users(session, org_slug=org_slug, limit=limit)
        stream_list(rows, fmt, COLUMNS if all_users else MEMBER_COLUMNS, limit=limit)


@app.command("show")
def show(
    ctx: typer.Context,
    email: EmailArg,
    all_orgs: AllOpt = False,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show a user with their membership in the organization (--all: in every organization)."""
    from volmify_cli.services.users import show_user

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = _org_or_all(state, org, all_orgs)
    with state.session() as session:
        row = show_user(session, email=email, org_slug=org_slug)
    output.render(row, fmt, DETAIL_COLUMNS)
