"""A YAML tree that remembers where everything was written.

Scalars are `Scalar` strings (the exact text the user wrote, plus line, column and whether it was
plain or quoted); mappings and sequences are `MarkedMap` / `MarkedList` with their own position
and, for mappings, the position of each key. Lines and columns are 1-based, as in messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Scalar(str):
    """A scalar exactly as written. `plain` is False for quoted and block scalars: only a plain
    scalar can be a number, a boolean or null to the schema."""

    __slots__ = ("column", "line", "plain")

    line: int
    column: int
    plain: bool

    def __new__(cls, text: str, line: int, column: int, plain: bool) -> Scalar:
        value = super().__new__(cls, text)
        value.line = line
        value.column = column
        value.plain = plain
        return value

    def __reduce__(self) -> Any:  # keep the marks through copy/pickle
        return (Scalar, (str(self), self.line, self.column, self.plain))


class MarkedMap(dict[str, Any]):
    """A mapping with its position. Its keys are `Scalar`s that carry their own positions, so
    `key_marks` (key -> (line, column)) is derived on demand instead of stored for every key:
    the loader builds hundreds of thousands of these for a large catalog."""

    __slots__ = ("_marks", "column", "line")

    def __init__(self, line: int, column: int) -> None:
        super().__init__()
        self.line = line
        self.column = column
        self._marks: dict[str, tuple[int, int]] | None = None

    @property
    def key_marks(self) -> dict[str, tuple[int, int]]:
        marks = self._marks
        if marks is None:
            marks = self._marks = {}
        for key in self:
            if key not in marks and isinstance(key, Scalar):
                marks[key] = (key.line, key.column)
        return marks


class MarkedList(list[Any]):
    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        super().__init__()
        self.line = line
        self.column = column


def position(node: Any) -> tuple[int | None, int | None]:
    line = getattr(node, "line", None)
    return (line, getattr(node, "column", None)) if line is not None else (None, None)


def format_path(path: Sequence[str | int]) -> str:
    """`('products', 3, 'variants', 0)` -> `products[3].variants[0]`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def locate(
    root: Any, path: Sequence[str | int], *, at_key: bool = False
) -> tuple[int | None, int | None]:
    """The position of the deepest node along `path`; with `at_key`, the position of the last
    key itself (so "unknown key" points at the key, not at its value)."""
    node: Any = root
    best = position(root)
    for index, part in enumerate(path):
        if isinstance(node, MarkedMap) and isinstance(part, str) and part in node:
            best = node.key_marks.get(part, best)
            if at_key and index == len(path) - 1:
                break
            node = node[part]
        elif isinstance(node, MarkedList) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
        if position(node)[0] is not None:
            best = position(node)
    return best
