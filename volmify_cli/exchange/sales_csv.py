"""Sales CSV (SPEC 4.3): UTF-8 with an optional BOM and a header row, streamed line by line.

Line numbers count the header as line 1 and follow physical lines, so a quoted field spanning
two lines does not shift the numbers of the lines after it.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from volmify_cli.errors import Problem
from volmify_cli.exchange.bounded import (
    BoundedLines,
    NotText,
    input_name,
    max_csv_line_chars,
    opened,
)
from volmify_cli.inputs.sales import COLUMNS, REQUIRED, SaleLine, parse_fields


def _header_problems(header: list[str], file: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(file, 1, None, name, f"column {name!r} appears twice"))
        elif name not in COLUMNS:
            known = ", ".join(sorted(COLUMNS))
            problems.append(
                Problem(file, 1, None, name, f"unknown column {name!r} (known: {known})")
            )
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            problems.append(Problem(file, 1, None, name, f"missing column {name!r}"))
    return problems


def read_sales_csv(path: Path, *, name: str | None = None) -> Iterator[SaleLine | Problem]:
    """Yield each line as a SaleLine, or the problems found in it. A bad header (missing or
    unknown columns) is reported as problems and nothing else is read, as are bytes that are
    not UTF-8 (the problem names their line and column). Raises InvalidInputError when the
    source cannot be read or a record is over the line limit (reading stops: a pipe that never
    ends is not read into memory), and ConfigError for a malformed limit."""
    file = name or input_name(path)
    yield from csv_records(path, file, lambda reader, source: _lines(reader, source, file))


Records = Callable[[Any, BoundedLines], Iterator[Any]]


def csv_records(path: Path, file: str, records: Records) -> Iterator[Any]:
    """What `records(reader, source)` yields from a CSV file read in bounded lines (a record over
    the line limit stops the reading: InvalidInputError), with bytes that are not UTF-8 and
    malformed CSV as problems naming their line. Every CSV importer reads through this.

    Fields are separated by commas, or by the semicolons (or tabs) of a header that holds no
    comma: a spreadsheet saving CSV in a locale whose decimal mark is a comma writes
    semicolons, and so does Medusa 1's product export."""
    limit = max_csv_line_chars()
    with opened(path, file) as raw:
        source = BoundedLines(raw, limit=limit, name=file)
        previous = csv.field_size_limit(limit)  # a field that fits in a record is never refused
        reader: Any = None
        try:
            first = next(source, None)
            lines = source if first is None else itertools.chain((first,), source)
            reader = csv.reader(lines, delimiter=_delimiter(first or ""), strict=True)
            yield from records(reader, source)
        except NotText as error:
            yield error.problem
        except csv.Error as exc:
            line = reader.line_num if reader is not None else 1
            yield Problem(file, line, None, "", f"malformed CSV: {exc}")
        finally:
            csv.field_size_limit(previous)
            source.release()


def _delimiter(header: str) -> str:
    """`,`, or the `;` or tab that separates the names of a header holding no comma outside
    quotes (a name never holds either)."""
    if len(next(csv.reader([header]), [])) > 1:
        return ","
    for other in (";", "\t"):
        if len(next(csv.reader([header], delimiter=other), [])) > 1:
            return other
    return ","


def _lines(reader: Any, source: BoundedLines, file: str) -> Iterator[SaleLine | Problem]:
    header = next(reader, None)
    if header is None:
        yield Problem(file, None, None, "", "the file is empty (a header row is required)")
        return
    source.pending = 0
    header = [column.strip() for column in header]
    problems = _header_problems(header, file)
    if problems:
        yield from problems
        return
    width = len(header)
    # The fields of a line in COLUMNS order; a column the file lacks reads the "" appended at
    # index `width`.
    pick = itemgetter(*(header.index(c) if c in header else width for c in COLUMNS))
    last = reader.line_num
    for fields in reader:
        source.pending = 0  # the next record starts: the limit counts its bytes alone
        line, last = last + 1, reader.line_num
        if len(fields) != width:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # a blank line
            yield Problem(file, line, None, "", f"expected {width} fields, found {len(fields)}")
            continue
        fields.append("")
        parsed = parse_fields(pick(fields), file=file, line=line)
        if isinstance(parsed, list):
            yield from parsed
        else:
            yield parsed
