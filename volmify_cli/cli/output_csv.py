"""CSV on stdout: every field the JSON has, flattened (cli/shaping.py), with spreadsheet
formulas neutralised. No Rich here (split from `output`, which re-exports `write_csv`)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from volmify_cli.cli.shaping import flat

Row = Mapping[str, Any]


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a text cell starting with = + - @ (or a tab/CR) gets a
    leading apostrophe. Plain numbers such as "-12.50" are left as they are."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r" and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(
    rows: Sequence[Row], columns: Sequence[Any] | None, stream: Any, *, header: bool = True
) -> None:
    """Every field the JSON has, flattened (cli/shaping.py); `columns` (the table's) are not
    what a spreadsheet gets."""
    rows = [flat(row) for row in rows]
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    writer = CsvRows(stream, list(keys), header=header)
    for row in rows:
        writer.write_flat(row)


class CsvRows:
    """CSV written a row at a time (a streamed list): the header is given once, each row is
    written under it (a field the header lacks is left out, a missing one is empty)."""

    def __init__(self, stream: Any, keys: Sequence[str], *, header: bool = True) -> None:
        self.keys = list(keys)
        self._writer = csv.writer(stream, lineterminator="\n")
        # With "\n" as the line terminator the csv module leaves a cell holding a bare CR
        # unquoted, and every reader then splits the row there (a text could forge rows): such
        # rows are written with every cell quoted.
        self._quoted = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL)
        if header:
            self._writer.writerow(self.keys)

    def write(self, row: Row) -> None:
        self.write_flat(flat(row))

    def write_flat(self, row: Row) -> None:
        cells = [csv_safe(_csv_value(row.get(key))) for key in self.keys]
        carries_cr = any(isinstance(cell, str) and "\r" in cell for cell in cells)
        (self._quoted if carries_cr else self._writer).writerow(cells)


def _csv_value(value: Any) -> Any:
    if isinstance(value, (list, tuple, Mapping)):
        return json.dumps(value, default=_iso, ensure_ascii=False)
    if isinstance(value, (dt.date, dt.datetime, uuid.UUID)):
        return _iso(value)
    return value


def _iso(value: dt.date | dt.datetime | uuid.UUID) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat() if isinstance(value, dt.date) else str(value)
