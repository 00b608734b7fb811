"""The shape of printed data, whatever the format: `--fields a,b,c` (the root's option, as
`gh --json` has it) keeps those fields in that order, and CSV carries every field JSON carries,
flattened (`brands` joined by `;`, a nested mapping as `details.sku`), never JSON inside a cell.

No Rich and no database here: `output` applies these to every row it prints."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from volmify_cli.errors import UsageError

_FIELDS: list[str] | None = None


def select_fields(fields: str | None) -> None:
    """`--fields a,b,c` for this run (None: every field)."""
    global _FIELDS
    if fields is None:
        _FIELDS = None
        return
    chosen = [name.strip() for name in fields.split(",") if name.strip()]
    if not chosen:
        raise UsageError("--fields names no field", "write --fields a,b,c")
    _FIELDS = chosen


def selected_fields() -> list[str] | None:
    return _FIELDS


@contextmanager
def every_field() -> Iterator[None]:
    """Inside the block `--fields` selects nothing: for what is printed about data written
    elsewhere (the summary of `revenue statement --all -o DIR`), whose fields `--fields` named."""
    global _FIELDS
    saved, _FIELDS = _FIELDS, None
    try:
        yield
    finally:
        _FIELDS = saved


def pick(row: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The row's `fields`, in that order. Raises UsageError naming the fields it has."""
    missing = [name for name in fields if name not in row]
    if missing:
        raise UsageError(
            f"no field {', '.join(repr(name) for name in missing)} here",
            f"choose among: {', '.join(row)}",
        )
    return {name: row[name] for name in fields}


def picked(rows: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """The rows with the selected fields only (as they are without --fields)."""
    fields = _FIELDS
    for row in rows:
        yield row if fields is None else pick(row, fields)


def flat(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A row as CSV cells: a nested mapping's keys as `outer.inner`, a list of values joined by
    `;`, a list of records as JSON (the one shape a cell cannot flatten)."""
    cells: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            cells.update(flat(value, f"{name}."))
        elif isinstance(value, (list, tuple)):
            if all(not isinstance(item, (Mapping, list, tuple)) for item in value):
                cells[name] = ";".join(_text(item) for item in value)
            else:
                cells[name] = json.dumps(value, default=_plain, ensure_ascii=False)
        else:
            cells[name] = value
    return cells


def _text(value: Any) -> str:
    return str(_plain(value)) if isinstance(value, (dt.date, uuid.UUID)) else str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, (dt.date, uuid.UUID)):
        return str(value)
    return str(value)
