"""A creator's revenue statement: what one instructor or brand earned in one org over a period, per
product and currency and per month, with the share snapshots that applied; the refunds and
adjustments (an update's reversal and correction) dated in it, one per order; the payouts; and
per currency the balance: what it was owed when the period opened, earned (from sales, refunds
and adjustments), was paid, and is owed when it closes (SPEC 5). Every figure is read from
entries and payouts dated in the period, so a closed period's statement never changes."""

from __future__ import annotations

import datetime as dt
from typing import Any, NotRequired, TypedDict, cast

from volmify_cli.db.direct import DirectReader
from volmify_cli.db.stored import read_day, read_time
from volmify_cli.enums import EntryKind
from volmify_cli.money import format_amount, format_percent
from volmify_cli.reports.balances import balance_sums
from volmify_cli.reports.conversion import Converter
from volmify_cli.reports.labels import Creator, OrgRef, find_creator, find_org
from volmify_cli.reports.periods import Period
from volmify_cli.reports.revenue import (
    RevenueRow,
    RevenueTotal,
    money_fields,
    revenue_report,
)
from volmify_cli.reports.revenue_queries import ITEM, ORDERS, creator_splits, dated_within
from volmify_cli.windows import local_date


class Party(TypedDict):
    slug: str
    name: str


class StatementLine(RevenueRow):
    shares: list[str]


class StatementBalance(TypedDict):
    """One currency's balance over the period: closing = opening + earned - paid, and earned =
    sales + refunds + adjustments."""

    currency: str
    opening_minor: int
    opening: str
    earned_minor: int
    earned: str
    sales_minor: int
    sales: str
    refunds_minor: int
    refunds: str
    adjustments_minor: int
    adjustments: str
    paid_minor: int
    paid: str
    closing_minor: int
    closing: str


class StatementEntry(TypedDict):
    """A refund or adjustment of one order dated in the period: what it took or gave."""

    date: dt.date  # the day it is dated
    for_date: dt.date | None  # the closed day it belongs to, when it was moved out of it
    kind: str  # refund | reversal | correction
    order_id: str
    product: str
    currency: str
    amount_minor: int
    amount: str


class StatementPayout(TypedDict):
    date: dt.date
    for_date: dt.date | None
    reference: str | None
    currency: str
    amount_minor: int
    amount: str


StatementRead = TypedDict(
    "StatementRead",
    {
        "org": Party,
        "creator": Party,
        "from": dt.date | None,
        "to": dt.date | None,
        "timezone": str,  # whose days the period is (the org's)
        "products": list[StatementLine],
        "months": list[RevenueRow],
        "totals": list[RevenueTotal],
        "adjustments": list[StatementEntry],
        "payouts": list[StatementPayout],
        "balances": list[StatementBalance],
        # with a conversion (services/statement_conversion): totals in its currency, the rates
        "converted_totals": NotRequired[list[RevenueTotal]],
        "conversion": NotRequired[dict[str, Any]],
    },
)


def creator_statement(
    reader: DirectReader,
    *,
    org_slug: str,
    creator: str,
    period: Period | None = None,
    locale: str | None = None,
    conversion: Converter | None = None,
) -> StatementRead:
    """The statement of `creator` in org `org_slug`: an instructor, or a brand of the org
    (`brand:SLUG` for one whose slug an instructor has too: `find_creator`); with `conversion`,
    every figure also in its currency. Raises NotFoundError for an unknown org or creator, and
    the converter's error for an amount without a rate."""
    org = find_org(reader, org_slug)
    who = find_creator(reader, org, creator, locale, instructor_first=True)
    period = (period or Period()).in_zone(org.timezone)
    products, months = (
        revenue_report(
            reader,
            org_slug=org_slug,
            by=by,
            period=period,
            creator=creator,
            locale=locale,
            conversion=conversion,
        )
        for by in ("product", "month")
    )
    shares = _shares(reader, org.id, who, period)
    lines = [
        StatementLine(
            **row,
            shares=[
                format_percent(bp) for bp in shares.get((row["key"] or "", row["currency"]), [])
            ],
        )
        for row in products["rows"]
    ]
    statement: StatementRead = {
        "org": Party(slug=org.slug, name=org.name),
        "creator": Party(slug=who.slug, name=who.name),
        "from": period.start,
        "to": period.end,
        "timezone": org.timezone,
        "products": lines,
        "months": sorted(months["rows"], key=lambda r: (r["currency"], r["key"] or "")),
        "totals": products["totals"],
        "adjustments": _adjustments(reader, org.id, who, period),
        "payouts": _payouts(reader, org.id, who, period),
        "balances": _balances(reader, org, who, period),
    }
    if conversion is not None:
        from volmify_cli.services.statement_conversion import convert_statement

        convert_statement(reader, org, who, period, statement, conversion)
        statement["converted_totals"] = products.get("converted_totals", [])
    return statement


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
    kinds = _earned_by_kind(reader, org.id, creator, period)
    rows = []
    for currency in sorted({*earned_after, *paid_after}):
        opening = earned_before.get(currency, 0) - paid_before.get(currency, 0)
        earned = earned_after.get(currency, 0) - earned_before.get(currency, 0)
        paid = paid_after.get(currency, 0) - paid_before.get(currency, 0)
        of_kind = kinds.get(currency, {})
        sales = of_kind.get(EntryKind.SALE.value, 0)
        refunds = of_kind.get(EntryKind.REFUND.value, 0)
        fields: dict[str, Any] = {"currency": currency}
        for name, value in (
            ("opening", opening), ("earned", earned), ("sales", sales), ("refunds", refunds),
            ("adjustments", earned - sales - refunds), ("paid", paid),
            ("closing", opening + earned - paid),
        ):  # fmt: skip
            fields |= money_fields(name, value, currency)
        rows.append(cast(StatementBalance, fields))
    return rows


def _shares(
    reader: DirectReader, org_id: Any, creator: Creator, period: Period
) -> dict[tuple[str, str], list[int]]:
    """The distinct share snapshots of the creator's sale lines, per product slug and currency
    (more than one when the attribution changed during the period)."""
    where, params = _mine(creator, period)
    found: dict[tuple[str, str], list[int]] = {}
    for slug, currency, share in reader.rows(
        f"SELECT p.slug, e.currency_code, a.share_bp {creator_splits(reader.dialect)}{ITEM}"
        " JOIN org_product p ON p.org_id = i.org_id AND p.id = i.product_id"
        f" WHERE {where}"
        " GROUP BY p.slug, e.currency_code, a.share_bp"
        " ORDER BY p.slug, e.currency_code, a.share_bp",
        [org_id, *params],
    ):
        found.setdefault((slug, currency), []).append(share)
    return found


def _mine(creator: Creator, period: Period) -> tuple[str, list[Any]]:
    """The conditions on the creator's splits (`a`) of entries (`e`) dated in `period`; the
    org's id is the first parameter, to be given before the returned ones."""
    dated, moments = dated_within(period)
    conditions = ["a.org_id = ?", "a.recipient_kind = ?", f"a.{creator.column} = ?", *dated]
    return " AND ".join(conditions), [creator.kind, creator.id, *moments]


def _earned_by_kind(
    reader: DirectReader, org_id: Any, creator: Creator, period: Period
) -> dict[str, dict[str, int]]:
    """Per currency and entry kind: what the creator's entries dated in `period` add."""
    where, params = _mine(creator, period)
    found: dict[str, dict[str, int]] = {}
    for currency, kind, total in reader.rows(
        "SELECT e.currency_code, e.entry_kind, sum(a.amount_minor)"
        f" {creator_splits(reader.dialect)}"
        f" WHERE {where} GROUP BY e.currency_code, e.entry_kind",
        [org_id, *params],
    ):
        found.setdefault(currency, {})[kind] = int(total)  # PostgreSQL sums as numeric
    return found


def _adjustments(
    reader: DirectReader, org_id: Any, creator: Creator, period: Period
) -> list[StatementEntry]:
    """The creator's refunds, reversals and corrections dated in `period`, in time order."""
    where, params = _mine(creator, period)
    rows = reader.rows(
        "SELECT e.entry_at, e.for_date, e.entry_kind, o.external_id, p.slug, e.currency_code,"
        f" a.amount_minor {creator_splits(reader.dialect)}{ITEM}{ORDERS}"
        " JOIN org_product p ON p.org_id = i.org_id AND p.id = i.product_id"
        f" WHERE {where} AND e.entry_kind <> ? ORDER BY e.entry_at, o.external_id, e.id",
        [org_id, *params, EntryKind.SALE.value],
    )
    return [
        StatementEntry(
            date=_dated(at, period.zone),
            for_date=read_day(for_date),
            kind=kind,
            order_id=order,
            product=slug,
            currency=currency,
            amount_minor=amount,
            amount=format_amount(amount, currency),
        )
        for at, for_date, kind, order, slug, currency, amount in rows
    ]


def _dated(value: Any, zone: str) -> dt.date:
    """The day of `zone` of a timestamp as either database returns it."""
    moment = read_time(value)
    assert moment is not None  # entries and payouts are always dated
    return local_date(moment, zone)


def _payouts(
    reader: DirectReader, org_id: Any, creator: Creator, period: Period
) -> list[StatementPayout]:
    """The payouts to the creator dated in `period`, in time order."""
    start, end = period.bounds()
    conditions = ["p.org_id = ?", "p.recipient_kind = ?", f"p.{creator.column} = ?"]
    params: list[Any] = [org_id, creator.kind, creator.id]
    for condition, bound in (("p.paid_at >= ?", start), ("p.paid_at < ?", end)):
        if bound is not None:
            conditions.append(condition)
            params.append(bound)
    rows = reader.rows(
        "SELECT p.paid_at, p.for_date, p.reference, p.currency_code, p.amount_minor"
        f" FROM org_payout p WHERE {' AND '.join(conditions)} ORDER BY p.paid_at, p.id",
        params,
    )
    return [
        StatementPayout(
            date=_dated(at, period.zone),
            for_date=read_day(for_date),
            reference=reference,
            currency=currency,
            amount_minor=amount,
            amount=format_amount(amount, currency),
        )
        for at, for_date, reference, currency, amount in rows
    ]
