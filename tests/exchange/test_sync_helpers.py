"""Small pieces of the bulk importer: date windows, the change tally."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.services.sync.rows import Tally
from volmify_cli.windows import end_date, start_date, window_end, window_start


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


def test_a_window_ending_before_it_starts_gets_one_message_from_a_file_and_a_command() -> None:
    from volmify_cli.errors import RuleError
    from volmify_cli.windows import check_window, window_from_dates

    with pytest.raises(RuleError, match=r"^ends on 2026-03-01, before it starts on 2026-03-05$"):
        window_from_dates(dt.date(2026, 3, 5), dt.date(2026, 3, 1))
    check_window(dt.date(2026, 3, 5), dt.date(2026, 3, 5))  # a one-day window is fine
    assert window_end(dt.date.max) == dt.datetime.max.replace(tzinfo=dt.UTC)
