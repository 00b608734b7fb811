"""A revenue report in one currency (issue 18): every amount converted at the rate of its day
(the day of the org's zone its entries are dated), each report row summed exactly and rounded
once. The per-currency figures stay; the converted ones are added beside them
(`converted_gross`, ... in `converted_currency`), with `converted_totals` and a `conversion`
block naming the rates file and the dates whose rates were used.

The rates come from the caller (a `Converter`: the command line reads an ECB file, see
`exchange/ecb_rates`); reports only ask it to convert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from volmify_cli.money import format_amount
from volmify_cli.reports.revenue_queries import Group

FIGURES = ("gross", "net", "amount")


class Converter(Protocol):
    currency: str  # the target currency

    def convert(self, amounts: Iterable[tuple[int, str, dt.date]]) -> int:
        """The exact sum of `amounts` (minor units, currency, day) in `currency`, rounded
        once. Raises an error naming the currency and day without a rate."""
        ...

    def described(self) -> dict[str, Any]:
        """The rates file and the first and last dates whose rates were used."""
        ...


def _sums(groups: Sequence[Group], converter: Converter) -> dict[str, int]:
    """Each figure of `groups` (one per key and day) converted and summed, rounded once."""
    return {
        figure: converter.convert(
            (getattr(group, figure), group.currency, _day(group)) for group in groups
        )
        for figure in FIGURES
    }


def _day(group: Group) -> dt.date:
    assert group.day is not None  # daily groups always have their day
    return group.day


def convert_rows(
    groups: Sequence[Group], rows: Sequence[dict[str, Any]], daily: Sequence[Group],
    converter: Converter,
) -> None:  # fmt: skip
    """Add the converted figures to each row (`rows[i]` shows `groups[i]`), from the same
    key's groups per day."""
    by_key: dict[tuple[Any, ...], list[Group]] = {}
    for group in daily:
        by_key.setdefault((group.key, group.currency), []).append(group)
    target = converter.currency
    for group, row in zip(groups, rows, strict=True):
        sums = _sums(by_key.get((group.key, group.currency), []), converter)
        row["converted_currency"] = target
        for figure, value in sums.items():
            row[f"converted_{figure}_minor"] = value
            row[f"converted_{figure}"] = format_amount(value, target)


def convert_totals(
    daily: Sequence[Group], converter: Converter, *, lines_of_org: bool
) -> list[dict[str, Any]]:
    """The report's totals in the target currency, as a totals row. In the creator view of a
    whole org, each sales line is counted once, through the org's rows (`lines_of_org`); the
    amount is every recipient's."""
    lines = [g for g in daily if g.key[0] == "org"] if lines_of_org else daily
    sums = _sums(lines, converter)
    if lines_of_org:
        sums["amount"] = _sums(daily, converter)["amount"]
    target = converter.currency
    total: dict[str, Any] = {"currency": target, "sales": sum(g.sales for g in lines)}
    for figure, value in sums.items():
        total[f"{figure}_minor"] = value
        total[figure] = format_amount(value, target)
    return [total]
