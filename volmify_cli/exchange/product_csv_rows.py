"""The rows of a store's product CSV (`catalog convert`) and the reader both stores' layouts
share: the header is read into a layout (which column holds what), each row after it into the
drafts, and the problems of unreadable rows are collected, never raised one by one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, Protocol, TypeVar

from volmify_cli.errors import Problem
from volmify_cli.exchange.bounded import BoundedLines
from volmify_cli.exchange.sales_csv import csv_records

if TYPE_CHECKING:
    from volmify_cli.exchange.product_csv import Conversion


class Row(NamedTuple):
    line: int
    fields: list[str]


def read_rows(path: Path, file: str) -> Iterator[Row | Problem]:
    """The header (line 1), then every row that is not blank, with the line it starts on; a
    row of the wrong width, bytes that are not UTF-8 and malformed CSV are problems. Raises
    InvalidInputError for a file that cannot be read or a record over the line limit."""
    return csv_records(path, file, lambda reader, source: _rows(reader, source, file))


def _rows(reader: Any, source: BoundedLines, file: str) -> Iterator[Row | Problem]:
    header = next(reader, None)
    if header is None:
        yield Problem(file, None, None, "", "the file is empty (a header row is required)")
        return
    source.pending = 0
    names = [name.strip() for name in header]
    yield Row(1, names)
    last = reader.line_num
    for fields in reader:
        source.pending = 0  # the next record starts: the limit counts its bytes alone
        line, last = last + 1, reader.line_num
        if not any(text.strip() for text in fields):
            continue  # a blank line (or a row of empty cells a spreadsheet left)
        if len(fields) == len(names):
            yield Row(line, fields)
        else:
            found = f"expected {len(names)} fields, found {len(fields)}"
            yield Problem(file, line, None, "", found)


class Columns:
    """Where a header's columns are, found by any of their names (case-insensitive: a store's
    older and newer spellings are one lookup), and which of them hold data."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._at: dict[str, list[int]] = {}
        for index, name in enumerate(names):
            self._at.setdefault(name.casefold(), []).append(index)
        self.used: set[int] = set()  # columns the conversion reads
        self.filled: set[int] = set()  # columns holding a value on some row

    def find(self, *names: str, read: bool = True) -> int | None:
        """The first of `names` the header has (`read=False`: only looked at, not converted)."""
        for name in names:
            found = self._at.get(name.casefold())
            if found:
                if read:
                    self.used.update(found)
                return found[0]
        return None

    def doubled(self) -> list[str]:
        """Names the header holds twice among the columns read (which one would be meant?)."""
        return [self.names[at[0]] for at in self._at.values() if len(at) > 1 and at[0] in self.used]

    def note_filled(self, fields: list[str]) -> None:
        self.filled.update(index for index, text in enumerate(fields) if text.strip())

    def unread(self) -> list[str]:
        """The columns with data the conversion did not read, in order (unnamed: `#N`)."""
        return [self.names[i] or f"#{i + 1}" for i in sorted(self.filled - self.used)]


def value(fields: list[str], index: int | None) -> str:
    return fields[index].strip() if index is not None else ""


class Layout(Protocol):
    columns: Columns


L = TypeVar("L", bound=Layout)


class StoreReader(Generic[L]):
    """A store's reader: `_layout` reads the header (None: not a file of this store; the
    problem is said), `_row` each row; `read` drives them over the file's rows."""

    def __init__(self, conversion: Conversion) -> None:
        self.conversion = conversion
        self.layout: L | None = None
        self.failed: set[str] = set()  # handles that give no product (a problem each, once)

    def read(self, items: Iterator[Row | Problem]) -> None:
        for item in items:
            if isinstance(item, Problem):
                self.conversion.problems.append(item)
            elif self.layout is None:  # the header (reading stops when it is not usable)
                self.layout = self._layout(item.fields)
                if self.layout is None:
                    return
            else:
                self.layout.columns.note_filled(item.fields)
                self._row(item, self.layout)

    def _layout(self, names: list[str]) -> L | None:
        raise NotImplementedError

    def _row(self, row: Row, layout: L) -> None:
        raise NotImplementedError
