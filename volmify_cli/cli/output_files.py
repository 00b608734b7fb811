"""`-o FILE` on every command that writes a file: the format it is written in, and the checks
made before any work (the writing itself is `volmify_cli.files.write_file`: whole or absent).

The format: an explicit `--format` always wins; else a known extension of FILE chooses it
(`report.csv` is CSV); an extension that names no format the command writes (`report.xlsx`) is a
usage error (exit 2), never a JSON file under a spreadsheet's name; a name without an extension
gets the command's default. `-o -` is stdout.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from volmify_cli.errors import UsageError

if TYPE_CHECKING:
    from sqlmodel import Session

    from volmify_cli.cli.context import AppContext

# extension -> format, for every format some command writes
SUFFIXES = {
    ".json": "json", ".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".ndjson": "ndjson",
    ".jsonl": "ndjson", ".md": "markdown", ".markdown": "markdown", ".html": "html",
    ".htm": "html", ".pdf": "pdf", ".txt": "table",
}  # fmt: skip


def is_stdout(out: str | Path | None) -> bool:
    return out is None or str(out) == "-"


def choose_format(
    state: AppContext,
    flag: str | None,
    out: str | Path | None,
    formats: Sequence[str],
    default: str | None = None,
) -> str:
    """The format of the output: `--format` (`flag`), else the extension of the `-o` file, else
    `default`, else the default output format (for a file, which is not a terminal: the
    configured format, or JSON).
    Raises UsageError: a format not in `formats`, or an extension that names none of them."""
    if flag:
        chosen = flag.lower()
        if chosen not in formats:
            raise UsageError(f"unknown format {chosen!r}", f"choose one of {', '.join(formats)}")
        return chosen
    if not is_stdout(out):
        suffix = Path(str(out)).suffix.lower()
        if suffix:
            by_suffix = SUFFIXES.get(suffix)
            if by_suffix not in formats:
                known = " ".join(s for s, f in SUFFIXES.items() if f in formats)
                raise UsageError(
                    f"{out}: {suffix} names no format this command writes ({known})",
                    "name the file after its format, or pass --format"
                    f" ({', '.join(formats)}), which wins over the extension",
                )
            return str(by_suffix)
    if default is not None:
        return default
    if is_stdout(out):
        return state.output_format(None)
    configured = (state.format or state.settings.format or "").lower()
    if configured in formats:
        return configured
    return "json" if "json" in formats else formats[0]


class OutputFile:
    """Where a command's output goes, in which format: `path` (None: stdout)."""

    __slots__ = ("force", "format", "path")

    def __init__(self, path: Path | None, format: str, *, force: bool) -> None:
        self.path = path
        self.format = format
        self.force = force

    def write(self, text: str | Iterable[str]) -> None:
        """Write `text` (or its parts, in order) to the file (whole or not at all), or to
        stdout."""
        if self.path is None:
            for part in [text] if isinstance(text, str) else text:
                sys.stdout.write(part)
            sys.stdout.flush()
            return
        from volmify_cli.cli.output import notice
        from volmify_cli.files import write_file

        write_file(self.path, text, force=self.force)
        notice(f"Wrote {self.path}")

    @contextmanager
    def capture(self) -> Iterator[None]:
        """What is rendered on stdout inside the block goes to the file instead, written once
        at the end (an error inside the block leaves no file). Without a file, stdout as is."""
        if self.path is None:
            yield
            return
        import io
        from contextlib import redirect_stdout

        buffer = io.StringIO()
        with redirect_stdout(buffer):
            yield
        self.write(buffer.getvalue())


def output_file(
    state: AppContext,
    out: str | Path | None,
    *,
    force: bool,
    flag: str | None,
    formats: Sequence[str],
    default: str | None = None,
) -> OutputFile:
    """The output of a command with `-o`/`--force`/`--format`: its format (see
    `choose_format`) and its file, checked before any work is done (an existing file without
    `--force`, a directory, a device or a FIFO, a missing directory).
    Raises UsageError (exit 2), ConflictError, RuleError, FileWriteError (exit 1)."""
    chosen = choose_format(state, flag, out, formats, default)
    if out is None or is_stdout(out):
        return OutputFile(None, chosen, force=force)
    from volmify_cli.files import check_target

    path = Path(out)
    check_target(path, force=force)
    return OutputFile(path, chosen, force=force)


def export_yaml(
    state: AppContext,
    out: str | None,
    *,
    force: bool,
    flag: str | None,
    produce: Callable[[Session], str | Iterable[str]],
) -> None:
    """An export command: its output file checked first, then `produce(session)` (the text,
    or its parts) read in one read-only session and written whole."""
    target = output_file(state, out, force=force, flag=flag, formats=("yaml",), default="yaml")
    with state.session() as session:
        text = produce(session)
    target.write(text)
