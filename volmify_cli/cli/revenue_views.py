"""How revenue reports look on the command line: the formats, the table view (money in the
display locale, an optional bar chart)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from volmify_cli.cli import output

REPORT_FORMATS = ("table", "json", "yaml", "csv", "markdown", "html")


def _money(field: str, locale: str) -> output.Column:
    from volmify_cli.l10n import format_money

    def show(row: Any) -> str:
        return format_money(row[f"{field}_minor"], row["currency"], locale)

    return output.Column(field, field.title(), display=show, justify="right")


def _columns(creator_view: bool, locale: str | None = None) -> list[output.Column]:
    columns = [output.Column("key", "Key"), output.Column("label", "Label")]
    if creator_view:
        columns.append(output.Column("kind", "Kind"))
    columns += [
        output.Column("currency", "Currency"),
        output.Column("sales", "Sales", justify="right"),
    ]
    if locale is None:  # csv: the exact values, minor units and decimal text
        return columns + [
            output.Column(name)
            for name in ("gross_minor", "gross", "net_minor", "net", "amount_minor", "amount")
        ]
    return columns + [_money(name, locale) for name in ("gross", "net", "amount")]


def _converted(locale: str) -> output.Column:
    from volmify_cli.l10n import format_money

    def show(row: Any) -> str:
        return format_money(row["converted_amount_minor"], row["converted_currency"], locale)

    return output.Column("converted_amount", "Converted", display=show, justify="right")


def _show_table(report: Any, locale: str, chart: bool) -> None:
    creator_view = report["by"] == "creator"
    conversion = report.get("conversion")
    start, end = report["from"], report["to"]
    if start is None and end is None:
        period = "all time"
    else:
        period = f"{start or 'the beginning'} to {end or 'today'}"
    title = f"Revenue by {report['by']}" + (f" · {report['org']}" if report["org"] else "")
    period = f"{period} ({report['timezone']})"
    columns = _columns(creator_view, locale) + ([_converted(locale)] if conversion else [])
    output.render(report["rows"], "table", columns, title=f"{title} · {period}")
    totals = [_money(name, locale) for name in ("gross", "net", "amount")]
    output.render(
        report["totals"],
        "table",
        [
            output.Column("currency", "Currency"),
            output.Column("sales", "Sales", justify="right"),
            *totals,
        ],
        title="Totals",
    )
    if conversion:
        output.render(
            report["converted_totals"],
            "table",
            [output.Column("currency", "Currency"), output.Column("sales", "Sales"), *totals],
            title=(
                f"Totals in {conversion['currency']} · rates of {conversion['rates']}, "
                f"{conversion['first_rate_date']} to {conversion['last_rate_date']}"
            ),
        )
    if chart:
        from volmify_cli.l10n import format_money

        rows = report["rows"]
        if report["by"] == "month":  # a month chart reads in time order
            rows = sorted(rows, key=lambda row: row["key"])
        for currency in sorted({row["currency"] for row in rows}):
            bars = [
                output.Bar(
                    f"{row['key'] or '—'}" + (f" ({row['kind']})" if creator_view else ""),
                    row["amount_minor"],
                    format_money(row["amount_minor"], currency, locale),
                )
                for row in rows
                if row["currency"] == currency
            ]
            output.bar_chart(f"Amount by {report['by']} · {currency}", bars)


def show_report(report: Mapping[str, Any], chosen: str, locale: str, *, chart: bool) -> None:
    """Print a revenue report in the chosen format on stdout."""
    if chosen == "table":
        _show_table(report, locale, chart)
    elif chosen in ("markdown", "html"):
        from volmify_cli.rendering.revenue import render_report

        text = render_report(report, chosen, locale)
        # markdown is rendered on a terminal (raw in a pipe and into -o FILE, not a terminal)
        (output.markdown if chosen == "markdown" else output.plain)(text)
    elif chosen == "csv":
        output.render(report["rows"], "csv", _columns(report["by"] == "creator"))
    else:
        output.render(report, chosen)
