"""Lists that stream (SPEC 7: `sales list` of 300,000 sales prints its first row at once and
keeps memory flat, in any format): JSON written as one array element by element, NDJSON and CSV
line by line, each flushed as soon as the first row is out; a table page by page (each page a
table of its own, laid out on its rows' widths), the first page small so that it shows at once,
the next ones growing; `--fields` and the CSV's flattened fields as `output.render` has them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from volmify_cli.cli import output, shaping
from volmify_cli.cli.output import Column, Row
from volmify_cli.cli.output_csv import CsvRows, write_csv
from volmify_cli.cli.shaping import flat

FIRST_PAGE = 25  # a table's first page: about a screen, printed before more rows are read
PAGE = 500  # rows per table page at most (each page doubles the one before, up to this)
FLUSH_EVERY = 500  # rows written between flushes, once the first row is out


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


def _flushed(rows: Iterator[Row]) -> Iterator[Row]:
    """The rows, stdout flushed once the first is written (a reader sees it at once, even in a
    pipe, where stdout is block-buffered) and every FLUSH_EVERY rows after, so that a slow
    database read never holds back rows already written."""
    for count, row in enumerate(rows, start=1):
        yield row  # the caller writes it before asking for the next one
        if count == 1 or count % FLUSH_EVERY == 0:
            sys.stdout.flush()


def _json(rows: Iterator[Row], *, indent: bool) -> None:
    write = sys.stdout.write
    if not indent:
        for row in _flushed(rows):
            write(json.dumps(row, default=output.json_default, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    first = True
    for row in _flushed(rows):
        text = json.dumps(row, default=output.json_default, ensure_ascii=False, indent=2)
        write(("[\n  " if first else ",\n  ") + text.replace("\n", "\n  "))
        first = False
    write("[]\n" if first else "\n]\n")
    sys.stdout.flush()


def _csv(rows: Iterator[Row]) -> None:
    """The header is the first row's fields (flattened): every row of a list has the same."""
    writer: CsvRows | None = None
    for row in _flushed(rows):
        cells = flat(row)
        if writer is None:
            writer = CsvRows(sys.stdout, list(cells))
        writer.write_flat(cells)
    if writer is None:
        write_csv([], None, sys.stdout)
    sys.stdout.flush()


def _page_sizes() -> Iterator[int]:
    size = FIRST_PAGE
    while True:
        yield size
        size = min(size * 2, PAGE)


def _pages(rows: Iterator[Row], columns: Sequence[Column] | None) -> None:
    """Pages of a table, each printed before the next is read; the first names what is listed,
    of which org. A page is a table of its own, its columns as wide as its widest key or amount
    (never cut, cli/output.py)."""
    from volmify_cli.cli.cells import list_title

    sizes = _page_sizes()
    page = list(islice(rows, next(sizes)))
    if not page:
        output.render([], "table", columns)
        return
    title = list_title()
    while page:
        output.render(page, "table", columns, title=title)
        title = None
        page = list(islice(rows, next(sizes)))
