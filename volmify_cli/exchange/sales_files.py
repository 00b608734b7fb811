"""Open a sales file by its kind: YAML (`.yaml`/`.yml`, `kind: sales`) or CSV (anything else,
a pipe or standard input `-` too)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from volmify_cli.errors import Problem
from volmify_cli.exchange.bounded import input_name
from volmify_cli.inputs.sales import SaleLine


@dataclass
class SalesSource:
    """The lines of a sales file (read lazily for CSV) and the org the file names, if any."""

    name: str
    org: str | None
    lines: Iterator[SaleLine | Problem]


def open_sales_file(path: Path) -> SalesSource:
    """Raises InvalidInputError when a YAML document's frame is wrong (header, `sales` list)
    or the file cannot be read (for CSV, when its lines are read)."""
    name = input_name(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        from volmify_cli.exchange.sales_yaml import load_sales_yaml, read_sales_entries

        org, entries = load_sales_yaml(path, name=name)
        return SalesSource(name, org, read_sales_entries(entries, name))
    from volmify_cli.exchange.sales_csv import read_sales_csv

    return SalesSource(name, None, read_sales_csv(path, name=name))
