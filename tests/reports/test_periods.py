"""Report periods as people write them (SPEC 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from volmify_cli.errors import UsageError
from volmify_cli.reports.periods import Period, parse_period, resolve_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", D(2026, 1, 1), D(2026, 12, 31)),
        ("2026-H1", D(2026, 1, 1), D(2026, 6, 30)),
        ("2026-H2", D(2026, 7, 1), D(2026, 12, 31)),
        ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31)),
        ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28)),
        ("2026-03-15", D(2026, 3, 15), D(2026, 3, 15)),
        ("2026-03-01..2026-03-31", D(2026, 3, 1), D(2026, 3, 31)),
        ("2026-Q1..2026-04", D(2026, 1, 1), D(2026, 4, 30)),
    ],
)
def test_periods(text: str, start: dt.date, end: dt.date) -> None:
    assert parse_period(text) == Period(start, end)


@pytest.mark.parametrize("text", ["26", "2026-Q5", "2026-13", "2026-H3", "march", "2026-03-32", ""])
def test_malformed_periods_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_period(text)


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(UsageError, match="ends before it starts"):
        parse_period("2026-03..2026-01")


def test_bounds_are_half_open_utc_so_the_last_day_counts_whole() -> None:
    start, end = Period(D(2026, 3, 1), D(2026, 3, 31)).bounds()
    assert start == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    period = Period(D(2026, 3, 1), D(2026, 3, 31))
    assert period.contains(dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=dt.UTC))
    assert not period.contains(dt.datetime(2026, 4, 1, tzinfo=dt.UTC))


def test_period_and_from_to_cannot_be_combined() -> None:
    with pytest.raises(UsageError, match="cannot be combined"):
        resolve_period("2026", "2026-01-01", None)
    assert resolve_period(None, "2026-01-01", None) == Period(D(2026, 1, 1), None)
    assert resolve_period(None, None, None) == Period()
    with pytest.raises(UsageError, match="before --from"):
        resolve_period(None, "2026-02-01", "2026-01-01")
