"""A bar for a long step that knows how far it is (the bytes of a catalog read so far), shown
on stderr only on a terminal and only once the step has taken `after` seconds, as
`output.working` shows its spinner: a quick command or a pipe never imports Rich for it
(start-up, SPEC 7). Split from `output`, whose bar it draws (Rich is imported there only)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from volmify_cli.cli import output


@contextmanager
def counting(
    description: str, total: int | None, *, in_bytes: bool = False, after: float = 0.5
) -> Iterator[Callable[[int], None]]:
    """Yield `at(done)`, which says how much of `total` is done (a count, not an increment: a
    step that starts over says so by counting from 0 again). The caller's thread only stores
    the count; a thread of its own draws the bar ten times a second."""
    if not sys.stderr.isatty():
        yield lambda _done: None
        return
    done = [0]
    finished = threading.Event()

    def show() -> None:
        if finished.wait(after):
            return
        with output.progress(description, total, in_bytes=in_bytes) as advance:
            shown = 0
            while True:
                count = done[0]
                advance(count - shown)  # back to 0 when the step starts over
                shown = count
                if finished.wait(0.1):
                    return

    def at(count: int) -> None:
        done[0] = count

    thread = threading.Thread(target=show, name="volmify-counting", daemon=True)
    thread.start()
    try:
        yield at
    finally:
        finished.set()
        thread.join()  # the bar is cleared before any error or data is printed


@contextmanager
def reading_catalog(files: Sequence[str | Path]) -> Iterator[Callable[[int], None]]:
    """A bar of the catalog files' bytes (`12.3/104.9 MB`) while they are read, for
    `read_catalog(..., progress=at)`: a large catalog takes seconds to read."""
    from volmify_cli.exchange.catalog_files import catalog_bytes

    total = catalog_bytes(files) if output.on_terminal() else None
    with counting("Reading the catalog", total or None, in_bytes=True) as at:
        yield at
