"""The diff engine's bookkeeping (`services/sync/rows.py`), without a database."""

from __future__ import annotations

from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.rows import Rows


def test_new_rows_get_increasing_ids_and_are_not_remembered_as_wanted() -> None:
    """A first import's new keys are written, not kept in `wanted`: only existing rows can be
    leftovers (the set of 350,000 new keys took 30-40 MB)."""
    rows = Rows(None, t.PLAN, "0" * 32)
    first, changed = rows.want(("v1", "basic"), ("one_time", 1, True, False, "active", None, None))
    second, _ = rows.want(("v1", "pro"), ("one_time", 2, False, False, "active", None, None))
    assert changed is None and first < second and len(first) == 32
    assert rows.wanted == set()
    assert [row[:3] for row in rows.writes.inserts] == [
        (first, "v1", "basic"),
        (second, "v1", "pro"),
    ]


def test_existing_rows_that_are_wanted_are_no_leftovers() -> None:
    rows = Rows(None, t.PLAN, "0" * 32)
    data = ("one_time", 1, True, False, "active", None, None)
    rows.existing = {("v1", "basic"): ("a" * 32, data), ("v1", "old"): ("b" * 32, data)}
    row_id, changed = rows.want(("v1", "basic"), data)
    assert (row_id, changed) == ("a" * 32, [])
    assert rows.leftovers(("v1",)) == [("v1", "old")]
    assert rows.writes.inserts == rows.writes.updates == []


def test_kept_rows_are_no_leftovers_and_are_not_written() -> None:
    rows = Rows(None, t.PLAN, "0" * 32)
    data = ("one_time", 1, True, False, "active", None, None)
    rows.existing = {("v1", "basic"): ("a" * 32, data), ("v1", "old"): ("b" * 32, data)}
    rows.keep(("v1", "old"))
    rows.keep(("v1", "never-there"))
    assert rows.leftovers(("v1",)) == [("v1", "basic")]
    assert rows.writes.inserts == rows.writes.updates == []
