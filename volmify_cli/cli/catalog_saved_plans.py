"""Saved plans, as Terraform has them: `catalog diff FILES -o plan.json` writes the plan with the
sha256 of each file and a digest of the rows it read; `catalog import --plan plan.json` applies
exactly that plan, or refuses (exit 1, nothing written) naming what moved since: a file, or the
org's rows (the tables, and the plan lines that would differ). The file format is documented in
`exchange/catalog_plan_file.py` and the README."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from volmify_cli.cli import output
from volmify_cli.cli.catalog_plan_output import (
    AnswerWhileCommitting,
    deletions,
    refuse_deletions,
)
from volmify_cli.cli.output_files import OutputFile, output_file

if TYPE_CHECKING:
    from volmify_cli.cli.context import AppContext
    from volmify_cli.exchange.catalog_plan_file import SavedPlan
    from volmify_cli.inputs.catalog_kinds import Kinds
    from volmify_cli.services.catalog_import import ImportPlan

SHOWN_MOVES = 10  # plan lines named when the database moved


def plan_target(state: AppContext, out: str, *, force: bool) -> OutputFile:
    """The plan file, checked before any work (an existing file needs --force)."""
    return output_file(state, out, force=force, flag=None, formats=("json",), default="json")


def save_plan(
    target: OutputFile,
    plan: ImportPlan,
    files: list[Path],
    *,
    prune: bool,
    prune_unmanaged: bool,
    kinds: Kinds,
) -> None:
    from volmify_cli.exchange.catalog_files import find_files
    from volmify_cli.exchange.catalog_plan_file import plan_text
    from volmify_cli.services.catalog import plan_digests

    changes = plan.changes
    counts = changes.as_dict(changes=False)
    target.write(
        plan_text(
            org=plan.org,
            prune=prune,
            prune_unmanaged=prune_unmanaged,
            kinds=sorted(kinds.included),
            files=find_files(files),
            database=plan_digests(plan),
            counts=counts,
            changes=[change.json() for change in changes.changes],
        )
    )


def apply_saved_plan(
    state: AppContext,
    fmt: str,
    path: Path,
    *,
    org: str | None,
    fail_on_delete: bool,
    lock_timeout: float,
) -> None:
    from volmify_cli.cli.output_progress import reading_catalog
    from volmify_cli.errors import RuleError, UsageError
    from volmify_cli.exchange.catalog_files import read_catalog
    from volmify_cli.exchange.catalog_plan_file import read_plan
    from volmify_cli.inputs.catalog_kinds import Kinds
    from volmify_cli.services.catalog import apply_catalog_import, plan_catalog_import

    saved = read_plan(path)
    if org is not None and org != saved.org:
        raise UsageError(f"{path} is a plan for org {saved.org}, not {org}")
    moved = saved.moved_files()
    if moved:
        raise RuleError(
            f"the files changed since {path} was made: {', '.join(moved)}; nothing was written",
            _AGAIN,
        )
    with reading_catalog(saved.paths) as at:
        files = read_catalog(saved.paths, prune=saved.prune or saved.prune_unmanaged, progress=at)
    with state.session(write=True, import_of=saved.org, lock_timeout=lock_timeout) as session:
        plan = plan_catalog_import(
            session,
            files,
            org=saved.org,
            prune=saved.prune,
            prune_unmanaged=saved.prune_unmanaged,
            kinds=Kinds.exactly(saved.kinds),
            last_use=True,
        )
        _refuse_moved(saved, plan, path)
        for warning in plan.warnings:
            output.warning(warning)
        if fail_on_delete and plan.deletes:
            refuse_deletions(deletions(plan.changes), saved.org)
        with output.progress("Importing", total=None) as advance:
            apply_catalog_import(session, plan, advance=advance)
        answer = AnswerWhileCommitting(lambda: plan.changes, fmt, saved.org)
    answer.show()


_AGAIN = "nothing was written; review the plan again (volmify catalog diff FILES -o PLAN)"


def _refuse_moved(saved: SavedPlan, plan: ImportPlan, path: Path) -> None:
    """Raise RuleError when the org's rows differ from those the plan read, naming the tables
    and the plan lines that would differ."""
    from volmify_cli.errors import RuleError
    from volmify_cli.services.catalog import moved_tables, plan_digests

    tables = moved_tables(saved.database, plan_digests(plan))
    now = [change.json() for change in plan.changes.changes]
    if not tables and now == list(saved.changes):
        return
    lines = dict(zip(now, plan.changes.changes, strict=True))
    before = set(saved.changes)
    added = [lines[line].line() for line in now if line not in before]
    gone = len([line for line in saved.changes if line not in lines])
    for line in added[:SHOWN_MOVES]:
        output.notice(f"  now also: {line}")
    if gone:
        output.notice(f"  and {gone} planned change(s) would no longer be made")
    where = ", ".join(tables) if tables else "the course blocks"
    raise RuleError(f"the database changed since {path} was made (in: {where})", _AGAIN)
