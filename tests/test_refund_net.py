"""SPEC 5, revision 2: a refund returns its part of the tax. Property tests over amounts written
in JPY (no minor digits), USD (2) and KWD (3): the tax refunded stays within the tax and the
refund, a full refund leaves exactly -fee (what the processor kept), the split of any net sums
to it exactly, and no recipient but the org is ever charged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from volmify_cli.enums import RecipientKind
from volmify_cli.money import format_amount, line_net, parse_amount, refunded_tax
from volmify_cli.services.allocation import Recipient, Shares

CURRENCIES = st.sampled_from(["JPY", "USD", "KWD"])


@st.composite
def sales(draw: st.DrawFn) -> tuple[str, int, int, int, int]:
    """A sale as a file writes it (decimal text in the currency's digits), read back: the
    currency, amount, tax <= amount, fee and refunded <= amount in minor units."""
    currency = draw(CURRENCIES)
    amount = parse_amount(format_amount(draw(st.integers(0, 10**9)), currency), currency)
    tax = draw(st.integers(0, amount))
    fee = draw(st.integers(0, amount))
    refunded = draw(st.integers(0, amount))
    return currency, amount, tax, fee, refunded


@st.composite
def shares(draw: st.DrawFn) -> list[Recipient]:
    count = draw(st.integers(0, 4))
    bps = draw(st.lists(st.integers(0, 10_000), min_size=count, max_size=count))
    while sum(bps) > 10_000:
        bps[bps.index(max(bps))] //= 2
    return [Recipient(RecipientKind.INSTRUCTOR, f"{i:032x}", None, bp) for i, bp in enumerate(bps)]


@given(sales())
def test_the_tax_refunded_is_within_the_tax_and_the_refund(sale: tuple[str, int, int, int, int]):
    _currency, amount, tax, _fee, refunded = sale
    returned = refunded_tax(tax, refunded, amount)
    assert 0 <= returned <= min(tax, refunded)
    # half-up: within half a minor unit of the exact proportion
    if amount:
        assert abs(2 * (returned * amount - tax * refunded)) <= amount


@given(sales())
def test_a_full_refund_leaves_exactly_minus_the_fee(sale: tuple[str, int, int, int, int]):
    _currency, amount, tax, fee, _refunded = sale
    assert refunded_tax(tax, amount, amount) == tax
    assert line_net(amount, tax, fee, amount, refunded_tax(tax, amount, amount)) == -fee


@given(sales(), shares())
def test_any_net_splits_exactly_and_only_the_org_is_charged(
    sale: tuple[str, int, int, int, int], recipients: list[Recipient]
) -> None:
    _currency, amount, tax, fee, refunded = sale
    net = line_net(amount, tax, fee, refunded, refunded_tax(tax, refunded, amount))
    parts = Shares.of(recipients).split(net)
    assert sum(part[4] for part in parts) == net
    assert all(part[4] >= 0 for part in parts[:-1])  # instructors and brands
    assert parts[-1][0] == RecipientKind.ORG.value


def test_the_two_cases_finance_reported() -> None:
    """EUR 35.00 paid, tax 5.59, fee 1.31: fully refunded the org loses the fee (-1.31, not
    -6.90); half refunded (17.50) the net is 13.40 (not 10.60), and the shares are taken of it."""
    assert line_net(3500, 559, 131, 3500, refunded_tax(559, 3500, 3500)) == -131
    assert refunded_tax(559, 1750, 3500) == 280  # 279.5 rounded half-up
    assert line_net(3500, 559, 131, 1750, 280) == 1340
