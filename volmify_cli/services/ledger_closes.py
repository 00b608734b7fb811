"""Closed periods (SPEC 5): `revenue close PERIOD` locks every day up to the end of PERIOD,
`revenue reopen PERIOD` unlocks from its first day on; both are kept, with who and when, as the
history of the org's lock date. An entry or payout dated on a closed day is dated the first
open day instead and keeps the day it belongs to (`for_date`), so a closed period's reports and
statements never change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypedDict

from sqlalchemy import select
from sqlmodel import Session

from volmify_cli.db.tables import table_of
from volmify_cli.enums import CloseAction
from volmify_cli.models.orgs import Org
from volmify_cli.models.sales import OrgLedgerClose
from volmify_cli.reports.periods import parse_period
from volmify_cli.rulebook import CLOSED_BY
from volmify_cli.services.lookup import get_org
from volmify_cli.windows import local_date, window_end

NAMED_ORDERS = 20  # a warning names this many orders, then counts the rest


class CloseRead(TypedDict):
    org: str
    action: str
    period: str
    closed_through: dt.date | None  # the last closed day after it (None: nothing is closed)
    recorded_at: dt.datetime
    recorded_by: str


class CloseResult(TypedDict):
    close: CloseRead | None  # None when the ledger was already as asked
    closed_through: dt.date | None
    message: str


def closed_through(session: Session, org_id: uuid.UUID) -> dt.date | None:
    """The org's lock date: the last closed day, or None."""
    c = table_of(OrgLedgerClose).c
    return session.execute(
        select(c.closed_through)
        .where(c.org_id == org_id)
        .order_by(c.created_at.desc(), c.id.desc())
        .limit(1)
    ).scalar()


@dataclass
class LedgerDates:
    """Where an org's ledger is open. `place` dates an entry: as given on an open day, else on
    the first open day with the day it belongs to; the orders it moved are noted for a warning."""

    closed_through: dt.date | None
    zone: str = "UTC"  # the org's time zone: whose days are closed
    moved: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, session: Session, org_id: uuid.UUID) -> LedgerDates:
        org = table_of(Org).c
        zone = session.execute(select(org.timezone).where(org.id == org_id)).scalar()
        return cls(closed_through(session, org_id), zone or "UTC")

    @cached_property  # read for every entry an import records (4 us each when computed)
    def opens_at(self) -> dt.datetime | None:
        return window_end(self.closed_through, self.zone)

    def place(
        self, at: dt.datetime, order: str | None = None
    ) -> tuple[dt.datetime, dt.date | None]:
        """(the moment it is dated, the day it belongs to when that day is closed)."""
        opens = self.opens_at
        if opens is None or at >= opens:
            return at, None
        if order is not None:
            self.moved.append(order)
        return opens, local_date(at, self.zone)

    def warning(self) -> str | None:
        orders = list(dict.fromkeys(self.moved))
        if not orders or self.closed_through is None:
            return None
        named = ", ".join(orders[:NAMED_ORDERS])
        if len(orders) > NAMED_ORDERS:
            named += f" and {len(orders) - NAMED_ORDERS} more"
        first_open = self.closed_through + dt.timedelta(days=1)
        return (
            f"{len(orders)} order(s) have entries dated in the closed period (closed through "
            f"{self.closed_through}); they are recorded on {first_open}, the first open day, "
            f"with the day they belong to: {named}"
        )


def _written(period: str) -> str:
    """The period as written, without the spaces around its parts (what the history keeps)."""
    return "..".join(part.strip() for part in period.split(".."))


def _record(
    session: Session, org_slug: str, action: CloseAction, period: str, through: dt.date | None,
    by: str,
) -> CloseRead:  # fmt: skip
    org = get_org(session, org_slug)
    period = _written(period)
    row = OrgLedgerClose(
        org_id=org.id, action=action.value, period=period, closed_through=through, recorded_by=by
    )
    session.add(row)
    session.flush()
    return CloseRead(
        org=org.slug,
        action=row.action,
        period=period,
        closed_through=through,
        recorded_at=row.created_at,
        recorded_by=by,
    )


def close_period(session: Session, *, org_slug: str, period: str, by: str) -> CloseResult:
    """Close every day up to the end of `period` (2026-03, 2026-Q1, 2026, a date...). Raises
    NotFoundError, UsageError (a period that cannot be read), RuleError (`by` over its rule)."""
    who = CLOSED_BY.check(by)
    end = parse_period(period).end
    assert end is not None  # a written period always has both ends
    org = get_org(session, org_slug)
    current = closed_through(session, org.id)
    if current is not None and current >= end:
        return CloseResult(
            close=None,
            closed_through=current,
            message=f"org {org.slug} is already closed through {current}",
        )
    made = _record(session, org.slug, CloseAction.CLOSE, period, end, who)
    return CloseResult(
        close=made, closed_through=end, message=f"org {org.slug} is closed through {end}"
    )


def reopen_period(session: Session, *, org_slug: str, period: str, by: str) -> CloseResult:
    """Reopen every day from the start of `period` on (the lock date moves to the day before).
    Raises NotFoundError, UsageError, RuleError."""
    who = CLOSED_BY.check(by)
    start = parse_period(period).start
    assert start is not None
    org = get_org(session, org_slug)
    current = closed_through(session, org.id)
    if current is None or current < start:
        return CloseResult(
            close=None,
            closed_through=current,
            message=f"{period.strip()} is not closed in org {org.slug}"
            + (f" (closed through {current})" if current else ""),
        )
    through = start - dt.timedelta(days=1)
    made = _record(session, org.slug, CloseAction.REOPEN, period, through, who)
    return CloseResult(
        close=made,
        closed_through=through,
        message=f"org {org.slug} is open from {start} (closed through {through})",
    )


def list_closes(session: Session, *, org_slug: str) -> list[CloseRead]:
    """The history of the org's closes and reopens, oldest first."""
    org = get_org(session, org_slug)
    c = table_of(OrgLedgerClose).c
    rows = session.execute(
        select(c.action, c.period, c.closed_through, c.created_at, c.recorded_by)
        .where(c.org_id == org.id)
        .order_by(c.created_at, c.id)
    )
    return [
        CloseRead(
            org=org.slug,
            action=action,
            period=period,
            closed_through=through,
            recorded_at=at,
            recorded_by=by,
        )
        for action, period, through, at, by in rows
    ]
