"""volmify learning import: members, subscriptions, enrollments with progress, and ratings."""

from pathlib import Path
from typing import Annotated

import typer

from volmify_cli.cli import output
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import (
    DEFAULT_LOCK_TIMEOUT_S,
    DryRunOpt,
    FormatOpt,
    LockTimeoutOpt,
    OrgOpt,
)

app = noun_app("Learning records: members, subscriptions, enrollments, progress and ratings.")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A kind: learning YAML file.")],
    dry_run: DryRunOpt = False,
    lock_timeout: LockTimeoutOpt = DEFAULT_LOCK_TIMEOUT_S,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Upsert an organization's learning records by their natural keys (all or nothing)."""
    from volmify_cli.cli.commands._plans import report_changes
    from volmify_cli.exchange.bounded import input_name
    from volmify_cli.exchange.readers import read_learning
    from volmify_cli.services.learning_import import import_learning

    state = AppContext.of(ctx)
    name = input_name(file)
    doc = read_learning(file, name=name)
    org_slug = state.org_slug(org, file_org=doc.org, file=name)
    with state.session(
        write=not dry_run, import_of=None if dry_run else org_slug, lock_timeout=lock_timeout
    ) as session:
        result = import_learning(session, org=org_slug, doc=doc, filename=name, dry_run=dry_run)
    for message in result.warnings:
        output.warning(message)
    report_changes(
        result.changes,
        state.output_format(output_format),
        dry_run=dry_run,
        subject=f"Learning records of {org_slug}",
        extra={"org": org_slug, "warnings": result.warnings},
    )
