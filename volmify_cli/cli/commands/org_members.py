"""volmify orgs members: users inside an organization, with a role and a status."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import (
    FormatOpt,
    LimitOpt,
    OrgOpt,
    YesOpt,
    enum_parser,
    enum_values,
)
from volmify_cli.enums import MemberRole, MemberStatus

app = noun_app("Members of an organization (users with a role and a status).")

COLUMNS = [
    output.Column("email", "E-mail"),
    output.Column("name", "Name"),
    output.Column("role", "Role"),
    output.Column("status", "Status"),
    output.Column("joined_at", "Joined"),
]
EmailArg = Annotated[str, typer.Argument(help="The member's e-mail address.")]


@app.command("add")
def add(
    ctx: typer.Context,
    email: EmailArg,
    role: Annotated[
        MemberRole | None,
        typer.Option(
            "--role",
            parser=enum_parser(MemberRole),
            autocompletion=enum_values(MemberRole),
            help="owner, admin, instructor or member [default: member].",
        ),
    ] = None,
    status: Annotated[
        MemberStatus | None,
        typer.Option(
            "--status",
            parser=enum_parser(MemberStatus),
            autocompletion=enum_values(MemberStatus),
            help="invited, active, suspended or left [default: active].",
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Name of the user, when they are new.")
    ] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Add a member (creating the user when unknown); for a member, change role or status."""
    from volmify_cli.services.members import add_member
    from volmify_cli.services.users import user_exists

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    if name is None:
        with state.session() as session:
            known = user_exists(session, email=email)
        if not known:
            name = state.prompter().text(f"Name of the new user {email}:", flag="--name")
    with state.session(write=True) as session:
        row = add_member(
            session, org_slug=org_slug, email=email, role=role, status=status, name=name
        )
    output.render(row, fmt, COLUMNS)


@app.command("list")
def list_members(
    ctx: typer.Context, org: OrgOpt = None, output_format: FormatOpt = None, limit: LimitOpt = None
) -> None:
    """List the organization's members."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.members import iter_members

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    org_slug = state.org_slug(org)
    with state.session() as session:
        rows = iter_members(session, org_slug=org_slug, limit=limit)
        stream_list(rows, fmt, COLUMNS, limit=limit)


@app.command("remove")
def remove(ctx: typer.Context, email: EmailArg, org: OrgOpt = None, yes: YesOpt = False) -> None:
    """Remove a member; their enrollments and subscriptions in this org go too (the user stays)."""
    from volmify_cli.services.members import remove_member, show_member
    from volmify_cli.services.references import describe_counts

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    with state.session() as session:
        show_member(session, org_slug=org_slug, email=email)  # unknown: fail before asking
    question = (
        f"Remove {email} from org {org_slug}, with their enrollments and subscriptions there?"
    )
    if not state.prompter().confirm(question, yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        removed = remove_member(session, org_slug=org_slug, email=email)
    also = f" (with {describe_counts(removed)})" if removed else ""
    output.notice(f"Removed {email} from org {org_slug}{also}.")
