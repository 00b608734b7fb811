"""The PDF statement (`rendering.statement_pdf`) on statements made by hand: it is a PDF, the
same bytes on every run and in every process, its text (read back with pypdf) holds what the
HTML statement shows, with currency symbols and names outside Latin-1, and long statements
flow over pages with nothing cut."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from typing import Any

import pypdf
import pytest

from volmify_cli.rendering.statement_pdf import render_statement_pdf


def money(prefix: str, minor: int, text: str) -> dict[str, Any]:
    return {f"{prefix}_minor": minor, prefix: text}


def line(
    key: str, currency: str, gross: int, net: int, amount: int, **extra: Any
) -> dict[str, Any]:
    return {"key": key, "label": key, "currency": currency, "sales": 2,
            **money("gross", gross, ""), **money("net", net, ""), **money("amount", amount, ""),
            **extra}  # fmt: skip


def balance(currency: str, opening: int, sales: int, refunds: int, paid: int) -> dict[str, Any]:
    earned = sales + refunds
    row: dict[str, Any] = {"currency": currency}
    for name, value in (("opening", opening), ("earned", earned), ("sales", sales),
                        ("refunds", refunds), ("adjustments", 0), ("paid", paid),
                        ("closing", opening + earned - paid)):  # fmt: skip
        row |= money(name, value, "")
    return row


def statement(**changes: Any) -> dict[str, Any]:
    """Jane's Q1 in EUR, JPY and KWD, with a refund moved out of a closed day and a payout."""
    products = [
        line("python-101", "EUR", 8098, 6565, 2770, label="Python 101", shares=["40%", "50%"]),
        line("python-101", "JPY", 13000, 11605, 5172, label="Python 101", shares=["40%"]),
        line("data-viz", "KWD", 30500, 29168, 13146, label="Визуализация данных", shares=["50%"]),
    ]
    return {
        "org": {"slug": "acme", "name": "Acme Learning"},
        "creator": {"slug": "jane-doe", "name": "Jane Doe"},
        "from": dt.date(2026, 1, 1),
        "to": dt.date(2026, 3, 31),
        "timezone": "UTC",
        "products": products,
        "months": [
            line("2026-01", "EUR", 1799, 1457, 582),
            line("2026-03", "EUR", 6299, 5108, 2188),
            line("2026-01", "JPY", 6500, 6300, 2520),
            line("2026-03", "JPY", 6500, 5305, 2652),
            line("2026-02", "KWD", 30500, 29168, 13146),
        ],
        "totals": [
            line("", "EUR", 8098, 6565, 2770),
            line("", "JPY", 13000, 11605, 5172),
            line("", "KWD", 30500, 29168, 13146),
        ],
        "adjustments": [
            {
                "date": dt.date(2026, 2, 1),
                "for_date": dt.date(2026, 1, 20),
                "kind": "refund",
                "order_id": "S11",
                "product": "python-101",
                "currency": "JPY",
                **money("amount", -500, "-500"),
            },
        ],
        "payouts": [
            {
                "date": dt.date(2026, 3, 31),
                "for_date": None,
                "reference": "wire 42",
                "currency": "EUR",
                **money("amount", 1000, "10.00"),
            },
        ],
        "balances": [
            balance("EUR", 0, 2770, 0, 1000),
            balance("JPY", 0, 5672, -500, 0),
            balance("KWD", 1000, 13146, 0, 0),
        ],
    } | changes


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # fpdf2 draws a no-break space as a space (it never breaks a line there)
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


def test_a_pdf_with_what_the_html_shows() -> None:
    pdf = render_statement_pdf(statement(), "en-US")
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    text = text_of(pdf)
    for shown in (
        "Revenue statement: Jane Doe", "Creator: jane-doe", "Acme Learning (acme)",
        "Period: 2026-01-01 to 2026-03-31 (UTC)", "Earnings by month", "By product",
        "Python 101 (python-101)", "40%, 50%", "Визуализация данных (data-viz)", "By month",
        "January 2026", "March 2026", "Totals", "Refunds and adjustments",
        "2026-02-01 (for 2026-01-20)", "S11", "Payouts", "wire 42", "Balance",
        "Owed at the end", "€27.70", "¥5,172", "-¥500", "KWD13.146", "KWD14.146", "€10.00",
        "€17.70", "Amounts are never added across currencies",
    ):  # fmt: skip
        assert shown in text, shown
    assert "Page 1 of" in text


def test_money_and_months_follow_the_display_locale() -> None:
    text = text_of(render_statement_pdf(statement(), "de-DE"))
    assert "27,70 €" in text and "13,146 KWD" in text and "Januar 2026" in text


def test_the_same_statement_gives_the_same_bytes_in_every_process() -> None:
    first = render_statement_pdf(statement(), "en-US")
    assert render_statement_pdf(statement(), "en-US") == first
    probe = (
        "import sys, pickle\n"
        "from volmify_cli.rendering.statement_pdf import render_statement_pdf\n"
        "sys.stdout.buffer.write(render_statement_pdf(pickle.loads(sys.stdin.buffer.read()),"
        " 'en-US'))\n"
    )
    import pickle

    for seed in ("1", "2"):  # set and dict orders that depend on string hashing differ
        other = subprocess.run(
            [sys.executable, "-c", probe], input=pickle.dumps(statement()), capture_output=True,
            check=True, env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout  # fmt: skip
        assert other == first
    reader = pypdf.PdfReader(io.BytesIO(first))
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"] == "D:20260401000000Z"  # when the period ended
    assert "fpdf" not in str(reader.metadata.get("/Producer"))  # no library version in the bytes
    assert render_statement_pdf(statement(to=dt.date(2026, 3, 30)), "en-US") != first


def test_an_all_time_statement_has_a_fixed_date_too() -> None:
    pdf = render_statement_pdf(statement(**{"from": None, "to": None}), "en-US")
    assert pdf == render_statement_pdf(statement(**{"from": None, "to": None}), "en-US")
    assert "Period: all time (UTC)" in text_of(pdf)


def test_long_statements_flow_over_pages_and_keep_every_row() -> None:
    orders = [
        {"date": dt.date(2026, 3, 1) + dt.timedelta(days=n % 28), "for_date": None,
         "kind": "refund", "order_id": f"ORDER-{n:04d}", "product": "python-101",
         "currency": "USD", **money("amount", -(n + 1) * 100, "")}
        for n in range(120)
    ]  # fmt: skip
    long_name = "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Ωμέγα " * 3
    pdf = render_statement_pdf(
        statement(adjustments=orders, creator={"slug": "max", "name": long_name}), "en-US"
    )
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 4
    text = text_of(pdf)
    assert all(f"ORDER-{n:04d}" in text for n in range(120))
    assert f"Page {pages} of {pages}" in text
    assert text.count("Date Order Product Entry Currency Amount") >= 2  # headings repeated
    assert "Ωμέγα" in text


SECTION_HEADINGS = {"Earnings by month", "By product", "By month", "Totals",
                    "Refunds and adjustments", "Payouts", "Balance"}  # fmt: skip
TABLE_HEADINGS = {"Product Currency Share Sales Gross Net Earned",
                  "Month Currency Sales Gross Net Earned", "Currency Sales Gross Net Earned",
                  "Date Order Product Entry Currency Amount", "Date Reference Currency Amount"}  # fmt: skip


def page_endings(pdf: bytes) -> list[str]:
    """The last line of every page but the last, above its footer."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    endings = []
    for page in pages[:-1]:
        lines = [text.strip() for text in page.extract_text().splitlines() if text.strip()]
        body = [text for text in lines if not (text.endswith(f"of {len(pages)}"))]
        endings.append(body[-1].replace("\xa0", " "))
    return endings


def section_rows(section: str, count: int) -> list[dict[str, Any]]:
    """`count` rows of one section of a statement, in one currency."""
    if section == "products":
        return [line(f"product-{n:02d}", "EUR", 1000, 900, 400, label=f"Product {n}",
                     shares=["40%"]) for n in range(count)]  # fmt: skip
    if section == "months":
        return [line(f"20{10 + n // 12}-{n % 12 + 1:02d}", "EUR", 1000, 900, 400)
                for n in range(count)]  # fmt: skip
    return [{"date": dt.date(2026, 3, 1), "for_date": None, "kind": "refund", "order_id": f"R-{n}",
             "product": "python-101", "currency": "USD", **money("amount", -100, "")}
            for n in range(count)]  # fmt: skip


# Lengths that, among 1 to 47 rows, left a heading alone at a page's foot when a heading kept
# 24 mm below it (a table's headings and first row need 27; a month chart moved whole to the
# next page left its heading behind), with a neighbour each side.
ORPHANING = {
    "products": (18, 19, 20, 31, 32, 33, 36),
    "months": (6, 7, 8, 22, 27, 41, 47),
    "adjustments": (29, 30, 31),
}


@pytest.mark.parametrize("section", sorted(ORPHANING))
def test_no_page_ends_with_a_heading(section: str) -> None:
    """Whatever comes before it, a section's heading (and a table's headings) is on the page
    of the section's first lines."""
    endings = []
    for count in ORPHANING[section]:
        rows = section_rows(section, count)
        endings += page_endings(render_statement_pdf(statement(**{section: rows}), "en-US"))
    assert len(endings) >= len(ORPHANING[section])  # each crosses a page at least once
    assert not [text for text in endings if text in SECTION_HEADINGS | TABLE_HEADINGS]


def converted(statement_: dict[str, Any], rates: str) -> dict[str, Any]:
    """`statement_` with its balances also in EUR, from the rates file `rates`."""
    balances = [
        row | {f"converted_{f}_minor": row[f"{f}_minor"] for f in
               ("opening", "earned", "paid", "closing")}
        for row in statement_["balances"]
    ]  # fmt: skip
    return statement_ | {
        "balances": balances,
        "conversion": {"currency": "EUR", "rates": rates, "first_rate_date": "2026-01-02",
                       "last_rate_date": "2026-03-31"},
    }  # fmt: skip


def test_the_converted_balance_starts_under_its_heading_whatever_its_rates_line() -> None:
    """The heading of the converted balance keeps its rates line (as long as a long path makes
    it) and the table's first rows on its page."""
    rates = "/srv/finance/" + "ecb-reference-rates/" * 14 + "eurofxref-hist.csv"  # 3 lines
    endings = []
    for count in (20, 21, 22, 56, 57, 58):  # 21 and 57 split it from its table at 2 lines kept
        refunds = section_rows("adjustments", count)
        pdf = render_statement_pdf(converted(statement(adjustments=refunds), rates), "en-US")
        endings += page_endings(pdf)
    assert len(endings) >= 6
    assert not [
        text for text in endings
        if text == "In EUR" or text.startswith(("Every amount converted", "From Owed"))
        or "ecb-reference-rates" in text
    ]  # fmt: skip


def test_a_chart_longer_than_a_page_goes_on_over_the_next() -> None:
    """An all-time statement of a creator selling for years has more months than a page
    holds: the chart goes on with its currency named again ("EUR (continued)"), every bar
    with its month and amount on one page, never a page holding a stray bar (as when the bars
    ran past the foot of the page, each label, bar and amount breaking to a page of its own)."""
    months = section_rows("months", 60) + [
        line(f"2026-{n:02d}", "USD", 1000, 900, 100 * n) for n in range(1, 13)
    ]
    pdf = render_statement_pdf(statement(months=months), "en-US")
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) <= 6
    charted = "\n".join(page.extract_text() for page in pages[:2]).replace("\xa0", " ")
    assert "EUR (continued)" in charted
    for year, month in ((2010, "January"), (2013, "June"), (2014, "December")):
        assert f"{month} {year} €4.00" in charted  # a bar's month and amount on one line
    for page in pages:
        assert len(page.extract_text().splitlines()) > 5


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Zoë Ørsted-Łukasiewicz", "Zoë Ørsted-Łukasiewicz"),
        ("Ольга Ἀθηνᾶ", "Ольга Ἀθηνᾶ"),
        ("山田 太郎", "?? ??"),  # no CJK in the font: shown as such, never silently dropped
        ("bell\x07 tab\there", "bell\\x07 tab here"),
        ("rtl\u200fmark", "rtlmark"),
    ],
)
def test_names_the_font_cannot_draw_are_marked(name: str, shown: str) -> None:
    pdf = render_statement_pdf(statement(creator={"slug": "x", "name": name}), "en-US")
    assert f"Revenue statement: {shown}" in text_of(pdf)


def test_months_and_money_of_a_script_the_font_lacks_are_written_for_en_us() -> None:
    for locale in ("ar-EG", "ja-JP"):
        text = text_of(render_statement_pdf(statement(), locale))
        assert "January 2026" in text and "€27.70" in text and "KWD13.146" in text, locale
        assert "?" not in text, locale
    assert "Jänner 2026" in text_of(render_statement_pdf(statement(), "de-AT"))  # Austrian
    assert "€27.70" in text_of(render_statement_pdf(statement(), "en-IE"))


def test_the_period_is_the_orgs_days() -> None:
    pdf = render_statement_pdf(statement(timezone="Asia/Tokyo"), "en-US")
    assert "Period: 2026-01-01 to 2026-03-31 (Asia/Tokyo)" in text_of(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None  # March 31st ends at 15:00 UTC in Tokyo
    assert reader.metadata["/CreationDate"] == "D:20260331150000Z"
