"""The queries of a revenue report: over the ledger's running totals per day (`TotalsQuery`,
what reports read) or over the entries themselves (`LedgerQuery`: a creator's share by product,
market or brand, and the exactness tests), each returning one `Group` per key and currency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from volmify_cli.db.direct import DirectReader
from volmify_cli.db.stored import read_day, read_time
from volmify_cli.reports.labels import CREATORS, Creator, OrgRef
from volmify_cli.reports.periods import Period
from volmify_cli.windows import local_date, window_start


@dataclass(frozen=True)
class Group:
    """One aggregated row before labels: the key's ids, currency and sums."""

    key: tuple[Any, ...]
    currency: str
    sales: int
    gross: int
    net: int
    amount: int
    day: dt.date | None = None  # a daily query's day (for conversion at that day's rate)


# The ledger's joins: entries (`e`, one per event of a sales line), their splits (`a`), the item.
ENTRIES = "FROM org_ledger_entry e"
SPLITS = " JOIN org_order_item_allocation a ON a.org_id = e.org_id AND a.entry_id = e.id"
ITEM = " JOIN org_order_item i ON i.org_id = e.org_id AND i.id = e.item_id"
ORDERS = " JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id"
PRIMARY_BRANDS = (
    " LEFT JOIN org_product_brand_attribution b"
    " ON b.org_id = i.org_id AND b.product_id = i.product_id AND b.is_primary"
)


def creator_splits(dialect: str) -> str:
    """The FROM of one creator's splits (`a`) and their entries (`e`), read from the splits:
    the creator's splits lead to their entries. SQLite's planner would start from the period's
    entries (their index on entry_at) and read every split of each, about 20 times slower for
    one creator of many (a year's statement on 200,000 lines: 9 s); a CROSS JOIN keeps the
    order. PostgreSQL plans it from its statistics."""
    join = "CROSS JOIN" if dialect == "sqlite" else "JOIN"
    return (
        f"FROM org_order_item_allocation a {join} org_ledger_entry e"
        " ON e.org_id = a.org_id AND e.id = a.entry_id"
    )


LINE_SUMS = "sum(e.line_count), sum(e.line_gross_minor), sum(e.line_net_minor)"
UTC_MONTH = {  # the UTC month of an entry as YYYY-MM
    "postgresql": "to_char(e.entry_at AT TIME ZONE 'UTC', 'YYYY-MM')",
    "sqlite": "substr(e.entry_at, 1, 7)",  # stored as UTC text starting with YYYY-MM
}
KEYS = {"product": "i.product_id", "market": "o.market_id", "brand": "b.brand_id"}


def dated_within(period: Period) -> tuple[list[str], list[Any]]:
    """The conditions (on `e`, the entries) and parameters of the entries dated in `period`:
    the half-open interval of its inclusive dates (days of its zone)."""
    start, end = period.bounds()
    conditions: list[str] = []
    params: list[Any] = []
    if start is not None:
        conditions.append("e.entry_at >= ?")
        params.append(start)
    if end is not None:
        conditions.append("e.entry_at < ?")
        params.append(end)
    return conditions, params


class LedgerQuery:
    """Builds and runs the one aggregate query of a report."""

    def __init__(
        self,
        reader: DirectReader,
        org: OrgRef | None,
        period: Period,
        currency: str | None,
        creator: Creator | None,
    ) -> None:
        self.reader = reader
        self.org = org
        self.period = period
        self.currency = currency
        self.creator = creator  # only this creator's splits (its share of each line)

    def _source(self, joins: str = "") -> str:
        """The FROM of the entries (`e`) and `joins`; with a creator, of its splits (`a`) first."""
        if self.creator is None:
            return ENTRIES + joins
        return creator_splits(self.reader.dialect) + joins

    def _where(self, *extra: str) -> tuple[str, list[Any]]:
        """The WHERE clause of the report's filters (and `extra` conditions), and its
        parameters."""
        conditions: list[str] = [*extra]
        params: list[Any] = []
        if self.org is not None:
            conditions.append("e.org_id = ?")
            params.append(self.org.id)
        dated, moments = dated_within(self.period)
        conditions += dated
        params += moments
        if self.currency is not None:
            conditions.append("e.currency_code = ?")
            params.append(self.currency)
        if self.creator is not None:
            conditions += ["a.recipient_kind = ?", f"a.{self.creator.column} = ?"]
            params += [self.creator.kind, self.creator.id]
        return (" WHERE " + " AND ".join(conditions) if conditions else ""), params

    def creators(self) -> list[Group]:
        keys = "a.recipient_kind, a.profile_id, a.brand_id, e.currency_code"
        where, params = self._where()
        source = self._source() if self.creator is not None else ENTRIES + SPLITS
        sql = f"SELECT {keys}, {LINE_SUMS}, sum(a.amount_minor) {source}{where} GROUP BY {keys}"
        return [
            # PostgreSQL sums bigint as numeric: back to exact ints
            Group((kind, profile, brand), cur, sales, int(gross), int(net), int(amount))
            for kind, profile, brand, cur, sales, gross, net, amount in self.reader.rows(
                sql, params
            )
        ]

    def keyed(self, by: str) -> list[Group]:
        key, key_params = self._month() if by == "month" else (KEYS[by], [])
        joins = "" if by == "month" else ITEM + (ORDERS if by == "market" else "")
        if by == "brand":
            joins += PRIMARY_BRANDS
        source = self._source(joins)
        # with a creator, its share of each line; else every line whole: the amount is the net
        amount = ", sum(a.amount_minor)" if self.creator is not None else ""
        where, params = self._where()
        currency = "e.currency_code"
        sql = f"SELECT {key}, {currency}, {LINE_SUMS}{amount} {source}{where} GROUP BY 1, 2"
        groups = []
        for value, cur, sales, gross, net, *share in self.reader.rows(sql, key_params + params):
            total = share[0] if share else net
            groups.append(Group((value,), cur, sales, int(gross), int(net), int(total)))
        return groups

    def keyed_per_creator(self, by: str) -> dict[tuple[Any, Any, Any], list[Group]]:
        """What `keyed(by)` gives for each creator's share (product, market or brand), for
        every instructor and brand at once, by `Creator.key`: one pass over the period's
        splits where a report per creator would make one each (statements for everyone)."""
        assert self.creator is None and by in KEYS
        joins = ITEM + (ORDERS if by == "market" else "")
        joins += PRIMARY_BRANDS if by == "brand" else ""
        kinds = ", ".join("?" for _ in CREATORS)
        where, params = self._where(f"a.recipient_kind IN ({kinds})")
        sql = (
            f"SELECT a.recipient_kind, a.profile_id, a.brand_id, {KEYS[by]}, e.currency_code,"
            f" {LINE_SUMS}, sum(a.amount_minor) {ENTRIES}{joins}{SPLITS}{where}"
            " GROUP BY 1, 2, 3, 4, 5"
        )
        found: dict[tuple[Any, Any, Any], list[Group]] = {}
        for kind, profile, brand, value, cur, sales, gross, net, amount in self.reader.rows(
            sql, [*CREATORS, *params]
        ):
            group = Group((value,), cur, sales, int(gross), int(net), int(amount))
            found.setdefault((kind, profile, brand), []).append(group)
        return found

    def shares_daily(self, by: str) -> list[Group]:
        """The creator's share by product, market or brand per day of the report's zone (for a
        conversion at each day's rate): one row per split read, added up here, since SQLite
        knows no time zones. A creator's entries of one period are few."""
        assert by in KEYS and self.creator is not None
        source = self._source(ITEM + (ORDERS if by == "market" else ""))
        if by == "brand":
            source += PRIMARY_BRANDS
        where, params = self._where()
        sql = (
            f"SELECT {KEYS[by]}, e.currency_code, e.entry_at, e.line_count, e.line_gross_minor,"
            f" e.line_net_minor, a.amount_minor {source}{where}"
        )
        groups = []
        for value, cur, at, count, gross, net, amount in self.reader.rows(sql, params):
            day = local_date(_instant(at), self.period.zone)
            groups.append(Group((value,), cur, int(count), int(gross), int(net), int(amount), day))
        return _added(groups)

    def _month(self) -> tuple[str, list[Any]]:
        """The month of an entry (YYYY-MM) in the report's zone, and its parameters: in UTC, read
        off the stored instant; else one CASE over the instants where the zone's months begin,
        from the first to the last entry in the period (the same on both databases)."""
        zone = self.period.zone
        if zone == "UTC":
            return UTC_MONTH[self.reader.dialect], []
        where, params = self._where()
        first, last = self.reader.rows(
            f"SELECT min(e.entry_at), max(e.entry_at) {self._source()}{where}",
            params,
        )[0]
        if first is None:
            return "''", []
        months = local_months(_instant(first), _instant(last), zone)
        # the labels are generated YYYY-MM text, written as literals (a parameter's type is
        # unknown to PostgreSQL in a GROUP BY); the instants are parameters
        cases = " ".join(f"WHEN e.entry_at < ? THEN '{label}'" for (_, label) in months[:-1])
        last_label = f"'{months[-1][1]}'"
        sql = f"CASE {cases} ELSE {last_label} END" if cases else last_label
        return sql, [start for start, _ in months[1:]]


def _instant(value: Any) -> dt.datetime:
    moment = read_time(value)
    assert moment is not None  # an entry is always dated
    return moment


def local_months(first: dt.datetime, last: dt.datetime, zone: str) -> list[tuple[Any, str]]:
    """The months of `zone` from the one holding `first` to the one holding `last`: each with
    the UTC instant it begins and its YYYY-MM."""
    day = local_date(first, zone).replace(day=1)
    end = local_date(last, zone)
    months = []
    while day <= end:
        months.append((window_start(day, zone), f"{day.year:04d}-{day.month:02d}"))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


Span = tuple[str, dt.date | None, dt.date | None]  # "day" or "month", first and last (inclusive)


def spans(period: Period) -> list[Span]:
    """The period as whole months (read per month) and the days at its edges (read per day)."""
    first, last = period.start, period.end
    months_from = first if first is None or first.day == 1 else _next_month(first)
    months_to = last if last is None or _next_day_starts_month(last) else _month_before(last)
    if months_from is not None and months_to is not None and months_from > months_to:
        return [("day", first, last)]  # no whole month inside
    found: list[Span] = []
    if first is not None and months_from is not None and first < months_from:
        found.append(("day", first, months_from - dt.timedelta(days=1)))
    found.append(("month", months_from, months_to and months_to.replace(day=1)))
    if last is not None and months_to is not None and months_to < last:
        found.append(("day", months_to + dt.timedelta(days=1), last))
    return found


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _next_day_starts_month(day: dt.date) -> bool:
    return day == dt.date.max or (day + dt.timedelta(days=1)).day == 1


def _month_before(day: dt.date) -> dt.date:
    """The last day of the month before `day`'s."""
    return day.replace(day=1) - dt.timedelta(days=1)


class TotalsQuery:
    """The report's query over the running totals (`org_revenue_month_*` for the period's whole
    months, `org_revenue_day_*` for the days at its edges, or per day with `daily`): a row per
    month or day and key, not per entry and recipient. The spans' groups are added up."""

    def __init__(self, ledger: LedgerQuery, *, daily: bool = False) -> None:
        self.ledger = ledger
        self.reader = ledger.reader
        self.daily = daily  # one group per key and day, not per key
        period = ledger.period
        self.spans = [("day", period.start, period.end)] if daily else spans(period)

    def _day(self, value: Any) -> dt.date | None:
        if not self.daily:
            return None
        return read_day(value)

    def _where(self, recipients: bool, span: Span) -> tuple[str, list[Any]]:
        q = self.ledger
        column, first, last = span
        conditions: list[str] = []
        params: list[Any] = []
        if q.org is not None:
            conditions.append("r.org_id = ?")
            params.append(q.org.id)
        sqlite = self.reader.dialect == "sqlite"
        bounds = [(f"r.{column} >= ?", first), (f"r.{column} <= ?", last)]
        if column == "day":  # a day's row is keyed by its month first: bound the months too
            bounds += [("r.month >= ?", first and first.replace(day=1)),
                       ("r.month <= ?", last and last.replace(day=1))]  # fmt: skip
        for condition, day in bounds:
            if day is not None:
                conditions.append(condition)
                params.append(day.isoformat() if sqlite else day)
        if q.currency is not None:
            conditions.append("r.currency_code = ?")
            params.append(q.currency)
        if recipients and q.creator is not None:
            conditions += ["r.recipient_kind = ?", f"r.{q.creator.column} = ?"]
            params += [q.creator.kind, q.creator.id]
        return (" WHERE " + " AND ".join(conditions) if conditions else ""), params

    def creators(self) -> list[Group]:
        groups = []
        for span in self.spans:
            keys = "r.recipient_kind, r.profile_id, r.brand_id, r.currency_code"
            keys += ", r.day" if self.daily else ""
            where, params = self._where(True, span)
            sql = (
                f"SELECT {keys}, {TOTAL_SUMS}, sum(r.amount_minor)"
                f" FROM org_revenue_{span[0]}_recipient r{where} GROUP BY {keys}"
            )
            for row in self.reader.rows(sql, params):
                kind, profile, brand, cur, *day = row[:5] if self.daily else row[:4]
                sales, gross, net, amount = row[-4:]
                groups.append(
                    Group((kind, profile, brand), cur, int(sales), int(gross), int(net),
                          int(amount), self._day(day[0]) if day else None)
                )  # fmt: skip
        return _added(groups)

    def keyed(self, by: str) -> list[Group]:
        shared = self.ledger.creator is not None  # only the month view: see revenue_report
        groups = []
        for span in self.spans:
            period = span[0]
            if by == "month":
                key = MONTH_OF[self.reader.dialect].format(period)
                name = "recipient" if shared else "market"
                source = f"org_revenue_{period}_{name} r"
            elif by == "brand":
                key = "b.brand_id"
                source = f"org_revenue_{period}_product r" + TOTALS_PRIMARY_BRANDS
            else:
                key, source = f"r.{by}_id", f"org_revenue_{period}_{by} r"
            amount = ", sum(r.amount_minor)" if shared else ""
            where, params = self._where(shared, span)
            sums = f"{TOTAL_SUMS}{amount}"
            day, grouped = (", r.day", "GROUP BY 1, 2, 3") if self.daily else ("", "GROUP BY 1, 2")
            sql = f"SELECT {key}, r.currency_code{day}, {sums} FROM {source}{where} {grouped}"
            for row in self.reader.rows(sql, params):
                value, cur, *rest = row
                on = rest.pop(0) if self.daily else None
                sales, gross, net, *share = rest
                total = share[0] if share else net
                groups.append(
                    Group((value,), cur, int(sales), int(gross), int(net), int(total),
                          self._day(on))
                )  # fmt: skip
        return _added(groups)


def _added(groups: list[Group]) -> list[Group]:
    """The groups of several spans added up per key, currency (and day)."""
    found: dict[tuple[Any, ...], Group] = {}
    for group in groups:
        key = (group.key, group.currency, group.day)
        held = found.get(key)
        found[key] = group if held is None else Group(
            group.key, group.currency, held.sales + group.sales, held.gross + group.gross,
            held.net + group.net, held.amount + group.amount, group.day,
        )  # fmt: skip
    return list(found.values())


TOTAL_SUMS = "sum(r.line_count), sum(r.gross_minor), sum(r.net_minor)"
TOTALS_PRIMARY_BRANDS = (
    " LEFT JOIN org_product_brand_attribution b"
    " ON b.org_id = r.org_id AND b.product_id = r.product_id AND b.is_primary"
)
MONTH_OF = {  # the month of a stored day or month (of the org's zone) as YYYY-MM
    "postgresql": "to_char(r.{}, 'YYYY-MM')",
    "sqlite": "substr(r.{}, 1, 7)",
}
