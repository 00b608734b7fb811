"""Small pieces of the bulk importer: ids, date windows, the change tally."""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.exchange.sync.context import end_date, start_date, window_end, window_start
from volmify_cli.exchange.sync.db import new_id
from volmify_cli.exchange.sync.rows import Tally


def test_new_ids_are_increasing_uuid7() -> None:
    ids = [new_id() for _ in range(5000)]
    assert len(set(ids)) == 5000
    assert ids == sorted(ids)  # time-ordered, also within one millisecond
    parsed = uuid.UUID(hex=ids[0])
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122


@given(st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(9998, 12, 30)))
def test_inclusive_windows_read_back(day: dt.date) -> None:
    assert start_date(window_start(day)) == day
    assert end_date(window_end(day)) == day
    end, start = window_end(day), window_start(day)
    assert end is not None and start is not None and end > start  # a one-day window is valid


def test_tally_counts_each_entity_once_in_a_stable_order() -> None:
    tally = Tally(["brand", "product"])
    tally.saw("product", 3)
    tally.saw("brand")
    tally.create("product", "b")
    tally.update("product", "a", [("status", "draft", "active")])
    tally.update("product", "a", [("title[en-US]", "A", "B")])
    tally.update("product", "c", [])
    tally.create("brand", "z")
    changes = tally.changes()
    assert changes.lines() == [
        "+ brand z",
        "+ product b",
        "~ product a (status: 'draft' -> 'active', title[en-US]: 'A' -> 'B')",
    ]
    assert changes.summary() == "2 created, 1 updated, 1 unchanged"
