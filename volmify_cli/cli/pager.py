"""Tables taller than the screen go through a pager on a terminal, as git's output does:
`$PAGER` (default `less -FRX`: it quits at once when the table fits one screen, keeps the
screen, passes colors). Never when stdout is not a terminal, with `--no-pager`, or when the
pager cannot be started (the table is printed as usual then)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

_DISABLED = False


def disable_pager(disabled: bool) -> None:
    """`--no-pager` for this run."""
    global _DISABLED
    _DISABLED = disabled


@contextmanager
def paged() -> Iterator[None]:
    """Inside the block, stdout goes to the pager (when one applies)."""
    command = _pager_command()
    if command is None:
        yield
        return
    width = shutil.get_terminal_size().columns
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, text=True, encoding="utf-8")
    except OSError:
        yield
        return
    assert pager.stdin is not None
    saved, sys.stdout = sys.stdout, pager.stdin
    os.environ.setdefault("COLUMNS", str(width))  # the table is laid out for the terminal
    try:
        yield
    except BrokenPipeError:
        pass  # the reader quit the pager early: nothing more to show
    finally:
        sys.stdout = saved
        with suppress(BrokenPipeError):
            pager.stdin.close()
        pager.wait()


def reader_gone() -> None:
    """What Rich's console does when stdout's reader went away (`volmify … | head`; Rich would
    exit 1): the pager, or cli/errors.py, ends quietly (exit 0)."""
    raise BrokenPipeError(32, "the reader of stdout went away")  # EPIPE


def _pager_command() -> list[str] | None:
    if _DISABLED or not sys.stdout.isatty():
        return None
    chosen = os.environ.get("VOLMIFY_PAGER") or os.environ.get("PAGER") or "less -FRX"
    if chosen.strip() in ("", "cat"):
        return None
    command = shlex.split(chosen)
    return command if shutil.which(command[0]) else None
