"""volmify users sessions: a user's sign-in sessions, listed and revoked (never their tokens)."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt

app = noun_app("A user's sign-in sessions: list and revoke them.")

COLUMNS = [
    output.Column("id", "Id"),
    output.Column("status", "Status"),
    output.Column("created_at", "Created"),
    output.Column("expires_at", "Expires"),
    output.Column("revoked_at", "Revoked"),
    output.Column("ip_address", "IP address"),
    output.Column("user_agent", "User agent"),
]
EmailArg = Annotated[str, typer.Argument(help="The user's e-mail address.")]


@app.command("list")
def list_sessions(ctx: typer.Context, email: EmailArg, output_format: FormatOpt = None) -> None:
    """List a user's sessions, oldest first, with their status (active, expired, revoked)."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.user_sessions import iter_sessions

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session() as session:
        rows = iter_sessions(session, email=email)
        stream_list(rows, fmt, COLUMNS)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    email: EmailArg,
    session_id: Annotated[
        str | None, typer.Argument(help="The session's id (see `users sessions list`).")
    ] = None,
    all_sessions: Annotated[bool, typer.Option("--all", help="Every session of the user.")] = False,
    output_format: FormatOpt = None,
) -> None:
    """Revoke one session of a user (ID) or all of them (--all); prints the sessions named."""
    from volmify_cli.errors import UsageError
    from volmify_cli.services.user_sessions import revoke_sessions

    if all_sessions and session_id is not None:
        raise UsageError("give a session ID or --all, not both")
    if not all_sessions and session_id is None:
        raise UsageError("name one session ID or pass --all", "see `volmify users sessions list`")
    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session(write=True) as session:
        result = revoke_sessions(session, email=email, session_id=session_id)
    for row in result["already_revoked"]:
        output.notice(
            f"Session {row['id']} was already revoked at {row['revoked_at']:%Y-%m-%d %H:%M:%S} UTC."
        )
    output.notice(f"Revoked {len(result['revoked'])} session(s) of {email}.")
    rows = sorted([*result["revoked"], *result["already_revoked"]], key=lambda r: r["created_at"])
    output.render_list(rows, fmt, COLUMNS)
