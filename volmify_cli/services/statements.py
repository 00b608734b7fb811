"""A creator's revenue statement: what one instructor earned in one org over a period, per
product and currency and per month, with the share snapshots that applied (SPEC 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from volmify_cli.db.direct import DirectReader
from volmify_cli.enums import RecipientKind
from volmify_cli.money import format_percent
from volmify_cli.reports.labels import find_instructor, find_org
from volmify_cli.reports.periods import Period
from volmify_cli.reports.revenue import (
    ALLOCATIONS,
    ORDERS,
    RevenueRow,
    RevenueTotal,
    ordered_within,
    revenue_report,
)


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
    reader: DirectReader,
    *,
    org_slug: str,
    creator: str,
    period: Period | None = None,
    locale: str | None = None,
) -> StatementRead:
    """The statement of instructor `creator` in org `org_slug`. Raises NotFoundError for an
    unknown org or instructor."""
    org = find_org(reader, org_slug)
    profile_id, profile_name = find_instructor(reader, creator)
    period = period or Period()
    products, months = (
        revenue_report(
            reader, org_slug=org_slug, by=by, period=period, creator=creator, locale=locale
        )
        for by in ("product", "month")
    )
    shares = _shares(reader, org.id, profile_id, period)
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
    reader: DirectReader, org_id: Any, profile_id: Any, period: Period
) -> dict[tuple[str, str], list[int]]:
    """The distinct share snapshots of the creator's sale lines, per product slug and currency
    (more than one when the attribution changed during the period)."""
    dated, moments = ordered_within(period)
    conditions = ["a.org_id = ?", "a.recipient_kind = ?", "a.profile_id = ?", *dated]
    params = [org_id, RecipientKind.INSTRUCTOR.value, profile_id, *moments]
    found: dict[tuple[str, str], list[int]] = {}
    for slug, currency, share in reader.rows(
        f"SELECT p.slug, a.currency_code, a.share_bp {ALLOCATIONS}{ORDERS}"
        " JOIN org_product p ON p.org_id = i.org_id AND p.id = i.product_id"
        f" WHERE {' AND '.join(conditions)}"
        " GROUP BY p.slug, a.currency_code, a.share_bp"
        " ORDER BY p.slug, a.currency_code, a.share_bp",
        params,
    ):
        found.setdefault((slug, currency), []).append(share)
    return found
