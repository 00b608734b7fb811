"""How a value looks in a table cell for a person (issue 22): timestamps in the display locale
and the local time zone, counts grouped (`74,995`), durations readable (`2 h 49 min`, not
`10140`). Tables only: JSON, NDJSON, YAML and CSV are machine formats and keep the raw values.

The display locale is the run's (`--locale` > VOLMIFY_LOCALE > config > en-US), asked for when
the first cell needs it, so a command that prints no table never loads babel for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

_locale_source: Callable[[], str] | None = None
_locale: str | None = None

# Integer fields that are names, not quantities: `2026` is a year, never `2,026`.
_NOT_COUNTS = ("year", "version", "revision", "tier", "position", "sort_order", "line", "column")


def use_display_locale(source: Callable[[], str] | None) -> None:
    """Where this run's display locale comes from (the root callback sets it)."""
    global _locale_source, _locale
    _locale_source, _locale = source, None


def display_locale() -> str:
    global _locale
    if _locale is None:
        _locale = _locale_source() if _locale_source is not None else "en-US"
    return _locale


def is_duration(key: str) -> bool:
    """Fields that hold a span of time: `seconds_spent`, `minutes`, `duration_minutes`."""
    return key.endswith(("seconds", "seconds_spent", "minutes"))


def human(key: str, value: object) -> str | None:
    """The cell of a timestamp, a count or a duration; None for any other value (the table
    shows it as it is)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        from volmify_cli.l10n import format_timestamp

        return format_timestamp(value, display_locale())
    if not isinstance(value, int):
        return None
    name = key.rsplit(".", 1)[-1]
    if is_duration(name):
        from volmify_cli.l10n import format_duration

        return format_duration(value * 60 if name.endswith("minutes") else value, display_locale())
    if any(word in name for word in _NOT_COUNTS):
        return None
    from volmify_cli.l10n import format_number

    return format_number(value, display_locale())
