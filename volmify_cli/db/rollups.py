"""The ledger's running totals (SPEC 7, revision 2: reports read aggregates kept up to date, not
the ledger): per month of the org's time zone (`month`: its first day) and currency, what the
entries dated that month add, by product, by market and by recipient (`org_revenue_month_*`). A
report reads its period's whole months here and adds up the entries of the days at its edges
(`reports/revenue_queries`); a conversion, which needs each day, adds up the entries per day
(`day_of_entry`). Day totals were kept too until migration 0029: about one row per sales line
(a day, a product, a currency), which made recording a sale a third slower for reports that
read the edges' entries just as fast.

The writers of entries add their deltas here (`RollupDeltas`) and upsert them in the same
transaction as the entries (`write_totals`), so a report never sees one without the other.
`rebuild` recomputes an org's totals from its entries: after a migration, or when the org's time
zone changes (its months move). Plain SQL on the connection: the migration that creates the
tables uses it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from volmify_cli.windows import local_date

if TYPE_CHECKING:
    from volmify_cli.db.bulk import Bulk

Execute = Callable[[str, Sequence[Sequence[Any]]], None]  # one statement, many rows (`?` marks)
Split = tuple[str, str | None, str | None, int, int]  # kind, profile, brand, share, amount

PRODUCTS, MARKETS, RECIPIENTS = (
    "org_revenue_month_product",
    "org_revenue_month_market",
    "org_revenue_month_recipient",
)
TABLES = (PRODUCTS, MARKETS, RECIPIENTS)
_LINE = ("line_count", "gross_minor", "net_minor")


def _upsert(table: str, keys: Sequence[str], sums: Sequence[str], extra: Sequence[str] = ()) -> str:
    columns = [*keys, *extra, *sums]
    added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sums)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}"
    )


UPSERTS = {
    PRODUCTS: _upsert(PRODUCTS, ("org_id", "month", "currency_code", "product_id"), _LINE),
    MARKETS: _upsert(MARKETS, ("org_id", "month", "currency_code", "market_id"), _LINE),
    RECIPIENTS: _upsert(
        RECIPIENTS,
        ("org_id", "month", "currency_code", "recipient_kind", "recipient_key"),
        (*_LINE, "amount_minor"),
        ("profile_id", "brand_id"),
    ),
}


def _hex(value: Any) -> Any:
    return getattr(value, "hex", value)


class RollupDeltas:
    """What a batch of entries adds to the running totals, summed per key (keyed by the first
    day of the month)."""

    def __init__(self) -> None:
        self.products: dict[tuple[Any, ...], list[int]] = {}
        self.markets: dict[tuple[Any, ...], list[int]] = {}
        self.recipients: dict[tuple[Any, ...], list[int]] = {}
        self._months: dict[dt.date, dt.date] = {}  # a day's month, made once per day

    def __bool__(self) -> bool:
        return bool(self.products or self.markets or self.recipients)

    def __len__(self) -> int:
        return len(self.products) + len(self.markets) + len(self.recipients)

    def month_of(self, day: dt.date) -> dt.date:
        month = self._months.get(day)
        if month is None:
            month = self._months[day] = day.replace(day=1)
        return month

    def add(
        self, day: dt.date, currency: str, product: str, market: str, figures: Sequence[int],
        splits: Iterable[Split],
    ) -> None:  # fmt: skip
        """One entry dated `day`: its sales-line figures (count, gross, net) and its splits (ids
        as 32 hex digits). Runs for every entry a sales import records: written out, not looped."""
        count, gross, net = figures
        month = self.month_of(day)
        key = (month, currency, product)
        sums = self.products.get(key)
        if sums is None:
            self.products[key] = [count, gross, net]
        else:
            sums[0] += count
            sums[1] += gross
            sums[2] += net
        key = (month, currency, market)
        sums = self.markets.get(key)
        if sums is None:
            self.markets[key] = [count, gross, net]
        else:
            sums[0] += count
            sums[1] += gross
            sums[2] += net
        recipients = self.recipients
        for kind, profile, brand, _share, amount in splits:
            recipient = (month, currency, kind, profile, brand)
            sums = recipients.get(recipient)
            if sums is None:
                recipients[recipient] = [count, gross, net, amount]
            else:
                sums[0] += count
                sums[1] += gross
                sums[2] += net
                sums[3] += amount

    def add_read(self, totals: dict[tuple[Any, ...], list[int]], key: tuple[Any, ...],
                 sums: Sequence[Any]) -> None:  # fmt: skip
        """What a query over the entries found for `key` (its day first; ids as read), added to
        `totals` (one of this object's three) in its month."""
        day, *rest = key
        key = (self.month_of(day), *(_hex(value) for value in rest))
        held = totals.get(key)
        if held is None:
            totals[key] = [int(value) for value in sums]  # PostgreSQL sums bigint as numeric
        else:
            for index, value in enumerate(sums):
                held[index] += int(value)


def delta_rows(
    org_id: str, deltas: RollupDeltas, date_value: Callable[[dt.date], Any]
) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of `deltas` per table, in the columns of its upsert."""
    months = {key[0] for totals in (deltas.products, deltas.markets, deltas.recipients)
              for key in totals}  # fmt: skip
    on = {month: date_value(month) for month in months}  # each converted once, not per row
    return {
        PRODUCTS: [(org_id, on[m], c, p, *s) for (m, c, p), s in deltas.products.items()],
        MARKETS: [(org_id, on[m], c, k, *s) for (m, c, k), s in deltas.markets.items()],
        RECIPIENTS: [
            (org_id, on[m], c, kind, profile or brand or "", profile, brand, *s)
            for (m, c, kind, profile, brand), s in deltas.recipients.items()
        ],
    }


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


# -- the day of an entry, in SQL ------------------------------------------------------------------

# SQLite knows no time zones: entries are grouped per UTC quarter-hour (every zone's offset is a
# multiple of 15 minutes), and each quarter is given its local day in Python (`entry_day`).
SQLITE_QUARTER = (
    "substr(e.entry_at, 1, 13) || ':' || (CAST(substr(e.entry_at, 15, 2) AS INTEGER) / 15)"
)


def day_of_entry(dialect: str, zone: str) -> tuple[str, list[Any]]:
    """The SQL that groups entries (`e`) by their day of `zone`, and its parameters: a day (or
    on SQLite outside UTC a quarter-hour) that `entry_day` turns into the day."""
    if dialect == "postgresql":
        return "(e.entry_at AT TIME ZONE ?)::date", [zone]
    return ("substr(e.entry_at, 1, 10)" if zone == "UTC" else SQLITE_QUARTER), []


def entry_day(value: Any, dialect: str, zone: str) -> dt.date:
    """The day of `zone` of a group of `day_of_entry`."""
    if isinstance(value, dt.date):
        return value
    if dialect == "sqlite" and zone != "UTC":
        hour, _, quarter = value.partition(":")
        moment = dt.datetime.fromisoformat(hour + ":00").replace(tzinfo=dt.UTC)
        return local_date(moment + dt.timedelta(minutes=15 * int(quarter)), zone)
    return dt.date.fromisoformat(value)


# -- rebuilding from the entries -----------------------------------------------------------------

ENTRY_SOURCE = (
    "FROM org_ledger_entry e JOIN org_order_item i ON i.org_id = e.org_id AND i.id = e.item_id"
)
SPLIT_SOURCE = (
    "FROM org_ledger_entry e JOIN org_order_item_allocation a"
    " ON a.org_id = e.org_id AND a.entry_id = e.id"
)


def rebuild(
    rows: Callable[[str, Sequence[Any]], list[Any]],
    execute: Execute,
    dialect: str,
    org_id: Any,
    zone: str,
    date_value: Callable[[dt.date], Any],
) -> None:
    """Recompute org `org_id`'s totals from its entries, with the months of `zone`. `rows` runs a
    query (`?` marks); `execute` runs one statement for many rows."""
    for table in TABLES:
        execute(f"DELETE FROM {table} WHERE org_id = ?", [(org_id,)])
    day, day_params = day_of_entry(dialect, zone)
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
            [*day_params, org_id],
        ):
            on = entry_day(bucket, dialect, zone)
            deltas.add_read(target, (on, currency, value), (count, gross, net))
    for bucket, currency, kind, profile, brand, count, gross, net, amount in rows(
        f"SELECT {day}, e.currency_code, a.recipient_kind, a.profile_id, a.brand_id, {lines},"
        f" sum(a.amount_minor) {SPLIT_SOURCE} WHERE e.org_id = ? GROUP BY 1, 2, 3, 4, 5",
        [*day_params, org_id],
    ):
        on = entry_day(bucket, dialect, zone)
        deltas.add_read(
            deltas.recipients, (on, currency, kind, profile, brand), (count, gross, net, amount)
        )
    write_deltas(execute, _hex(org_id), deltas, date_value)
