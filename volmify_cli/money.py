"""Money as integer minor units: ISO 4217 digits, exact parsing, formatting and allocation.

No float ever touches an amount. Amounts are parsed from the text the user wrote into an integer
count of minor units using the currency's ISO 4217 minor units (the project's own table, not
babel's CLDR display digits).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from volmify_cli.errors import RuleError, VolmifyError
from volmify_cli.rules import ASCII_DIGITS_HINT, check_share_bp, foreign_digits

BASIS_POINTS = 10_000
# The largest amount one sale line may carry, in minor units (10 trillion USD): far below the
# 64-bit columns, so a year of a million such lines still sums without overflow.
MAX_LINE_AMOUNT_MINOR = 10**15
_SCALE = (1, 10, 100, 1_000, 10_000)  # 10**minor_units; ISO 4217 has 0..4 digits

# The digits 0-9 only: `\d` (and int()) would read "١٢٣" (Arabic-Indic) as 123.
_AMOUNT = re.compile(r"(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?")
_PERCENT = re.compile(r"(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?%?")


class MoneyError(VolmifyError):
    """An amount, currency or share that cannot be read exactly."""


@cache
def _minor_units_table() -> dict[str, int]:
    from volmify_cli.reference.currencies import CURRENCIES

    return {code: minor for code, _numeric, minor, _name, _symbol in CURRENCIES}


def is_currency(code: str) -> bool:
    return code in _minor_units_table()


def minor_units(currency: str) -> int:
    """The ISO 4217 minor units of a currency code. Raises MoneyError for an unknown code."""
    try:
        return _minor_units_table()[currency]
    except KeyError:
        raise MoneyError(
            f"unknown currency {currency!r}", "see `volmify currencies list` (ISO 4217 codes)"
        ) from None


def parse_amount(value: str | int, currency: str, *, allow_negative: bool = False) -> int:
    """Parse an amount written in major units (`"49.00"`, `"49"`, `49`) into minor units.

    Fewer decimals than the currency has are padded (`USD 49` = 4900); more are an error
    (`JPY 1000.5`). Booleans and floats are refused: a float has already lost the text that the
    user wrote. Raises MoneyError.
    """
    digits = minor_units(currency)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise MoneyError(
            f'amount {value!r} must be written as text, e.g. "19.99" (quote it in YAML)'
        )
    if isinstance(value, int):
        if value < 0 and not allow_negative:
            raise MoneyError(f"amount {value} must not be negative")
        return value * _SCALE[digits]
    text = value.strip()
    sign = 1
    if text.startswith("-"):
        if not allow_negative:
            raise MoneyError(f"amount {value!r} must not be negative")
        sign, text = -1, text[1:]
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise MoneyError(
            f'amount {value!r} is not a decimal number like "49.00"', _digits_hint(text)
        )
    frac = match.group("frac") or ""
    if len(frac) > digits:
        allowed = "no decimals" if digits == 0 else f"at most {digits} decimals"
        raise MoneyError(f"amount {value!r} has too many decimals for {currency} ({allowed})")
    return sign * int(match.group("int") + frac.ljust(digits, "0"))


def _digits_hint(text: str) -> str | None:
    return ASCII_DIGITS_HINT if foreign_digits(text) else None


def format_amount(amount_minor: int, currency: str) -> str:
    """The exact decimal text of an amount: `4900 USD` -> `"49.00"`, `6500 JPY` -> `"6500"`."""
    digits = minor_units(currency)
    sign = "-" if amount_minor < 0 else ""
    magnitude = abs(amount_minor)
    if digits == 0:
        return f"{sign}{magnitude}"
    whole, frac = divmod(magnitude, _SCALE[digits])
    return f"{sign}{whole}.{frac:0{digits}d}"


def parse_percent(value: str, what: str = "share") -> int:
    """Parse a percentage written by a person (`40`, `40%`, `40.5%`) into basis points: at most
    two decimals of a percent (one basis point, 0.01%) and at most 100%. `what` names the value
    in messages (a share, an offer's percent: `rulebook.OFFER_PERCENT`). Raises MoneyError."""
    text = value.strip()
    match = _PERCENT.fullmatch(text)
    if match is None:
        raise MoneyError(
            f"{what} {value!r} is not a percentage like 40% or 40.5%", _digits_hint(text)
        )
    frac = match.group("frac") or ""
    if len(frac) > 2:
        raise MoneyError(
            f"{what} {value!r} has more than two decimals of a percent (the smallest step is 0.01%)"
        )
    bp = int(match.group("int") + frac.ljust(2, "0"))
    if bp > BASIS_POINTS:
        raise MoneyError(f"{what} {value!r} is over 100%")
    return bp


def parse_share(value: str | int) -> int:
    """A share as written in YAML: a quoted percentage (`"40%"`) or basis points (`4000`)."""
    if isinstance(value, bool):
        raise MoneyError(f'share {value!r} must be a percentage like "40%" or basis points')
    if isinstance(value, int):
        try:
            return check_share_bp(value)
        except RuleError as exc:
            raise MoneyError(exc.reason) from None
    if not value.strip().endswith("%"):
        raise MoneyError(
            f"share {value!r} is ambiguous",
            f'write a percentage as "{value.strip()}%" or basis points as a bare integer',
        )
    return parse_percent(value)


def format_percent(bp: int) -> str:
    """Basis points as the shortest exact percentage: 4000 -> `40%`, 4050 -> `40.5%`."""
    whole, frac = divmod(bp, 100)
    return f"{whole}%" if frac == 0 else f"{whole}.{frac:02d}".rstrip("0") + "%"


def refunded_tax(tax_minor: int, refunded_minor: int, amount_minor: int) -> int:
    """The part of a sale's tax that its refund returns when the line does not say (SPEC 5):
    tax * refunded / amount, rounded half-up to the minor unit. At most the tax and at most
    the refund (tax <= amount); the whole tax for a full refund."""
    if amount_minor <= 0:
        return 0
    return (2 * tax_minor * refunded_minor + amount_minor) // (2 * amount_minor)


def line_net(amount_minor: int, tax_minor: int, fee_minor: int, refunded_minor: int,
             tax_refunded_minor: int) -> int:  # fmt: skip
    """A sales line's net (SPEC 5): amount - tax - fee - (refunded - tax_refunded). A refund
    returns its part of the tax, so a full refund leaves -fee: what the processor kept."""
    return amount_minor - tax_minor - fee_minor - (refunded_minor - tax_refunded_minor)


def split_net(net_minor: int, shares_bp: Sequence[int]) -> tuple[list[int], int]:
    """Split a net amount between recipients by their shares; the org keeps the remainder.

    Each recipient gets floor(net * share / 10000). A net of zero or less goes to the org whole:
    recipients are not charged for refunds and fees. The parts always sum exactly to `net_minor`.
    """
    if net_minor <= 0:
        return [0] * len(shares_bp), net_minor
    parts = [net_minor * bp // BASIS_POINTS for bp in shares_bp]
    return parts, net_minor - sum(parts)


def percent_discount(amount_minor: int, percent_bp: int) -> int:
    """The discount of a percentage offer, rounded half-up to the currency's minor unit."""
    return (amount_minor * percent_bp + BASIS_POINTS // 2) // BASIS_POINTS


# -- unit prices of usage-based plans ------------------------------------------------------------
# A usage tier's unit price may be a fraction of the minor unit (Stripe's `unit_amount_decimal`:
# 0.005 USD a unit). It is stored exactly as an integer count of 10**-12 major units, whatever
# the currency (BIGINT holds 9.2 million major units a unit); a charge is summed exactly in that
# scale and rounded half-up to the currency's minor unit once (`round_unit_amount`).
UNIT_PRICE_DECIMALS = 12
UNIT_PRICE_SCALE = 1_000_000_000_000  # 10**UNIT_PRICE_DECIMALS
# 10**(12 - minor units): one minor unit in 10**-12 major units, by ISO 4217 digits 0..4
_UNIT_STEP = (UNIT_PRICE_SCALE, 10**11, 10**10, 10**9, 10**8)


def parse_unit_amount(value: str | int) -> int:
    """A unit price written in major units (`"0.005"`, `"12"`, `2`) into 10**-12 major units:
    at most 12 decimals, never negative. Floats and booleans are refused, as amounts are.
    Raises MoneyError."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise MoneyError(
            f'unit price {value!r} must be written as text, e.g. "0.005" (quote it in YAML)'
        )
    if isinstance(value, int):
        if value < 0:
            raise MoneyError(f"unit price {value} must not be negative")
        return value * UNIT_PRICE_SCALE
    text = value.strip()
    if text.startswith("-"):
        raise MoneyError(f"unit price {value!r} must not be negative")
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise MoneyError(
            f'unit price {value!r} is not a decimal number like "0.005"', _digits_hint(text)
        )
    frac = match.group("frac") or ""
    if len(frac) > UNIT_PRICE_DECIMALS:
        raise MoneyError(
            f"unit price {value!r} has more than {UNIT_PRICE_DECIMALS} decimals"
            f" (the smallest step is 0.{'0' * (UNIT_PRICE_DECIMALS - 1)}1)"
        )
    return int(match.group("int") + frac.ljust(UNIT_PRICE_DECIMALS, "0"))


def format_unit_amount(amount_e12: int, currency: str) -> str:
    """The exact decimal text of an amount in 10**-12 major units, with at least the
    currency's digits and no trailing zeros beyond them: 5 * 10**9 USD -> `"0.005"`,
    5 * 10**10 USD -> `"0.05"`, 2 * 10**12 JPY -> `"2"`. `parse_unit_amount` reads it back."""
    digits = minor_units(currency)
    sign = "-" if amount_e12 < 0 else ""
    whole, frac = divmod(abs(amount_e12), UNIT_PRICE_SCALE)
    fraction = f"{frac:0{UNIT_PRICE_DECIMALS}d}".rstrip("0").ljust(digits, "0")
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def minor_to_unit_amount(amount_minor: int, currency: str) -> int:
    """Minor units of `currency` in 10**-12 major units (exact)."""
    return amount_minor * _UNIT_STEP[minor_units(currency)]


def round_unit_amount(amount_e12: int, currency: str) -> int:
    """An amount in 10**-12 major units rounded half-up to minor units of `currency` (a
    usage charge is rounded once, here). Never negative input."""
    step = _UNIT_STEP[minor_units(currency)]
    return (amount_e12 + step // 2) // step
