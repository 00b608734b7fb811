"""How a value looks in a table cell for a person (issue 22): timestamps in the display locale
and the local time zone, counts grouped (`74,995`), durations readable (`2 h 49 min`, not
`10140`). Tables only: JSON, NDJSON, YAML and CSV are machine formats and keep the raw values.

The display locale is the run's (`--locale` > VOLMIFY_LOCALE > config > en-US), asked for when
the first cell needs it, so a command that prints no table never loads babel for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

_locale_source: Callable[[], str] | None = None
_locale: str | None = None
_run: Any = None  # the run's AppContext: the org a list belongs to

# Integer fields that are names, not quantities: `2026` is a year, never `2,026`.
_NOT_COUNTS = ("year", "version", "revision", "tier", "position", "sort_order", "line", "column")
_NAMED_BY = tuple(f"_{word}" for word in _NOT_COUNTS)


def use_display_locale(source: Callable[[], str] | None) -> None:
    """Where this run's display locale comes from (the root callback sets it)."""
    global _locale_source, _locale
    _locale_source, _locale = source, None


def use_run(state: Any) -> None:
    """This run's AppContext (the root callback): its display locale, and the org its
    commands resolve, which a list's table names in its header."""
    global _run
    _run = state
    use_display_locale(state.display_locale if state is not None else None)


def list_title() -> str | None:
    """A list table's header: what it lists, of which org (`sales list · org acme`); None
    when the command works on no org."""
    org = getattr(_run, "resolved_org", None)
    if org is None:
        return None
    from typer._click.globals import get_current_context

    command = get_current_context(silent=True)
    what = " ".join(command.command_path.split()[1:]) if command is not None else ""
    return f"{what} · org {org}" if what else f"org {org}"


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
    if name in _NOT_COUNTS or name.endswith(_NAMED_BY):  # `access_tier`, not `lines`
        return None
    from volmify_cli.l10n import format_number

    return format_number(value, display_locale())
