"""The command-line price forms: grouped by market, malformed values are usage errors, and the
written text round trips to exact minor units."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.errors import UsageError
from volmify_cli.money import format_amount, parse_amount
from volmify_cli.services.price_options import parse_price_options
from volmify_cli.services.prices import PriceInput, UsageTierInput


def test_options_are_grouped_by_market() -> None:
    parsed = parse_price_options(
        prices=["us=19.99", "eu=17:eur"],
        compare_at=["us=29.99"],
        setup_fees=["eu=5"],
        usage_tiers=["eu=100:0.10", "eu=inf:0.05"],
    )
    assert parsed == [
        PriceInput(market="us", amount="19.99", compare_at="29.99"),
        PriceInput(
            market="eu",
            amount="17",
            currency="EUR",
            setup_fee="5",
            usage_tiers=(UsageTierInput(100, "0.10"), UsageTierInput(None, "0.05")),
        ),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prices": ["us"]}, "--price 'us' is not written as MARKET=AMOUNT"),
        ({"prices": ["=5"]}, "is not written as"),
        ({"prices": ["us="]}, "is not written as"),
        ({"prices": ["us=5:"]}, "names no currency"),
        ({"prices": ["us=5", "us=6"]}, "market 'us' is given twice in --price"),
        ({"compare_at": ["us"]}, "--compare-at 'us' is not written as MARKET=AMOUNT"),
        ({"usage_tiers": ["us=5"]}, "is not written as MARKET=UPTO:AMOUNT"),
        ({"usage_tiers": ["us=many:5"]}, "'many' is not a unit count or inf"),
    ],
)
def test_malformed_options_are_usage_errors(kwargs: dict[str, list[str]], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_price_options(**kwargs)  # type: ignore[arg-type]


@given(
    st.sampled_from(["USD", "EUR", "JPY", "KWD", "CLF"]),
    st.integers(min_value=0, max_value=10**15),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
)
def test_a_written_price_round_trips_to_minor_units(
    currency: str, amount: int, market: str
) -> None:
    text = f"{market}={format_amount(amount, currency)}:{currency.lower()}"
    (parsed,) = parse_price_options(prices=[text])
    assert (parsed.market, parsed.currency) == (market, currency)
    assert parsed.amount is not None
    assert parse_amount(parsed.amount, currency) == amount
