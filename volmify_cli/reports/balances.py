"""What the org owes its creators (SPEC 5): per instructor or brand and currency, what its
ledger entries earned, what was paid out, and owed = earned - paid, exactly in minor units.
Amounts of different currencies are never added.

`--at DATE` counts what was earned and paid up to the end of that date (a day of the org's
time zone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypedDict, cast

from volmify_cli.db.direct import DirectReader
from volmify_cli.db.stored import read_day, read_time
from volmify_cli.enums import RecipientKind
from volmify_cli.money import format_amount
from volmify_cli.reports.conversion import Converter
from volmify_cli.reports.labels import (
    CREATORS,
    Creator,
    OrgRef,
    brand_names,
    find_creator,
    find_org,
    profile_names,
)
from volmify_cli.reports.revenue import money_fields
from volmify_cli.reports.revenue_queries import ENTRIES, SPLITS, creator_splits
from volmify_cli.windows import local_date, window_end


class BalanceRow(TypedDict):
    key: str
    label: str
    kind: str
    currency: str
    earned_minor: int
    earned: str
    paid_minor: int
    paid: str
    owed_minor: int
    owed: str


class BalanceRead(TypedDict):
    org: str
    at: dt.date | None
    timezone: str  # whose day `at` is (the org's)
    rows: list[BalanceRow]


def end_of(day: dt.date | None, zone: str = "UTC") -> dt.datetime | None:
    """The first moment after `day` (a day of `zone`): `--at DATE` counts the whole date."""
    return window_end(day, zone)


Key = tuple[str, Any, Any, str]  # kind, profile id, brand id, currency


def _sums(
    reader: DirectReader, sql: str, params: list[Any], alias: str, creator: Creator | None,
    currency: str,
) -> dict[Key, int]:  # fmt: skip
    """`sql` (a FROM ... WHERE ... over a table aliased `alias`) summed per creator and
    currency (the column `currency`)."""
    if creator is not None:
        sql += f" AND {alias}.recipient_kind = ? AND {alias}.{creator.column} = ?"
        params = [*params, creator.kind, creator.id]
    keys = ", ".join([*(f"{alias}.{c}" for c in ("recipient_kind", "profile_id", "brand_id")),
                      currency])  # fmt: skip
    return {
        (kind, profile, brand, currency): int(total)  # PostgreSQL sums bigint as numeric
        for kind, profile, brand, currency, total in reader.rows(
            f"SELECT {keys}, sum({alias}.amount_minor) {sql} GROUP BY {keys}", params
        )
    }


def balance_sums(
    reader: DirectReader, org: OrgRef, *, creator: Creator | None = None, before: Any = None
) -> tuple[dict[Key, int], dict[Key, int]]:
    """(earned, paid) per creator and currency, of what is dated before `before` (all without)."""
    kinds = ", ".join("?" for _ in CREATORS)
    source = f"{ENTRIES}{SPLITS}" if creator is None else creator_splits(reader.dialect)
    earned_sql = f"{source} WHERE e.org_id = ? AND a.recipient_kind IN ({kinds})"
    earned_params: list[Any] = [org.id, *CREATORS]
    paid_sql = "FROM org_payout p WHERE p.org_id = ?"
    paid_params: list[Any] = [org.id]
    if before is not None:
        earned_sql += " AND e.entry_at < ?"
        earned_params.append(before)
        paid_sql += " AND p.paid_at < ?"
        paid_params.append(before)
    earned = _sums(reader, earned_sql, earned_params, "a", creator, "e.currency_code")
    paid = _sums(reader, paid_sql, paid_params, "p", creator, "p.currency_code")
    return earned, paid


def balance_totals(
    reader: DirectReader, org: OrgRef, *, creator: Creator | None = None,
    through: dt.date | None = None,
) -> tuple[dict[Key, int], dict[Key, int]]:  # fmt: skip
    """What `balance_sums` adds up from the entries, read from the running totals: (earned,
    paid) per creator and currency up to the end of day `through` of the org's zone (all
    without). Earned is the whole months before `through`'s (`org_revenue_month_recipient`),
    then the days of its month up to it (`org_revenue_day_recipient`); paid, the payouts. A
    row per creator, currency and month or day, where the entries are a row per split (the
    exactness test holds the two equal)."""
    kinds = ", ".join("?" for _ in CREATORS)
    sqlite = reader.dialect == "sqlite"
    base = ["r.org_id = ?", f"r.recipient_kind IN ({kinds})"]
    spans: list[tuple[str, list[str], list[Any]]] = []
    if through is None:
        spans.append(("month", base, [org.id, *CREATORS]))
    else:
        month = through.replace(day=1)
        month_value, day_value = (month.isoformat(), through.isoformat()) if sqlite else (
            month, through
        )  # fmt: skip
        spans.append(("month", [*base, "r.month < ?"], [org.id, *CREATORS, month_value]))
        spans.append(("day", [*base, "r.month = ?", "r.day <= ?"],
                      [org.id, *CREATORS, month_value, day_value]))  # fmt: skip
    earned: dict[Key, int] = {}
    for table, conditions, params in spans:
        sql = f"FROM org_revenue_{table}_recipient r WHERE {' AND '.join(conditions)}"
        for key, value in _sums(reader, sql, params, "r", creator, "r.currency_code").items():
            earned[key] = earned.get(key, 0) + value
    paid_sql = "FROM org_payout p WHERE p.org_id = ?"
    paid_params: list[Any] = [org.id]
    if through is not None:
        paid_sql += " AND p.paid_at < ?"
        paid_params.append(end_of(through, org.timezone))
    return earned, _sums(reader, paid_sql, paid_params, "p", creator, "p.currency_code")


def creator_balances(
    reader: DirectReader,
    *,
    org_slug: str,
    creator: str | None = None,
    at: dt.date | None = None,
    locale: str | None = None,
    conversion: Converter | None = None,
) -> BalanceRead:
    """Earned, paid and owed per creator and currency (one creator with `creator`), up to the
    end of `at`; with `conversion`, each also in its currency (every earning at the rate of its
    day, every payout at the rate of the day it was paid). Raises NotFoundError, UsageError."""
    org = find_org(reader, org_slug)
    chosen = find_creator(reader, org, creator) if creator is not None else None
    earned, paid = balance_totals(reader, org, creator=chosen, through=at)
    daily = daily_sums(reader, org, at) if conversion is not None else None
    labels = _labels(reader, org, [*earned, *paid], locale)
    rows = []
    for key in {*earned, *paid}:
        kind, _profile, _brand, currency = key
        slug, label = labels[key[:3]]
        row: dict[str, Any] = {"key": slug, "label": label, "kind": kind, "currency": currency}
        row |= money_fields("earned", earned.get(key, 0), currency)
        row |= money_fields("paid", paid.get(key, 0), currency)
        row |= money_fields("owed", earned.get(key, 0) - paid.get(key, 0), currency)
        if conversion is not None and daily is not None:
            row |= _converted(daily, key, conversion)
        rows.append(cast(BalanceRow, row))
    rows.sort(key=lambda r: (r["currency"], -r["owed_minor"], r["key"], r["kind"]))
    read: dict[str, Any] = {"org": org.slug, "at": at, "timezone": org.timezone, "rows": rows}
    if conversion is not None:
        read["conversion"] = conversion.described()
    return cast(BalanceRead, read)


Daily = tuple[dict[Key, list[tuple[int, dt.date]]], dict[Key, list[tuple[int, dt.date]]]]


def daily_sums(reader: DirectReader, org: OrgRef, at: dt.date | None) -> Daily:
    """Per creator and currency: what it earned each day (the running totals) and each payout
    with its day, up to the end of `at` (days of the org's zone)."""
    kinds = ", ".join("?" for _ in CREATORS)
    params: list[Any] = [org.id, *CREATORS]
    sql = (
        "SELECT r.recipient_kind, r.profile_id, r.brand_id, r.currency_code, r.day,"
        " sum(r.amount_minor) FROM org_revenue_day_recipient r"
        f" WHERE r.org_id = ? AND r.recipient_kind IN ({kinds})"
    )
    if at is not None:  # a day's row is keyed by its month first: bound the months too
        sql += " AND r.month <= ? AND r.day <= ?"
        for day in (at.replace(day=1), at):
            params.append(day.isoformat() if reader.dialect == "sqlite" else day)
    earned: dict[Key, list[tuple[int, dt.date]]] = {}
    for kind, profile, brand, currency, day, amount in reader.rows(
        sql + " GROUP BY 1, 2, 3, 4, 5", params
    ):
        when = read_day(day)
        assert when is not None
        earned.setdefault((kind, profile, brand, currency), []).append((int(amount), when))
    paid_sql = (
        "SELECT p.recipient_kind, p.profile_id, p.brand_id, p.currency_code, p.paid_at,"
        " p.amount_minor FROM org_payout p WHERE p.org_id = ?"
    )
    paid_params: list[Any] = [org.id]
    if at is not None:
        paid_sql += " AND p.paid_at < ?"
        paid_params.append(end_of(at, org.timezone))
    paid: dict[Key, list[tuple[int, dt.date]]] = {}
    for kind, profile, brand, currency, paid_at, amount in reader.rows(paid_sql, paid_params):
        moment = read_time(paid_at)
        assert moment is not None  # a payout is always dated
        day = local_date(moment, org.timezone)
        paid.setdefault((kind, profile, brand, currency), []).append((int(amount), day))
    return earned, paid


def _converted(daily: Daily, key: Key, conversion: Converter) -> dict[str, Any]:
    currency = key[3]
    earned = conversion.convert((a, currency, d) for a, d in daily[0].get(key, []))
    paid = conversion.convert((a, currency, d) for a, d in daily[1].get(key, []))
    fields: dict[str, Any] = {"converted_currency": conversion.currency}
    for name, value in (("earned", earned), ("paid", paid), ("owed", earned - paid)):
        fields[f"converted_{name}_minor"] = value
        fields[f"converted_{name}"] = format_amount(value, conversion.currency)
    return fields


def _labels(
    reader: DirectReader, org: OrgRef, keys: Iterable[Key], locale: str | None
) -> dict[tuple[str, Any, Any], tuple[str, str]]:
    keys = list(keys)
    profiles = profile_names(reader, {k[1] for k in keys if k[1] is not None})
    brands = brand_names(reader, org, {k[2] for k in keys if k[2] is not None}, locale)
    return {
        key[:3]: profiles[key[1]] if key[0] == RecipientKind.INSTRUCTOR.value else brands[key[2]]
        for key in keys
    }
