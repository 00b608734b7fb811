"""A statement in one currency (`revenue statement --rates FILE --in CODE`): beside its own
figures, each refund, adjustment and payout converted at the rate of its day, and per currency
the balance converted: what was earned and paid before the period, in it, and owed after it,
each earning at the rate of its day and each payout at the rate of the day it was paid. The
products, months and totals are converted by the report (`reports/conversion`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from volmify_cli.db.direct import DirectReader
from volmify_cli.money import format_amount
from volmify_cli.reports.balances import daily_sums
from volmify_cli.reports.conversion import Converter
from volmify_cli.reports.labels import Creator, OrgRef
from volmify_cli.reports.periods import Period


def convert_statement(
    reader: DirectReader, org: OrgRef, creator: Creator, period: Period, statement: Any,
    conversion: Converter,
) -> None:  # fmt: skip
    """Add the converted figures to `statement` (a StatementRead) in place."""
    target = conversion.currency
    for row in (*statement["adjustments"], *statement["payouts"]):
        value = conversion.convert([(row["amount_minor"], row["currency"], row["date"])])
        row |= {"converted_amount_minor": value, "converted_amount": format_amount(value, target)}
    earned, paid = daily_sums(reader, org, period.end)
    for row in statement["balances"]:
        key = (creator.kind, creator.profile_id, creator.brand_id, row["currency"])
        before, within = _split(earned.get(key, []), period.start)
        paid_before, paid_within = _split(paid.get(key, []), period.start)
        currency = row["currency"]
        opening = _in(before, currency, conversion) - _in(paid_before, currency, conversion)
        made, given = _in(within, currency, conversion), _in(paid_within, currency, conversion)
        fields = cast(dict[str, Any], row)
        for name, value in (
            ("opening", opening), ("earned", made), ("paid", given),
            ("closing", opening + made - given),
        ):  # fmt: skip
            fields[f"converted_{name}_minor"] = value
            fields[f"converted_{name}"] = format_amount(value, target)
        fields["converted_currency"] = target
    statement["conversion"] = conversion.described()


Dated = list[tuple[int, dt.date]]


def _split(amounts: Dated, start: dt.date | None) -> tuple[Dated, Dated]:
    """The amounts dated before `start`, and from it on (all, without a start)."""
    if start is None:
        return [], amounts
    return [a for a in amounts if a[1] < start], [a for a in amounts if a[1] >= start]


def _in(amounts: Dated, currency: str, conversion: Converter) -> int:
    return conversion.convert((amount, currency, day) for amount, day in amounts)
