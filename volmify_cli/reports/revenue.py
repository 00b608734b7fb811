"""Revenue attribution reports (SPEC 5), aggregated in SQL over the ledger.

One GROUP BY query per report; labels are looked up afterwards for the few keys it returns.
Amounts of different currencies are never added: every row and total is per currency.

- creator view: one row per recipient (instructor, brand, or `org:<slug>` for the org's retained
  share) and currency, read from the allocations. A row's `sales`, `gross` and `net` count the
  sale lines the recipient takes part in; `amount` is what it receives. The org takes part in
  every line, so its rows are also the totals of lines, gross and net.
- product, market, month (UTC) and brand (the product's primary brand) views: one row per key
  and currency; `amount` is the row's net, or with a creator, only that creator's share.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

from sqlalchemy import ColumnElement, String, and_, func, select, true

from volmify_cli.enums import RecipientKind
from volmify_cli.errors import UsageError
from volmify_cli.money import format_amount, is_currency
from volmify_cli.reports import tables as t
from volmify_cli.reports.labels import (
    OrgRef,
    brand_names,
    find_instructor,
    find_org,
    market_names,
    month_label,
    product_names,
    profile_names,
)
from volmify_cli.reports.periods import Period

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    # A report reads through an ORM session or a plain connection: `revenue report` uses a
    # connection, so that the command never imports SQLModel and pydantic (SPEC 7 start-up).
    Db = Connection | Session

VIEWS = ("creator", "product", "market", "month", "brand")


class RevenueRow(TypedDict):
    key: str | None
    label: str
    kind: NotRequired[str]
    currency: str
    sales: int
    gross_minor: int
    gross: str
    net_minor: int
    net: str
    amount_minor: int
    amount: str


class RevenueTotal(TypedDict):
    currency: str
    sales: int
    gross_minor: int
    gross: str
    net_minor: int
    net: str
    amount_minor: int
    amount: str


RevenueReportRead = TypedDict(
    "RevenueReportRead",
    {
        "org": str | None,
        "from": dt.date | None,
        "to": dt.date | None,
        "by": str,
        "rows": list[RevenueRow],
        "totals": list[RevenueTotal],
    },
)


@dataclass(frozen=True)
class _Group:
    """One aggregated row before labels: the key's ids, currency and sums."""

    key: tuple[Any, ...]
    currency: str
    sales: int
    gross: int
    net: int
    amount: int


def money_fields(prefix: str, amount: int, currency: str) -> dict[str, Any]:
    return {f"{prefix}_minor": amount, prefix: format_amount(amount, currency)}


def revenue_report(
    session: Db,
    *,
    org_slug: str | None,
    by: str = "creator",
    period: Period | None = None,
    creator: str | None = None,
    all_orgs: bool = False,
    currency: str | None = None,
    locale: str | None = None,
) -> RevenueReportRead:
    """The revenue report of one org (or, with `all_orgs`, one creator across every org).

    Raises UsageError (exit 2) for an unknown view or currency, or `all_orgs` without a creator
    or outside the creator view; NotFoundError for an unknown org or creator.
    """
    if by not in VIEWS:
        raise UsageError(f"unknown view {by!r}", f"choose one of {', '.join(VIEWS)}")
    if all_orgs and (by != "creator" or creator is None):
        raise UsageError(
            "--all-orgs reports one creator's earnings across organizations",
            "use it with --creator SLUG (and the creator view)",
        )
    if currency is not None and not is_currency(currency):
        raise UsageError(f"unknown currency {currency!r}", "see `volmify currencies list`")
    period = period or Period()
    org = None if all_orgs else find_org(session, org_slug or "")
    profile_id = find_instructor(session, creator)[0] if creator is not None else None
    query = _Query(session, org, period, currency, profile_id)
    if by == "creator":
        groups = query.creators()
        rows = _creator_rows(session, groups, org, locale)
    else:
        groups = query.keyed(by)
        rows = _keyed_rows(session, by, groups, org, locale)
    rows.sort(key=lambda r: (r["currency"], -r["amount_minor"], r["key"] or "", r.get("kind", "")))
    if by == "creator" and profile_id is None:
        totals = _totals_from_org_rows(rows)
    else:
        totals = _totals_of(rows)
    return {
        "org": org.slug if org else None,
        "from": period.start,
        "to": period.end,
        "by": by,
        "rows": rows,
        "totals": totals,
    }


def _dialect(db: Db) -> str:
    engine: Any = db if hasattr(db, "dialect") else db.get_bind()
    return str(engine.dialect.name)


def _rows(db: Db, query: Any) -> list[Any]:
    return list(db.execute(query))


class _Query:
    """Builds and runs the one aggregate query of a report."""

    def __init__(
        self,
        session: Db,
        org: OrgRef | None,
        period: Period,
        currency: str | None,
        profile_id: uuid.UUID | None,
    ) -> None:
        self.session = session
        self.org = org
        self.period = period
        self.currency = currency
        self.profile_id = profile_id
        self.a = t.ALLOCATION
        self.i = t.ITEM
        self.o = t.ORDER

    def _allocations(self) -> Any:
        a, i = self.a, self.i
        joined = a.join(i, and_(i.c.org_id == a.c.org_id, i.c.id == a.c.item_id))
        if self.period.start or self.period.end:
            joined = joined.join(
                self.o, and_(self.o.c.org_id == i.c.org_id, self.o.c.id == i.c.order_id)
            )
        return joined

    def _where(self, org_column: Any, currency_column: Any) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.org is not None:
            conditions.append(org_column == self.org.id)
        start, end = self.period.bounds()
        if start is not None:
            conditions.append(self.o.c.ordered_at >= start)
        if end is not None:
            conditions.append(self.o.c.ordered_at < end)
        if self.currency is not None:
            conditions.append(currency_column == self.currency)
        if self.profile_id is not None:
            conditions += [
                self.a.c.recipient_kind == RecipientKind.INSTRUCTOR.value,
                self.a.c.profile_id == self.profile_id,
            ]
        return conditions or [true()]

    def creators(self) -> list[_Group]:
        a, i = self.a.c, self.i.c
        keys = [a.recipient_kind, a.profile_id, a.brand_id, a.currency_code]
        query = (
            select(
                *keys,
                func.count(),
                func.sum(i.line_amount_minor),
                func.sum(i.net_minor),
                func.sum(a.amount_minor),
            )
            .select_from(self._allocations())
            .where(*self._where(a.org_id, a.currency_code))
            .group_by(*keys)
        )
        return [
            # PostgreSQL sums bigint as numeric: back to exact ints
            _Group((kind, profile, brand), cur, sales, int(gross), int(net), int(amount))
            for kind, profile, brand, cur, sales, gross, net, amount in _rows(self.session, query)
        ]

    def keyed(self, by: str) -> list[_Group]:
        a, i, o = self.a.c, self.i.c, self.o.c
        if self.profile_id is not None:
            source: Any = self._allocations()
            if not (self.period.start or self.period.end) and by in ("market", "month"):
                source = source.join(self.o, and_(o.org_id == i.org_id, o.id == i.order_id))
            amount: Any = func.sum(a.amount_minor)
            currency = a.currency_code
        else:
            source = self.i.join(self.o, and_(o.org_id == i.org_id, o.id == i.order_id))
            amount = func.sum(i.net_minor)
            currency = o.currency_code
        if by == "brand":
            brand = t.PRODUCT_BRAND
            source = source.outerjoin(
                brand,
                and_(
                    brand.c.org_id == i.org_id,
                    brand.c.product_id == i.product_id,
                    brand.c.is_primary == true(),
                ),
            )
        key = self._key(by)
        query = (
            select(
                key,
                currency,
                func.count(),
                func.sum(i.line_amount_minor),
                func.sum(i.net_minor),
                amount,
            )
            .select_from(source)
            .where(*self._where(i.org_id, currency))
            .group_by(key, currency)
        )
        return [
            _Group((value,), cur, sales, int(gross), int(net), int(total))
            for value, cur, sales, gross, net, total in _rows(self.session, query)
        ]

    def _key(self, by: str) -> Any:
        i, o = self.i.c, self.o.c
        if by == "product":
            return i.product_id
        if by == "market":
            return o.market_id
        if by == "brand":
            return t.PRODUCT_BRAND.c.brand_id
        if _dialect(self.session) == "postgresql":
            return func.to_char(func.timezone("UTC", o.ordered_at), "YYYY-MM")
        # SQLite stores UTC timestamps as text starting with YYYY-MM.
        return func.substr(o.ordered_at, 1, 7, type_=String)


# -- rows ----------------------------------------------------------------------------------------


def _row(key: str | None, label: str, group: _Group, kind: str | None = None) -> RevenueRow:
    cur = group.currency
    row: dict[str, Any] = {"key": key, "label": label}
    if kind is not None:
        row["kind"] = kind
    row["currency"] = cur
    row["sales"] = group.sales
    row |= money_fields("gross", group.gross, cur)
    row |= money_fields("net", group.net, cur)
    row |= money_fields("amount", group.amount, cur)
    return cast(RevenueRow, row)


def _creator_rows(
    session: Db, groups: Sequence[_Group], org: OrgRef | None, locale: str | None
) -> list[RevenueRow]:
    profile_ids = {g.key[1] for g in groups if g.key[1] is not None}
    brand_ids = {g.key[2] for g in groups if g.key[2] is not None}
    profiles = profile_names(session, profile_ids)
    brands = brand_names(session, org, brand_ids, locale)
    rows = []
    for group in groups:
        kind, profile_id, brand_id = group.key
        if kind == RecipientKind.ORG.value:
            assert org is not None  # org rows exist only in single-org reports
            rows.append(_row(f"org:{org.slug}", org.name, group, kind))
        elif kind == RecipientKind.INSTRUCTOR.value:
            slug, name = profiles[profile_id]
            rows.append(_row(slug, name, group, kind))
        else:
            slug, name = brands[brand_id]
            rows.append(_row(slug, name, group, kind))
    return rows


def _keyed_rows(
    session: Db, by: str, groups: Sequence[_Group], org: OrgRef | None, locale: str | None
) -> list[RevenueRow]:
    ids = {g.key[0] for g in groups if g.key[0] is not None}
    names: dict[Any, tuple[str, str]]
    if by == "product":
        names = product_names(session, org, ids, locale)
    elif by == "market":
        names = market_names(session, org, ids, locale)
    elif by == "brand":
        names = brand_names(session, org, ids, locale)
    else:
        names = {month: (month, month_label(month, locale)) for month in ids}
    rows = []
    for group in groups:
        value = group.key[0]
        if value is None:
            rows.append(_row(None, "(no brand)", group))
        else:
            key, label = names[value]
            rows.append(_row(key, label, group))
    return rows


# -- totals --------------------------------------------------------------------------------------


def _total(cur: str, sales: int, gross: int, net: int, amount: int) -> RevenueTotal:
    fields: dict[str, Any] = {"currency": cur, "sales": sales}
    fields |= money_fields("gross", gross, cur)
    fields |= money_fields("net", net, cur)
    fields |= money_fields("amount", amount, cur)
    return cast(RevenueTotal, fields)


def _totals_of(rows: Sequence[RevenueRow]) -> list[RevenueTotal]:
    """Sums of the rows shown, per currency (rows that partition the sale lines, or one
    creator's rows)."""
    sums: dict[str, list[int]] = {}
    for row in rows:
        acc = sums.setdefault(row["currency"], [0, 0, 0, 0])
        acc[0] += row["sales"]
        acc[1] += row["gross_minor"]
        acc[2] += row["net_minor"]
        acc[3] += row["amount_minor"]
    return [_total(cur, *values) for cur, values in sorted(sums.items())]


def _totals_from_org_rows(rows: Sequence[RevenueRow]) -> list[RevenueTotal]:
    """The org takes part in every sale line once, so its row counts every line, gross and net
    once; the amount is what every recipient received together."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        acc = totals.setdefault(row["currency"], [0, 0, 0, 0])
        acc[3] += row["amount_minor"]
        if row.get("kind") == RecipientKind.ORG.value:
            acc[0] += row["sales"]
            acc[1] += row["gross_minor"]
            acc[2] += row["net_minor"]
    return [_total(cur, *values) for cur, values in sorted(totals.items())]
