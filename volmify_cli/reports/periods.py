"""Report periods as people write them: `2026`, `2026-H1`, `2026-Q1`, `2026-03`, a date, or a
range `A..B` of any of these. `--from/--to` are inclusive dates: days of the org's time zone
(UTC by default).

A period is a pair of inclusive dates; queries turn it into the half-open interval
`[start 00:00, end + 1 day 00:00)` so the last day counts whole.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

from volmify_cli.errors import UsageError
from volmify_cli.windows import window_end, window_start

# The digits 0-9 only (`\d` takes any Unicode digit, "٢٠٢٦" too).
_YEAR = re.compile(r"([0-9]{4})")
_HALF = re.compile(r"([0-9]{4})-H([12])")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_FORMS = "2026, 2026-H1, 2026-Q1, 2026-03, 2026-03-15 or A..B (e.g. 2026-03-01..2026-03-31)"


@dataclass(frozen=True)
class Period:
    """Inclusive dates, days of `zone` (an IANA name: the org's time zone; UTC until a report
    knows its org); None on a side means unbounded (all time)."""

    start: dt.date | None = None
    end: dt.date | None = None
    zone: str = "UTC"

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The half-open interval [start, end + 1 day) of the zone's days, as aware UTC
        datetimes."""
        return window_start(self.start, self.zone), window_end(self.end, self.zone)

    def in_zone(self, zone: str) -> Period:
        """The same days, of `zone`."""
        return replace(self, zone=zone)

    def contains(self, moment: dt.datetime) -> bool:
        start, end = self.bounds()
        return (start is None or moment >= start) and (end is None or moment < end)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _span(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of one period written without `..`."""
    value = text.strip()
    if match := _YEAR.fullmatch(value):
        year = int(match.group(1))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if match := _HALF.fullmatch(value):
        year, half = int(match.group(1)), int(match.group(2))
        first = 1 + 6 * (half - 1)
        return dt.date(year, first, 1), _month_end(year, first + 5)
    if match := _QUARTER.fullmatch(value):
        year, quarter = int(match.group(1)), int(match.group(2))
        first = 1 + 3 * (quarter - 1)
        return dt.date(year, first, 1), _month_end(year, first + 2)
    if match := _MONTH.fullmatch(value):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise UsageError(f"period {text!r} has no month {month:02d}", f"write {_FORMS}")
        return dt.date(year, month, 1), _month_end(year, month)
    day = parse_date(value, what="period")
    return day, day


def parse_date(text: str, *, what: str = "date") -> dt.date:
    """A calendar date written YYYY-MM-DD (`rules.parse_date`). Raises UsageError (exit 2)."""
    from volmify_cli.errors import RuleError
    from volmify_cli.rules import parse_date as parse_written_date

    try:
        return parse_written_date(text.strip())
    except RuleError:
        raise UsageError(
            f"{what} {text!r} is not a date",
            "write dates as YYYY-MM-DD" if what != "period" else f"write {_FORMS}",
        ) from None


def parse_period(text: str) -> Period:
    """`2026`, `2026-H1`, `2026-Q1`, `2026-03`, `2026-03-15`, or `A..B` (from the start of A to
    the end of B). Raises UsageError (exit 2) for anything else or a range that ends before
    it starts."""
    if ".." in text:
        left, _, right = text.partition("..")
        start, end = _span(left)[0], _span(right)[1]
    else:
        start, end = _span(text)
    if end < start:
        raise UsageError(f"period {text!r} ends before it starts")
    return Period(start, end)


def resolve_period(period: str | None, start: str | None, end: str | None) -> Period:
    """The period of a report from `--period` or `--from/--to` (not both: exit 2)."""
    if period is not None and (start is not None or end is not None):
        raise UsageError(
            "--period cannot be combined with --from/--to", "use either --period or --from/--to"
        )
    if period is not None:
        return parse_period(period)
    chosen = Period(
        parse_date(start, what="--from") if start is not None else None,
        parse_date(end, what="--to") if end is not None else None,
    )
    if chosen.start and chosen.end and chosen.end < chosen.start:
        raise UsageError(f"--to {end} is before --from {start}")
    return chosen
