"""The root command: global options, the static table of nouns (imported lazily), main()."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from typing import Annotated

import typer

from volmify_cli import __version__
from volmify_cli.cli import params
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import LazyGroup

params.install()  # no pydantic for parameters that need no coercion (SPEC 7 start-up budget)

# noun -> (module, one-line help). The root lists nouns from here without importing them.
NOUNS: dict[str, tuple[str, str]] = {
    "demo": ("volmify_cli.cli.commands.demo", "Load the demo organizations and take a tour."),
    "db": ("volmify_cli.cli.commands.db", "Create, upgrade and inspect the database schema."),
    "locales": ("volmify_cli.cli.commands.locales", "The global locale registry."),
    "currencies": ("volmify_cli.cli.commands.currencies", "ISO 4217 currencies with minor units."),
    "orgs": ("volmify_cli.cli.commands.orgs", "Organizations, their locales, brands and members."),
    "users": ("volmify_cli.cli.commands.users", "Platform users (global accounts)."),
    "instructors": ("volmify_cli.cli.commands.instructors", "Instructors and affiliations."),
    "markets": ("volmify_cli.cli.commands.markets", "Markets: currency, countries, locales."),
    "products": ("volmify_cli.cli.commands.products", "Products, their variants and attribution."),
    "plans": ("volmify_cli.cli.commands.plans", "Payment plans, access tiers, market prices."),
    "offers": ("volmify_cli.cli.commands.offers", "Discounts, coupons and promotions."),
    "collections": ("volmify_cli.cli.commands.collections", "Ordered groups of products."),
    "catalog": (
        "volmify_cli.cli.commands.catalog",
        "The catalog as code: validate, diff, import, export.",
    ),
    "courses": ("volmify_cli.cli.commands.courses", "Course outlines, tiers, skills, ratings."),
    "enrollments": ("volmify_cli.cli.commands.enrollments", "Members in courses, their progress."),
    "subscriptions": (
        "volmify_cli.cli.commands.subscriptions",
        "Members' subscriptions: cancel, resume, expire.",
    ),
    "learning": ("volmify_cli.cli.commands.learning", "Import learners, enrollments, ratings."),
    "progress": ("volmify_cli.cli.commands.progress", "Learning analytics of org members."),
    "sales": ("volmify_cli.cli.commands.sales", "Record sales (CSV or YAML) and list the ledger."),
    "revenue": ("volmify_cli.cli.commands.revenue", "Revenue attribution reports and statements."),
    "payouts": ("volmify_cli.cli.commands.payouts", "Money paid to instructors and brands."),
    "marketplace": (
        "volmify_cli.cli.commands.marketplace",
        "The cross-org marketplace: publish products, list every org's.",
    ),
    "skills": ("volmify_cli.cli.commands.skills", "The platform's skill taxonomy."),
    "status": (
        "volmify_cli.cli.commands.status",
        "The database, its revision, the default org and locale, and where each comes from.",
    ),
}


class RootGroup(LazyGroup):
    lazy_commands = NOUNS


app = typer.Typer(
    name="volmify",
    cls=RootGroup,
    help="Administer Volmify organizations: catalogs, courses, sales and revenue.",
    rich_markup_mode=None,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_orgs(ctx: typer.Context, incomplete: str) -> list[str]:
    from volmify_cli.cli.completion import slugs

    return slugs("org")(ctx, None, incomplete)


def _complete_formats(incomplete: str) -> list[str]:
    return [
        name for name in ("table", "json", "yaml", "csv", "ndjson") if name.startswith(incomplete)
    ]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"volmify {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL (overrides VOLMIFY_DATABASE_URL and the config).",
            show_default=False,
            metavar="URL",
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org",
            help="Organization slug for org-scoped commands.",
            show_default=False,
            metavar="ORG",
            autocompletion=_complete_orgs,
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Default output format.",
            show_default=False,
            metavar="table|json|yaml|csv|ndjson",
            autocompletion=_complete_formats,
        ),
    ] = None,
    locale: Annotated[
        str | None,
        typer.Option(
            "--locale", help="Display locale (e.g. de-DE).", show_default=False, metavar="LOCALE"
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; fail on a missing value.")
    ] = False,
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields",
            help="Only these fields, in this order, in any format (e.g. order_id,amount).",
            show_default=False,
            metavar="A,B,C",
        ),
    ] = None,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Print tables whole, never through $PAGER.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    from volmify_cli.cli.cells import use_run
    from volmify_cli.cli.pager import disable_pager
    from volmify_cli.cli.shaping import select_fields

    select_fields(fields)
    disable_pager(no_pager)
    ctx.obj = AppContext(
        db=db, org=org, format=output_format, locale=locale, no_input=no_input, debug=debug
    )
    use_run(ctx.obj)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """The process's entry point (`volmify`, `python -m volmify_cli`)."""
    from volmify_cli.services.collector import leave_heap_to_exit

    leave_heap_to_exit()
    try:
        app()
    except SystemExit as done:
        exit_at_once(done.code)
        raise


def exit_at_once(code: object) -> None:
    """End the process with `code` without freeing what a command left to the exit
    (`services/collector`), once the output is flushed and the exit handlers have run.
    Returns (the caller exits as usual) when nothing was left, when `code` is a message to
    print, when another thread still runs (the interpreter would wait for it), or when the
    output cannot be flushed (a reader gone: the usual exit words that)."""
    from volmify_cli.services.collector import heap_left_to_exit

    if not heap_left_to_exit() or not isinstance(code, int | None) or threading.active_count() > 1:
        return
    try:
        _flush()
    except (OSError, ValueError):
        return
    atexit._run_exitfuncs()
    with contextlib.suppress(OSError, ValueError):  # what the handlers wrote (nothing left to do)
        _flush()
    os._exit(code or 0)


def _flush() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
