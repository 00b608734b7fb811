"""volmify subscriptions list | show | cancel | resume | expire: members' entitlements and their
lifecycle (access until the end of the paid period after a cancellation, none once expired)."""

import datetime as dt
from typing import Annotated, Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, LimitOpt, OrgOpt, date_option, enum_parser
from volmify_cli.enums import SubscriptionStatus

app = noun_app("Members' subscriptions: list, show, cancel, resume, expire.")

KeyArg = Annotated[
    str,
    typer.Argument(help="The subscription's external id (or its id).", show_default=False),
]
AtOpt = Annotated[
    dt.date | None,
    date_option("--at", help="The day it happens (midnight UTC; default: now)."),
]


def _day(value: dt.datetime | None) -> str:
    """A date as the files write it; the time too when it is not midnight UTC."""
    if value is None:
        return ""
    text = str(output.json_default(value))
    return text[:10] if text.endswith("T00:00:00Z") else text[:16].replace("T", " ")


def _access(row: Any) -> str:
    ends = _day(row["access_ends"])
    if row["has_access"]:
        return f"yes, until {ends}" if ends else "yes"
    return f"no, since {ends}" if ends else "no"


def _dated(key: str, header: str) -> output.Column:
    return output.Column(key, header, display=lambda r: _day(r[key]))


COLUMNS = [
    output.Column("external_id", "Subscription", display=lambda r: r["external_id"] or r["id"]),
    output.Column("member", "Member"),
    output.Column("plan", "Plan"),
    output.Column("status", "Status"),
    output.Column("access_tier", "Tier", justify="right"),
    _dated("started_at", "Started"),
    _dated("current_period_end", "Period ends"),
    _dated("canceled_at", "Canceled"),
    output.Column("has_access", "Access", display=_access),
]
SHOW_COLUMNS = [
    output.Column("id", "Id"),
    output.Column("external_id", "External id"),
    output.Column("member", "Member"),
    output.Column("name", "Name"),
    output.Column("plan", "Plan"),
    output.Column("plan_type", "Plan type"),
    output.Column("status", "Status"),
    output.Column("access_tier", "Tier"),
    _dated("started_at", "Started"),
    _dated("trial_ends_at", "Trial ends"),
    _dated("current_period_end", "Period ends"),
    _dated("canceled_at", "Canceled"),
    output.Column("has_access", "Access now", display=_access),
]


@app.command("list")
def list_(
    ctx: typer.Context,
    member: Annotated[str | None, typer.Option("--member", help="Only this member's.")] = None,
    status: Annotated[
        SubscriptionStatus | None,
        typer.Option(
            "--status",
            parser=enum_parser(SubscriptionStatus),
            help="Only this status: trialing, active, past_due, canceled or expired.",
            show_default=False,
        ),
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option("--plan", help="Only this plan's (PRODUCT/VARIANT/PLAN or PRODUCT/PLAN)."),
    ] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List the org's subscriptions, with whether each gives access now."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.subscriptions import iter_subscriptions

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session() as session:
        rows = iter_subscriptions(
            session, org=state.org_slug(org), member=member, status=status, plan=plan, limit=limit
        )
        stream_list(rows, fmt, COLUMNS, limit=limit)


@app.command("show")
def show(
    ctx: typer.Context, key: KeyArg, org: OrgOpt = None, output_format: FormatOpt = None
) -> None:
    """Show one subscription: its dates, and until when it gives access."""
    from volmify_cli.services.subscriptions import show_subscription

    state = AppContext.of(ctx)
    with state.session() as session:
        row = show_subscription(session, org=state.org_slug(org), key=key)
    output.render(row, state.output_format(output_format), SHOW_COLUMNS)


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    key: KeyArg,
    at: AtOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Cancel: access continues until the end of the paid period, then ends."""
    _change(ctx, "cancel", key, at, org, output_format)


@app.command("resume")
def resume(
    ctx: typer.Context,
    key: KeyArg,
    at: AtOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Resume a canceled subscription whose paid period has not ended: it renews again."""
    _change(ctx, "resume", key, at, org, output_format)


@app.command("expire")
def expire(
    ctx: typer.Context,
    key: KeyArg,
    at: AtOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Expire: access ends now (or at --at), whatever was paid for."""
    _change(ctx, "expire", key, at, org, output_format)


def _change(
    ctx: typer.Context,
    action: str,
    key: str,
    at: dt.date | None,
    org: str | None,
    output_format: str | None,
) -> None:
    """One lifecycle move (`cancel`, `resume`, `expire`) in a write session, then the result."""
    from volmify_cli.services import subscriptions

    move = {
        "cancel": subscriptions.cancel_subscription,
        "resume": subscriptions.resume_subscription,
        "expire": subscriptions.expire_subscription,
    }[action]
    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        row = move(session, org=state.org_slug(org), key=key, at=at)
    output.render(row, state.output_format(output_format), SHOW_COLUMNS)
