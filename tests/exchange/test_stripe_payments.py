"""Reading Stripe's payments export: each completed payment a sales line in exact minor units,
the rest skipped and counted, every problem with its line and Stripe column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.errors import Problem
from volmify_cli.exchange.stripe_payments import (
    ZERO_DECIMAL,
    MetadataColumns,
    StripePayments,
    converted_fee,
    plain_amount,
    spellings,
)
from volmify_cli.inputs.sales import SaleLine
from volmify_cli.money import minor_units, parse_amount

FIXTURE = Path(__file__).resolve().parent.parent.parent / "fixtures" / "stripe" / "payments.csv"
HEADER = (
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Fee,Refunded date (UTC),"
    "Status,Taxes On Fee,Customer Email,product (metadata),plan (metadata),market (metadata)"
)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are named as the user typed them: relative to the working directory."""
    monkeypatch.chdir(tmp_path)


def read(
    text: str, columns: MetadataColumns | None = None
) -> tuple[list[SaleLine], list[str], StripePayments]:
    Path("payments.csv").write_text(text, encoding="utf-8")
    payments = StripePayments(Path("payments.csv"), columns=columns)
    items = list(payments.lines)
    lines = [item for item in items if isinstance(item, SaleLine)]
    problems = [str(item) for item in items if isinstance(item, Problem)]
    return lines, problems, payments


def row(
    amount: str = "49.00",
    currency: str = "usd",
    *,
    refunded: str = "0.00",
    refunded_at: str = "",
    status: str = "Paid",
    captured: str = "true",
    fee: str = "1.72",
    product: str = "python-101",
) -> str:
    return (
        f"ch_1,2026-03-02 10:15:00,{amount},{refunded},{currency},{captured},{fee},{refunded_at},"
        f"{status},0.25,Ana@Example.org,{product},basic,us"
    )


def test_the_fixture_gives_five_sales_and_counts_the_three_that_are_not() -> None:
    payments = StripePayments(FIXTURE, name="payments.csv")
    items = list(payments.lines)
    assert all(isinstance(item, SaleLine) for item in items), items
    lines = [item for item in items if isinstance(item, SaleLine)]
    assert [
        (s.order_id, s.currency, s.amount, s.fee, s.refunded, s.variant, s.line) for s in lines
    ] == [
        ("ch_vm_0001", "USD", 4900, 172, 0, None, 2),
        ("ch_vm_0002", "EUR", 4500, 158, 0, None, 3),  # 1.71 USD x 45.00 / 48.60
        ("ch_vm_0003", "JPY", 6500, 233, 6500, None, 4),  # 1.56 USD x 6500 / 43.55
        ("ch_vm_0004", "KWD", 15250, 535, 5000, None, 5),  # 1.74 USD x 15.250 / 49.63
        ("ch_vm_0005", "USD", 120000, 3510, 0, "team", 6),
    ]  # fmt: skip
    first = lines[0]
    assert (first.product, first.plan, first.market) == ("python-101", "basic", "us")
    assert first.sold_at == dt.datetime(2026, 3, 2, 10, 15, tzinfo=dt.UTC)
    assert (first.customer, first.tax, first.quantity) == ("buyer@example.org", 0, 1)
    assert lines[2].refunded_at == dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)
    assert lines[2].net == -233  # a full refund: the processor kept its fee
    assert payments.tally() == {"skipped": {"failed": 2, "uncaptured": 1}, "fees_converted": 3}


@pytest.mark.parametrize(
    ("amount", "currency", "code", "minor"),
    [
        ("49.00", "usd", "USD", 4900),
        ("49", "usd", "USD", 4900),
        ('"1,234.50"', "usd", "USD", 123450),
        ('"12,345,678.90"', "eur", "EUR", 1234567890),
        ("6500", "jpy", "JPY", 6500),  # zero-decimal: the export writes yen
        ('"1,000,000"', "krw", "KRW", 1000000),
        ("15.250", "kwd", "KWD", 15250),  # three digits
        ("15.25", "kwd", "KWD", 15250),
        ("1000.00", "isk", "ISK", 1000),  # Stripe's two-decimal ISK, whole kronur in ISO
        ("5000", "mga", "MGA", 500000),  # whole ariary in Stripe, two digits in ISO
    ],
)
def test_amounts_are_exact_minor_units_of_the_upper_cased_currency(
    amount: str, currency: str, code: str, minor: int
) -> None:
    (line,), problems, _ = read(f"{HEADER}\n{row(amount, currency, fee='0')}\n")
    assert problems == []
    assert (line.currency, line.amount) == (code, minor)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1000.5", "jpy", "payments.csv:2: Amount: Amount '1000.5' has too many decimals for JPY (no decimals)"),
        ("1.2345", "kwd", "payments.csv:2: Amount: Amount '1.2345' has too many decimals for KWD (at most 3 decimals)"),
        ("1000.50", "isk", "payments.csv:2: Amount: Amount '1000.50' has too many decimals for ISK (no decimals)"),
        ("100.50", "mga", "payments.csv:2: Amount: Amount '100.50': Stripe charges MGA in whole units"),
        ('"49,00"', "eur", "payments.csv:2: Amount: Amount '49,00' is not a decimal number like \"49.00\""),
        ("49.00", "xyz", "payments.csv:2: Currency: Currency 'XYZ' is not an ISO 4217 code"),
        ("", "usd", "payments.csv:2: Amount: Amount is required"),
    ],
)  # fmt: skip
def test_an_amount_or_currency_that_cannot_be_read_is_a_problem_at_its_line_and_column(
    amount: str, currency: str, expected: str
) -> None:
    lines, problems, _ = read(f"{HEADER}\n{row(amount, currency, fee='0')}\n")
    assert (lines, problems) == ([], [expected])


def test_stripe_zero_decimal_currencies_are_whole_units_in_iso_4217_but_mga() -> None:
    assert len(ZERO_DECIMAL) == 16
    assert {code for code in ZERO_DECIMAL if minor_units(code) != 0} == {"MGA"}


def test_a_refund_is_dated_when_the_export_says_and_only_when_something_was_refunded() -> None:
    lines, problems, _ = read(
        f"{HEADER}\n"
        + row(refunded="49.00", refunded_at="2026-03-09 08:00:00", status="Refunded")
        + "\n"
        + row(refunded="10.00", status="Partially refunded").replace("ch_1", "ch_2")
        + "\n"
        + row(refunded="0.00", refunded_at="2026-03-09 08:00:00").replace("ch_1", "ch_3")
        + "\n"
    )
    assert problems == []
    assert [(s.refunded, s.refunded_at) for s in lines] == [
        (4900, dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.UTC)),
        (1000, None),  # no date: SPEC 5 dates it (the sale's date when recorded with it)
        (0, None),
    ]


def test_an_older_export_without_refund_dates_or_captured_is_read() -> None:
    header = "id,Created (UTC),Amount,Amount Refunded,Currency,Fee,Tax,Status,plan (metadata),product (metadata),market (metadata)"
    (line,), problems, _ = read(
        f"{header}\nch_9,2014-02-03 01:47,19.00,5.00,usd,0.85,0.10,Paid,basic,python-101,us\n"
    )
    assert problems == []
    assert (line.sold_at, line.amount, line.refunded, line.fee, line.tax) == (
        dt.datetime(2014, 2, 3, 1, 47, tzinfo=dt.UTC), 1900, 500, 85, 0,
    )  # fmt: skip
    assert line.refunded_at is None


def test_taxes_on_fee_stay_inside_the_fee_and_are_not_sales_tax() -> None:
    (line,), _, _ = read(f"{HEADER}\n{row(fee='1.72')}\n")
    assert (line.fee, line.tax, line.net) == (172, 0, 4900 - 172)


def test_payments_that_did_not_go_through_are_skipped_and_counted_by_reason() -> None:
    statuses = [
        ("Failed", "false"), ("failed", "false"), ("Uncaptured", "false"), ("Paid", "false"),
        ("Canceled", "false"), ("Blocked", "false"), ("Succeeded", "true"), ("Disputed", "true"),
    ]  # fmt: skip
    body = "\n".join(
        row(status=status, captured=captured, product="").replace("ch_1", f"ch_{n}")
        for n, (status, captured) in enumerate(statuses)
    )
    lines, problems, payments = read(f"{HEADER}\n{body}\n")
    # skipped rows are not read further: their empty metadata is no problem
    assert problems == ["payments.csv:8: product (metadata): product (metadata) is required"]
    assert lines == []
    assert payments.tally() == {
        "skipped": {"blocked": 1, "canceled": 1, "disputed": 1, "failed": 2, "uncaptured": 2},
        "fees_converted": 0,
    }


def test_test_mode_payments_are_skipped() -> None:
    header = HEADER + ",Mode"
    lines, problems, payments = read(
        f"{header}\n{row()},Test\n{row().replace('ch_1', 'ch_2')},Live\n"
    )
    assert ([s.order_id for s in lines], problems) == (["ch_2"], [])
    assert payments.skipped == {"test_mode": 1}


def test_a_status_or_captured_that_cannot_be_read_is_a_problem() -> None:
    lines, problems, _ = read(f"{HEADER}\n{row(status='')}\n{row(captured='yes')}\n")
    assert lines == []
    assert problems == [
        "payments.csv:2: Status: Status is required",
        "payments.csv:3: Captured: Captured 'yes' is not true or false",
    ]


def test_a_row_without_its_metadata_is_a_problem_naming_line_and_column() -> None:
    lines, problems, _ = read(
        f"{HEADER}\n{row()}\n"
        "ch_2,2026-03-03,10.00,0,usd,true,0.59,,Paid,0,,,basic,\n"
        "ch_3,not a date,10.00,12.00,usd,true,0.59,,Paid,0,not-an-email,python-101,basic,us\n"
    )
    assert [s.order_id for s in lines] == ["ch_1"]
    assert problems == [
        "payments.csv:3: product (metadata): product (metadata) is required",
        "payments.csv:3: market (metadata): market (metadata) is required",
        "payments.csv:4: Created date (UTC): Created date (UTC) 'not a date' is not an ISO 8601 date or date-time (e.g. 2026-03-01 or 2026-03-01T14:30:00Z)",
        "payments.csv:4: Amount Refunded: Amount Refunded 12.00 is more than the amount 10.00",
        "payments.csv:4: Customer Email: e-mail 'not-an-email' is not a valid address",
    ]


def test_a_header_without_the_columns_needed_is_refused_before_any_row() -> None:
    header = "id,Created date (America/New_York),Amount,Currency,Status,product (metadata)"
    lines, problems, _ = read(f"{header}\nch_1,2026-03-02,1.00,usd,Paid,p\n")
    assert lines == []
    assert problems == [
        "payments.csv:1: Created date (UTC): missing column 'Created date (UTC)' or 'Created (UTC)' (export the payments in the UTC time zone)",
        "payments.csv:1: metadata[plan]: missing column 'metadata[plan]' or 'plan (metadata)' (the column --plan-from names)",
        "payments.csv:1: metadata[market]: missing column 'metadata[market]' or 'market (metadata)' (the column --market-from names)",
    ]


def test_the_options_name_metadata_in_either_spelling_or_any_column() -> None:
    header = "id,Created date (UTC),Amount,Currency,Status,Description,metadata[tier],Offer (metadata),metadata[region]"
    columns = MetadataColumns(
        product="Description", plan="tier (metadata)", market="metadata[region]",
        variant="metadata[Offer]",
    )  # fmt: skip
    (line,), problems, _ = read(
        f"{header}\nch_1,2026-03-02,30.00,usd,Paid,data-viz,basic,team,us\n", columns
    )
    assert problems == []
    assert (line.product, line.plan, line.variant, line.market) == (
        "data-viz",
        "basic",
        "team",
        "us",
    )
    assert spellings(" metadata[plan] ") == spellings("plan (metadata)") == (
        "metadata[plan]", "plan (metadata)",
    )  # fmt: skip
    assert spellings("Description") == ("Description",)


def test_a_fee_in_the_settlement_currency_is_converted_at_the_rows_own_rate() -> None:
    header = HEADER + ",Converted Amount,Converted Currency"
    lines, problems, payments = read(
        f"{header}\n"
        f"{row('45.00', 'eur', fee='1.71')},48.60,usd\n"
        f"{row('45.00', 'eur', fee='1.31').replace('ch_1', 'ch_2')},45.00,eur\n"
        f"{row('6500', 'jpy', fee='1.50').replace('ch_1', 'ch_3')},,usd\n"
        f"{row('6500', 'jpy', fee='1.505').replace('ch_1', 'ch_4')},43.55,usd\n"
    )
    assert [(s.order_id, s.fee) for s in lines] == [("ch_1", 158), ("ch_2", 131)]
    assert problems == [
        "payments.csv:4: Converted Amount: Converted Amount is needed to convert the fee from USD to JPY",
        "payments.csv:5: Fee: Fee '1.505' has too many decimals for USD (at most 2 decimals) (in USD, Converted Currency)",
    ]
    assert payments.fees_converted == 1


def test_malformed_rows_and_files_are_problems_not_crashes() -> None:
    assert read("")[1] == ["payments.csv: the file is empty (a header row is required)"]
    assert read(f"{HEADER}\nch_1,2026-03-02\n\n{row()}\n")[1] == [
        "payments.csv:2: expected 14 fields, found 2"
    ]
    Path("payments.csv").write_bytes(f"{HEADER}\n{row()}\n".encode() + b"ch_2,\xff\n")
    problems = [
        str(p) for p in StripePayments(Path("payments.csv")).lines if isinstance(p, Problem)
    ]
    assert problems == ["payments.csv:3:6: not UTF-8 text (byte 0xff)"]


@given(
    whole=st.integers(min_value=0, max_value=10**12),
    cents=st.integers(min_value=0, max_value=99),
)
def test_thousands_separators_never_change_an_amount(whole: int, cents: int) -> None:
    written = f"{whole:,}.{cents:02d}"
    assert parse_amount(plain_amount(written, 2), "USD") == whole * 100 + cents


@given(
    fee=st.integers(min_value=0, max_value=10**9),
    amount=st.integers(min_value=1, max_value=10**12),
    converted=st.integers(min_value=1, max_value=10**12),
)
def test_a_converted_fee_is_the_exact_quotient_rounded_half_up(
    fee: int, amount: int, converted: int
) -> None:
    result = converted_fee(fee, amount, converted)
    # |result - fee * amount / converted| <= 1/2, ties up
    assert -converted <= 2 * (result * converted - fee * amount) <= converted
    assert 2 * (result * converted - fee * amount) != -converted
