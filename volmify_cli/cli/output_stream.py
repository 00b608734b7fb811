"""Lists that stream (SPEC 7: `sales list` of 300,000 sales prints its first row at once and
keeps memory flat, in any format): JSON written as one array element by element, NDJSON and CSV
line by line, a table page by page (each page a table of its own); `--fields` and the CSV's
flattened fields as `output.render` has them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from volmify_cli.cli import output, shaping
from volmify_cli.cli.output import Column, Row
from volmify_cli.cli.output_csv import write_csv

PAGE = 500  # rows per table page


def stream_list(
    rows: Iterable[Row],
    output_format: str,
    columns: Sequence[Column] | None = None,
    *,
    limit: int | None = None,
) -> None:
    """Print rows as they come; `rows` holds `limit + 1` of them when a limit is given (the
    extra one says that more were left out)."""
    rows = _limited(iter(rows), limit)
    if output_format == "table":
        from volmify_cli.cli.pager import paged

        with paged():
            _pages(rows, columns)
    elif output_format in ("json", "ndjson"):
        _json(shaping.picked(rows), indent=output_format == "json")
    elif output_format == "csv":
        _csv(shaping.picked(rows))
    else:  # YAML: one document, built whole
        output.render(list(rows), output_format, columns)


def _limited(rows: Iterator[Row], limit: int | None) -> Iterator[Row]:
    if limit is None:
        yield from rows
        return
    yield from islice(rows, limit)
    if next(rows, None) is not None:
        output.notice(f"Showing the first {limit} rows; more were left out (raise --limit).")


def _json(rows: Iterator[Row], *, indent: bool) -> None:
    write = sys.stdout.write
    if not indent:
        for row in rows:
            write(json.dumps(row, default=output.json_default, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    first = True
    for row in rows:
        text = json.dumps(row, default=output.json_default, ensure_ascii=False, indent=2)
        write(("[\n  " if first else ",\n  ") + text.replace("\n", "\n  "))
        first = False
    write("[]\n" if first else "\n]\n")
    sys.stdout.flush()


def _csv(rows: Iterator[Row]) -> None:
    """The header is the first row's fields (flattened): every row of a list has the same."""
    first = next(rows, None)
    if first is None:
        write_csv([], None, sys.stdout)
        return
    page = [first, *islice(rows, PAGE - 1)]
    write_csv(page, None, sys.stdout)
    while page := list(islice(rows, PAGE)):
        write_csv(page, None, sys.stdout, header=False)
    sys.stdout.flush()


def _pages(rows: Iterator[Row], columns: Sequence[Column] | None) -> None:
    """Pages of a table; the first names what is listed, of which org."""
    from volmify_cli.cli.cells import list_title

    page = list(islice(rows, PAGE))
    if not page:
        output.render([], "table", columns)
        return
    title = list_title()
    while page:
        output.render(page, "table", columns, title=title)
        title = None
        page = list(islice(rows, PAGE))
