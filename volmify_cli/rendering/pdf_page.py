"""The page of a PDF statement: its font, typography and page mechanics, on fpdf2.

Text is set in Fira Sans (SIL Open Font License), a Unicode TrueType font shipped by the
`fontpkg-fira-sans` wheel, subset into the file: the PDF core fonts are Latin-1 only and have
no `¥`, no minus sign and no Cyrillic. A character the font cannot draw (a CJK or Arabic name)
is shown as `?` rather than silently left out, and the months and money of a locale written in
such a script (ar-EG, ja-JP) are written for en-US instead.

A heading keeps on its page the height of what starts its section, so that no page ends with a
heading (or a table's headings) alone; `statement_pdf` lays out the sections.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.drawing_primitives import rgb8
from fpdf.enums import TableBordersLayout, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from volmify_cli.l10n import format_money, format_month

FONT_FILES = {"": "FiraSans-Regular.ttf", "B": "FiraSans-Bold.ttf", "I": "FiraSans-Italic.ttf"}
FAMILY = "Fira"
FALLBACK_LOCALE = "en-US"  # months and money of a locale whose script the font lacks
MARGIN = 15.0  # mm
TEXT = (31, 41, 51)  # the HTML statement's colours
MUTED = (98, 125, 152)
FAINT = (130, 154, 177)
RULE = (217, 226, 236)
HEAD_FILL = (240, 244, 248)
ROW_FILL = (250, 251, 252)
NEGATIVE = (171, 9, 30)
BODY_PT = 9.0
TABLE_PT = 8.4
TABLE_LINE = TABLE_PT * 0.55  # mm: a line of a table cell
TABLE_PADDING = 1.2  # mm above and below a table cell's text
HEADING_HEIGHT = 4 + 7 + 2  # mm: the space above a heading, its line, the space under its rule
EMPTY_HEIGHT = 6 + 1  # mm: a section's "nothing in this period" line
# A table's headings and its first row, which may wrap onto a second line: what a heading keeps
# below it on its page, so that a heading (or a table's headings) never ends a page alone.
TABLE_START = 2 * (TABLE_LINE + 2 * TABLE_PADDING) + TABLE_LINE
Cell = tuple[str, bool]  # a table cell's text, and whether it is a negative amount (red)


class Page(FPDF):
    """An A4 page in the statement's font, with the statement's headings, tables and footer."""

    footer_text = ""

    def __init__(self, locale: str, font_dir: Path) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.locale = locale
        for style, name in FONT_FILES.items():
            self.add_font(FAMILY, style, font_dir / name)
        self.drawable = frozenset(self.fonts[FAMILY.lower()].cmap)  # type: ignore[union-attr]
        if not self.draws(locale):
            self.locale = FALLBACK_LOCALE
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 3.5)
        self.set_text_color(*TEXT)

    # -- text ----------------------------------------------------------------------------------

    def draws(self, locale: str) -> bool:
        """Whether the font has the letters and digits of `locale`'s months and money (not
        Arabic's or Japanese's): else months and money are written for en-US, rather than as a
        row of `?`."""
        sample = [format_month(2026, month, locale) for month in range(1, 13)]
        sample += [format_money(-123456, code, locale) for code in ("EUR", "USD", "JPY", "KWD")]
        return all(
            ord(char) in self.drawable or unicodedata.category(char) in ("Cf", "Zs")
            for char in "".join(sample)
        )

    def clean(self, value: Any) -> str:
        """Text the font can draw: control characters as escapes (`\\x1b`, as on a terminal),
        line breaks as spaces, invisible format marks dropped, other spaces as a no-break
        space, and a character the font lacks as `?`."""
        shown = []
        for char in str(value):
            if char in "\r\n\t\u2028\u2029":
                shown.append(" ")
            elif ord(char) in self.drawable and unicodedata.category(char) not in ("Cc", "Cf"):
                shown.append(char)
            elif unicodedata.category(char) == "Cc":
                shown.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else "?")
            elif unicodedata.category(char) == "Cf":
                continue  # bidi marks, zero-width joiners: nothing to draw
            elif unicodedata.category(char) == "Zs":
                shown.append("\u00a0")  # a narrow or thin space inside an amount
            else:
                shown.append("?")
        return "".join(shown)

    def money(self, amount_minor: int, currency: str) -> str:
        return self.clean(format_money(amount_minor, currency, self.locale))

    # -- page ----------------------------------------------------------------------------------

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*MUTED)
        width = self.epw - 25
        self.cell(width, 5, self.fitted(self.footer_text, width), align="L")
        self.cell(25, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*TEXT)

    def fitted(self, text: str, width: float) -> str:
        """`text`, cut with `…` to fit on one line of `width` mm in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"

    def heading(self, text: str, rows: Sequence[Any]) -> None:
        """A section's heading, on the page of what starts the section (`rows` empty: its
        "nothing" line; else a table's headings and first row)."""
        self.heading_keeping(text, TABLE_START if rows else EMPTY_HEIGHT)

    def heading_keeping(self, text: str, following: float) -> None:
        """A heading that starts a new page unless `following` mm fit under it on this one."""
        if self.get_y() + HEADING_HEIGHT + following > self.page_break_trigger:
            self.add_page()
        self.ln(4)
        self.set_font(FAMILY, "B", 12)
        self.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(2)

    def empty(self, text: str) -> None:
        self.set_font(FAMILY, "I", BODY_PT)
        self.set_text_color(*FAINT)
        self.cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*TEXT)
        self.ln(1)

    def grid(
        self,
        headings: Sequence[str],
        widths: Sequence[float],
        rows: Sequence[Sequence[Cell]],
        *,
        numeric_from: int,
        bold: bool = False,
    ) -> None:
        """Rows under bold headings; columns from `numeric_from` on are amounts (right-aligned,
        never wrapped inside a number); negative amounts in red."""
        align = ["LEFT"] * numeric_from + ["RIGHT"] * (len(headings) - numeric_from)
        self.set_font(FAMILY, "B" if bold else "", TABLE_PT)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        # fpdf2 paints the rows it does not fill with the current fill colour: white, not a
        # chart's blue
        self.set_fill_color(255, 255, 255)
        with self.table(
            col_widths=tuple(widths),
            text_align=tuple(align),
            width=self.epw,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
            cell_fill_color=rgb8(*ROW_FILL),
            cell_fill_mode=TableCellFillMode.ROWS,
            line_height=TABLE_LINE,
            padding=(TABLE_PADDING, 1.5),
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for text in headings:
                heading.cell(text)
            for cells in rows:
                row = table.row()
                for text, negative in cells:
                    row.cell(text, style=FontFace(color=NEGATIVE) if negative else None)
        self.ln(2)
