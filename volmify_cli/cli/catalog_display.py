"""How catalog rows look in a table: prices formatted with babel in the display locale (with
the ISO 4217 digits), shares, windows and targets. JSON, YAML and CSV carry the raw values; these
functions are used by `output.Column(display=…)` only, so babel is imported only for tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

Row = Mapping[str, Any]


def money(amount_minor: int | None, currency: str | None, locale: str) -> str:
    if amount_minor is None or currency is None:
        return ""
    from volmify_cli.l10n import format_money

    return format_money(amount_minor, currency, locale)


def prices(rows: Sequence[Row], locale: str) -> str:
    """`us $49.00 (was $59.00); eu 45,00 € + 5,00 € setup; kw 0.0015 KWD a unit`."""
    parts = []
    for price in rows:
        if price.get("unit_amount") is not None:
            # a per_unit plan's unit price, exact (0.005 has more digits than babel would show)
            parts.append(f"{price['market']} {price['unit_amount']} {price['currency']} a unit")
            continue
        text = f"{price['market']} {money(price['amount_minor'], price['currency'], locale)}"
        if price.get("compare_at_minor") is not None:
            text += f" (was {money(price['compare_at_minor'], price['currency'], locale)})"
        if price.get("setup_fee_minor") is not None:
            text += f" + {money(price['setup_fee_minor'], price['currency'], locale)} setup"
        parts.append(text)
    return "; ".join(parts)


def prices_column(locale: str) -> Callable[[Row], str]:
    return lambda row: prices(row.get("prices") or [], locale)


def plans(rows: Sequence[Row], locale: str) -> str:
    return "\n".join(
        f"{plan['variant']}/{plan['slug']} ({plan['type']}, tier {plan['tier']}): "
        f"{prices(plan['prices'], locale) or 'no prices'}"
        for plan in rows
    )


def brands(rows: Sequence[Row]) -> str:
    return ", ".join(
        brand["slug"]
        + (" (primary)" if brand["is_primary"] else "")
        + (f" {brand['share']}" if brand["share_bp"] else "")
        for brand in rows
    )


def instructors(rows: Sequence[Row]) -> str:
    return ", ".join(
        f"{person['slug']} {person['share']}" + (" (primary)" if person["is_primary"] else "")
        for person in rows
    )


def variants(rows: Sequence[Row]) -> str:
    return ", ".join(v["slug"] + (" (default)" if v["is_default"] else "") for v in rows)


def window(row: Row) -> str:
    starts, ends = row.get("starts"), row.get("ends")
    if starts is None and ends is None:
        return "always"
    return f"{starts or '…'} .. {ends or '…'}"


def offer_value(row: Row, locale: str) -> str:
    if row.get("percent") is not None:
        return f"{row['percent']} off"
    amounts = row.get("amounts") or []  # one per currency
    shown = [money(a["amount_minor"], a["currency"], locale) for a in amounts]
    return f"{' / '.join(shown) or money(None, None, locale)} off"


def targets(row: Row) -> str:
    chosen = row.get("targets") or {}
    parts = [f"{kind}: {', '.join(values)}" for kind, values in chosen.items() if values]
    return "; ".join(parts) or "whole catalog"


def details(row: Row) -> str:
    """Type details that are set: `level=beginner, difficulty=3`."""
    values = row.get("details") or {}
    return ", ".join(f"{key}={value}" for key, value in values.items() if value is not None)
