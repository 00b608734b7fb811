"""`-o FILE` on every command that writes a file: the checks made before any work, and the
writing itself through `volmify_cli.files.write_file` (whole or absent). `-o -` is stdout."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def is_stdout(out: str | Path | None) -> bool:
    return out is None or str(out) == "-"


class OutputFile:
    """Where a command's output goes, in which format: `path` (None: stdout)."""

    __slots__ = ("force", "format", "path")

    def __init__(self, path: Path | None, format: str, *, force: bool) -> None:
        self.path = path
        self.format = format
        self.force = force

    def write(self, text: str) -> None:
        """Write `text` to the file (whole or not at all), or to stdout."""
        if self.path is None:
            sys.stdout.write(text)
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


def output_file(out: str | Path | None, *, force: bool, format: str) -> OutputFile:
    """The output of a command with `-o`/`--force`, its file checked before any work is done
    (an existing file without `--force`, a directory, a device or a FIFO, a missing directory).
    Raises ConflictError, RuleError, FileWriteError (exit 1)."""
    if out is None or is_stdout(out):
        return OutputFile(None, format, force=force)
    from volmify_cli.files import check_target

    path = Path(out)
    check_target(path, force=force)
    return OutputFile(path, format, force=force)
