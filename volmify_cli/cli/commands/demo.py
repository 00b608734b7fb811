"""volmify demo: load the demo organizations and take a short tour."""

from collections.abc import Callable
from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.options import FormatOpt, YesOpt

command = typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)


@command.command()
def demo(
    ctx: typer.Context,
    reset: Annotated[
        bool, typer.Option("--reset", help="Delete the demo organizations first and start over.")
    ] = False,
    yes: YesOpt = False,
    output_format: FormatOpt = None,
) -> None:
    """Load two demo organizations (catalogs, courses, learners, a year of sales) into the
    configured database, then print a short tour. Safe to run again."""
    from volmify_cli.exchange.demo import demo_steps, existing_demo_orgs, reset_demo, run_step

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    if reset:
        with state.session() as session:
            present = existing_demo_orgs(session)
        question = f"Delete the demo organizations {', '.join(present)} and everything they own?"
        if present and not state.prompter().confirm(question, yes=yes):
            raise typer.Exit(1)
        with state.session(write=True) as session:
            for slug in reset_demo(session):
                output.notice(f"Deleted organization {slug}.")
    steps = demo_steps()
    results = []
    with output.progress("Loading the demo", total=len(steps)) as advance:
        for step in steps:
            with state.session(write=True) as session:
                result = run_step(session, step)
            output.notice(f"{result['command']}: {result['summary']}")
            results.append(result)
            advance(1)
    if fmt != "table" and output_format is not None:
        output.render(results, fmt)
        return
    _tour(ctx)


def _tour(ctx: typer.Context) -> None:
    """Show what was loaded with the commands a user would type (their own table views)."""
    from volmify_cli.cli.commands import courses, orgs, plans, revenue, skills

    sections: list[tuple[str, str, Callable[[], None]]] = [
        (
            "The organizations",
            "volmify orgs list",
            lambda: orgs.list_orgs(ctx, output_format="table", limit=None),
        ),
        (
            "Plans of Python 101 with their tiers and market prices",
            "volmify plans list python-101 --org acme",
            lambda: plans.list_plans(
                ctx,
                product="python-101",
                org="acme",
                locale=None,
                output_format="table",
                limit=None,
            ),
        ),
        (
            "Python 101 as a basic (tier 1) learner sees it",
            "volmify courses tree python-101 --tier 1 --org acme",
            lambda: courses.tree(
                ctx,
                course="python-101",
                tier=1,
                plan=None,
                org="acme",
                locale=None,
                output_format="table",
            ),
        ),
        (
            "… and as a VIP (tier 3) learner sees it",
            "volmify courses tree python-101 --tier 3 --org acme",
            lambda: courses.tree(
                ctx,
                course="python-101",
                tier=3,
                plan=None,
                org="acme",
                locale=None,
                output_format="table",
            ),
        ),
        (
            "Revenue by creator, all of 2026",
            "volmify revenue report --by creator --period 2026 --org acme",
            lambda: revenue.report(
                ctx,
                by="creator",
                start=None,
                end=None,
                period="2026",
                creator=None,
                all_orgs=False,
                currency=None,
                locale=None,
                chart=False,
                output_format="table",
                out=None,
                force=False,
                org="acme",
            ),
        ),
        (
            "The platform's skill taxonomy (web-design: created by a catalog, not yet approved)",
            "volmify skills tree",
            lambda: skills.tree(ctx, locale=None, output_format="table"),
        ),
    ]
    for title, line, show in sections:
        output.heading(title)
        show()
        output.plain(f"  $ {line}\n")
