"""Revenue attribution reports (SPEC 5), aggregated in SQL over the ledger's entries.

A report covers the entries dated in its period (a refund counts in the month it was made), and
adds up each entry's own figures: its amount, and the sales line it adds to (`line_count`, gross
and net: 1, the amount and the net for a sale; 0, 0 and the net it takes for a refund).

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
from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict, cast

from volmify_cli.db.direct import DirectReader
from volmify_cli.enums import RecipientKind
from volmify_cli.errors import UsageError
from volmify_cli.money import format_amount, is_currency
from volmify_cli.reports.conversion import Converter, convert_rows, convert_totals
from volmify_cli.reports.labels import (
    Creator,
    OrgRef,
    brand_names,
    find_creator,
    find_instructor,
    find_org,
    market_names,
    month_label,
    product_names,
    profile_names,
)
from volmify_cli.reports.periods import Period
from volmify_cli.reports.revenue_queries import Group, LedgerQuery, TotalsQuery

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
        "timezone": str,  # whose days the period and the months are (the org's; UTC)
        "rows": list[RevenueRow],
        "totals": list[RevenueTotal],
        # with a conversion: the totals in its currency, and which rates were used
        "converted_totals": NotRequired[list[RevenueTotal]],
        "conversion": NotRequired[dict[str, Any]],
    },
)
SORTS = ("amount", "key", "sales", "gross", "net")


def money_fields(prefix: str, amount: int, currency: str) -> dict[str, Any]:
    return {f"{prefix}_minor": amount, prefix: format_amount(amount, currency)}


def revenue_report(
    reader: DirectReader,
    *,
    org_slug: str | None,
    by: str = "creator",
    period: Period | None = None,
    creator: str | None = None,
    all_orgs: bool = False,
    currency: str | None = None,
    locale: str | None = None,
    sort: str = "amount",
    from_ledger: bool = False,
    conversion: Converter | None = None,
    limit: int | None = None,
    every_creator: Mapping[Any, Sequence[Group]] | None = None,
) -> RevenueReportRead:
    """The revenue report of one org (or, with `all_orgs`, one creator across every org). The
    period's days and the months of `by="month"` are days of the org's time zone (UTC across
    orgs). Rows are sorted per currency by `sort`: amount (descending, the default), key
    (a month view in calendar order), sales, gross or net (descending); then by key.

    The figures come from the ledger's running totals per day (`db/rollups`; across orgs, each
    org's days), or from the entries themselves where no total is kept (a creator's share by
    product, market or brand) and with `from_ledger` (the exactness tests compare the two).

    With `conversion`, every row and the totals are also given in its currency
    (`reports/conversion`).

    `every_creator` (`LedgerQuery.keyed_per_creator` of the view, the period and the org) holds
    every creator's share of each key, read at once for statements for everyone: a creator's
    report by product, market or brand takes its groups from it.

    Raises UsageError (exit 2) for an unknown view, sort or currency, or `all_orgs` without a
    creator or outside the creator view; NotFoundError for an unknown org or creator.
    """
    if by not in VIEWS:
        raise UsageError(f"unknown view {by!r}", f"choose one of {', '.join(VIEWS)}")
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}", f"choose one of {', '.join(SORTS)}")
    if all_orgs and (by != "creator" or creator is None):
        raise UsageError(
            "--all-orgs reports one creator's earnings across organizations",
            "use it with --creator SLUG (and the creator view)",
        )
    if currency is not None and not is_currency(currency):
        raise UsageError(f"unknown currency {currency!r}", "see `volmify currencies list`")
    org = None if all_orgs else find_org(reader, org_slug or "")
    zone = org.timezone if org is not None else "UTC"
    period = (period or Period()).in_zone(zone)
    chosen = _creator(reader, org, creator, locale) if creator is not None else None
    ledger = LedgerQuery(reader, org, period, currency, chosen)
    keyed_share = by != "creator" and by != "month" and chosen is not None
    query = ledger if from_ledger or keyed_share else TotalsQuery(ledger)
    if by == "creator":
        groups = query.creators()
        rows = _creator_rows(reader, groups, org, locale)
    elif keyed_share and every_creator is not None and not from_ledger:
        assert chosen is not None
        groups = list(every_creator.get(chosen.key, []))
        rows = _keyed_rows(reader, by, groups, org, locale)
    else:
        groups = query.keyed(by)
        rows = _keyed_rows(reader, by, groups, org, locale)
    report: dict[str, Any] = {}
    if conversion is not None:
        daily_query = TotalsQuery(ledger, daily=True)
        if keyed_share:
            daily = ledger.shares_daily(by)
        elif by == "creator":
            daily = daily_query.creators()
        else:
            daily = daily_query.keyed(by)
        convert_rows(groups, cast(list[dict[str, Any]], rows), daily, conversion)
        report["converted_totals"] = convert_totals(
            daily, conversion, lines_of_org=by == "creator" and chosen is None
        )
        report["conversion"] = conversion.described()
    rows.sort(key=_sort_key(sort))
    everyone = by == "creator" and chosen is None  # the org's rows hold each line once
    totals = _totals_from_org_rows(rows) if everyone else _totals_of(rows)
    if limit is not None:  # the first rows of each currency; the totals stay everyone's
        rows = _first_per_currency(rows, limit)
    return cast(
        RevenueReportRead,
        {
            "org": org.slug if org else None,
            "from": period.start,
            "to": period.end,
            "by": by,
            "timezone": zone,
            "rows": rows,
            "totals": totals,
            **report,
        },
    )


def _creator(reader: DirectReader, org: OrgRef | None, name: str, locale: str | None) -> Creator:
    """The creator whose share a report shows: an instructor or one of the org's brands; across
    organizations an instructor only (a brand belongs to one org)."""
    if org is not None:
        return find_creator(reader, org, name, locale, instructor_first=True)
    brand = f"{RecipientKind.BRAND.value}:"
    if name.startswith(brand):
        raise UsageError(
            "--all-orgs reports an instructor across organizations; a brand belongs to one",
            f"name its org instead: --org ORG --creator {name}",
        )
    slug = name.removeprefix(f"{RecipientKind.INSTRUCTOR.value}:")
    profile_id, display_name = find_instructor(reader, slug)
    return Creator(RecipientKind.INSTRUCTOR.value, profile_id, None, slug, display_name)


def _first_per_currency(rows: list[RevenueRow], limit: int) -> list[RevenueRow]:
    kept: list[RevenueRow] = []
    seen: dict[str, int] = {}
    for row in rows:
        seen[row["currency"]] = seen.get(row["currency"], 0) + 1
        if seen[row["currency"]] <= limit:
            kept.append(row)
    return kept


def _sort_key(sort: str) -> Any:
    """Rows per currency, by `sort` (descending figures; keys in order), then key and kind."""

    field = "sales" if sort == "sales" else f"{sort}_minor"

    def key(row: RevenueRow) -> tuple[Any, ...]:
        tie = (row["key"] or "", row.get("kind", ""))
        if sort == "key":
            return (row["currency"], *tie)
        return (row["currency"], -cast(dict[str, int], row)[field], *tie)

    return key


# -- rows ----------------------------------------------------------------------------------------


def _row(key: str | None, label: str, group: Group, kind: str | None = None) -> RevenueRow:
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
    reader: DirectReader, groups: Sequence[Group], org: OrgRef | None, locale: str | None
) -> list[RevenueRow]:
    profile_ids = {g.key[1] for g in groups if g.key[1] is not None}
    brand_ids = {g.key[2] for g in groups if g.key[2] is not None}
    profiles = profile_names(reader, profile_ids)
    brands = brand_names(reader, org, brand_ids, locale)
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
    reader: DirectReader, by: str, groups: Sequence[Group], org: OrgRef | None, locale: str | None
) -> list[RevenueRow]:
    ids = {g.key[0] for g in groups if g.key[0] is not None}
    names: dict[Any, tuple[str, str]]
    if by == "product":
        names = product_names(reader, org, ids, locale)
    elif by == "market":
        names = market_names(reader, org, ids, locale)
    elif by == "brand":
        names = brand_names(reader, org, ids, locale)
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
