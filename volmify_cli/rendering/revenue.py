"""Revenue reports and creator statements as Markdown or self-contained HTML.

The data comes from `reports.revenue` / `services.statements`; here it only gets its look:
money formatted with babel in the display locale (the decimals from ISO 4217), months named in
that locale, and bar charts laid out for an inline SVG (no script, nothing loaded from the
network).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from volmify_cli.l10n import describe_locale, format_money
from volmify_cli.rendering.environment import render_template

CHART_WIDTH = 640
LABEL_WIDTH = 200
BAR_AREA = 300
BAR_HEIGHT = 18
BAR_GAP = 8


@dataclass(frozen=True)
class ChartBar:
    label: str
    text: str
    y: int
    width: int
    negative: bool


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[ChartBar]
    width: int
    height: int
    label_width: int


def chart(title: str, points: Sequence[tuple[str, int, str]]) -> Chart:
    """Horizontal bars (label, value, text) scaled to the largest magnitude."""
    largest = max((abs(value) for _, value, _ in points), default=0)
    bars = []
    for index, (label, value, text) in enumerate(points):
        width = abs(value) * BAR_AREA // largest if largest else 0
        bars.append(
            ChartBar(
                label=label,
                text=text,
                y=index * (BAR_HEIGHT + BAR_GAP),
                width=max(width, 1) if value else 0,
                negative=value < 0,
            )
        )
    height = max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
    return Chart(title, bars, CHART_WIDTH, height, LABEL_WIDTH)


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "all time"
    return f"{start.isoformat() if start else '…'} to {end.isoformat() if end else '…'}"


def _with_money(
    rows: Sequence[Mapping[str, Any]],
    locale: str,
    fields: Sequence[str] = ("gross", "net", "amount"),
) -> list[dict[str, Any]]:
    """Rows with `FIELD_text` (`gross_text`, ...) formatted for people."""
    shown = []
    for row in rows:
        item = dict(row)
        for field in fields:
            item[f"{field}_text"] = format_money(row[f"{field}_minor"], row["currency"], locale)
        shown.append(item)
    return shown


def _converted_money(
    rows: list[dict[str, Any]], locale: str, fields: Sequence[str]
) -> list[dict[str, Any]]:
    """Rows with `converted_FIELD_text` when they carry a conversion."""
    for row in rows:
        if "converted_currency" in row:
            for field in fields:
                row[f"converted_{field}_text"] = format_money(
                    row[f"converted_{field}_minor"], row["converted_currency"], locale
                )
    return rows


def _charts(
    rows: Sequence[Mapping[str, Any]], locale: str, label: Callable[[Mapping[str, Any]], str]
) -> list[Chart]:
    """One chart per currency (amounts of different currencies never share a scale)."""
    by_currency: dict[str, list[tuple[str, int, str]]] = {}
    for row in rows:
        by_currency.setdefault(row["currency"], []).append(
            (
                label(row),
                row["amount_minor"],
                format_money(row["amount_minor"], row["currency"], locale),
            )
        )
    return [chart(currency, points) for currency, points in sorted(by_currency.items())]


def _page(locale: str) -> dict[str, str]:
    info = describe_locale(locale)
    return {"lang": info.key, "dir": info.direction}


def render_report(report: Mapping[str, Any], output_format: str, locale: str) -> str:
    """A revenue report (`revenue_report`'s result) as `markdown` or `html`."""
    if report["by"] == "creator":  # a brand and an instructor may share a slug

        def label(row: Mapping[str, Any]) -> str:
            return f"{row['key']} ({row['kind']})"
    else:

        def label(row: Mapping[str, Any]) -> str:
            return str(row["key"] or "—")

    rows = report["rows"]
    if report["by"] == "month":  # a month chart reads in time order
        rows = sorted(rows, key=lambda r: r["key"])
    context = {
        "report": report,
        "period": _period(report["from"], report["to"]),
        "rows": _with_money(report["rows"], locale),
        "totals": _with_money(report["totals"], locale),
        "creator_view": report["by"] == "creator",
        "charts": _charts(rows, locale, label),
        "page": _page(locale),
    }
    suffix = "md" if output_format == "markdown" else "html"
    return render_template(f"reports/revenue.{suffix}.j2", **context)


def render_statement(statement: Mapping[str, Any], output_format: str, locale: str) -> str:
    """A creator statement (`creator_statement`'s result) as `markdown` or `html`."""
    from volmify_cli.l10n import format_month

    months = _with_money(statement["months"], locale)
    for row in months:
        row["month"] = format_month(int(row["key"][:4]), int(row["key"][5:7]), locale)
    context = {
        "statement": statement,
        "period": _period(statement["from"], statement["to"]),
        "products": _with_money(statement["products"], locale),
        "months": months,
        "totals": _with_money(statement["totals"], locale),
        "adjustments": _with_money(statement["adjustments"], locale, ("amount",)),
        "payouts": _with_money(statement["payouts"], locale, ("amount",)),
        "balances": _converted_money(
            _with_money(
                statement["balances"],
                locale,
                ("opening", "earned", "sales", "refunds", "adjustments", "paid", "closing"),
            ),
            locale,
            ("opening", "earned", "paid", "closing"),
        ),
        "converted_totals": _with_money(statement.get("converted_totals", []), locale),
        "charts": _charts(months, locale, lambda row: str(row["month"])),
        "page": _page(locale),
    }
    suffix = "md" if output_format == "markdown" else "html"
    return render_template(f"statements/statement.{suffix}.j2", **context)
