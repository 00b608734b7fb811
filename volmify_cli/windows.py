"""Date windows: the one conversion between the inclusive UTC dates a person writes (an offer
from 2026-03-01 to 2026-03-31, a report period, a plan's sale window) and the half-open
instants stored and compared [starts_at, ends_at).

A window's end is the midnight after its last day, so a one-day window keeps ends_at >
starts_at; the calendar's last day (9999-12-31, written to mean "no end") ends at its last
microsecond, since it has no next day. Standard library only.
"""

from __future__ import annotations

import datetime as dt

from volmify_cli.errors import RuleError

UTC = dt.UTC


def window_start(day: dt.date | None) -> dt.datetime | None:
    """An inclusive first day as the instant it begins (UTC)."""
    return None if day is None else dt.datetime(day.year, day.month, day.day, tzinfo=UTC)


def window_end(day: dt.date | None) -> dt.datetime | None:
    """An inclusive last day as the instant after it."""
    if day is None:
        return None
    if day == dt.date.max:
        return dt.datetime.max.replace(tzinfo=UTC)
    following = day + dt.timedelta(days=1)
    return dt.datetime(following.year, following.month, following.day, tzinfo=UTC)


def start_date(moment: dt.datetime | None) -> dt.date | None:
    """The first day of a stored window start (the inverse of `window_start`)."""
    return None if moment is None else moment.astimezone(UTC).date()


def end_date(moment: dt.datetime | None) -> dt.date | None:
    """The last day of a stored window end (the inverse of `window_end`)."""
    if moment is None:
        return None
    return (moment.astimezone(UTC) - dt.timedelta(microseconds=1)).date()


def check_window(starts: dt.date | None, ends: dt.date | None) -> None:
    """Raises RuleError when a window would end before it starts (a file's reader and a
    command's service give the same message)."""
    if starts is not None and ends is not None and ends < starts:
        raise RuleError(f"ends on {ends.isoformat()}, before it starts on {starts.isoformat()}")


def window_from_dates(
    starts: dt.date | None, ends: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Inclusive dates as the stored half-open window. Raises RuleError (`check_window`)."""
    check_window(starts, ends)
    return window_start(starts), window_end(ends)


def dates_from_window(
    starts_at: dt.datetime | None, ends_at: dt.datetime | None
) -> tuple[dt.date | None, dt.date | None]:
    """The inclusive dates a stored window was written as."""
    return start_date(starts_at), end_date(ends_at)
