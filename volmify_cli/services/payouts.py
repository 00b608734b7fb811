"""Payouts (SPEC 5): money paid to an instructor or a brand of the org, recorded as it left the
bank. Append-only and exact in minor units. A payout in a currency the creator never earned in,
or over what it is owed, is recorded all the same (the money is gone) with a warning.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any, TypedDict

from sqlalchemy import and_, func, select
from sqlmodel import Session

from volmify_cli.db.bulk import Bulk
from volmify_cli.db.direct import reader_of
from volmify_cli.db.tables import table_of
from volmify_cli.db.types import utcnow
from volmify_cli.errors import RuleError, UsageError
from volmify_cli.ids import hex_of, uuid7_hex_batch
from volmify_cli.models.core import UserProfile
from volmify_cli.models.orgs import OrgBrand
from volmify_cli.models.sales import OrgPayout
from volmify_cli.money import format_amount, is_currency, parse_amount
from volmify_cli.reports.balances import balance_sums, end_of
from volmify_cli.reports.labels import Creator, OrgRef, find_creator, find_org
from volmify_cli.reports.periods import Period
from volmify_cli.rulebook import PAYOUT_REFERENCE
from volmify_cli.services.ledger_closes import LedgerDates
from volmify_cli.windows import local_date, window_start

COLUMNS = (
    "created_at", "updated_at", "org_id", "id", "recipient_kind", "profile_id", "brand_id",
    "currency_code", "amount_minor", "paid_at", "reference", "for_date",
)  # fmt: skip


class PayoutRead(TypedDict):
    creator: str
    kind: str
    currency: str
    amount_minor: int
    amount: str
    paid_at: dt.datetime
    for_date: dt.date | None  # the closed day it was paid, when it is dated the first open day
    reference: str | None


class RecordedPayout(TypedDict):
    payout: PayoutRead
    owed_minor: int  # what the creator is owed in that currency once it is paid
    owed: str
    warnings: list[str]


def record_payout(
    session: Session,
    *,
    org: str,
    creator: str,
    amount: str,
    currency: str,
    at: dt.date | None = None,
    reference: str | None = None,
) -> RecordedPayout:
    """Record a payout to `creator` (SLUG, instructor:SLUG or brand:SLUG) of `amount` (decimal
    text in the currency's digits), paid on `at` (default: now). Raises NotFoundError,
    UsageError (an unknown currency, an ambiguous creator), RuleError (an amount that is not
    positive, a reference over its rule)."""
    code = currency.strip().upper()
    if not is_currency(code):
        raise UsageError(f"unknown currency {currency!r}", "see `volmify currencies list`")
    minor = parse_amount(amount, code)
    if minor <= 0:
        raise RuleError(f"a payout is a positive amount, not {amount}")
    note = PAYOUT_REFERENCE.check(reference, required=False) if reference is not None else None
    note = note or None  # an empty reference is none
    reader = reader_of(session)
    the_org = find_org(reader, org)
    who = find_creator(reader, the_org, creator)
    paid = window_start(at, the_org.timezone) if at is not None else utcnow()
    assert paid is not None
    dates = LedgerDates.of(session, uuid.UUID(hex=hex_of(the_org.id)))
    paid_at, for_date = dates.place(paid)
    owed_before = _owed(
        reader, the_org, who, code, end_of(local_date(paid_at, the_org.timezone), the_org.timezone)
    )
    warnings = _warnings(who, the_org, code, minor, owed_before)
    if for_date is not None:
        warnings.append(
            f"{for_date} is closed (closed through {dates.closed_through}): the payout is "
            f"recorded on {local_date(paid_at, the_org.timezone)}, the first open day, for "
            f"{for_date}"
        )
    bulk = Bulk(session)
    (payout_id,) = uuid7_hex_batch(1)
    row = (
        bulk.now_value, bulk.now_value, hex_of(the_org.id), payout_id, who.kind,
        hex_of(who.profile_id), hex_of(who.brand_id), code, minor, bulk.time_value(paid_at), note,
        bulk.date_value(for_date),
    )  # fmt: skip
    bulk.insert("org_payout", COLUMNS, [row], org=hex_of(the_org.id))
    owed = (owed_before or 0) - minor
    return RecordedPayout(
        payout=PayoutRead(
            creator=who.slug,
            kind=who.kind,
            currency=code,
            amount_minor=minor,
            amount=format_amount(minor, code),
            paid_at=paid_at,
            for_date=for_date,
            reference=note,
        ),
        owed_minor=owed,
        owed=format_amount(owed, code),
        warnings=warnings,
    )


def _owed(reader: Any, org: OrgRef, who: Creator, currency: str, before: Any) -> int | None:
    """What `who` is owed in `currency` up to `before`; None when it never earned in it."""
    earned, paid = balance_sums(reader, org, creator=who, before=None)
    if not any(key[3] == currency for key in earned):
        return None
    earned, paid = balance_sums(reader, org, creator=who, before=before)
    key = next((k for k in {*earned, *paid} if k[3] == currency), None)
    return 0 if key is None else earned.get(key, 0) - paid.get(key, 0)


def _warnings(who: Creator, org: OrgRef, currency: str, minor: int, owed: int | None) -> list[str]:
    if owed is None:
        return [f"{who.kind} {who.slug} has never earned in {currency} in org {org.slug}"]
    if minor > owed:
        return [
            f"the payout of {format_amount(minor, currency)} {currency} is more than the "
            f"{format_amount(owed, currency)} {currency} {who.kind} {who.slug} is owed"
        ]
    return []


def list_payouts(
    session: Session,
    *,
    org: str,
    creator: str | None = None,
    period: Period | None = None,
) -> list[PayoutRead]:
    """The org's payouts, oldest first, all at once (see `iter_payouts`)."""
    return list(iter_payouts(session, org=org, creator=creator, period=period))


READ_BATCH = 2000  # payouts per fetch


def iter_payouts(
    session: Session,
    *,
    org: str,
    creator: str | None = None,
    period: Period | None = None,
    limit: int | None = None,
) -> Iterator[PayoutRead]:
    """The org's payouts, oldest first (one creator's with `creator`), paid within `period`,
    streamed from the database in batches; `limit + 1` of them with a limit, so the caller can
    say some were left out. Raises NotFoundError (before the first row)."""
    reader = reader_of(session)
    the_org = find_org(reader, org)
    p, u, b = table_of(OrgPayout).c, table_of(UserProfile).c, table_of(OrgBrand).c
    query = (
        select(
            func.coalesce(u.slug, b.slug), p.recipient_kind, p.currency_code, p.amount_minor,
            p.paid_at, p.for_date, p.reference,
        )
        .select_from(table_of(OrgPayout))
        .outerjoin(table_of(UserProfile), u.id == p.profile_id)
        .outerjoin(table_of(OrgBrand), and_(b.org_id == p.org_id, b.id == p.brand_id))
        .where(p.org_id == uuid.UUID(hex=hex_of(the_org.id)))
        .order_by(p.paid_at, p.id)
    )  # fmt: skip
    if creator is not None:
        who = find_creator(reader, the_org, creator)
        if who.profile_id is not None:
            query = query.where(p.profile_id == uuid.UUID(hex=hex_of(who.profile_id)))
        else:
            query = query.where(p.brand_id == uuid.UUID(hex=hex_of(who.brand_id)))
    start, end = (period or Period()).in_zone(the_org.timezone).bounds()
    if start is not None:
        query = query.where(p.paid_at >= start)
    if end is not None:
        query = query.where(p.paid_at < end)
    if limit is not None:
        query = query.limit(limit + 1)
    found = session.execute(query.execution_options(yield_per=READ_BATCH))
    return (
        PayoutRead(
            creator=slug,
            kind=kind,
            currency=code,
            amount_minor=minor,
            amount=format_amount(minor, code),
            paid_at=paid_at,
            for_date=for_date,
            reference=reference,
        )
        for slug, kind, code, minor, paid_at, for_date, reference in found
    )
