"""Helpers for work on large documents.

Loading a large catalog creates millions of small objects that all stay alive; Python's cyclic
garbage collector would scan them again and again as they pile up (measured: a third of the
load and validation time) while finding nothing to free, since the tree has no cycles. Bulk
paths pause it and let reference counting do the work.

The same objects cost again at the end: freed one by one when the command's frames return, and
scanned by the collector's first pass once it runs again (everything allocated while it was
paused sits in its youngest generation). A first import of a large catalog spent 0.4-0.5 s of a
9 s run there, after its output was printed. So the process's entry point may say that it
leaves at once (`leave_heap_to_exit`, `cli/app.main`): a command then hands what it is done
with to `left_to_exit`, the collector never scans it again (`gc.freeze`), and the process ends
without freeing it, as clang's `-disable-free` does with its syntax trees: the operating system
takes the whole heap back at once. Anything else that runs commands (the tests' runner) frees
as usual: `left_to_exit` keeps nothing there.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
_left: list[Any] | None = None  # what the process leaves to its exit; None: free as usual


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _left:  # never scanned again: the process leaves without freeing them
                gc.freeze()
            gc.enable()


def leave_heap_to_exit() -> None:
    """From now on, what commands hand to `left_to_exit` is left to `cli/app.exit_at_once` (the
    process's entry point says so; a program running several commands must not)."""
    global _left
    _left = []


def left_to_exit(*objects: Any) -> None:
    """Objects the command is done with: kept for the process's exit, not freed one by one
    (where the process does not leave at once, they are freed as usual)."""
    if _left is not None:
        _left.extend(objects)


def heap_left_to_exit() -> bool:
    """Whether a command left objects to the process's exit (`cli/app.exit_at_once`)."""
    return bool(_left)


def without_gc(function: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)

    return wrapper
