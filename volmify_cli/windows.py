"""Date windows: the one conversion between the inclusive UTC dates a person writes (an offer
from 2026-03-01 to 2026-03-31, a report period, a plan's sale window) and the half-open
instants stored and compared [starts_at, ends_at).

A window's end is the midnight after its last day, so a one-day window keeps ends_at >
starts_at; the calendar's last day (9999-12-31, written to mean "no end") ends at its last
microsecond, since it has no next day. Dates are days of UTC unless a zone is given (an org's
IANA time zone: its report periods and closed days are its own days). Standard library only.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from volmify_cli.errors import RuleError

UTC = dt.UTC


@lru_cache(maxsize=64)
def zone_of(name: str | None) -> dt.tzinfo:
    """The tzinfo of an IANA name checked by `rules.check_timezone` (UTC for None)."""
    return UTC if name in (None, "UTC") else ZoneInfo(name)


def _midnight(day: dt.date, zone: str | None) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone_of(zone)).astimezone(UTC)


def window_start(day: dt.date | None, zone: str | None = None) -> dt.datetime | None:
    """An inclusive first day (of `zone`, default UTC) as the instant it begins, in UTC."""
    return None if day is None else _midnight(day, zone)


def window_end(day: dt.date | None, zone: str | None = None) -> dt.datetime | None:
    """An inclusive last day (of `zone`, default UTC) as the instant after it, in UTC."""
    if day is None:
        return None
    if day == dt.date.max:
        return dt.datetime.max.replace(tzinfo=UTC)
    return _midnight(day + dt.timedelta(days=1), zone)


def local_date(moment: dt.datetime, zone: str | None = None) -> dt.date:
    """The day of `zone` (default UTC) that an aware instant falls on."""
    return moment.astimezone(zone_of(zone)).date()


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
