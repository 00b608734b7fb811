"""How a catalog plan is shown: its lines (the first 50 and counts per kind in a table, every
change in JSON, streamed), the deletions named before any question, what a prune keeps."""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from volmify_cli.cli import output

if TYPE_CHECKING:
    from volmify_cli.services.changes import ChangeSet

SHOWN_CHANGES = 50  # a plan's table shows this many lines, then counts per kind (--verbose: all)


class AnswerWhileCommitting:
    """What an import prints, made in a thread while its transaction commits, and shown once
    the commit is done (a failed commit shows nothing). The commit waits on the database (on
    PostgreSQL the deferred checks of a large first import's prices take a second), while the
    lines of its 350,000 changes and their JSON take this process about as long. The database
    driver lets the thread run while it waits; nothing in the thread touches the database."""

    def __init__(self, changes: Callable[[], ChangeSet], fmt: str, org: str) -> None:
        self._fmt, self._org = fmt, org
        self._streamed = _streamed(fmt)
        self._made: ChangeSet | None = None
        # the JSON document (30 MB for a first import of the large catalog) waits in a file,
        # not in memory: held here it raised the import's peak by as much
        self._text: IO[str] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._make, args=(changes,), daemon=True)
        self._thread.start()

    def _make(self, changes: Callable[[], ChangeSet]) -> None:
        try:
            made = changes()
            if self._streamed:
                self._text = _written(made, self._org)
            self._made = made
        except BaseException as exc:  # raised again by `show`, in the command's thread
            self._error = exc

    def show(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._made is not None
        if self._text is None:
            show_plan(self._made, self._fmt, self._org, lines=False)
            return
        with self._text as text:
            text.seek(0)
            shutil.copyfileobj(text, sys.stdout, _COPIED)
        sys.stdout.flush()


_COPIED = 1 << 20  # characters copied to the output at a time


def _written(changes: ChangeSet, org: str) -> IO[str] | None:
    """The JSON document in a temporary file (closed by `show`, gone at exit in any case), or
    None where no file can be made or written: the document is then written to the output as
    the commit ends, as before."""
    try:
        text = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - returned open
    except OSError:
        return None
    try:
        changes.write_json(text, {"org": org})
    except OSError:
        text.close()
        return None
    return text


def _streamed(fmt: str) -> bool:
    """Whether the plan is written as JSON change by change (a first import has 100,000s of
    changes): the whole document, no `--fields` chosen."""
    from volmify_cli.cli.shaping import selected_fields

    return fmt == "json" and selected_fields() is None


def show_plan(
    changes: ChangeSet, fmt: str, org: str, *, lines: bool, verbose: bool = False
) -> None:
    from volmify_cli.cli.shaping import selected_fields

    fields = selected_fields()
    if _streamed(fmt):
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
