"""A creator statement as PDF: what the HTML statement shows (header, earnings by month as bar
charts, by product, by month, totals, refunds and adjustments, payouts, the balance per
currency), laid out on A4 pages with fpdf2 (`pdf_page`: the font, the headings, the tables).
A name the font cannot draw is shown with `?` for what it lacks; the slug beside every name
keeps it identifiable.

The same statement gives the same bytes on every run: the creation date is the moment the
period ends (a constant for an all-time statement), the producer names no library version, and
the document id is fpdf2's hash of the content and that date.

Imported only for `--format pdf` (fpdf2, fontTools and Pillow cost start-up time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from fpdf.enums import MethodReturnValue, XPos, YPos

from volmify_cli.l10n import format_month
from volmify_cli.rendering.pdf_page import (
    BODY_PT,
    EMPTY_HEIGHT,
    FAMILY,
    MUTED,
    NEGATIVE,
    TABLE_PT,
    TABLE_START,
    TEXT,
    Cell,
    Page,
)
from volmify_cli.windows import window_end

FONT_PACKAGE = "fontpkg_fira_sans"
ALL_TIME_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # the creation date of an unbounded one
PRODUCER = "volmify"

BAR = (38, 128, 194)
BAR_NEGATIVE = (186, 37, 37)
CHART_LABEL = 42.0  # mm for a chart's month names
CHART_BARS = 95.0  # mm for the longest bar
BAR_HEIGHT = 4.2
BAR_GAP = 1.6
BAR_STEP = BAR_HEIGHT + BAR_GAP  # mm from one bar's top to the next's
CHART_NAME = 7.0  # mm: the line naming a chart's currency (6), and the chart's last gap (1)
# A chart begins on a page where its name and this many bars fit (the first under its heading,
# and one longer than a page): it is never begun with its name alone at a page's foot.
CHART_FIRST_BARS = 3
RATES_LINE = 4.5  # mm: a line of the text naming a converted statement's rates

NOTE = (
    "Amounts are never added across currencies. Each sale's net"
    " (amount \u2212 tax \u2212 fee \u2212 the refund less the tax it returned) was split"
    " when it was recorded, by the shares in effect then. A refund or an adjustment counts on"
    " the day it was recorded; one dated in a closed period counts on the first open day, for"
    " the day it belongs to."
)


def render_statement_pdf(statement: Mapping[str, Any], locale: str) -> bytes:
    """A creator statement (`services.statements.creator_statement`'s result) as PDF bytes,
    money and months written for `locale`."""
    with as_file(files(FONT_PACKAGE) / "files") as font_dir:
        return _Document(statement, locale, font_dir).build()


def _period(start: dt.date | None, end: dt.date | None) -> str:
    """As the HTML and Markdown statements write it."""
    if start is None and end is None:
        return "all time"
    return f"{start.isoformat() if start else '…'} to {end.isoformat() if end else '…'}"


def _created(end: dt.date | None, zone: str) -> dt.datetime:
    """The moment the statement's period ends (the end of its last day in the org's zone)."""
    moment = window_end(end, zone)
    return moment if moment is not None else ALL_TIME_DATE


class _Document(Page):
    def __init__(self, statement: Mapping[str, Any], locale: str, font_dir: Path) -> None:
        super().__init__(locale, font_dir)
        self.statement = statement
        creator, org = statement["creator"], statement["org"]
        self.period_text = _period(statement["from"], statement["to"])
        self.footer_text = self.clean(
            f"Revenue statement · {creator['name']} · {org['name']} · {self.period_text}"
        )
        self.set_creation_date(_created(statement["to"], statement["timezone"]))
        self.set_producer(PRODUCER)
        self.set_creator(PRODUCER)
        self.set_title(self.clean(f"Revenue statement: {creator['name']} ({org['name']})"))
        self.set_author(self.clean(org["name"]))
        self.set_lang(locale)

    # -- the statement -------------------------------------------------------------------------

    def build(self) -> bytes:
        statement = self.statement
        creator, org = statement["creator"], statement["org"]
        self.add_page()
        self.set_font(FAMILY, "B", 16)
        self.multi_cell(
            0, 8, self.clean(f"Revenue statement: {creator['name']}"), align="L",
            new_x=XPos.LMARGIN, new_y=YPos.NEXT,
        )  # fmt: skip
        self.set_font(FAMILY, "", BODY_PT)
        self.set_text_color(*MUTED)
        meta = f"Creator: {creator['slug']} · Organization: {org['name']} ({org['slug']})"
        self.multi_cell(0, 5, self.clean(meta), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        period = f"Period: {self.period_text} ({statement['timezone']})"
        self.cell(0, 5, self.clean(period), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*TEXT)
        months = sorted(statement["months"], key=lambda r: (r["currency"], r["key"] or ""))
        self.heading_keeping("Earnings by month", self.first_chart_height(months))
        self.charts(months)
        self.heading("By product", statement["products"])
        self.products(statement["products"])
        self.heading("By month", months)
        self.months(months)
        self.heading("Totals", statement["totals"])
        self.totals(statement["totals"])
        self.heading("Refunds and adjustments", statement["adjustments"])
        self.adjustments(statement["adjustments"])
        self.heading("Payouts", statement["payouts"])
        self.payouts(statement["payouts"])
        self.heading("Balance", statement["balances"])
        self.balances(statement["balances"])
        conversion = statement.get("conversion")
        if conversion:
            # the line naming the rates file, then the table
            following = self.rates_height(conversion) + TABLE_START
            self.heading_keeping(f"In {conversion['currency']}", following)
            self.converted(statement, conversion)
        self.ln(2)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        with self.unbreakable() as block:  # the note whole, on one page
            block.multi_cell(0, 4.0, NOTE, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return bytes(self.output())

    def month_name(self, key: str) -> str:
        return self.clean(format_month(int(key[:4]), int(key[5:7]), self.locale))

    @staticmethod
    def chart_height(rows: Sequence[Mapping[str, Any]]) -> float:
        """mm of one currency's chart: its name, then a bar per month."""
        return CHART_NAME + len(rows) * BAR_STEP

    def chart_start(self, rows: Sequence[Mapping[str, Any]]) -> float:
        """mm that must fit on a page for a chart to begin on it: the whole chart where it fits
        on a page (a chart is moved whole rather than cut), else its name and first bars."""
        whole = self.chart_height(rows)
        return whole if whole <= self.page_body() else CHART_NAME + CHART_FIRST_BARS * BAR_STEP

    def page_body(self) -> float:
        """mm between the top margin and the page-break line: what one page can hold."""
        return float(self.page_break_trigger - self.t_margin)

    @staticmethod
    def first_chart_height(months: Sequence[Mapping[str, Any]]) -> float:
        """What the charts' heading keeps below it: the first currency's name and first bars,
        or the "no sales" line."""
        if not months:
            return EMPTY_HEIGHT
        first = min(row["currency"] for row in months)
        bars = sum(1 for row in months if row["currency"] == first)
        return CHART_NAME + min(bars, CHART_FIRST_BARS) * BAR_STEP

    def charts(self, months: Sequence[Mapping[str, Any]]) -> None:
        """One bar chart per currency (amounts of different currencies never share a scale),
        as the HTML statement draws them. The first starts under the heading, which kept room
        for its first bars (moving it whole would leave the heading, and on the first page the
        title, alone); a later one that does not fit where it would start moves to the next
        page whole if it fits on a page. What does not fit on a page (the months of an all-time
        statement) goes on over the next pages, its currency named again on each."""
        if not months:
            self.empty("No sales in this period.")
            return
        by_currency: dict[str, list[Mapping[str, Any]]] = {}
        for row in months:
            by_currency.setdefault(row["currency"], []).append(row)
        for index, (currency, rows) in enumerate(sorted(by_currency.items())):
            if index and self.get_y() + self.chart_start(rows) > self.page_break_trigger:
                self.add_page()
            self.chart_name(currency)
            largest = max(abs(row["amount_minor"]) for row in rows)
            for row in rows:
                if self.get_y() + BAR_STEP > self.page_break_trigger:
                    self.add_page()
                    self.chart_name(f"{currency} (continued)")
                self.bar(row, largest)
            self.ln(2)
        self.set_text_color(*TEXT)

    def chart_name(self, text: str) -> None:
        self.set_font(FAMILY, "B", 9.5)
        self.set_text_color(*MUTED)
        self.cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", BODY_PT)

    def bar(self, row: Mapping[str, Any], largest: int) -> None:
        top, left = self.get_y(), self.l_margin
        value = row["amount_minor"]
        width = abs(value) * CHART_BARS / largest if largest else 0
        if value:
            width = max(width, 0.4)
        self.set_text_color(*TEXT)
        label = self.fitted(self.month_name(row["key"]), CHART_LABEL - 2)
        self.set_xy(left, top)
        self.cell(CHART_LABEL, BAR_HEIGHT, label)
        if width:
            self.set_fill_color(*(BAR_NEGATIVE if value < 0 else BAR))
            self.rect(left + CHART_LABEL, top, width, BAR_HEIGHT, style="F")
        self.set_xy(left + CHART_LABEL + width + 1.5, top)
        self.set_text_color(*(NEGATIVE if value < 0 else MUTED))
        self.cell(40, BAR_HEIGHT, self.money(value, row["currency"]))
        self.set_xy(left, top + BAR_HEIGHT + BAR_GAP)

    def amounts(
        self, row: Mapping[str, Any], *fields: str, red: Collection[str] = ()
    ) -> list[Cell]:
        """The money `fields` of `row`; those in `red` are shown red when negative."""
        return [
            (self.money(row[f"{f}_minor"], row["currency"]), f in red and row[f"{f}_minor"] < 0)
            for f in fields
        ]

    def products(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            self.empty("No sales in this period.")
            return
        self.grid(
            ("Product", "Currency", "Share", "Sales", "Gross", "Net", "Earned"),
            (52, 17, 22, 14, 25, 25, 25),
            [
                [
                    (self.clean(f"{row['label']} ({row['key']})"), False),
                    (row["currency"], False),
                    (", ".join(row["shares"]), False),
                    (str(row["sales"]), False),
                    *self.amounts(row, "gross", "net", "amount", red=("net",)),
                ]
                for row in rows
            ],
            numeric_from=3,
        )  # fmt: skip

    def months(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            self.empty("No sales in this period.")
            return
        self.grid(
            ("Month", "Currency", "Sales", "Gross", "Net", "Earned"),
            (46, 20, 16, 32, 33, 33),
            [
                [
                    (self.month_name(row["key"]), False),
                    (row["currency"], False),
                    (str(row["sales"]), False),
                    *self.amounts(row, "gross", "net", "amount", red=("net",)),
                ]
                for row in rows
            ],
            numeric_from=2,
        )  # fmt: skip

    def totals(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            self.empty("Nothing earned in this period.")
            return
        self.grid(
            ("Currency", "Sales", "Gross", "Net", "Earned"),
            (30, 20, 43, 43, 44),
            [
                [
                    (row["currency"], False),
                    (str(row["sales"]), False),
                    *self.amounts(row, "gross", "net", "amount"),
                ]
                for row in rows
            ],
            numeric_from=1,
            bold=True,
        )

    def adjustments(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            self.empty("No refunds or adjustments in this period.")
            return
        self.grid(
            ("Date", "Order", "Product", "Entry", "Currency", "Amount"),
            (46, 28, 38, 19, 17, 32),
            [
                [
                    (_dated(row), False),
                    (self.clean(row["order_id"]), False),
                    (self.clean(row["product"]), False),
                    (row["kind"], False),
                    (row["currency"], False),
                    (self.money(row["amount_minor"], row["currency"]), row["amount_minor"] < 0),
                ]
                for row in rows
            ],
            numeric_from=5,
        )

    def payouts(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            self.empty("No payouts in this period.")
            return
        self.grid(
            ("Date", "Reference", "Currency", "Amount"),
            (46, 78, 20, 36),
            [
                [
                    (_dated(row), False),
                    (self.clean(row["reference"] or ""), False),
                    (row["currency"], False),
                    (self.money(row["amount_minor"], row["currency"]), False),
                ]
                for row in rows
            ],
            numeric_from=3,
        )

    def balances(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            self.empty("Nothing earned or paid yet.")
            return
        fields = ("opening", "sales", "refunds", "adjustments", "earned", "paid", "closing")
        self.grid(
            ("Currency", "Owed at the start", "Sales", "Refunds", "Adjustments", "Earned",
             "Paid", "Owed at the end"),
            (18, 23, 22, 22, 23, 22, 22, 28),
            [[(row["currency"], False), *self.amounts(row, *fields)]
             for row in rows],
            numeric_from=1,
            bold=True,
        )  # fmt: skip

    def rates_used(self, conversion: Mapping[str, Any]) -> str:
        """The line that names the rates file and dates of a converted statement."""
        return self.clean(
            f"Every amount converted at the reference rate of its day, from {conversion['rates']}"
            f" (rates of {conversion['first_rate_date']} to {conversion['last_rate_date']})."
        )

    def rates_height(self, conversion: Mapping[str, Any]) -> float:
        """mm of `rates_used` as `converted` writes it (a long file path wraps)."""
        self.set_font(FAMILY, "", TABLE_PT)
        height = self.multi_cell(0, RATES_LINE, self.rates_used(conversion), dry_run=True,
                                 output=MethodReturnValue.HEIGHT)  # fmt: skip
        assert isinstance(height, float | int)
        return float(height)

    def converted(self, statement: Mapping[str, Any], conversion: Mapping[str, Any]) -> None:
        """The balance converted (`revenue statement --rates`), with the rates it used."""
        self.set_font(FAMILY, "", TABLE_PT)
        self.set_text_color(*MUTED)
        self.multi_cell(
            0, RATES_LINE, self.rates_used(conversion), align="L", new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )  # fmt: skip
        self.set_text_color(*TEXT)
        target = conversion["currency"]
        self.grid(
            ("From", "Owed at the start", "Earned", "Paid", "Owed at the end"),
            (30, 40, 40, 40, 40),
            [
                [(row["currency"], False)]
                + [
                    (self.money(row[f"converted_{f}_minor"], target),
                     row[f"converted_{f}_minor"] < 0)
                    for f in ("opening", "earned", "paid", "closing")
                ]
                for row in statement["balances"]
            ],
            numeric_from=1,
            bold=True,
        )  # fmt: skip


def _dated(row: Mapping[str, Any]) -> str:
    """`2026-02-01 (for 2026-01-31)`: the day an entry or payout counts on, and the closed day
    it belongs to."""
    text = row["date"].isoformat()
    return f"{text} (for {row['for_date'].isoformat()})" if row["for_date"] else text
