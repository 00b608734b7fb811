"""volmify courses lessons: the org's lesson library (SPEC 4.2). Courses place its lessons with
`lesson: SLUG`; they change only here or by a `kind: lesson_library` file, and every change
names the courses it reaches. Copies across organizations keep their origin."""

from typing import Annotated, Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import (
    DryRunOpt,
    ForceOpt,
    FormatOpt,
    LocaleOpt,
    OrgOpt,
    YamlFormatOpt,
    YamlOutputOpt,
    YesOpt,
    int_option,
)

app = noun_app("The org's lesson library: lessons that courses place with `lesson: SLUG`.")

SlugArg = Annotated[str, typer.Argument(help="The library lesson's slug.", show_default=False)]
TitleOpt = Annotated[str | None, typer.Option("--title", help="Title.")]
TypeOpt = Annotated[
    str | None,
    typer.Option("--type", help="video, text, quiz, assignment or interactive."),
]
MinutesOpt = Annotated[int | None, int_option("--minutes", help="Estimated minutes.")]
DescriptionOpt = Annotated[str | None, typer.Option("--description", help="Description.")]
ContentOpt = Annotated[
    str | None,
    typer.Option("--content", help="A URL or a path reference to the material ('' clears it)."),
]
TextLocaleOpt = Annotated[
    str | None,
    typer.Option(
        "--locale",
        help="Which translation to write (an org locale) [default: the org's default locale].",
    ),
]

COLUMNS = [
    output.Column("slug", "Lesson"),
    output.Column("title", "Title"),
    output.Column("type", "Type"),
    output.Column("minutes", "Length", justify="right"),
    output.Column("shareable", "Shareable"),
    output.Column("origin", "Copied from"),
    output.Column("courses", "Courses", justify="right"),
]
DETAIL_COLUMNS = [
    *COLUMNS[:4],
    output.Column("description", "Description"),
    output.Column("content", "Content"),
    *COLUMNS[4:6],
    output.Column("placed_in", "Placed in", display=lambda row: ", ".join(row["placed_in"])),
]


def _report(made: Any, fmt: str, dry_run: bool, subject: str, org: str) -> None:
    from volmify_cli.cli.commands._plans import report_changes
    from volmify_cli.cli.commands.course_outlines import report_placed_in

    report_placed_in(made.placed_in)
    report_changes(
        made.changes,
        fmt,
        dry_run=dry_run,
        subject=subject,
        extra={"org": org, "placed_in": made.placed_in},
    )


@app.command("list")
def list_lessons(
    ctx: typer.Context,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """List the org's library lessons, with the number of courses placing each."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.lesson_library import iter_lessons

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session() as session:
        rows = iter_lessons(session, org=state.org_slug(org), locale=state.display_locale(locale))
        stream_list(rows, fmt, COLUMNS)


@app.command("show")
def show(
    ctx: typer.Context,
    slug: SlugArg,
    org: OrgOpt = None,
    locale: LocaleOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Show a library lesson: texts, content, origin and every course that places it."""
    from volmify_cli.services.lesson_library import show_lesson

    state = AppContext.of(ctx)
    with state.session() as session:
        record = show_lesson(
            session, org=state.org_slug(org), slug=slug, locale=state.display_locale(locale)
        )
    output.render(record, state.output_format(output_format), DETAIL_COLUMNS)


@app.command("create")
def create(
    ctx: typer.Context,
    slug: SlugArg,
    title: TitleOpt = None,
    lesson_type: TypeOpt = None,
    minutes: MinutesOpt = None,
    description: DescriptionOpt = None,
    content: ContentOpt = None,
    shareable: Annotated[
        bool, typer.Option("--shareable", help="Other orgs may copy it (courses lessons copy).")
    ] = False,
    locale: TextLocaleOpt = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Add a lesson to the org's library."""
    from volmify_cli.services.lesson_edits import create_lesson

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    title = title or state.prompter().text("Lesson title:", flag="--title")
    with state.session(write=True) as session:
        record = create_lesson(
            session,
            org=org_slug,
            slug=slug,
            title=title,
            type=lesson_type or "text",
            minutes=minutes,
            description=description,
            content=content,
            shareable=shareable,
            locale=locale,
        )
    output.render(record, state.output_format(output_format), DETAIL_COLUMNS)


@app.command("update")
def update(
    ctx: typer.Context,
    slug: SlugArg,
    title: TitleOpt = None,
    lesson_type: TypeOpt = None,
    minutes: MinutesOpt = None,
    description: DescriptionOpt = None,
    content: ContentOpt = None,
    shareable: Annotated[
        bool | None,
        typer.Option("--shareable/--not-shareable", help="Whether other orgs may copy it."),
    ] = None,
    locale: TextLocaleOpt = None,
    dry_run: DryRunOpt = False,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Change a library lesson; prints every course that places it (--dry-run too)."""
    from volmify_cli.services.lesson_edits import update_lesson

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    with state.session(write=not dry_run) as session:
        made = update_lesson(
            session,
            org=org_slug,
            slug=slug,
            title=title,
            type=lesson_type,
            minutes=minutes,
            description=description,
            content=content,
            shareable=shareable,
            locale=locale,
            dry_run=dry_run,
        )
    _report(made, state.output_format(output_format), dry_run, f"Lesson {slug}", org_slug)


@app.command("promote")
def promote(
    ctx: typer.Context,
    path: Annotated[
        str, typer.Argument(help="COURSE/LESSON: a course's own lesson.", show_default=False)
    ],
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Move a course's own lesson into the org's library (the course goes on placing it)."""
    from volmify_cli.services.lesson_edits import promote_lesson

    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        record = promote_lesson(session, org=state.org_slug(org), path=path)
    course = path.partition("/")[0]
    output.notice(
        f"write `lesson: {record['slug']}` in {course}'s outline (or export it again with "
        f"`volmify courses export {course}`): written inline, the import would make it the "
        "course's own lesson again"
    )
    output.render(record, state.output_format(output_format), DETAIL_COLUMNS)


@app.command("delete")
def delete(ctx: typer.Context, slug: SlugArg, org: OrgOpt = None, yes: YesOpt = False) -> None:
    """Delete a library lesson (refused while a course places it)."""
    from volmify_cli.services.lesson_edits import delete_lesson
    from volmify_cli.services.lesson_library import show_lesson

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    with state.session() as session:
        show_lesson(session, org=org_slug, slug=slug)  # unknown: fail before asking
    if not state.prompter().confirm(f"Delete lesson {slug} of org {org_slug}?", yes=yes):
        raise typer.Exit(1)
    with state.session(write=True) as session:
        delete_lesson(session, org=org_slug, slug=slug)
    output.notice(f"Deleted lesson {slug}.")


@app.command("copy")
def copy(
    ctx: typer.Context,
    slug: SlugArg,
    from_org: Annotated[
        str, typer.Option("--from-org", help="The org whose shareable lesson is copied.")
    ],
    as_slug: Annotated[
        str | None, typer.Option("--as", help="The copy's slug here [default: the same].")
    ] = None,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Copy another org's shareable lesson into this org's library (origin and creator kept)."""
    from volmify_cli.services.lesson_reuse import copy_lesson

    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        record = copy_lesson(
            session, org=state.org_slug(org), slug=slug, from_org=from_org, as_slug=as_slug
        )
    output.render(record, state.output_format(output_format), DETAIL_COLUMNS)


DIFF_COLUMNS = [
    output.Column("field", "Field"),
    output.Column("here", "Here"),
    output.Column("upstream", "Upstream"),
]


@app.command("diff")
def diff(
    ctx: typer.Context,
    slug: SlugArg,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """What the origin of a copied lesson has now that this copy has not."""
    from volmify_cli.services.lesson_reuse import diff_lesson

    state = AppContext.of(ctx)
    with state.session() as session:
        found = diff_lesson(session, org=state.org_slug(org), slug=slug)
    chosen = state.output_format(output_format)
    if chosen in ("json", "yaml"):
        output.render(found, chosen)
        return
    since = "changed" if found["upstream_changed"] else "unchanged"
    output.notice(f"lesson {slug}: copy of {found['origin']}, {since} upstream since the copy")
    output.render_list(found["differences"], chosen, DIFF_COLUMNS)


@app.command("sync")
def sync(
    ctx: typer.Context,
    slug: SlugArg,
    dry_run: DryRunOpt = False,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Take the origin's content into a copied lesson; prints every course that places it."""
    from volmify_cli.services.lesson_reuse import sync_lesson

    state = AppContext.of(ctx)
    org_slug = state.org_slug(org)
    with state.session(write=not dry_run) as session:
        made = sync_lesson(session, org=org_slug, slug=slug, dry_run=dry_run)
    _report(made, state.output_format(output_format), dry_run, f"Lesson {slug}", org_slug)


@app.command("export")
def export(
    ctx: typer.Context,
    out: YamlOutputOpt = None,
    force: ForceOpt = False,
    output_format: YamlFormatOpt = None,
    org: OrgOpt = None,
) -> None:
    """Write the library as a kind: lesson_library file (`courses import` takes it back)."""
    from volmify_cli.cli.output_files import export_yaml
    from volmify_cli.exchange.library_export import export_library

    state = AppContext.of(ctx)
    slug = state.org_slug(org)
    export_yaml(
        state,
        out,
        force=force,
        flag=output_format,
        produce=lambda session: export_library(session, org=slug),
    )
