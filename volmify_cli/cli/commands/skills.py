"""volmify skills: the platform's skill taxonomy (global; no org needed)."""

from pathlib import Path
from typing import Annotated, Any

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import DryRunOpt, FormatOpt, LimitOpt, LocaleOpt

app = noun_app("The platform's skill taxonomy: names per locale, parents, categories, approval.")


def _complete_skills(ctx: typer.Context, incomplete: str) -> list[str]:
    from volmify_cli.cli.completion import slugs

    return slugs("skill")(ctx, None, incomplete)


SlugArg = Annotated[
    str,
    typer.Argument(
        help="The skill's slug, e.g. python.", show_default=False, autocompletion=_complete_skills
    ),
]
NameOpt = Annotated[
    str | None, typer.Option("--name", help="The name (in --locale).", show_default=False)
]
WriteLocaleOpt = Annotated[
    str | None,
    typer.Option(
        "--locale",
        help="Locale of --name/--description, a registered one (default: the skill's default"
        " locale; for a new skill en-US).",
        show_default=False,
    ),
]
DescriptionOpt = Annotated[
    str | None,
    typer.Option("--description", help="What the skill covers (in --locale).", show_default=False),
]
ParentOpt = Annotated[
    str | None,
    typer.Option(
        "--parent",
        help="The parent skill's slug.",
        show_default=False,
        autocompletion=_complete_skills,
    ),
]
CategoryOpt = Annotated[
    str | None,
    typer.Option("--category", help="A category, e.g. programming.", show_default=False),
]

COLUMNS = [
    output.Column("skill", "Skill"),
    output.Column("name", "Name"),
    output.Column("parent", "Parent"),
    output.Column("category", "Category"),
    output.Column("approved", "Approved"),
]


def _refs(refs: Any) -> str:
    return ", ".join(f"{r['skill']} ({r['name']})" if r["name"] else r["skill"] for r in refs)


DETAIL_COLUMNS = [
    output.Column("skill", "Skill"),
    output.Column("name", "Name"),
    output.Column("description", "Description"),
    output.Column(
        "names", "Names", display=lambda r: ", ".join(f"{k}: {v}" for k, v in r["names"].items())
    ),
    output.Column("parent", "Parent"),
    output.Column("children", "Children", display=lambda r: _refs(r["children"])),
    output.Column("category", "Category"),
    output.Column("approved_at", "Approved"),
    output.Column("courses_teaching", "Courses teaching it", justify="right"),
    output.Column("courses_requiring", "Courses requiring it", justify="right"),
]
TREE_CSV = [
    output.Column("path", "Path"),
    output.Column("skill", "Skill"),
    output.Column("name", "Name"),
    output.Column("category", "Category"),
    output.Column("approved", "Approved"),
]


def _show(state: AppContext, slug: str, fmt: str | None, locale: str | None = None) -> None:
    from volmify_cli.services.skill_reads import show_skill

    with state.session() as session:
        record = show_skill(session, slug=slug, locale=state.display_locale(locale))
    output.render(record, state.output_format(fmt), DETAIL_COLUMNS)


@app.command("create")
def create(
    ctx: typer.Context,
    slug: SlugArg,
    name: Annotated[str, typer.Option("--name", help="The name (in --locale).")],
    locale: WriteLocaleOpt = None,
    description: DescriptionOpt = None,
    parent: ParentOpt = None,
    category: CategoryOpt = None,
    approve: Annotated[bool, typer.Option("--approve", help="Approve it now.")] = False,
    output_format: FormatOpt = None,
) -> None:
    """Add a skill to the taxonomy (a parent that would make a cycle is refused)."""
    from volmify_cli.services.skill_writes import create_skill

    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        create_skill(
            session,
            slug=slug,
            name=name,
            locale=locale,
            description=description,
            parent=parent,
            category=category,
            approve=approve,
        )
    _show(state, slug, output_format)


@app.command("update")
def update(
    ctx: typer.Context,
    slug: SlugArg,
    name: NameOpt = None,
    locale: WriteLocaleOpt = None,
    description: DescriptionOpt = None,
    parent: ParentOpt = None,
    no_parent: Annotated[
        bool, typer.Option("--no-parent", help="Make it a top-level skill.")
    ] = False,
    category: CategoryOpt = None,
    no_category: Annotated[
        bool, typer.Option("--no-category", help="Take the category away.")
    ] = False,
    approve: Annotated[
        bool | None,
        typer.Option("--approve/--unapprove", help="Approve it, or take the approval back."),
    ] = None,
    output_format: FormatOpt = None,
) -> None:
    """Change a skill: a name or description in --locale, its parent, category, approval
    (what is not given stays as it is)."""
    from volmify_cli.services.skill_writes import KEEP, update_skill

    if parent is not None and no_parent:
        raise typer.BadParameter("give --parent or --no-parent, not both")
    if category is not None and no_category:
        raise typer.BadParameter("give --category or --no-category, not both")
    state = AppContext.of(ctx)
    with state.session(write=True) as session:
        update_skill(
            session,
            slug=slug,
            name=name,
            locale=locale,
            description=description,
            parent=None if no_parent else (parent if parent is not None else KEEP),
            category=None if no_category else (category if category is not None else KEEP),
            approve=approve,
        )
    _show(state, slug, output_format)


@app.command("list")
def list_skills(
    ctx: typer.Context,
    category: Annotated[
        str | None, typer.Option("--category", help="Only this category's.", show_default=False)
    ] = None,
    unapproved: Annotated[
        bool, typer.Option("--unapproved", help="Only skills nobody approved yet.")
    ] = False,
    locale: LocaleOpt = None,
    limit: LimitOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """List the platform's skills (names in the display locale)."""
    from volmify_cli.cli.output_stream import stream_list
    from volmify_cli.services.skill_reads import iter_skills

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    with state.session() as session:
        rows = iter_skills(
            session,
            locale=state.display_locale(locale),
            category=category,
            unapproved=unapproved,
            limit=limit,
        )
        stream_list(rows, fmt, COLUMNS, limit=limit)


@app.command("show")
def show(
    ctx: typer.Context, slug: SlugArg, locale: LocaleOpt = None, output_format: FormatOpt = None
) -> None:
    """Show a skill: its names, parent, children, category, approval, and how many courses
    teach or require it."""
    _show(AppContext.of(ctx), slug, output_format, locale)


def _flat(nodes: Any, prefix: str) -> Any:
    for node in nodes:
        path = f"{prefix}/{node['skill']}" if prefix else node["skill"]
        yield {**{k: v for k, v in node.items() if k != "children"}, "path": path}
        yield from _flat(node["children"], path)


def _label(node: Any) -> str:
    text = f"{node['name']} ({node['skill']})" if node["name"] else node["skill"]
    text += f" · {node['category']}" if node["category"] else ""
    return text + ("" if node["approved"] else " · unapproved")


@app.command("tree")
def tree(ctx: typer.Context, locale: LocaleOpt = None, output_format: FormatOpt = None) -> None:
    """The taxonomy as a tree: each skill under its parent (JSON: nested `children`)."""
    from volmify_cli.services.skill_reads import skill_tree

    state = AppContext.of(ctx)
    with state.session() as session:
        roots = skill_tree(session, locale=state.display_locale(locale))
    chosen = state.output_format(output_format)
    if chosen == "csv":  # one row per skill, its place written as a path
        output.render(list(_flat(roots, "")), "csv", TREE_CSV)
    elif chosen != "table":
        output.render(roots, chosen)
    else:
        output.render_tree("Skills", roots, _label, dim=lambda node: not node["approved"])


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A kind: skills YAML file.")],
    dry_run: DryRunOpt = False,
    output_format: FormatOpt = None,
) -> None:
    """Create or update skills from a file, by slug (all or nothing; again: no change)."""
    from volmify_cli.cli.commands._plans import report_changes
    from volmify_cli.exchange.bounded import input_name
    from volmify_cli.exchange.readers import read_skills
    from volmify_cli.services.skill_import import import_skills

    state = AppContext.of(ctx)
    name = input_name(file)
    doc = read_skills(file, name=name)
    with state.session(write=True) as session:
        changes = import_skills(session, doc=doc, filename=name, dry_run=dry_run)
    report_changes(changes, state.output_format(output_format), dry_run=dry_run, subject="Skills")
