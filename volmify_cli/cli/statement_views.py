"""A creator statement as one CSV (issue 22): a line per row of each of its sections (products,
months, totals, adjustments, payouts, balances), the `section` named on each line beside the
org, the creator and the period, so a spreadsheet filters it as the markdown reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# the statement's lists, and what one of their rows is called
SECTIONS = (
    ("products", "product"),
    ("months", "month"),
    ("totals", "total"),
    ("converted_totals", "converted_total"),
    ("adjustments", "adjustment"),
    ("payouts", "payout"),
    ("balances", "balance"),
)


def statement_lines(statement: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every row of every section, in the statement's order, with the columns that say whose
    and when (the exact amounts: `*_minor` integers and decimal text, as in JSON). Every line
    has every column (empty where its section has no such field), so `--fields` may name any."""
    whose = {
        "org": statement["org"]["slug"],
        "creator": statement["creator"]["slug"],
        "from": statement["from"],
        "to": statement["to"],
        "timezone": statement["timezone"],
    }
    lines = [
        {"section": name, **whose, **row}
        for key, name in SECTIONS
        for row in statement.get(key) or ()
    ]
    columns: dict[str, None] = {}
    for line in lines:
        columns.update(dict.fromkeys(line))
    return [{column: line.get(column) for column in columns} for line in lines]
