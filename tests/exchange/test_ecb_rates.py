"""ECB reference rates: both published layouts read exactly, the rate of a day, cross rates
through the euro, and one half-away-from-zero rounding per report row."""

from __future__ import annotations

import csv
import math
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.errors import InvalidInputError, NotFoundError
from volmify_cli.exchange.ecb_rates import (
    RateNotFoundError,
    Rates,
    convert,
    converted,
    parse_rates,
    read_rates,
    round_half_away_from_zero,
)
from volmify_cli.money import minor_units
from volmify_cli.reference.currencies import CURRENCIES

RATES_DIR = Path(__file__).resolve().parent.parent.parent / "fixtures" / "rates"
HIST = RATES_DIR / "eurofxref-hist.csv"
DAILY = RATES_DIR / "eurofxref.csv"
# Every currency with a column in the fixtures that ISO 4217 still lists (RUB: N/A throughout).
PUBLISHED = {
    "USD", "JPY", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK", "NOK", "RUB",
    "TRY", "AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR", "NZD",
    "PHP", "SGD", "THB", "ZAR",
}  # fmt: skip


@cache
def history() -> Rates:
    """One shared read for the property tests (a Rates only remembers the dates it used)."""
    return read_rates(HIST)


def problems_of(text: str) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        parse_rates(text.splitlines(keepends=True), "r.csv")
    assert caught.value.exit_code == 3
    return [str(problem) for problem in caught.value.problems]


def missing(rates: Rates, currency: str, day: date) -> RateNotFoundError:
    with pytest.raises(RateNotFoundError) as caught:
        rates.rate(currency, day)
    error = caught.value
    assert (error.currency, error.day, error.exit_code) == (currency, day, 1)
    assert isinstance(error, NotFoundError)
    assert f"no {currency} rate for {day.isoformat()}" in error.reason
    return error


# -- the two layouts ---------------------------------------------------------------------------


def test_the_history_layout_keeps_every_current_currency_and_skips_withdrawn_codes() -> None:
    rates = read_rates(HIST)
    assert rates.currencies == PUBLISHED  # BGN, CYP, HRK ... are columns, not currencies
    # written "1.165" (the history drops trailing zeros), kept exactly, never a float
    rate, used = rates.rate("USD", date(2026, 1, 9))
    assert (rate, used) == (Fraction(1165, 1000), date(2026, 1, 9))
    assert isinstance(rate, Fraction)
    assert rates.rate("GBP", date(2026, 1, 9))[0] == Fraction("0.8672")
    assert rates.rate("EUR", date(2020, 5, 5)) == (1, date(2020, 5, 5))
    missing(rates, "BGN", date(2026, 1, 9))


def test_the_daily_layout_spaces_and_long_date_read_as_the_history_s_last_row() -> None:
    daily, hist = read_rates(DAILY), read_rates(HIST)
    assert daily.currencies == PUBLISHED - {"ISK", "RUB"}  # stopped: no column in the daily file
    day = date(2026, 3, 31)  # written "31 March 2026"
    assert daily.rate("USD", day) == (Fraction("1.1580"), day)
    for currency in daily.currencies:
        assert daily.rate(currency, day) == hist.rate(currency, day)
    missing(daily, "USD", date(2026, 3, 30))  # nothing on or before: the file begins on 31 March


def test_rows_in_any_order_and_without_the_trailing_comma_read_alike() -> None:
    newest_first = [
        "Date, USD, JPY, \n",
        "2026-01-09, 1.1650, 182.40, \n",
        "08 January 2026, 1.1672, 182.14, \n",
    ]
    plain = ["Date,USD,JPY\r\n", "2026-01-08,1.1672,182.14\r\n", "2026-01-09,1.165,182.4\r\n"]
    for lines in (newest_first, plain, ["\ufeff" + plain[0], *plain[1:], "\n"]):
        rates = parse_rates(lines, "r.csv")
        assert rates.rate("JPY", date(2026, 1, 8)) == (Fraction("182.14"), date(2026, 1, 8))
        assert rates.rate("USD", date(2026, 1, 9)) == (Fraction("1.165"), date(2026, 1, 9))


# -- the rate of a day -------------------------------------------------------------------------


def test_a_weekend_takes_the_previous_business_day_s_rate() -> None:
    rates = read_rates(HIST)
    for saturday_or_sunday in (date(2026, 1, 10), date(2026, 1, 11)):
        assert rates.rate("USD", saturday_or_sunday) == (Fraction("1.1650"), date(2026, 1, 9))
    # 1 January is a TARGET closing day and the file begins on the 2nd: no rate on or before it
    error = missing(rates, "USD", date(2026, 1, 1))
    assert error.reason.endswith("it begins on 2026-01-02")


def test_after_its_last_date_a_file_serves_only_weekends_and_closing_days() -> None:
    friday = parse_rates(["Date,USD,\n", "2026-03-27,1.1598,\n"], "f.csv")
    assert friday.rate("USD", date(2026, 3, 29)) == (Fraction("1.1598"), date(2026, 3, 27))
    error = missing(friday, "USD", date(2026, 3, 30))  # Monday: the ECB published a rate
    assert error.reason.endswith(
        "it ends on 2026-03-27, and the ECB publishes on every business day"
    )
    assert error.hint == "use a newer rates file"
    missing(friday, "USD", date(2027, 3, 27))  # a year later: never a year-old rate
    christmas_eve = parse_rates(["Date,USD,\n", "2026-12-24,1.1,\n"], "c.csv")
    # 25 and 26 December are closing days, 27 is a Sunday; the 28th is a Monday
    assert christmas_eve.rate("USD", date(2026, 12, 27))[1] == date(2026, 12, 24)
    missing(christmas_eve, "USD", date(2026, 12, 28))
    missing(read_rates(DAILY), "USD", date(2026, 4, 1))  # the daily file of a Tuesday


def test_a_currency_that_stopped_has_no_rate_rather_than_an_old_one() -> None:
    rates = read_rates(HIST)
    assert rates.rate("ISK", date(2026, 2, 13)) == (Fraction("146.3"), date(2026, 2, 13))
    assert rates.rate("ISK", date(2026, 2, 15)) == (Fraction("146.3"), date(2026, 2, 13))
    for day in (date(2026, 2, 16), date(2026, 3, 31)):  # N/A from the 16th
        error = missing(rates, "ISK", day)
        assert error.hint == "its last rate is of 2026-02-13; an older rate is not used"
    error = missing(rates, "RUB", date(2026, 3, 2))
    assert error.reason == "no RUB rate for 2026-03-02 in " + str(HIST) + ": N/A on 2026-03-02"
    assert error.hint is None  # N/A on every row of the file


def test_a_currency_the_ecb_does_not_publish_is_named_with_the_date() -> None:
    error = missing(read_rates(HIST), "KWD", date(2026, 2, 2))
    assert error.reason.endswith(": it has no KWD column")
    with pytest.raises(RateNotFoundError, match="no KWD rate for 2026-02-02"):
        convert([(36_000, "KWD", date(2026, 2, 2))], "EUR", read_rates(HIST))


# -- converting --------------------------------------------------------------------------------


def test_a_cross_rate_goes_through_the_euro() -> None:
    rates = read_rates(HIST)
    day = date(2026, 1, 9)  # USD 1.1650, JPY 182.40, GBP 0.86720 per EUR
    assert rates.factor("USD", "JPY", day) == Fraction("182.40") / Fraction("1.1650")
    # USD 100.00 -> 100 / 1.165 EUR * 182.40 = 18240 / 1.165 = 15656.652... JPY -> 15657
    assert convert([(10_000, "USD", day)], "JPY", rates) == 15_657
    # JPY 15657 -> 15657 / 182.40 * 1.165 = 18240.405 / 182.40 = 100.00222... USD -> 10000 cents
    assert convert([(15_657, "JPY", day)], "USD", rates) == 10_000
    # GBP 50.00 -> 50 / 0.8672 * 1.165 = 58.25 / 0.8672 = 67.170203... USD -> 6717 cents
    assert convert([(5_000, "GBP", day)], "USD", rates) == 6_717
    # a Saturday converts at Friday's rates
    assert convert([(10_000, "USD", date(2026, 1, 10))], "JPY", rates) == 15_657


def test_minor_units_of_both_currencies_count() -> None:
    rates = parse_rates(["Date,JPY,KWD,\n", "2026-01-09,182.40,0.3581,\n"], "k.csv")
    day = date(2026, 1, 9)
    # EUR 10.00 (1000 cents) -> 10 * 0.3581 = 3.581 KWD = 3581 fils (3 digits)
    assert convert([(1_000, "EUR", day)], "KWD", rates) == 3_581
    # JPY 1000 (no minor unit) -> 1000 / 182.40 * 0.3581 = 1.9632675... KWD -> 1963 fils
    assert convert([(1_000, "JPY", day)], "KWD", rates) == 1_963


def test_a_row_is_summed_exactly_and_rounded_once_half_away_from_zero() -> None:
    rates = read_rates(HIST)
    day = date(2026, 1, 9)  # USD 1.1650
    # EUR 1.00 = 116.5 US cents exactly: a half rounds up, a negative half down (away from 0)
    assert converted([(100, "EUR", day)], "USD", rates) == Fraction(233, 2)
    assert convert([(100, "EUR", day)], "USD", rates) == 117
    assert convert([(-100, "EUR", day)], "USD", rates) == -117
    # rounded once: 116.5 + 116.5 = 233, where rounding each would give 234
    assert convert([(100, "EUR", day), (100, "EUR", day)], "USD", rates) == 233
    # a sale and its refund cancel exactly; a refund alone is the sale's exact opposite
    sale, refund = (10_001, "USD", date(2026, 1, 12)), (-10_001, "USD", date(2026, 1, 12))
    assert convert([sale, refund], "JPY", rates) == 0
    assert convert([refund], "JPY", rates) == -convert([sale], "JPY", rates) != 0
    assert round_half_away_from_zero(Fraction(-5, 2)) == -3
    assert round_half_away_from_zero(Fraction(-7, 3)) == -2


def test_the_source_names_the_file_and_the_dates_conversions_used() -> None:
    rates = read_rates(HIST)
    assert str(rates.source) == str(HIST)
    assert convert([(500, "USD", date(2020, 1, 1))], "USD", rates) == 500  # no rate needed
    assert rates.source.first is None
    convert([(100, "EUR", date(2026, 3, 31)), (100, "JPY", date(2026, 1, 10))], "USD", rates)
    assert (rates.source.first, rates.source.last) == (date(2026, 1, 9), date(2026, 3, 31))
    assert str(rates.source) == f"{HIST}, 2026-01-09..2026-03-31"


# -- problems ----------------------------------------------------------------------------------


def test_header_problems_name_line_and_column() -> None:
    assert problems_of("Date,USD,usd,XYZ,EUR,USD,\n2026-01-09,1,1,1,1,1,\n") == [
        "r.csv:1:10: usd: column 'usd' is not an ISO 4217 currency code",
        "r.csv:1:14: XYZ: column 'XYZ' is not an ISO 4217 currency code",
        "r.csv:1:18: EUR: EUR is the base of the rates (each rate is per 1 EUR): it has no column",
        "r.csv:1:22: USD: column 'USD' appears twice",
    ]
    assert problems_of("USD, JPY, \n1.1, 180, \n") == [
        "r.csv:1: Date: missing column 'Date' (the ECB layout: Date, USD, JPY, ...)"
    ]
    assert problems_of("") == ["r.csv: the file is empty (the ECB layout: Date, USD, JPY, ...)"]
    assert problems_of("Date, USD, \n\n") == ["r.csv: the file has no date rows"]


def test_row_problems_name_line_column_currency_and_date() -> None:
    text = (
        "Date, USD, JPY, \n"
        "2026-02-30, 1.0823, 160.10, \n"
        "2026-03-02, 1,08, 160.10, \n"
        "2026-03-03, abc, 0.00, \n"
        "2026-03-04, -1.0823, N/A, \n"
        "2026-03-05, , 160.10, \n"
        "2026-03-03, 1.0823, 160.10, \n"
        "06 Marhc 2026, 1.0823, 160.10, \n"
        "2026-03-09, \u0661.\u0660\u0668, 160.10, \n"
    )
    # "2026-03-03," is 11 characters: the USD value begins at column 13, " abc," ends at 16,
    # so the JPY value begins at column 18
    assert problems_of(text) == [
        "r.csv:2:1: Date: '2026-02-30' is not a date like 2026-03-06 or 06 March 2026",
        "r.csv:3: expected 3 fields as in the header, found 4",
        "r.csv:4:13: USD: rate 'abc' is not a decimal number like 1.0823, or N/A for no rate",
        "r.csv:4:18: JPY: rate '0.00' must be greater than zero",
        "r.csv:5:13: USD: rate '-1.0823' must be greater than zero",
        "r.csv:6:13: USD: rate '' is not a decimal number like 1.0823, or N/A for no rate",
        "r.csv:7:1: Date: date 2026-03-03 appears twice (also on line 4)",
        "r.csv:8:1: Date: '06 Marhc 2026' is not a date like 2026-03-06 or 06 March 2026",
        "r.csv:9:13: USD: rate '\u0661.\u0660\u0668' is not a decimal number like 1.0823, or N/A for no rate",
    ]


def test_a_file_that_cannot_be_read_as_text_is_an_input_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Date,USD,\n2026-01-09,1.1\xff65,\n")
    with pytest.raises(InvalidInputError) as caught:
        read_rates(bad, name="bad.csv")
    assert [str(p) for p in caught.value.problems] == ["bad.csv:2:15: not UTF-8 text (byte 0xff)"]
    with pytest.raises(InvalidInputError, match="nothing was written") as caught:
        read_rates(tmp_path / "absent.csv")
    assert "cannot read" in str(caught.value.problems[0])


# -- properties --------------------------------------------------------------------------------


@cache
def reference_rates() -> dict[date, dict[str, Fraction]]:
    """The history fixture read independently: csv.DictReader, N/A left out."""
    with HIST.open(newline="") as handle:
        return {
            date.fromisoformat(row["Date"]): {
                code: Fraction(text)
                for code, text in row.items()
                if code and code != "Date" and text != "N/A"
            }
            for row in csv.DictReader(handle)
        }


def reference_rate(currency: str, day: date) -> Fraction:
    if currency == "EUR":
        return Fraction(1)
    return reference_rates()[max(d for d in reference_rates() if d <= day)][currency]


CONVERTIBLE = ["EUR", "USD", "JPY", "GBP", "CHF", "KRW", "IDR"]
Q1_DAYS = st.dates(min_value=date(2026, 1, 2), max_value=date(2026, 3, 31))
AMOUNTS = st.lists(
    st.tuples(st.integers(-(10**12), 10**12), st.sampled_from(CONVERTIBLE), Q1_DAYS), max_size=30
)


@given(
    st.lists(st.integers(-(10**15), 10**15), max_size=20),
    st.sampled_from([code for code, *_ in CURRENCIES]),
    st.dates(),
)
def test_converting_to_the_same_currency_changes_nothing(
    amounts: list[int], currency: str, day: date
) -> None:
    assert convert([(a, currency, day) for a in amounts], currency, history()) == sum(amounts)


@given(AMOUNTS, st.sampled_from(CONVERTIBLE))
def test_a_converted_sum_is_the_exact_sum_rounded_once(
    amounts: list[tuple[int, str, date]], target: str
) -> None:
    exact = sum(
        (
            Fraction(amount, 10 ** minor_units(currency))
            * reference_rate(target, day)
            / reference_rate(currency, day)
            * 10 ** minor_units(target)
            for amount, currency, day in amounts
        ),
        Fraction(0),
    )
    magnitude = math.floor(abs(exact) + Fraction(1, 2))  # half away from zero, no float
    rounded = magnitude if exact >= 0 else -magnitude
    assert convert(amounts, target, history()) == rounded
    negated = [(-amount, currency, day) for amount, currency, day in amounts]
    assert convert(negated, target, history()) == -rounded
