"""A plan's `prices` mapping as the catalog document keeps it until the prices are read.

A large catalog holds 240,000 prices. Kept as the YAML tree wrote them (a `Scalar` key and a
`Scalar` amount per price, each a string subclass with its own line), they were two thirds of
the strings a read catalog held alive (about 90 MB) until planning read them. Here a price is
its market slug (one shared string per market), its amount (a plain string when it was quoted,
the common case; otherwise the node as written, which carries its own position) and four
integers in one array (where its key and its value were written), for the messages.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

from volmify_cli.inputs.marks import MarkedMap, Scalar, position

Mark = tuple[int | None, int | None]

_MARKETS: dict[str, str] = {}  # one string per market slug, shared by every price


class PriceMap:
    """market slug -> amount as written, with where each key and value was written.

    A value is a `str` for a quoted amount (read straight from its text), otherwise the node
    as written (a plain scalar, a long-form `MarkedMap`, ...), which the reader checks."""

    __slots__ = ("_markets", "_marks", "_values", "column", "line")

    def __init__(self, node: MarkedMap) -> None:
        self.line, self.column = node.line, node.column
        markets: list[str] = []
        values: list[Any] = []
        marks: list[int] = []
        shared = _MARKETS
        key: Any  # a Scalar, with its position
        for key, value in node.items():  # keys are Scalars (the reader refuses any other)
            market = shared.get(key)
            if market is None:
                market = shared[str(key)] = str(key)
            markets.append(market)
            kind = value.__class__
            if kind is Scalar:
                values.append(value if value.plain else str(value))
                marks += (key.line, key.column, value.line, value.column)
            else:
                values.append(value)
                line, column = position(value)
                marks += (key.line, key.column, line or 0, column or 0)
        self._markets = tuple(markets)
        self._values = tuple(values)
        self._marks = array("i", marks)

    def __len__(self) -> int:
        return len(self._markets)

    def entries(self) -> Iterator[tuple[int, str, Any]]:
        """(index, market, value) in the order written; `key_at`/`value_at` take the index."""
        return zip(range(len(self._markets)), self._markets, self._values, strict=True)

    def index(self, market: str) -> int | None:
        try:
            return self._markets.index(market)
        except ValueError:
            return None

    def value(self, index: int) -> Any:
        return self._values[index]

    def key_at(self, index: int) -> Mark:
        return _unmark(self._marks[4 * index], self._marks[4 * index + 1])

    def value_at(self, index: int) -> Mark:
        return _unmark(self._marks[4 * index + 2], self._marks[4 * index + 3])


def _unmark(line: int, column: int) -> Mark:
    return (line, column) if line else (None, None)
