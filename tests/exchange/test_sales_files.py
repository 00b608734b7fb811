"""Reading sales files: CSV and YAML lines into exact values, every problem with its place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.errors import InvalidInputError, Problem
from volmify_cli.exchange.sales_csv import read_sales_csv
from volmify_cli.exchange.sales_files import open_sales_file
from volmify_cli.inputs.sales import SaleLine

HEADER = "order_id,sold_at,product,plan,market,currency,amount,tax,fee,refunded,quantity,customer"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are named as the user typed them: relative to the working directory."""
    monkeypatch.chdir(tmp_path)


def read(tmp_path: Path, text: str, name: str = "s.csv") -> list[SaleLine | Problem]:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return list(open_sales_file(path).lines)


def messages(items: list[SaleLine | Problem]) -> list[str]:
    return [str(item).split("/")[-1] for item in items if isinstance(item, Problem)]


def test_a_line_becomes_exact_minor_units_and_utc(tmp_path: Path) -> None:
    (line,) = read(
        tmp_path,
        "\ufeff" + HEADER + "\nA-1,2026-03-01T14:30:00+02:00,p,basic,us,KWD,15.25,0.5,0.125,1,2,"
        "Ana@Example.ORG\n",
    )
    assert isinstance(line, SaleLine)
    assert (line.amount, line.tax, line.fee, line.refunded) == (15250, 500, 125, 1000)
    assert line.sold_at == dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC)
    assert (line.quantity, line.customer, line.variant, line.coupon) == (
        2,
        "ana@example.org",
        None,
        None,
    )
    # the refund returns its part of the tax: 500 * 1000 / 15250 = 32.8 -> 33 (SPEC 5)
    assert (line.tax_refunded, line.net) == (33, 15250 - 500 - 125 - (1000 - 33))
    assert line.line == 2


def test_a_date_without_time_is_midnight_utc_and_jpy_has_no_decimals(tmp_path: Path) -> None:
    (line,) = read(tmp_path, HEADER + "\nA,2026-03-01,p,basic,jp,JPY,6500,,,,,\n")
    assert isinstance(line, SaleLine)
    assert line.sold_at == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert (line.amount, line.tax, line.fee, line.refunded, line.quantity) == (6500, 0, 0, 0, 1)


def test_every_problem_of_the_file_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        HEADER + "\n"
        "A,2026-03-01,p,basic,jp,JPY,1000.5,,,,,\n"  # line 2
        "B,2026-03-01,p,basic,kw,KWD,1.2345,,,,,\n"  # line 3
        "C,2026-03-01,p,basic,us,USD,10.00,,,10.01,,\n"  # line 4
        "D,yesterday,p,basic,us,USD,10.00,,,,,\n"  # line 5
        "E,2026-03-01,p,basic,us,XYZ,10.00,,,,,\n"  # line 6
        "F,2026-03-01,p,basic,us,USD,-1.00,,,,0,not-an-email\n"  # line 7
        ",2026-03-01,,basic,us,USD,1,,,,,\n"  # line 8
        "G,2026-03-01,p,basic,us,USD,1.00,2.00,,,,\n"  # line 9
        "H,2026-03-01,p,basic,us,USD\n"  # line 10
    )
    found = [str(item) for item in read(tmp_path, text) if isinstance(item, Problem)]
    assert found == [
        "s.csv:2: amount: amount '1000.5' has too many decimals for JPY (no decimals)",
        "s.csv:3: amount: amount '1.2345' has too many decimals for KWD (at most 3 decimals)",
        "s.csv:4: refunded: refunded 10.01 is more than the amount 10.00",
        "s.csv:5: sold_at: sold_at 'yesterday' is not an ISO 8601 date or date-time (e.g. 2026-03-01 or 2026-03-01T14:30:00Z)",
        "s.csv:6: currency: currency 'XYZ' is not an ISO 4217 code",
        "s.csv:7: amount: amount '-1.00' must not be negative",
        "s.csv:7: quantity: quantity must be at least 1, not 0",
        "s.csv:7: customer: e-mail 'not-an-email' is not a valid address",
        "s.csv:8: order_id: order_id is required",
        "s.csv:8: product: product is required",
        "s.csv:9: tax: tax 2.00 is more than the amount 1.00",
        "s.csv:10: expected 12 fields, found 6",
    ]


def test_an_amount_too_large_for_a_sale_line_is_a_problem_of_its_line(tmp_path: Path) -> None:
    text = (
        HEADER + "\n"
        "A,2026-03-01,p,basic,jp,JPY,99999999999999999999999,,,,,\n"  # line 2
        "B,2026-03-01,p,basic,us,USD,10000000000000.00,,,,,\n"  # line 3: the limit itself
        "C,2026-03-01,p,basic,kw,KWD,10.000,,10000000000000.001,,,\n"  # line 4
    )
    assert messages(read(tmp_path, text)) == [
        "s.csv:2: amount: amount '99999999999999999999999' is too large"
        " (at most 1,000,000,000,000,000 JPY)",
        "s.csv:4: fee: fee '10000000000000.001' is too large (at most 1,000,000,000,000 KWD)",
    ]


def test_line_numbers_follow_physical_lines_past_a_quoted_newline(tmp_path: Path) -> None:
    text = HEADER + '\n"A\nB",2026-03-01,p,basic,us,USD,1.00,,,,,\n\nC,bad,p,basic,us,USD,1,,,,,\n'
    items = read(tmp_path, text)
    # an order_id is one line (issue 14): the record spanning lines 2-3 is refused, at line 2
    assert [str(p) for p in items] == [
        "s.csv:2: order_id: 'A\\nB' contains a control character (U+000A LINE FEED) at character 2"
        " (names, titles, slugs, codes, e-mails and ids hold no control characters or line breaks)",
        "s.csv:5: sold_at: sold_at 'bad' is not an ISO 8601 date or date-time (e.g. 2026-03-01 or 2026-03-01T14:30:00Z)",
    ]


def test_a_bad_header_stops_reading(tmp_path: Path) -> None:
    items = read(tmp_path, "order_id,sold_at,product,plan,market,currency,amout,amout\nA\n")
    assert [str(p) for p in items] == [
        "s.csv:1: amout: unknown column 'amout' (known: amount, coupon, currency, customer, fee, market, order_id, plan, product, quantity, refunded, refunded_at, sold_at, tax, tax_refunded, variant)",
        "s.csv:1: amout: column 'amout' appears twice",
        "s.csv:1: amount: missing column 'amount'",
    ]


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_file_separated_by_semicolons_or_tabs_is_read_like_one_with_commas(
    tmp_path: Path, separator: str
) -> None:
    """A spreadsheet saving CSV where the decimal mark is a comma separates fields with
    semicolons; its header says so (it holds no comma). A decimal comma is still refused."""
    rows = [
        HEADER,
        "A-1,2026-03-01,p,basic,us,USD,15.25,0.50,,,,",
        "A-2,2026-03-02,p,basic,us,USD,9,,,,,",
    ]
    commas = read(tmp_path, "\r\n".join(rows) + "\r\n", "commas.csv")
    other = read(tmp_path, "\r\n".join(r.replace(",", separator) for r in rows) + "\r\n")
    assert [line.amount for line in other if isinstance(line, SaleLine)] == [1525, 900]
    assert [(line.order_id, line.amount, line.tax, line.line) for line in other] == [
        (line.order_id, line.amount, line.tax, line.line) for line in commas
    ]
    decimal_comma = HEADER.replace(",", ";") + "\nA-1;2026-03-01;p;basic;us;USD;15,25;;;;;\n"
    assert messages(read(tmp_path, decimal_comma)) == [
        "s.csv:2: amount: amount '15,25' is not a decimal number like \"49.00\""
    ]
    # a comma in the header wins: a semicolon inside a field is that field's
    quoted = HEADER + "\nA;1,2026-03-01,p,basic,us,USD,1,,,,,\n"
    assert [line.order_id for line in read(tmp_path, quoted) if isinstance(line, SaleLine)] == [
        "A;1"
    ]


def test_empty_and_non_utf8_files_are_problems_not_tracebacks(tmp_path: Path) -> None:
    assert [str(p) for p in read(tmp_path, "")] == [
        "s.csv: the file is empty (a header row is required)"
    ]
    path = Path("latin.csv")
    path.write_bytes((HEADER + "\nA,2026-03-01,caf\xe9,basic,us,USD,1,,,,,\n").encode("latin-1"))
    (problem,) = list(read_sales_csv(path, name="latin.csv"))
    assert isinstance(problem, Problem) and "not UTF-8" in problem.message


@given(
    currency=st.sampled_from(["USD", "EUR", "JPY", "KWD"]),
    amounts=st.lists(st.integers(min_value=0, max_value=10**12), min_size=4, max_size=4),
)
def test_amounts_written_with_the_currency_digits_read_back_exactly(
    currency: str, amounts: list[int]
) -> None:
    from volmify_cli.inputs.sales import parse_line
    from volmify_cli.money import format_amount

    amount, tax, fee, refunded = sorted(amounts, reverse=True)
    values = {
        "order_id": "X", "sold_at": "2026-01-01", "product": "p", "plan": "q", "market": "m",
        "currency": currency, "amount": format_amount(amount, currency),
        "tax": format_amount(tax, currency), "fee": format_amount(fee, currency),
        "refunded": format_amount(refunded, currency),
    }  # fmt: skip
    line = parse_line(values, file="f", line=2)
    assert isinstance(line, SaleLine)
    assert (line.amount, line.tax, line.fee, line.refunded) == (amount, tax, fee, refunded)


YAML = """\
version: 1
kind: sales
org: acme
sales:
  - {order_id: A1, sold_at: 2026-03-01, product: p, plan: basic, market: us, currency: USD, amount: "49.00"}
  - order_id: 12345
    sold_at: 2026-03-02T10:00:00Z
    product: p
    variant: standard
    plan: basic
    market: jp
    currency: JPY
    amount: 6500
    coupon: spring10
"""


def test_yaml_sales_read_like_csv_and_name_their_org(tmp_path: Path) -> None:
    path = Path("s.yaml")
    path.write_text(YAML)
    source = open_sales_file(path)
    first, second = list(source.lines)
    assert source.org == "acme"
    assert isinstance(first, SaleLine) and isinstance(second, SaleLine)
    assert (first.amount, first.line) == (4900, 5)
    assert (second.order_id, second.amount, second.variant, second.coupon) == (
        "12345", 6500, "standard", "SPRING10"
    )  # fmt: skip


def test_yaml_problems_name_line_column_and_path(tmp_path: Path) -> None:
    text = YAML.replace('amount: "49.00"', "amount: 49.00, colour: red").replace(
        "amount: 6500", "amount: '65.5'"
    )
    path = Path("s.yaml")
    path.write_text(text)
    found = [str(p) for p in open_sales_file(path).lines]
    assert found == [
        's.yaml:5:101: sales[0].amount: amount 49.00 must be quoted ("49.00"): an unquoted decimal is a float',
        "s.yaml:5:108: sales[0]: unknown key 'colour'",
        "s.yaml:13:13: sales[1].amount: amount '65.5' has too many decimals for JPY (no decimals)",
    ]


def test_a_yaml_document_of_another_kind_is_refused(tmp_path: Path) -> None:
    path = Path("s.yml")
    path.write_text("version: 1\nkind: catalog\nsales: []\n")
    with pytest.raises(InvalidInputError) as caught:
        open_sales_file(path)
    assert [str(p) for p in caught.value.problems] == [
        "s.yml:2:7: kind: kind is 'catalog', expected sales"
    ]


def test_a_line_may_say_what_tax_its_refund_returned(tmp_path: Path) -> None:
    header = "order_id,sold_at,product,plan,market,currency,amount,tax,fee,refunded,tax_refunded"
    items = read(
        tmp_path,
        f"{header}\n"
        "A-1,2026-03-01,p,basic,eu,EUR,35.00,5.59,1.31,17.50,2.00\n"  # as the processor says
        "A-2,2026-03-01,p,basic,eu,EUR,35.00,5.59,1.31,17.50,\n"  # not given: its part, 2.80
        "A-3,2026-03-01,p,basic,eu,EUR,35.00,5.59,1.31,17.50,6.00\n"  # more than the tax
        "A-4,2026-03-01,p,basic,eu,EUR,35.00,5.59,1.31,1.00,2.00\n",  # more than the refund
    )
    first, second = (item for item in items if isinstance(item, SaleLine))
    assert (first.tax_refunded, first.net) == (200, 3500 - 559 - 131 - (1750 - 200))
    assert (second.tax_refunded_given, second.tax_refunded, second.net) == (None, 280, 1340)
    assert messages(items) == [
        "s.csv:4: tax_refunded: tax_refunded 6.00 is more than the tax 5.59",
        "s.csv:5: tax_refunded: tax_refunded 2.00 is more than the refund 1.00",
    ]
