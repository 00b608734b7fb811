"""Writing output files safely: never over an existing file unless asked, never through a
symbolic link, never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from volmify_cli.errors import ConflictError, RuleError


def write_new_file(path: Path, text: str, *, force: bool) -> None:
    """Write `text` to `path`; without `force` an existing file is an error and the check and
    the creation are one step (O_EXCL, which also refuses a symbolic link, even a dangling
    one), so a file appearing meanwhile is not overwritten. With `force` the text goes to a
    temporary file beside `path` that then replaces it: a symbolic link at `path` is replaced,
    not followed (the file it points to, maybe outside where the user asked to write, stays
    untouched), and a failed write leaves the old file whole.
    Raises ConflictError, RuleError (a missing directory)."""
    if not path.parent.is_dir():
        raise RuleError(f"directory {str(path.parent)!r} does not exist")
    if path.is_dir():
        raise ConflictError(f"{str(path)!r} is a directory")
    if force:
        _replace(path, text)
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise ConflictError(
            f"{str(path)!r} already exists", "pass --force to overwrite it"
        ) from None
    except IsADirectoryError:
        raise ConflictError(f"{str(path)!r} is a directory") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)


def _replace(path: Path, text: str) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o644 & ~umask)  # as a newly created file would be (mkstemp uses 0600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
