"""volmify courses import | export | scaffold: course outlines as YAML files (SPEC 4.2)."""

from pathlib import Path
from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.options import (
    DEFAULT_LOCK_TIMEOUT_S,
    DryRunOpt,
    FormatOpt,
    LockTimeoutOpt,
    OrgOpt,
    YamlFormatOpt,
    YesOpt,
    int_option,
)

ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace an existing file (a regular file or a link).")
]


def import_outline(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A kind: course_outline YAML file.")],
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
    """Create or update a course from an outline file (upsert by slug, in file order)."""
    from volmify_cli.exchange.bounded import input_name
    from volmify_cli.exchange.readers import read_outline
    from volmify_cli.services.outline_import import import_outline

    state = AppContext.of(ctx)
    name = input_name(file)
    doc = read_outline(file, name=name)
    org_slug = state.org_slug(org, file_org=doc.org, file=name)
    if prune and not dry_run and not yes:
        # Plan first (read-only), ask, then write: no lock is held while a person answers.
        with state.session() as session:
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
    with state.session(
        write=not dry_run, import_of=None if dry_run else org_slug, lock_timeout=lock_timeout
    ) as session:
        changes = import_outline(
            session, org=org_slug, doc=doc, filename=name, prune=prune, dry_run=dry_run
        )
    from volmify_cli.cli.commands._plans import report_changes

    report_changes(
        changes,
        state.output_format(output_format),
        dry_run=dry_run,
        subject=f"Course {doc.course}",
        extra={"org": org_slug, "course": str(doc.course)},
    )


def export_outline(
    ctx: typer.Context,
    course: Annotated[str, typer.Argument(help="The course (product slug).")],
    out: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write to FILE (.yaml or .yml) instead of stdout."),
    ] = None,
    force: ForceOpt = False,
    output_format: YamlFormatOpt = None,
    org: OrgOpt = None,
) -> None:
    """Write a course as an outline file (deterministic; import it back unchanged)."""
    from volmify_cli.cli.output_files import output_file
    from volmify_cli.exchange.outline_export import export_outline

    state = AppContext.of(ctx)
    target = output_file(
        state, out, force=force, flag=output_format, formats=("yaml",), default="yaml"
    )
    with state.session() as session:
        text = export_outline(session, org=state.org_slug(org), slug=course)
    target.write(text)


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
