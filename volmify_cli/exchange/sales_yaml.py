"""Sales as YAML (`kind: sales`): the same keys as the CSV columns, in a list under `sales:`.

Read with the safe event-based loader, so every problem names `FILE:LINE:COLUMN` and the path
(`sales[3].amount`); amounts must be quoted decimals or plain integers (an unquoted `19.99` is a
float to YAML, so it is refused with a hint to quote it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from volmify_cli.errors import InvalidInputError, Problem
from volmify_cli.exchange.yamlio import load_yaml_file
from volmify_cli.inputs.documents import check_header
from volmify_cli.inputs.marks import MarkedList, MarkedMap, Scalar, position
from volmify_cli.inputs.sales import COLUMNS, SaleLine, parse_line

TOP_LEVEL = ("version", "kind", "org", "sales")
AMOUNTS = ("amount", "tax", "fee", "refunded")
_FLOAT = re.compile(r"[-+]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)")


def load_sales_yaml(path: Path, *, name: str | None = None) -> tuple[str | None, list[Any]]:
    """Load and check the document's frame: returns the `org` it names (or None) and its list of
    sales entries. Raises InvalidInputError for a bad header, unknown top-level keys, or
    `sales` that is not a list."""
    file = name or str(path)
    tree = load_yaml_file(path, name=file)
    check_header(tree, file, "sales")
    problems = []
    for key in tree:
        if key not in TOP_LEVEL:
            line, column = tree.key_marks[key]
            problems.append(Problem(file, line, column, "", f"unknown key {key!r}"))
    org = tree.get("org")
    if org is not None and not isinstance(org, Scalar):
        line, column = position(org)
        problems.append(Problem(file, line, column, "org", "org must be an organization slug"))
    sales = tree.get("sales")
    if not isinstance(sales, MarkedList):
        line, column = position(sales) if sales is not None else (tree.line, tree.column)
        problems.append(Problem(file, line, column, "sales", "sales must be a list of sales"))
    if problems:
        raise InvalidInputError(problems)
    assert isinstance(sales, MarkedList)
    return org, list(sales)  # org keeps its marks (a message about it names the line)


def read_sales_entries(entries: list[Any], file: str) -> Iterator[SaleLine | Problem]:
    """Each entry as a SaleLine, or the problems found in it (with line, column and path)."""
    for index, entry in enumerate(entries):
        where = f"sales[{index}]"
        if not isinstance(entry, MarkedMap):
            line, column = position(entry)
            yield Problem(
                file, line, column, where, "each sale must be a mapping of keys to values"
            )
            continue
        values: dict[str, str | None] = {}
        problems: list[Problem] = []
        for key, value in entry.items():
            if key not in COLUMNS:
                line, column = entry.key_marks[key]
                problems.append(Problem(file, line, column, where, f"unknown key {key!r}"))
            elif value is not None and not isinstance(value, Scalar):
                line, column = position(value)
                problems.append(
                    Problem(file, line, column, f"{where}.{key}", f"{key} must be a single value")
                )
            elif (
                key in AMOUNTS
                and isinstance(value, Scalar)
                and value.plain
                and _FLOAT.fullmatch(value)
            ):
                problems.append(
                    Problem(
                        file,
                        value.line,
                        value.column,
                        f"{where}.{key}",
                        f'{key} {value} must be quoted ("{value}"): an unquoted decimal is a float',
                    )
                )
            else:
                values[key] = str(value) if value is not None else None
        if problems:
            yield from problems
            continue
        parsed = parse_line(values, file=file, line=entry.line)
        if isinstance(parsed, SaleLine):
            yield parsed
            continue
        for problem in parsed:
            value = entry.get(problem.path)
            if isinstance(value, Scalar):
                line, column = value.line, value.column
            else:
                line, column = entry.line, entry.column
            yield Problem(file, line, column, f"{where}.{problem.path}", problem.message)
