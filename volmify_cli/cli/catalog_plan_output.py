"""How a catalog plan is shown: its lines (the first 50 and counts per kind in a table, every
change in JSON, streamed), the deletions named before any question, what a prune keeps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from volmify_cli.cli import output

if TYPE_CHECKING:
    from volmify_cli.services.changes import ChangeSet

SHOWN_CHANGES = 50  # a plan's table shows this many lines, then counts per kind (--verbose: all)


def show_plan(
    changes: ChangeSet, fmt: str, org: str, *, lines: bool, verbose: bool = False
) -> None:
    from volmify_cli.cli.shaping import selected_fields

    fields = selected_fields()
    if fmt == "json" and fields is None:  # streamed: a first import has 100,000s of changes
        import sys

        changes.write_json(sys.stdout, {"org": org})
        sys.stdout.flush()
        return
    if fmt in ("json", "yaml", "csv"):  # --fields names the document's: `created,updated`
        head = {"org": org, **changes.as_dict(changes=False)}
        # the list of changes (it may be large) only when asked for, or to name it in an error
        if fields is None or any(name not in head for name in fields):
            head["changes"] = changes.as_dict()["changes"]
        output.render(head, fmt)
        return
    if lines:
        limit = None if verbose else SHOWN_CHANGES
        for line in changes.lines(limit):
            output.plain(line)
        more = len(changes.changes) - SHOWN_CHANGES
        if limit is not None and more > 0:
            output.plain(f"... and {more} more changes (--verbose shows them all):")
            for kind in changes.by_kind():
                output.plain(f"  {kind}")
        for line in changes.kept_lines():  # a prune's: what it keeps (not managed)
            output.plain(f"{line} (not managed by the catalog: kept)")
    output.plain(changes.summary())


def notice_kept(changes: ChangeSet) -> None:
    """Name what a prune keeps because the catalog does not manage it."""
    if changes.kept:
        output.notice(
            f"Kept {entities(len(changes.kept))} that the catalog does not manage"
            " (made by commands; --prune-unmanaged deletes them too):"
        )
        for line in changes.kept_lines():
            output.notice(f"  {line}")


def refuse_deletions(lines: list[str], slug: str) -> None:
    """--fail-on-delete: name what the plan deletes, write nothing, exit 6."""
    from volmify_cli.errors import DeletionRefusedError

    for line in lines:
        output.notice(f"  {line}")
    raise DeletionRefusedError(
        f"the import would delete {entities(len(lines))} of org {slug}; nothing was written",
        "remove --fail-on-delete to delete them (with --prune), or keep them in the files",
    )


def entities(count: int) -> str:
    return f"{count} entity" if count == 1 else f"{count} entities"


def deletions(changes: ChangeSet) -> list[str]:
    return [change.line() for change in changes.changes if change.action == "delete"]
