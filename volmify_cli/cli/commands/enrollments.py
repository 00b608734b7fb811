"""volmify enrollments add | list | progress: members in courses and their lesson progress."""

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
    value_option,
)
from volmify_cli.enums import ProgressStatus

app = noun_app("Enrollments of org members in courses, and their lesson progress.")

CourseArg = Annotated[str, typer.Argument(help="The course (product slug).", show_default=False)]
MemberOpt = Annotated[
    str, typer.Option("--member", help="The member's e-mail.", show_default=False)
]

COLUMNS = [
    output.Column("course", "Course"),
    output.Column("member", "Member"),
    output.Column("name", "Name"),
    output.Column("status", "Status"),
    output.Column(
        "access_tier",
        "Tier",
        # the granted tier, and what is left of it once the subscription's access has ended
        display=lambda r: (
            str(r["current_tier"])
            if r["current_tier"] == r["access_tier"]
            else f"{r['current_tier']} ({r['access_tier']} until {r['subscription']} ended)"
        ),
        justify="right",
    ),
    output.Column(
        "percent",
        "Progress",
        display=lambda r: f"{r['percent']}% ({r['lessons_completed']}/{r['lessons_total']})",
        justify="right",
    ),
    output.Column("seconds_spent", "Time spent", justify="right"),
    output.Column("enrolled_at", "Enrolled"),
]
PROGRESS_COLUMNS = [
    output.Column("course", "Course"),
    output.Column("member", "Member"),
    output.Column("lesson", "Lesson"),
    output.Column("status", "Status"),
    output.Column("percent", "Percent"),
    output.Column("seconds_spent", "Time spent", justify="right"),
    output.Column("enrollment_status", "Enrollment"),
    output.Column("enrollment_percent", "Enrollment %"),
]


@app.command("add")
def add(
    ctx: typer.Context,
    course: CourseArg,
    member: MemberOpt,
    plan: Annotated[
        str | None,
        typer.Option("--plan", help="The plan that grants access (its tier applies)."),
    ] = None,
    tier: Annotated[int | None, value_option("--tier", help="The access tier granted.")] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Enroll a member in a course (tier from --plan, --tier, or their best subscription)."""
    from volmify_cli.services.enrollments import enroll

    state = AppContext.of(ctx)
    if plan is not None and tier is not None:
        raise typer.BadParameter("give --plan or --tier, not both")
    with state.session(write=True) as session:
        row = enroll(
            session, org=state.org_slug(org), course=course, member=member, plan=plan, tier=tier
        )
    output.render(row, state.output_format(output_format), COLUMNS)


@app.command("list")
def list_(
    ctx: typer.Context,
    course: Annotated[str | None, typer.Option("--course", help="Only this course.")] = None,
    member: Annotated[str | None, typer.Option("--member", help="Only this member.")] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List enrollments with their progress (derived from lesson progress)."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.enrollments import iter_enrollments

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session() as session:
        rows = iter_enrollments(
            session, org=state.org_slug(org), course=course, member=member, limit=limit
        )
        stream_list(rows, fmt, COLUMNS, limit=limit)


@app.command("progress")
def progress(
    ctx: typer.Context,
    course: CourseArg,
    member: MemberOpt,
    lesson: Annotated[
        str,
        typer.Option("--lesson", help="LESSON slug, or MODULE/SECTION/LESSON.", show_default=False),
    ],
    status: Annotated[
        ProgressStatus,
        typer.Option(
            "--status",
            parser=enum_parser(ProgressStatus),
            help="not_started, in_progress or completed.",
            show_default=False,
        ),
    ],
    percent: Annotated[int | None, value_option("--percent", help="0..100.")] = None,
    seconds: Annotated[
        int | None, value_option("--seconds", help="Time spent, in seconds.")
    ] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Record a member's progress on a lesson of a course their tier can see."""
    from volmify_cli.services.enrollments import record_progress

    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        row = record_progress(
            session,
            org=state.org_slug(org),
            course=course,
            member=member,
            lesson=lesson,
            status=status,
            percent=percent,
            seconds=seconds,
        )
    output.render(row, state.output_format(output_format), PROGRESS_COLUMNS)


@app.command("remove")
def remove(
    ctx: typer.Context,
    course: CourseArg,
    member: MemberOpt,
    yes: YesOpt = False,
    org: OrgOpt = None,
) -> None:
    """Remove a member's enrollment in a course, with their lesson progress."""
    from volmify_cli.services.enrollments import unenroll

    state = AppContext.of(ctx)
    question = f"Remove {member} from {course}, with their lesson progress?"
    if not state.prompter().confirm(question, yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        dropped = unenroll(session, org=state.org_slug(org), course=course, member=member)
    output.notice(f"Removed {member} from {course} ({dropped} progress records).")
