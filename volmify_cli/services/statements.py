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
from volmify_cli.reports.conversion import Converter
from volmify_cli.reports.labels import Creator, find_creator, find_org
from volmify_cli.reports.periods import Period
from volmify_cli.reports.revenue import (
    RevenueRow,
    RevenueTotal,
    money_fields,
    revenue_report,
)
from volmify_cli.services.statement_sections import Sections
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
    sections: Sections | None = None,
) -> StatementRead:
    """The statement of `creator` in org `org_slug`: an instructor, or a brand of the org
    (`brand:SLUG` for one whose slug an instructor has too: `find_creator`); with `conversion`,
    every figure also in its currency. `sections`: what statements for everyone read of the
    org's ledger for the same period, at once (`statement_sections`); else the creator's own
    are read. Raises NotFoundError for an unknown org or creator, and the converter's error for
    an amount without a rate."""
    org = find_org(reader, org_slug)
    who = find_creator(reader, org, creator, locale, instructor_first=True)
    period = (period or Period()).in_zone(org.timezone)
    if sections is None:
        sections = Sections(reader, org, period, who)
    every_creator = sections.products if sections.creator is None else None
    products, months = (
        revenue_report(
            reader,
            org_slug=org_slug,
            by=by,
            period=period,
            creator=creator,
            locale=locale,
            conversion=conversion,
            every_creator=every_creator,
        )
        for by in ("product", "month")
    )
    shares = sections.shares.get(who.key, {})
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
        "adjustments": [
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
            for at, for_date, kind, order, slug, currency, amount in sections.adjustments.get(
                who.key, []
            )
        ],
        "payouts": [
            StatementPayout(
                date=_dated(at, period.zone),
                for_date=read_day(for_date),
                reference=reference,
                currency=currency,
                amount_minor=amount,
                amount=format_amount(amount, currency),
            )
            for at, for_date, reference, currency, amount in sections.payouts.get(who.key, [])
        ],
        "balances": _balances(who, sections),
    }
    if conversion is not None:
        from volmify_cli.services.statement_conversion import convert_statement

        convert_statement(reader, org, who, period, statement, conversion)
        statement["converted_totals"] = products.get("converted_totals", [])
    return statement


def _balances(creator: Creator, sections: Sections) -> list[StatementBalance]:
    """Per currency: owed before the period, earned and paid in it, owed after it."""
    opened, closed = sections.balances

    def by_currency(sums: dict[Any, int]) -> dict[str, int]:
        return {key[3]: value for key, value in sums.items() if key[:3] == creator.key}

    earned_before, paid_before = map(by_currency, opened)
    earned_after, paid_after = map(by_currency, closed)
    kinds = sections.earned_by_kind.get(creator.key, {})
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


def _dated(value: Any, zone: str) -> dt.date:
    """The day of `zone` of a timestamp as either database returns it."""
    moment = read_time(value)
    assert moment is not None  # entries and payouts are always dated
    return local_date(moment, zone)
