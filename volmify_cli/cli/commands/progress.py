"""volmify progress report: learning analytics of the org's members (computed in SQL)."""

from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import FormatOpt, OrgOpt

app = noun_app("Learning analytics of the organization's members.")

COLUMNS = [
    output.Column("key", "Key"),
    output.Column("label", "Name"),
    output.Column("enrollments", "Enrollments", justify="right"),
    output.Column("completed", "Completed", justify="right"),
    output.Column(
        "lessons_completed",
        "Lessons done",
        display=lambda r: f"{r['lessons_completed']}/{r['lessons_total']}",
        justify="right",
    ),
    output.Column(
        "completion_rate",
        "Completion",
        display=lambda r: f"{r['completion_rate']}%",
        justify="right",
    ),
    output.Column("seconds_spent", "Time spent", justify="right"),
]
# By role, a row is a group of members: how many of them are enrolled comes first.
ROLE_COLUMNS = [
    output.Column("key", "Role"),
    output.Column("members", "Members", justify="right"),
    *COLUMNS[2:],
]


@app.command("report")
def report(
    ctx: typer.Context,
    course: Annotated[str | None, typer.Option("--course", help="Only this course.")] = None,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="course, member, module or role (the member's role in the org).",
            show_default=True,
            metavar="course|member|module|role",
        ),
    ] = "course",
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Completion, lessons completed and time spent, by course, member, module or role."""
    from volmify_cli.reports.progress import progress_report

    state = AppContext.of(ctx)
    with state.session() as session, output.working("Adding up the learning records"):
        document = progress_report(session, org=state.org_slug(org), course=course, by=by.lower())
    chosen = state.output_format(output_format)
    if chosen in ("json", "yaml"):
        output.render(document, chosen)
        return
    totals = {"key": "total", "label": None, **document["totals"]}
    rows = (
        [*document["rows"], totals] if chosen == "table" and document["rows"] else document["rows"]
    )
    columns = ROLE_COLUMNS if document["by"] == "role" else COLUMNS
    output.render(rows, chosen, columns, title=f"Learning progress by {document['by']}")
