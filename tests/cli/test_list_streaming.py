"""Big lists stream (issue 22): `enrollments list`, `payouts list`, `products list`, `orgs
members list`, `users list` and `plans list` print their first rows before their last is read
from the database, as `sales list` does; the output module writes each page as it comes."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import Cli
from volmify_cli.cli.output_stream import PAGE, stream_list
from volmify_cli.services import enrollments, members, payouts, plans, products, users


def _watched(rows: Iterator[dict[str, Any]], seen: list[str]) -> Iterator[dict[str, Any]]:
    """The rows, noting what stdout held when the last one was asked for."""
    previous = next(rows, None)
    for row in rows:
        yield previous  # type: ignore[misc]
        previous = row
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    held = buffer.getvalue().decode() if buffer is not None else sys.stdout.getvalue()  # type: ignore[attr-defined]
    seen.append(held)
    if previous is not None:
        yield previous


@pytest.mark.parametrize("fmt", ["table", "json", "ndjson", "csv"])
def test_stream_list_writes_the_first_page_before_reading_the_last_row(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setenv("COLUMNS", "200")
    seen: list[str] = []
    rows = ({"order_id": f"ORDER-{n:05d}", "n": n} for n in range(PAGE * 2 + 1))
    stream_list(_watched(rows, seen), fmt)
    assert "ORDER-00000" in seen[0]  # written before the last row was read
    assert f"ORDER-{PAGE * 2:05d}" not in seen[0]
    assert f"ORDER-{PAGE * 2:05d}" in sys.stdout.getvalue()


def _rows_in(text: str, key: str) -> int:
    """How many rows of a JSON or NDJSON list `text` holds (a row has `key`)."""
    return text.count(f'"{key}":')


@pytest.mark.parametrize("fmt", ["json", "ndjson"])  # CSV and tables: by pages (above)
def test_big_lists_stream(demo: Cli, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    every = demo.json("enrollments", "list", "--org", "acme")
    paid = demo.json("payouts", "list", "--org", "acme")
    for amount in ("10.00", "20.00")[len(paid) :]:  # the demo pays no one: two payouts
        demo.ok("payouts", "record", "jane-doe", "--amount", amount, "--currency", "EUR",
                "--org", "acme")  # fmt: skip
    paid = demo.json("payouts", "list", "--org", "acme")
    assert len(every) > 1 and len(paid) > 1
    seen: list[str] = []
    sold = demo.json("products", "list", "--org", "acme")
    assert len(sold) > 1
    people = demo.json("orgs", "members", "list", "--org", "acme")
    assert len(people) > 1
    watched = (
        (enrollments, "iter_enrollments"),
        (payouts, "iter_payouts"),
        (products, "iter_products"),
        (members, "iter_members"),
        (users, "iter_users"),
        (plans, "stream_plans"),
    )
    for module, name in watched:
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, real=real, **k: _watched(real(*a, **k), seen))
    listed = demo.ok("enrollments", "list", "--org", "acme", "--format", fmt).stdout
    paid_out = demo.ok("payouts", "list", "--org", "acme", "--format", fmt).stdout
    # when the last row was asked for, every row before it was out already
    assert _rows_in(seen[0], "course") == len(every) - 1
    assert _rows_in(seen[1], "creator") == len(paid) - 1
    assert _rows_in(listed, "course") == len(every)
    assert _rows_in(paid_out, "creator") == len(paid)
    shown = demo.ok("products", "list", "--org", "acme", "--format", fmt).stdout
    assert _rows_in(seen[2], "slug") == len(sold) - 1
    assert _rows_in(shown, "slug") == len(sold)
    for index, args in ((3, ("orgs", "members", "list")), (4, ("users", "list"))):
        listed = demo.ok(*args, "--org", "acme", "--format", fmt).stdout
        assert _rows_in(seen[index], "email") == len(people) - 1
        assert _rows_in(listed, "email") == len(people)
    offered = demo.json("plans", "list", "--org", "acme")
    assert len(offered) > 1
    shown = demo.ok("plans", "list", "--org", "acme", "--format", fmt).stdout
    assert _rows_in(seen[5], "plan") == len(offered) - 1
    assert _rows_in(shown, "plan") == len(offered)
