"""Small pieces of the bulk importer: date windows, the change tally."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.exchange.sync.context import end_date, start_date, window_end, window_start
from volmify_cli.exchange.sync.rows import Tally


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
