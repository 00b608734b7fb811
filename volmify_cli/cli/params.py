"""Parameter coercion without pydantic when there is nothing to coerce (SPEC 7 start-up budget).

Typer 0.29 coerces every parameter of the command that runs through a pydantic TypeAdapter, and
builds it even for an option that was not given. Importing pydantic and building the adapters
cost about 130 ms on each run of a small data command here, a quarter of its budget. Most
values need no coercion at all: an option not given is None, a text option given on the command
line is already a str, and a default is already of its type. Those are passed through; every
other value (a number or a path typed on the command line, a custom parser, a choice) goes to
Typer's own coercion, built on first need, so its checks and messages are Typer's.

`install()` wraps the builder Typer's parameters call (`typer.core.build_runtime_param`). If a
Typer release renames it, nothing is wrapped and Typer's behaviour is unchanged (only slower);
tests/cli/test_params.py fails then, and names this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer.core

_PLAIN_TYPES = (str, int, float)


class DeferredCoercion:
    """Stands in for Typer's RuntimeParam: passes through what needs no coercion, builds
    Typer's own on the first value that does."""

    __slots__ = ("_build", "_descriptor", "_real")

    def __init__(self, descriptor: Any, build: Callable[[Any], Any]) -> None:
        self._descriptor = descriptor
        self._build = build
        self._real: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if self._needs_nothing(value, param):
            return value
        if self._real is None:
            self._real = self._build(self._descriptor)
        return self._real.coerce(value, param=param, ctx=ctx)

    def _needs_nothing(self, value: Any, param: Any) -> bool:
        if param.multiple or param.nargs != 1:
            return False  # a missing list becomes (), and items are coerced one by one
        if value is None:
            return True
        info = self._descriptor.parameter_info
        annotation = self._descriptor.annotation
        if annotation not in _PLAIN_TYPES or type(value) is not annotation:
            return False
        if getattr(info, "parser", None) is not None or self._descriptor.file_annotation:
            return False
        low, high = getattr(info, "min", None), getattr(info, "max", None)
        return (low is None or value >= low) and (high is None or value <= high)


def install() -> None:
    """Make Typer's parameters build their coercion lazily (idempotent)."""
    build = getattr(typer.core, "build_runtime_param", None)
    if build is None or getattr(build, "volmify_deferred", False):
        return

    def build_deferred(descriptor: Any) -> DeferredCoercion:
        return DeferredCoercion(descriptor, build)

    build_deferred.volmify_deferred = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = build_deferred  # type: ignore[attr-defined,assignment]
