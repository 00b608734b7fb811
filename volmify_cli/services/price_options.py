"""The command-line forms of prices: `--price us=19.99` (in the market's currency),
`--price eu=1500:JPY`, `--compare-at us=29.99`, `--setup-fee us=5`, `--usage-tier us=100:0.10`
(`inf` for the last, unlimited tier). Malformed text is a usage error (exit 2); the amounts
themselves are read later by `services.prices`: prices with the currency's ISO digits, a usage
tier's unit price to 12 decimals (`rulebook.UNIT_PRICE`: `--usage-tier us=1000:0.005`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from volmify_cli.errors import RuleError, UsageError
from volmify_cli.rules import parse_whole_number
from volmify_cli.services.prices import PriceInput, UsageTierInput

UNLIMITED = ("", "inf", "*")


def _split(option: str, value: str, form: str) -> tuple[str, str]:
    market, sep, rest = value.partition("=")
    if not sep or not market.strip() or not rest.strip():
        raise UsageError(f"{option} {value!r} is not written as {form}")
    return market.strip(), rest.strip()


@dataclass
class _Draft:
    market: str
    amount: str | None = None
    currency: str | None = None
    compare_at: str | None = None
    setup_fee: str | None = None
    tiers: list[UsageTierInput] = field(default_factory=list)


def parse_price_options(
    *,
    prices: Sequence[str] = (),
    compare_at: Sequence[str] = (),
    setup_fees: Sequence[str] = (),
    usage_tiers: Sequence[str] = (),
) -> list[PriceInput]:
    """Group `--price`, `--compare-at`, `--setup-fee` and `--usage-tier` values by market.
    Raises UsageError (exit 2) for a malformed value or a market given twice in one option."""
    drafts: dict[str, _Draft] = {}

    def draft(market: str) -> _Draft:
        return drafts.setdefault(market, _Draft(market))

    for value in prices:
        market, rest = _split("--price", value, "MARKET=AMOUNT or MARKET=AMOUNT:CURRENCY")
        amount, sep, currency = rest.partition(":")
        if sep and not currency.strip():
            raise UsageError(f"--price {value!r} names no currency after ':'")
        target = draft(market)
        if target.amount is not None:
            raise UsageError(f"market {market!r} is given twice in --price")
        target.amount = amount.strip()
        target.currency = currency.strip().upper() if sep else None
    for value in compare_at:
        market, amount = _split("--compare-at", value, "MARKET=AMOUNT")
        target = draft(market)
        if target.compare_at is not None:
            raise UsageError(f"market {market!r} is given twice in --compare-at")
        target.compare_at = amount
    for value in setup_fees:
        market, amount = _split("--setup-fee", value, "MARKET=AMOUNT")
        target = draft(market)
        if target.setup_fee is not None:
            raise UsageError(f"market {market!r} is given twice in --setup-fee")
        target.setup_fee = amount
    for value in usage_tiers:
        market, rest = _split("--usage-tier", value, "MARKET=UPTO:AMOUNT (UPTO may be inf)")
        up_to_text, sep, amount = rest.partition(":")
        if not sep or not amount.strip():
            raise UsageError(f"--usage-tier {value!r} is not written as MARKET=UPTO:AMOUNT")
        up_to_text = up_to_text.strip().lower()
        if up_to_text in UNLIMITED:
            up_to = None
        else:
            try:
                up_to = parse_whole_number(up_to_text, low=0)  # 1 or more: a rule (exit 1)
            except RuleError as exc:
                raise UsageError(
                    f"--usage-tier {value!r}: {up_to_text!r} is not a unit count or inf", exc.reason
                ) from None
        draft(market).tiers.append(UsageTierInput(up_to, amount.strip()))
    return [
        PriceInput(
            market=d.market,
            amount=d.amount,
            currency=d.currency,
            compare_at=d.compare_at,
            setup_fee=d.setup_fee,
            usage_tiers=tuple(d.tiers) if d.tiers else None,
        )
        for d in drafts.values()
    ]
