"""Small value checks shared by the catalog services (the same rule, the same message, whether
a value comes from a flag or from a file)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from volmify_cli.enums import parse_enum
from volmify_cli.errors import RuleError, UsageError

if TYPE_CHECKING:
    from sqlmodel import Session

    from volmify_cli.models.base import OrgTranslation

E = TypeVar("E", bound=StrEnum)


def enum_value(cls: type[E], value: str | E, what: str) -> E:
    """An enumeration value from its text (`one-time` or `one_time`). Raises UsageError."""
    if isinstance(value, cls):
        return value
    try:
        return parse_enum(cls, str(value))
    except ValueError as exc:
        raise UsageError(f"{what} {exc}") from None


def window_from_dates(
    starts: dt.date | None, ends: dt.date | None, *, what: str
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Inclusive UTC dates as a half-open window: starts at 00:00 UTC of `starts`, ends at 00:00
    UTC of the day after `ends` (so a one-day window is valid: ends_at > starts_at).
    Raises RuleError when it would end before it starts."""
    if starts is not None and ends is not None and ends < starts:
        raise RuleError(
            f"{what} ends on {ends.isoformat()}, before it starts on {starts.isoformat()}"
        )
    starts_at = dt.datetime.combine(starts, dt.time(), dt.UTC) if starts else None
    return starts_at, day_after(ends) if ends else None


def day_after(day: dt.date) -> dt.datetime:
    """The instant an inclusive UTC date ends: midnight of the next day; for the last date a
    calendar has (9999-12-31, written to mean "no end"), its last microsecond."""
    if day == dt.date.max:
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)


def dates_from_window(
    starts_at: dt.datetime | None, ends_at: dt.datetime | None
) -> tuple[dt.date | None, dt.date | None]:
    """The inclusive dates a window was written as (the inverse of `window_from_dates`)."""
    starts = starts_at.astimezone(dt.UTC).date() if starts_at else None
    ends = (ends_at.astimezone(dt.UTC) - dt.timedelta(microseconds=1)).date() if ends_at else None
    return starts, ends


def texts_in_chunks(
    session: Session,
    model: type[OrgTranslation],
    *,
    org_id: uuid.UUID,
    parent_field: str,
    parent_ids: Sequence[uuid.UUID],
    field: str,
    locale: str | None = None,
) -> dict[uuid.UUID, str | None]:
    """`translations.texts_for` over any number of parents: in chunks, because SQLite allows
    at most 32,766 bound parameters per statement and a whole large catalog (60,000 plans)
    exceeds it."""
    from volmify_cli.services.bulk import chunks
    from volmify_cli.services.translations import texts_for

    result: dict[uuid.UUID, str | None] = {}
    for part in chunks(parent_ids):
        result.update(
            texts_for(
                session,
                model,
                org_id=org_id,
                parent_field=parent_field,
                parent_ids=part,
                field=field,
                locale=locale,
            )
        )
    return result
