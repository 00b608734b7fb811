"""A creator's revenue statement: what one instructor earned in one org over a period, per
product and currency and per month, with the share snapshots that applied, and per currency
the balance: what it was owed when the period opened, earned, was paid, and is owed when it
closes (SPEC 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict, cast

from volmify_cli.db.direct import DirectReader
from volmify_cli.enums import RecipientKind
from volmify_cli.money import format_percent
from volmify_cli.reports.balances import Creator, balance_sums
from volmify_cli.reports.labels import OrgRef, find_instructor, find_org
from volmify_cli.reports.periods import Period
from volmify_cli.reports.revenue import (
    ENTRIES,
    ITEM,
    SPLITS,
    RevenueRow,
    RevenueTotal,
    dated_within,
    money_fields,
    revenue_report,
)


class Party(TypedDict):
    slug: str
    name: str


class StatementLine(RevenueRow):
    shares: list[str]


class StatementBalance(TypedDict):
    """One currency's balance over the period: closing = opening + earned - paid."""

    currency: str
    opening_minor: int
    opening: str
    earned_minor: int
    earned: str
    paid_minor: int
    paid: str
    closing_minor: int
    closing: str


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
        "balances": list[StatementBalance],
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
        "balances": _balances(reader, org, Creator(*_instructor(profile_id), creator, profile_name),
                              period),
    }  # fmt: skip


def _instructor(profile_id: Any) -> tuple[str, Any, Any]:
    return RecipientKind.INSTRUCTOR.value, profile_id, None


def _balances(
    reader: DirectReader, org: OrgRef, creator: Creator, period: Period
) -> list[StatementBalance]:
    """Per currency: owed before the period, earned and paid in it, owed after it."""
    start, end = period.bounds()
    opened = balance_sums(reader, org, creator=creator, before=start) if start else ({}, {})
    closed = balance_sums(reader, org, creator=creator, before=end)

    def by_currency(sums: dict[Any, int]) -> dict[str, int]:
        return {key[3]: value for key, value in sums.items()}

    earned_before, paid_before = map(by_currency, opened)
    earned_after, paid_after = map(by_currency, closed)
    rows = []
    for currency in sorted({*earned_after, *paid_after}):
        opening = earned_before.get(currency, 0) - paid_before.get(currency, 0)
        earned = earned_after.get(currency, 0) - earned_before.get(currency, 0)
        paid = paid_after.get(currency, 0) - paid_before.get(currency, 0)
        fields: dict[str, Any] = {"currency": currency}
        for name, value in (
            ("opening", opening), ("earned", earned), ("paid", paid),
            ("closing", opening + earned - paid),
        ):  # fmt: skip
            fields |= money_fields(name, value, currency)
        rows.append(cast(StatementBalance, fields))
    return rows


def _shares(
    reader: DirectReader, org_id: Any, profile_id: Any, period: Period
) -> dict[tuple[str, str], list[int]]:
    """The distinct share snapshots of the creator's sale lines, per product slug and currency
    (more than one when the attribution changed during the period)."""
    dated, moments = dated_within(period)
    conditions = ["a.org_id = ?", "a.recipient_kind = ?", "a.profile_id = ?", *dated]
    params = [org_id, RecipientKind.INSTRUCTOR.value, profile_id, *moments]
    found: dict[tuple[str, str], list[int]] = {}
    for slug, currency, share in reader.rows(
        f"SELECT p.slug, a.currency_code, a.share_bp {ENTRIES}{SPLITS}{ITEM}"
        " JOIN org_product p ON p.org_id = i.org_id AND p.id = i.product_id"
        f" WHERE {' AND '.join(conditions)}"
        " GROUP BY p.slug, a.currency_code, a.share_bp"
        " ORDER BY p.slug, a.currency_code, a.share_bp",
        params,
    ):
        found.setdefault((slug, currency), []).append(share)
    return found
