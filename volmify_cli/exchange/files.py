"""Writing output files safely: never over an existing file unless asked."""

from __future__ import annotations

import os
from pathlib import Path

from volmify_cli.errors import ConflictError, RuleError


def write_new_file(path: Path, text: str, *, force: bool) -> None:
    """Write `text` to `path`; without `force` an existing file is an error and the check and
    the creation are one step (O_EXCL), so a file appearing meanwhile is not overwritten.
    Raises ConflictError, RuleError (a missing directory)."""
    if not path.parent.is_dir():
        raise RuleError(f"directory {str(path.parent)!r} does not exist")
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        raise ConflictError(
            f"{str(path)!r} already exists", "pass --force to overwrite it"
        ) from None
    except IsADirectoryError:
        raise ConflictError(f"{str(path)!r} is a directory") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
