"""A creator's revenue statement: what one instructor earned in one org over a period, per
product and currency and per month, with the share snapshots that applied (SPEC 5)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import and_, select

from volmify_cli.enums import RecipientKind
from volmify_cli.money import format_percent
from volmify_cli.reports import tables as t
from volmify_cli.reports.labels import find_instructor, find_org
from volmify_cli.reports.periods import Period
from volmify_cli.reports.revenue import RevenueRow, RevenueTotal, revenue_report

if TYPE_CHECKING:
    from volmify_cli.reports.revenue import Db


class Party(TypedDict):
    slug: str
    name: str


class StatementLine(RevenueRow):
    shares: list[str]


StatementRead = TypedDict(
    "StatementRead",
    {
        "org": Party,
        "creator": Party,
        "from": dt.date | None,
        "to": dt.date | None,
        "products": list[StatementLine],
        "months": list[RevenueRow],
        "totals": list[RevenueTotal],
    },
)


def creator_statement(
    session: Db,
    *,
    org_slug: str,
    creator: str,
    period: Period | None = None,
    locale: str | None = None,
) -> StatementRead:
    """The statement of instructor `creator` in org `org_slug`. Raises NotFoundError for an
    unknown org or instructor."""
    # The statement reads the ledger only: the light report tables, not the ORM models.
    org = find_org(session, org_slug)
    profile_id, profile_name = find_instructor(session, creator)
    period = period or Period()
    products, months = (
        revenue_report(
            session, org_slug=org_slug, by=by, period=period, creator=creator, locale=locale
        )
        for by in ("product", "month")
    )
    shares = _shares(session, org.id, profile_id, period)
    lines = [
        StatementLine(
            **row,
            shares=[
                format_percent(bp) for bp in shares.get((row["key"] or "", row["currency"]), [])
            ],
        )
        for row in products["rows"]
    ]
    return {
        "org": Party(slug=org.slug, name=org.name),
        "creator": Party(slug=creator, name=profile_name),
        "from": period.start,
        "to": period.end,
        "products": lines,
        "months": sorted(months["rows"], key=lambda r: (r["currency"], r["key"] or "")),
        "totals": products["totals"],
    }


def _shares(
    session: Db, org_id: uuid.UUID, profile_id: uuid.UUID, period: Period
) -> dict[tuple[str, str], list[int]]:
    """The distinct share snapshots of the creator's sale lines, per product slug and currency
    (more than one when the attribution changed during the period)."""
    a, i, o, p = t.ALLOCATION, t.ITEM, t.ORDER, t.PRODUCT
    query = (
        select(p.c.slug, a.c.currency_code, a.c.share_bp)
        .select_from(
            a.join(i, and_(i.c.org_id == a.c.org_id, i.c.id == a.c.item_id))
            .join(o, and_(o.c.org_id == i.c.org_id, o.c.id == i.c.order_id))
            .join(p, and_(p.c.org_id == i.c.org_id, p.c.id == i.c.product_id))
        )
        .where(
            a.c.org_id == org_id,
            a.c.recipient_kind == RecipientKind.INSTRUCTOR.value,
            a.c.profile_id == profile_id,
        )
        .group_by(p.c.slug, a.c.currency_code, a.c.share_bp)
        .order_by(p.c.slug, a.c.currency_code, a.c.share_bp)
    )
    start, end = period.bounds()
    if start is not None:
        query = query.where(o.c.ordered_at >= start)
    if end is not None:
        query = query.where(o.c.ordered_at < end)
    found: dict[tuple[str, str], list[int]] = {}
    for slug, currency, share in session.execute(query):
        found.setdefault((slug, currency), []).append(share)
    return found
