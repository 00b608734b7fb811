"""volmify courses: outlines (import, export, scaffold), the access tree, list and show; skills,
ratings and the lesson library live in their own modules and are attached here."""

import datetime as dt
from typing import Annotated, Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.commands import course_feedback, course_outlines
from volmify_cli.cli.commands.course_lessons import app as lessons_app
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import (
    FormatOpt,
    LimitOpt,
    LocaleOpt,
    OrgOpt,
    date_option,
    int_option,
)

app = noun_app("Courses: outlines, access tiers, skills and community ratings.")
course_outlines.register(app)
course_feedback.register(app)
app.add_typer(lessons_app, name="lessons")

CourseArg = Annotated[str, typer.Argument(help="The course (product slug).", show_default=False)]

LIST_COLUMNS = [
    output.Column("slug", "Course"),
    output.Column("title", "Title"),
    output.Column("status", "Status"),
    output.Column("level", "Level"),
    output.Column("difficulty", "Difficulty", justify="right"),
    output.Column("modules", "Modules", justify="right"),
    output.Column("lessons", "Lessons", justify="right"),
    output.Column("enrollments", "Enrollments", justify="right"),
]


def _plans(row: Any) -> str:
    return ", ".join(f"{p['plan']} (tier {p['tier']}, {p['status']})" for p in row["plans"])


def _skills(row: Any) -> str:
    return ", ".join(
        f"{s['name']} [{s['skill']}] ({s['kind']}, {s['weight']})"
        if s["name"]
        else f"{s['skill']} ({s['kind']}, {s['weight']})"
        for s in row["skills"]
    )


SHOW_COLUMNS = [
    output.Column("slug", "Course"),
    output.Column("title", "Title"),
    output.Column("description", "Description"),
    output.Column("status", "Status"),
    output.Column("level", "Level"),
    output.Column("difficulty", "Difficulty"),
    output.Column("minutes", "Length", justify="right"),
    output.Column("modules", "Modules"),
    output.Column("sections", "Sections"),
    output.Column("lessons", "Lessons"),
    output.Column(
        "lessons_by_tier",
        "Lessons by tier",
        display=lambda r: ", ".join(f"tier {t}: {n}" for t, n in r["lessons_by_tier"].items()),
    ),
    output.Column("plans", "Plans", display=_plans),
    output.Column("skills", "Skills", display=_skills),
    output.Column("enrollments", "Enrollments"),
]


@app.command("list")
def list_courses(
    ctx: typer.Context,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
    limit: LimitOpt = None,
) -> None:
    """List the organization's courses with their content counts."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.courses import iter_courses

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session() as session:
        rows = iter_courses(
            session, org=state.org_slug(org), locale=state.display_locale(locale), limit=limit
        )
        stream_list(rows, fmt, LIST_COLUMNS, limit=limit)


@app.command("show")
def show(
    ctx: typer.Context,
    course: CourseArg,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show a course: content, plans and their tiers, skills; warns about content no plan
    grants."""
    from volmify_cli.services.courses import show_course

    state = AppContext.of(ctx)
    with state.session() as session:
        record = show_course(
            session, org=state.org_slug(org), slug=course, locale=state.display_locale(locale)
        )
    for message in record["warnings"]:
        output.warning(message)
    output.render(record, state.output_format(output_format), SHOW_COLUMNS)


def _access_text(access: Any) -> str:
    """`, tier 1 (tier 2 through sub_x, ended 2026-07-05)`: what a member's enrollment gives."""
    text = f", tier {access['tier']}"
    if access["access_ended"]:
        ended = access["access_ended_at"]
        day = output.json_default(ended)[:10] if ended is not None else "an unrecorded date"
        text += (
            f" (tier {access['granted_tier']} through {access['subscription']}, "
            f"{access['status']}, ended {day})"
        )
    return text


def _tier_text(node: Any) -> str:
    declared, effective = node["required_tier"], node["effective_tier"]
    if declared == effective:
        return f"tier {effective}"
    return f"tier {declared}, effective {effective}"


def _label(node: Any) -> str:
    kind = f" · {node['type']}" if node["kind"] == "lesson" else ""
    title = node["title"] or node["slug"]
    text = f"{title} ({node['slug']}){kind} · {_tier_text(node)}"
    return text if node["accessible"] else f"🔒 {text} · locked"


TREE_CSV = [
    output.Column(key)
    for key in (
        "path", "kind", "slug", "title", "type", "required_tier", "effective_tier", "accessible",
    )
]  # fmt: skip


def _flat(nodes: Any, parent: str) -> Any:
    for node in nodes:
        path = f"{parent}/{node['slug']}" if parent else node["slug"]
        yield {"path": path, **{k: v for k, v in node.items() if k != "children"}}
        yield from _flat(node["children"], path)


@app.command("tree")
def tree(
    ctx: typer.Context,
    course: CourseArg,
    tier: Annotated[
        int | None,
        int_option("--tier", help="Show what a learner with this access tier sees."),
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan", help="Show what this plan's tier sees (PRODUCT/VARIANT/PLAN or PRODUCT/PLAN)."
        ),
    ] = None,
    member: Annotated[
        str | None,
        typer.Option(
            "--member",
            help="Show what this member's enrollment gives (less once its subscription ended).",
        ),
    ] = None,
    at: Annotated[
        dt.date | None,
        date_option("--at", help="With --member: as of this day (midnight UTC; default: now)."),
    ] = None,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """The course as a tree, with declared and effective tiers; locked items are marked."""
    from volmify_cli.services.courses import course_tree
    from volmify_cli.services.subscription_lifecycle import start_of_day

    state = AppContext.of(ctx)
    if sum(given is not None for given in (tier, plan, member)) > 1:
        raise typer.BadParameter("give one of --tier, --plan and --member")
    if at is not None and member is None:
        raise typer.BadParameter("--at goes with --member")
    with state.session() as session:
        document = course_tree(
            session,
            org=state.org_slug(org),
            slug=course,
            tier=tier,
            plan=plan,
            member=member,
            at=start_of_day(at) if at is not None else None,
            locale=state.display_locale(locale),
        )
    chosen = state.output_format(output_format)
    if chosen == "csv":  # one row per node, its place written as a path
        output.render(list(_flat(document["children"], "")), "csv", TREE_CSV)
        return
    if chosen != "table":
        output.render(document, chosen)
        return
    seen = f" · as tier {document['tier']}" if document["tier"] is not None else ""
    if "access" in document:
        seen = f" · as {document['member']}{_access_text(document['access'])}"
    via = f" via {document['plan']}" if document["plan"] else ""
    title = f"{document['title'] or document['course']} ({document['course']}){seen}{via}"
    output.render_tree(title, document["children"], _label, dim=lambda node: not node["accessible"])
