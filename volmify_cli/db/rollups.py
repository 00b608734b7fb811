"""The ledger's running totals (SPEC 7, revision 2: reports read aggregates kept up to date, not
the ledger): per day of the org's time zone and currency, what the entries dated that day add,
by product, by market and by recipient (`org_revenue_day_*`), and the same per month
(`org_revenue_month_*`, `month` its first day): a report reads whole months from these and only
the days at a period's edges from the days.

Why the days are kept: they hold about a row per sales line (a day, a product and a currency
rarely repeat), and writing them is about a fifth of a large sales import on SQLite and a
quarter on PostgreSQL. Without them a period that starts or ends inside a month adds up the
entries of those days: 1.6 s on a 1,000,000-line ledger against 0.12 s for whole months, over
SPEC 7's budget for reports (measured, then reverted, in the 2026-12-07 session).

The writers of entries add their deltas here (`RollupDeltas`) and upsert them in the same
transaction as the entries (`write_deltas`), so a report never sees one without the other.
`rebuild` recomputes an org's totals from its entries: after a migration, or when the org's time
zone changes (its days move). Plain SQL on the connection: the migration that creates the tables
(0017) adds up the entries with `recomputed` too, and writes them in the tables' first shape.

A day's row is part of its month's row: it is keyed by the month's key and then the day, and one
cascading reference to the month's row vouches for its org, currency and product, market or
recipient (models/sales.py). So the months are written before the days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from volmify_cli.ids import hex_of
from volmify_cli.windows import local_date

if TYPE_CHECKING:
    from volmify_cli.db.bulk import Bulk

Execute = Callable[[str, Sequence[Sequence[Any]]], None]  # one statement, many rows (`?` marks)
Split = tuple[str, str | None, str | None, int, int]  # kind, profile, brand, share, amount

PRODUCTS, MARKETS, RECIPIENTS = (
    "org_revenue_day_product",
    "org_revenue_day_market",
    "org_revenue_day_recipient",
)
DAY_TABLES = (PRODUCTS, MARKETS, RECIPIENTS)
MONTH_TABLES = {table: table.replace("_day_", "_month_") for table in DAY_TABLES}
_LINE = ("line_count", "gross_minor", "net_minor")
_KEYS = {
    PRODUCTS: ("currency_code", "product_id"),
    MARKETS: ("currency_code", "market_id"),
    RECIPIENTS: ("currency_code", "recipient_kind", "recipient_key"),
}


def _upsert(table: str, keys: Sequence[str], sums: Sequence[str], extra: Sequence[str] = ()) -> str:
    columns = [*keys, *extra, *sums]
    added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sums)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}"
    )


def _upserts(period: str, name: Callable[[str], str]) -> dict[str, str]:
    """The upserts of the tables per `period` (day or month), keyed by the day table's name. A
    day's row is keyed as its month's, and then by its day (its reference to the month's row
    leads its key)."""
    day = ("day",) if period == "day" else ()
    return {
        table: _upsert(
            name(table),
            ("org_id", "month", *_KEYS[table], *day),
            (*_LINE, "amount_minor") if table == RECIPIENTS else _LINE,
            ("profile_id", "brand_id") if table == RECIPIENTS else (),
        )
        for table in DAY_TABLES
    }


# the months' first: a day's row references its month's
UPSERTS = {
    MONTH_TABLES[table]: sql for table, sql in _upserts("month", MONTH_TABLES.__getitem__).items()
} | _upserts("day", str)


class RollupDeltas:
    """What a batch of entries adds to the running totals, summed per key."""

    def __init__(self) -> None:
        self.products: dict[tuple[Any, ...], list[int]] = {}
        self.markets: dict[tuple[Any, ...], list[int]] = {}
        self.recipients: dict[tuple[Any, ...], list[int]] = {}

    def __bool__(self) -> bool:
        return bool(self.products or self.markets or self.recipients)

    def __len__(self) -> int:
        return len(self.products) + len(self.markets) + len(self.recipients)

    def add(
        self, day: dt.date, currency: str, product: str, market: str, figures: Sequence[int],
        splits: Iterable[Split],
    ) -> None:  # fmt: skip
        """One entry dated `day`: its sales-line figures (count, gross, net) and its splits (ids
        as 32 hex digits). Runs for every entry a sales import records: written out, not looped."""
        count, gross, net = figures
        key = (day, currency, product)
        sums = self.products.get(key)
        if sums is None:
            self.products[key] = [count, gross, net]
        else:
            sums[0] += count
            sums[1] += gross
            sums[2] += net
        key = (day, currency, market)
        sums = self.markets.get(key)
        if sums is None:
            self.markets[key] = [count, gross, net]
        else:
            sums[0] += count
            sums[1] += gross
            sums[2] += net
        recipients = self.recipients
        for kind, profile, brand, _share, amount in splits:
            recipient = (day, currency, kind, profile, brand)
            sums = recipients.get(recipient)
            if sums is None:
                recipients[recipient] = [count, gross, net, amount]
            else:
                sums[0] += count
                sums[1] += gross
                sums[2] += net
                sums[3] += amount

    def add_recipient(
        self, day: dt.date, currency: str, kind: str, profile: Any, brand: Any,
        sums: Sequence[int],
    ) -> None:  # fmt: skip
        """What a recipient's splits dated `day` add (ids as read from the database)."""
        self.add_sums(self.recipients, (day, currency, kind, hex_of(profile), hex_of(brand)), sums)

    @staticmethod
    def add_sums(totals: dict[tuple[Any, ...], list[int]], key: tuple[Any, ...],
                 sums: Sequence[int]) -> None:  # fmt: skip
        held = totals.get(key)
        if held is None:
            totals[key] = list(sums)
        else:
            for index, value in enumerate(sums):
                held[index] += value


def by_month(totals: dict[tuple[Any, ...], list[int]]) -> dict[tuple[Any, ...], list[int]]:
    """Day totals added up per month (keyed by the month's first day)."""
    months: dict[tuple[Any, ...], list[int]] = {}
    first_days: dict[dt.date, dt.date] = {}
    for (day, *rest), sums in totals.items():
        month = first_days.get(day)
        if month is None:
            month = first_days[day] = day.replace(day=1)
        RollupDeltas.add_sums(months, (month, *rest), sums)
    return months


def delta_rows(
    org_id: str, deltas: RollupDeltas, date_value: Callable[[dt.date], Any]
) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of `deltas` per table, in the columns of its upsert: the months' first (a day's
    row references its month's row, which must exist when the day's is written), then the
    days' (keyed by their month's first day, then the day)."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for period in (by_month, None):
        products, markets = deltas.products, deltas.markets
        recipients = deltas.recipients
        if period is not None:
            products, markets, recipients = period(products), period(markets), period(recipients)
        # a few hundred days or months, each converted once (not once per row)
        days = {key[0] for table in (products, markets, recipients) for key in table}
        on = {day: date_value(day) for day in days}
        month = {day: date_value(day.replace(day=1)) for day in days}
        tail: dict[dt.date, tuple[Any, ...]]
        if period is not None:  # a month's row: (org, month, key ...)
            named, tail = MONTH_TABLES.__getitem__, dict.fromkeys(days, ())
        else:  # a day's row: (org, its month, key ..., day)
            named, tail = str, {day: (on[day],) for day in days}
        rows[named(PRODUCTS)] = [(org_id, month[d], c, p, *tail[d], *s)
                                 for (d, c, p), s in products.items()]  # fmt: skip
        rows[named(MARKETS)] = [(org_id, month[d], c, m, *tail[d], *s)
                                for (d, c, m), s in markets.items()]  # fmt: skip
        rows[named(RECIPIENTS)] = [
            (org_id, month[d], c, kind, profile or brand or "", *tail[d], profile, brand, *s)
            for (d, c, kind, profile, brand), s in recipients.items()
        ]
    return rows


def write_deltas(
    execute: Execute, org_id: str, deltas: RollupDeltas, date_value: Callable[[dt.date], Any]
) -> None:
    """Upsert `deltas` of org `org_id` (32 hex digits), one statement per row."""
    if not deltas:
        return
    for table, rows in delta_rows(org_id, deltas, date_value).items():
        execute(UPSERTS[table], rows)


def write_totals(bulk: Bulk, org_id: str, deltas: RollupDeltas) -> None:
    """Upsert `deltas` on the bulk writer's connection: one executemany per table on SQLite; on
    PostgreSQL one COPY into a temporary table and one INSERT ... ON CONFLICT per table (an
    upsert per row would be a round of FK checks and a statement per key)."""
    if not deltas:
        return
    rows = delta_rows(org_id, deltas, bulk.date_value)
    if bulk.sqlite:
        for table, values in rows.items():
            bulk.execute_many(UPSERTS[table], values)
        return
    for table, values in rows.items():
        staging = f"staging_{table}"
        bulk.execute_many(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging}"
            f" (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP",
            [()],
        )
        bulk.execute_many(f"TRUNCATE {staging}", [()])
        bulk.insert(staging, upsert_columns(table), values)
        bulk.execute_many(copied_upsert(table, staging), [()])


def copied_upsert(table: str, staging: str) -> str:
    """The upsert of every row of `staging` (a temporary copy of `table`'s columns) into
    `table`: PostgreSQL takes the rows in one COPY and one statement."""
    head, _, conflict = UPSERTS[table].partition(" ON CONFLICT ")
    columns = head[head.index("(") + 1 : head.index(")")]
    return f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} ON CONFLICT {conflict}"


def upsert_columns(table: str) -> list[str]:
    head = UPSERTS[table].partition(" ON CONFLICT ")[0]
    return [c.strip() for c in head[head.index("(") + 1 : head.index(")")].split(",")]


# -- rebuilding from the entries -----------------------------------------------------------------

ENTRY_SOURCE = (
    "FROM org_ledger_entry e JOIN org_order_item i ON i.org_id = e.org_id AND i.id = e.item_id"
)
SPLIT_SOURCE = (
    "FROM org_ledger_entry e JOIN org_order_item_allocation a"
    " ON a.org_id = e.org_id AND a.entry_id = e.id"
)
# SQLite knows no time zones: entries are grouped per UTC quarter-hour (every zone's offset is a
# multiple of 15 minutes), and each quarter is given its local day in Python.
SQLITE_QUARTER = (
    "substr(e.entry_at, 1, 13) || ':' || (CAST(substr(e.entry_at, 15, 2) AS INTEGER) / 15)"
)


def _day_sql(dialect: str, zone: str) -> str:
    if dialect == "postgresql":
        return "(e.entry_at AT TIME ZONE ?)::date"
    return "substr(e.entry_at, 1, 10)" if zone == "UTC" else SQLITE_QUARTER


def _day_of(value: Any, dialect: str, zone: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if dialect == "sqlite" and zone != "UTC":
        hour, _, quarter = value.partition(":")
        moment = dt.datetime.fromisoformat(hour + ":00").replace(tzinfo=dt.UTC)
        return local_date(moment + dt.timedelta(minutes=15 * int(quarter)), zone)
    return dt.date.fromisoformat(value)


def rebuild(
    rows: Callable[[str, Sequence[Any]], list[Any]],
    execute: Execute,
    dialect: str,
    org_id: Any,
    zone: str,
    date_value: Callable[[dt.date], Any],
) -> None:
    """Recompute org `org_id`'s totals from its entries, with the days of `zone`. `rows` runs a
    query (`?` marks); `execute` runs one statement for many rows."""
    for table in (*DAY_TABLES, *MONTH_TABLES.values()):
        execute(f"DELETE FROM {table} WHERE org_id = ?", [(org_id,)])
    write_deltas(execute, hex_of(org_id), recomputed(rows, dialect, org_id, zone), date_value)


def recomputed(
    rows: Callable[[str, Sequence[Any]], list[Any]], dialect: str, org_id: Any, zone: str
) -> RollupDeltas:
    """What org `org_id`'s entries add up to per day of `zone` (`rows` runs a query with `?`
    marks). Migration 0017 writes them in the tables' first shape."""
    day = _day_sql(dialect, zone)
    zone_params = [zone] if dialect == "postgresql" else []
    lines = "sum(e.line_count), sum(e.line_gross_minor), sum(e.line_net_minor)"
    deltas = RollupDeltas()
    for source, key, target in (
        (ENTRY_SOURCE, "i.product_id", deltas.products),
        (
            ENTRY_SOURCE + " JOIN org_order o ON o.org_id = i.org_id AND o.id = i.order_id",
            "o.market_id",
            deltas.markets,
        ),
    ):
        for bucket, currency, value, count, gross, net in rows(
            f"SELECT {day}, e.currency_code, {key}, {lines} {source} WHERE e.org_id = ?"
            f" GROUP BY 1, 2, 3",
            [*zone_params, org_id],
        ):
            sums = target.setdefault((_day_of(bucket, dialect, zone), currency, hex_of(value)),
                                     [0, 0, 0])  # fmt: skip
            for index, amount in enumerate((count, gross, net)):
                sums[index] += int(amount)
    for bucket, currency, kind, profile, brand, count, gross, net, amount in rows(
        f"SELECT {day}, e.currency_code, a.recipient_kind, a.profile_id, a.brand_id, {lines},"
        f" sum(a.amount_minor) {SPLIT_SOURCE} WHERE e.org_id = ? GROUP BY 1, 2, 3, 4, 5",
        [*zone_params, org_id],
    ):
        deltas.add_recipient(
            _day_of(bucket, dialect, zone), currency, kind, profile, brand,
            (int(count), int(gross), int(net), int(amount)),
        )  # fmt: skip
    return deltas
