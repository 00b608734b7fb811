"""A streamed list's first row arrives at once (issue 22): JSON, NDJSON and CSV write and flush
each row before the next is read, even on a block-buffered pipe; a table prints its first,
small page before reading on, its keys and amounts whole at 60, 80 and 200 columns."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from volmify_cli.cli.output import Column
from volmify_cli.cli.output_stream import FIRST_PAGE, stream_list


def _piped(monkeypatch: pytest.MonkeyPatch) -> io.BytesIO:
    """stdout as a pipe has it: buffered, so only what was flushed reaches the reader."""
    pipe = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(pipe, encoding="utf-8"))
    return pipe


def _noting(rows: Iterator[dict[str, Any]], at: int, pipe: io.BytesIO, seen: list[str]) -> Any:
    """The rows, noting what the reader had received when row `at` was asked for."""
    for index, row in enumerate(rows):
        if index == at:
            seen.append(pipe.getvalue().decode())
        yield row


def _sales(count: int) -> Iterator[dict[str, Any]]:
    for n in range(count):
        yield {
            "order_id": f"AC-2026-{n:06d}",
            "amount": f"€{2_788_000 + n:,}.00",
            "product_title": "A course with a rather long title that has to wrap somewhere",
        }


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_the_first_row_is_out_before_the_second_is_read(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipe = _piped(monkeypatch)
    seen: list[str] = []
    stream_list(_noting(_sales(3), 1, pipe, seen), fmt)
    assert "AC-2026-000000" in seen[0]
    assert "AC-2026-000001" not in seen[0]
    sys.stdout.flush()
    written = pipe.getvalue().decode()
    if fmt == "json":
        ids = [row["order_id"] for row in json.loads(written)]
    elif fmt == "ndjson":
        ids = [json.loads(line)["order_id"] for line in written.splitlines()]
    else:
        header, *lines = written.splitlines()
        assert header == "order_id,amount,product_title"
        ids = [line.split(",")[0] for line in lines]
    assert ids == [row["order_id"] for row in _sales(3)]


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_an_empty_stream_is_still_well_formed(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = _piped(monkeypatch)
    stream_list(iter([]), fmt)
    sys.stdout.flush()
    written = pipe.getvalue().decode()
    assert json.loads(written) == [] if fmt == "json" else written.strip() == ""


COLUMNS = [
    Column("order_id", "Order"),
    Column("amount", "Amount", justify="right"),
    Column("product_title", "Product"),
]


@pytest.mark.parametrize("width", [60, 80, 200])
def test_a_table_prints_its_first_page_before_reading_on(
    width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    pipe = _piped(monkeypatch)
    seen: list[str] = []
    count = FIRST_PAGE * 4
    stream_list(_noting(_sales(count), FIRST_PAGE, pipe, seen), "table", COLUMNS)
    first_page = seen[0]
    assert f"AC-2026-{FIRST_PAGE - 1:06d}" in first_page
    assert f"AC-2026-{FIRST_PAGE:06d}" not in first_page
    sys.stdout.flush()
    shown = pipe.getvalue().decode()
    for row in _sales(count):  # every key and amount whole, at any width
        assert row["order_id"] in shown
        assert row["amount"] in shown
    assert "…" not in shown
    assert max(len(line) for line in shown.splitlines()) <= width
