"""volmify courses import | export | scaffold: course outlines as YAML files (SPEC 4.2)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.options import (
    DEFAULT_LOCK_TIMEOUT_S,
    DryRunOpt,
    ForceOpt,
    FormatOpt,
    LockTimeoutOpt,
    OrgOpt,
    YamlFormatOpt,
    YamlOutputOpt,
    YesOpt,
    int_option,
)
from volmify_cli.errors import InvalidInputError, VolmifyError

if TYPE_CHECKING:
    from volmify_cli.exchange.xml_files import ImportedCourse
    from volmify_cli.inputs.outline_schema import LessonLibraryDoc


def import_outline(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A kind: course_outline (or kind: lesson_library) YAML file; with --from, an"
            " OLX course directory or a SCORM imsmanifest.xml."
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="olx|scorm",
            help="Read FILE as olx (an Open edX course directory) or scorm (an imsmanifest.xml)"
            " instead of an outline; what is not kept is printed as warnings.",
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help="Remove modules, sections and placements the file no longer has."
        ),
    ] = False,
    yes: YesOpt = False,
    lock_timeout: LockTimeoutOpt = DEFAULT_LOCK_TIMEOUT_S,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Create or update a course from an outline file (upsert by slug, in file order), or from
    an Open edX OLX course or a SCORM package's manifest (--from); or the org's lesson library
    from a kind: lesson_library file (each change names the courses that place the lesson)."""
    from volmify_cli.exchange.bounded import input_name
    from volmify_cli.exchange.readers import read_course_file
    from volmify_cli.exchange.xml_files import relocated
    from volmify_cli.inputs.outline_schema import LessonLibraryDoc
    from volmify_cli.services.outline_import import import_outline

    state = AppContext.of(ctx)
    name = input_name(file)
    warnings: list[str] | None = None
    if source is None:
        try:
            read = read_course_file(file, name=name)
        except InvalidInputError as error:
            _raise_every_problem(state, error, file, name, org)
        if isinstance(read, LessonLibraryDoc):
            if prune:
                raise typer.BadParameter(
                    "a lesson library is not pruned (the lessons it does not name stay)",
                    param_hint="'--prune'",
                )
            _import_library(state, read, name, dry_run, lock_timeout, org, output_format)
            return
        doc = read
    else:
        imported = _read_other_format(source, file, name)
        doc, warnings = imported.doc, imported.warnings
        for warning in warnings:
            output.warning(warning)
    org_slug = state.org_slug(org, file_org=doc.org, file=name)
    if prune and not dry_run and not yes:
        # Plan first (read-only), ask, then write: no lock is held while a person answers.
        with state.session() as session, relocated():
            plan = import_outline(
                session, org=org_slug, doc=doc, filename=name, prune=True, dry_run=True
            )
        deleted = plan.count("delete")
        if deleted:
            for line in plan.lines():
                if line.startswith("- "):
                    output.notice(line)
            question = f"Delete {deleted} items from course {doc.course}?"
            if not state.prompter().confirm(question, yes=yes):
                raise typer.Exit(1)
    with (
        state.session(
            write=not dry_run, import_of=None if dry_run else org_slug, lock_timeout=lock_timeout
        ) as session,
        relocated(),  # a problem in a course read from XML names its file and line
    ):
        changes = import_outline(
            session, org=org_slug, doc=doc, filename=name, prune=prune, dry_run=dry_run
        )
    from volmify_cli.cli.commands._plans import report_changes

    extra: dict[str, object] = {"org": org_slug, "course": str(doc.course)}
    if warnings is not None:
        extra["warnings"] = warnings
    report_changes(
        changes,
        state.output_format(output_format),
        dry_run=dry_run,
        subject=f"Course {doc.course}",
        extra=extra,
    )


def _raise_every_problem(
    state: AppContext, error: InvalidInputError, file: Path, name: str, org: str | None
) -> NoReturn:
    """A schema problem does not hide what only the database can tell (a lesson the library
    lacks, a locale the org lacks): the outline is read again with stand-ins and checked,
    writing nothing, and every problem is reported at once. When that cannot be done (not an
    outline, no org, no database), the schema problems are reported alone."""
    from volmify_cli.exchange.readers import salvage_outline
    from volmify_cli.exchange.xml_files import relocated
    from volmify_cli.services.outline_import import import_outline

    try:
        checked = salvage_outline(file, name=name)
    except VolmifyError:
        checked = None  # read once more and failed otherwise (standard input, gone)
    if checked is None or checked.doc is None:
        raise error
    try:
        org_slug = state.org_slug(org, file_org=checked.doc.org, file=name)
        with state.session() as session, relocated():
            import_outline(
                session, org=org_slug, doc=checked.doc, filename=name, dry_run=True,
                salvaged=checked,
            )  # fmt: skip
    except InvalidInputError as every:
        raise every from None
    except VolmifyError:
        raise error from None
    raise error


def _import_library(
    state: AppContext,
    doc: "LessonLibraryDoc",
    name: str,
    dry_run: bool,
    lock_timeout: float,
    org: str | None,
    output_format: str | None,
) -> None:
    from volmify_cli.cli.commands._plans import report_changes
    from volmify_cli.services.lesson_library import import_library

    org_slug = state.org_slug(org, file_org=doc.org, file=name)
    with state.session(
        write=not dry_run, import_of=None if dry_run else org_slug, lock_timeout=lock_timeout
    ) as session:
        made = import_library(session, org=org_slug, doc=doc, filename=name, dry_run=dry_run)
    report_placed_in(made.placed_in)
    report_changes(
        made.changes,
        state.output_format(output_format),
        dry_run=dry_run,
        subject="Lesson library",
        extra={"org": org_slug, "placed_in": made.placed_in},
    )


def report_placed_in(placed_in: dict[str, list[str]]) -> None:
    """A changed library lesson changes every course that places it: name them."""
    for slug, courses in sorted(placed_in.items()):
        noun = "course" if len(courses) == 1 else f"{len(courses)} courses"
        output.notice(f"lesson {slug} is placed in {noun}: {', '.join(courses)}")


def _read_other_format(source: str, file: Path, name: str) -> "ImportedCourse":
    """`--from olx|scorm`: the course read from that format, with its warnings."""
    if source.strip().lower() == "olx":
        from volmify_cli.exchange.olx import read_olx

        return read_olx(file, name=name)
    if source.strip().lower() == "scorm":
        from volmify_cli.exchange.scorm import read_scorm

        return read_scorm(file, name=name)
    raise typer.BadParameter(f"{source!r} is not one of: olx, scorm", param_hint="'--from'")


def export_outline(
    ctx: typer.Context,
    course: Annotated[str, typer.Argument(help="The course (product slug).")],
    out: YamlOutputOpt = None,
    force: ForceOpt = False,
    output_format: YamlFormatOpt = None,
    org: OrgOpt = None,
) -> None:
    """Write a course as an outline file (deterministic; import it back unchanged)."""
    from volmify_cli.cli.output_files import export_yaml
    from volmify_cli.exchange.outline_export import export_outline

    state = AppContext.of(ctx)
    slug = state.org_slug(org)
    export_yaml(
        state,
        out,
        force=force,
        flag=output_format,
        produce=lambda session: export_outline(session, org=slug, slug=course),
    )


def scaffold(
    ctx: typer.Context,
    title: Annotated[
        str | None, typer.Argument(help="The course title.", show_default=False)
    ] = None,
    modules: Annotated[int | None, int_option("--modules", help="Number of modules.")] = None,
    sections: Annotated[int | None, int_option("--sections", help="Sections per module.")] = None,
    lessons: Annotated[int | None, int_option("--lessons", help="Lessons per section.")] = None,
    template: Annotated[
        str | None,
        typer.Option("--template", "-t", help="default, workshop or certification."),
    ] = None,
    slug: Annotated[
        str | None, typer.Option("--slug", help="The course slug (default: from the title).")
    ] = None,
    out: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Output file (default: SLUG.yaml here); - for stdout."),
    ] = None,
    force: ForceOpt = False,
    output_format: YamlFormatOpt = None,
) -> None:
    """Start a course outline from a template, with placeholder titles to edit."""
    from volmify_cli.cli.output_files import OutputFile, choose_format
    from volmify_cli.files import check_target
    from volmify_cli.rendering.scaffold import output_path, render_scaffold, template_names

    state = AppContext.of(ctx)
    chosen = choose_format(state, output_format, out, ("yaml",), "yaml")
    if out not in (None, "-"):  # checked before asking anything (without -o: once named)
        check_target(output_path("", out), force=force)
    prompter = state.prompter()
    if title is None:
        title = prompter.text("Course title:", flag="TITLE")
        if template is None and prompter.enabled:
            template = prompter.select("Template:", template_names(), flag="--template")
    made = render_scaffold(
        title=title,
        template=template or "default",
        slug=slug,
        modules=modules,
        sections=sections,
        lessons=lessons,
        file_name=None if out in (None, "-") else out,
    )
    path = None if out == "-" else output_path(made.slug, out)
    OutputFile(path, chosen, force=force).write(made.text)


def register(app: typer.Typer) -> None:
    app.command("import")(import_outline)
    app.command("export")(export_outline)
    app.command("scaffold")(scaffold)
