from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.money import (
    MoneyError,
    format_amount,
    format_percent,
    minor_units,
    parse_amount,
    parse_percent,
    parse_share,
    percent_discount,
    split_net,
)

CURRENCIES = ["USD", "EUR", "JPY", "KWD", "IQD", "CLF"]


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("49.00", "USD", 4900),
        ("49", "USD", 4900),
        (49, "USD", 4900),
        ("19.9", "EUR", 1990),
        ("6500", "JPY", 6500),
        ("15.250", "KWD", 15250),
        ("1.2345", "CLF", 12345),
        ("0", "USD", 0),
        ("012.50", "USD", 1250),
    ],
)
def test_parse_amount_reads_the_written_text_exactly(
    text: str | int, currency: str, expected: int
) -> None:
    assert parse_amount(text, currency) == expected


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("1000.5", "JPY", "too many decimals for JPY"),
        ("1.2345", "KWD", "too many decimals for KWD"),
        ("10.123", "EUR", "too many decimals for EUR"),
        ("-1.00", "USD", "must not be negative"),
        ("abc", "USD", "not a decimal number"),
        ("1,000.00", "USD", "not a decimal number"),
        ("", "USD", "not a decimal number"),
        ("1e3", "USD", "not a decimal number"),
    ],
)
def test_parse_amount_refuses_what_it_cannot_read_exactly(
    text: str, currency: str, message: str
) -> None:
    with pytest.raises(MoneyError, match=message):
        parse_amount(text, currency)


def test_floats_and_booleans_are_refused_with_a_hint_to_quote() -> None:
    with pytest.raises(MoneyError, match="quote it"):
        parse_amount(19.99, "USD")  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        parse_amount(True, "USD")


def test_unknown_currency_is_named() -> None:
    with pytest.raises(MoneyError, match="unknown currency 'XYZ'"):
        minor_units("XYZ")


def test_iso_minor_units_not_cldr() -> None:
    assert [minor_units(c) for c in ("JPY", "USD", "KWD", "IQD", "CLF")] == [0, 2, 3, 3, 4]


@given(st.sampled_from(CURRENCIES), st.integers(min_value=-(10**15), max_value=10**15))
def test_format_then_parse_round_trips(currency: str, amount: int) -> None:
    text = format_amount(amount, currency)
    assert parse_amount(text, currency, allow_negative=True) == amount
    digits = minor_units(currency)
    assert (text.split(".")[1] if "." in text else "") == (
        "" if digits == 0 else text.split(".")[1]
    )
    if digits:
        assert len(text.split(".")[1]) == digits


def test_format_amount_examples() -> None:
    assert format_amount(6500, "JPY") == "6500"
    assert format_amount(15250, "KWD") == "15.250"
    assert format_amount(-150, "USD") == "-1.50"
    assert format_amount(5, "USD") == "0.05"


@pytest.mark.parametrize(
    ("text", "bp"), [("40", 4000), ("40%", 4000), ("40.5%", 4050), ("0.01%", 1), ("100%", 10000)]
)
def test_parse_percent(text: str, bp: int) -> None:
    assert parse_percent(text) == bp


@pytest.mark.parametrize("text", ["101%", "40.555%", "-5%", "forty"])
def test_parse_percent_refuses(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_percent(text)


def test_share_in_yaml_is_percent_text_or_basis_points() -> None:
    assert parse_share("40%") == 4000
    assert parse_share(4000) == 4000
    with pytest.raises(MoneyError, match="ambiguous"):
        parse_share("4000")
    with pytest.raises(MoneyError, match=r"outside 0\.\.10000"):
        parse_share(10001)


@given(st.integers(min_value=0, max_value=10000))
def test_percent_text_round_trips(bp: int) -> None:
    assert parse_percent(format_percent(bp)) == bp


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.lists(st.integers(min_value=0, max_value=10000), max_size=6).filter(
        lambda s: sum(s) <= 10000
    ),
)
def test_split_never_loses_or_invents_a_minor_unit(net: int, shares: list[int]) -> None:
    parts, org = split_net(net, shares)
    assert sum(parts) + org == net
    if net <= 0:
        assert parts == [0] * len(shares) and org == net
    else:
        for part, bp in zip(parts, shares, strict=True):
            assert part == net * bp // 10000  # floor, computed independently
            assert 0 <= part <= net
        assert org >= 0


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10000))
def test_percent_discount_is_half_up_and_within_the_amount(amount: int, bp: int) -> None:
    discount = percent_discount(amount, bp)
    assert 0 <= discount <= amount
    exact_times_2 = 2 * amount * bp  # compare 2*discount*10000 to the exact value, in integers
    assert 2 * discount * 10000 - 10000 <= exact_times_2 < 2 * discount * 10000 + 10000


def test_percent_discount_rounds_half_up() -> None:
    assert percent_discount(1999, 2500) == 500  # 499.75 -> 500
    assert percent_discount(2, 2500) == 1  # 0.5 -> 1
    assert percent_discount(1, 2500) == 0  # 0.25 -> 0


@pytest.mark.parametrize("digits", ["١٢٣", "\uff11\uff12\uff13", "१२३", "¹²³", "1٢3"])
def test_amounts_and_percents_take_the_digits_0_to_9_only(digits: str) -> None:
    """Issue 14: `\\d` and int() read any Unicode digit; money does not."""
    from volmify_cli.rules import ASCII_DIGITS_HINT

    for parse in (lambda: parse_amount(digits, "USD"), lambda: parse_amount(f"{digits}.00", "USD"),
                  lambda: parse_percent(f"{digits[:2]}%"), lambda: parse_share(f"{digits[:2]}%")):  # fmt: skip
        with pytest.raises(MoneyError) as caught:
            parse()
        assert caught.value.hint == ASCII_DIGITS_HINT
