"""Helpers for work on large documents.

Loading a large catalog creates millions of small objects that all stay alive; Python's cyclic
garbage collector would scan them again and again as they pile up (measured: a third of the
load and validation time) while finding nothing to free, since the tree has no cycles. Bulk
paths pause it and let reference counting do the work.
"""

from __future__ import annotations

import atexit
import functools
import gc
import os
import sys
import threading
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
    """From now on, what commands hand to `left_to_exit` is left to `exit_at_once` (the
    process's entry point says so; a program running several commands must not)."""
    global _left
    _left = []


def left_to_exit(*objects: Any) -> None:
    """Objects the command is done with: kept for the process's exit, not freed one by one
    (where the process does not leave at once, they are freed as usual)."""
    if _left is not None:
        _left.extend(objects)


def exit_at_once(code: object) -> None:
    """End the process with `code` without freeing what was left to the exit, once the output
    is flushed and the exit handlers have run. Returns (the caller exits as usual) when
    nothing was left, when `code` is a message to print, when another thread still runs
    (the interpreter would wait for it), or when the output cannot be flushed (a reader gone:
    the usual exit words that)."""
    if not _left or not isinstance(code, int | None) or threading.active_count() > 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    atexit._run_exitfuncs()
    os._exit(code or 0)


def without_gc(function: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)

    return wrapper
