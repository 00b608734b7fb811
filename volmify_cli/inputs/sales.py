"""Sales lines (SPEC 4.3): the columns, and one line's values read into exact, typed values.

Shared by the CSV and YAML readers, so the same text gives the same answer in both. Only the
shape of each value is checked here (dates, amounts in the currency's ISO 4217 digits, refunds
within the amount); whether the product, plan, market or coupon exists is the importer's job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from volmify_cli.errors import Problem, VolmifyError
from volmify_cli.money import (
    MAX_LINE_AMOUNT_MINOR,
    MoneyError,
    is_currency,
    line_net,
    minor_units,
    parse_amount,
    refunded_tax,
)
from volmify_cli.rulebook import ORDER_ID, QUANTITY
from volmify_cli.rules import (
    check_line,
    normalize_coupon_code,
    normalize_email,
    parse_moment,
)

REQUIRED = ("order_id", "sold_at", "product", "plan", "market", "currency", "amount")
OPTIONAL = (
    "variant", "tax", "fee", "refunded", "quantity", "customer", "coupon", "tax_refunded",
    "refunded_at",
)  # fmt: skip
COLUMNS = REQUIRED + OPTIONAL  # the order of `parse_fields`
REQUIRED_INDEXES = tuple(range(len(REQUIRED)))
AMOUNT_INDEXES = tuple(
    COLUMNS.index(name) for name in ("amount", "tax", "fee", "refunded", "tax_refunded")
)


@dataclass(slots=True)
class SaleLine:
    """One sales line, as written in the file but typed: amounts in minor units, `sold_at` in
    UTC, the customer e-mail and coupon code normalised."""

    line: int
    order_id: str
    sold_at: dt.datetime
    product: str
    variant: str | None
    plan: str
    market: str
    currency: str
    amount: int
    tax: int
    fee: int
    refunded: int
    quantity: int
    customer: str | None
    coupon: str | None
    tax_refunded_given: int | None = None  # the `tax_refunded` column, when the line has it
    refunded_at: dt.datetime | None = None  # when the refund was made, when the line says

    @property
    def tax_refunded(self) -> int:
        """The tax the refund returned: as written, else its proportional part (SPEC 5)."""
        if self.tax_refunded_given is not None:
            return self.tax_refunded_given
        return refunded_tax(self.tax, self.refunded, self.amount)

    @property
    def net(self) -> int:
        return line_net(self.amount, self.tax, self.fee, self.refunded, self.tax_refunded)


class _Line:
    """Collects the problems of one line while its values are read."""

    __slots__ = ("file", "line", "problems")

    def __init__(self, file: str, line: int) -> None:
        self.file = file
        self.line = line
        self.problems: list[Problem] = []

    def add(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, None, column, message))


def _minor(text: str, currency: str, digits: int) -> int:
    """Minor units of a written amount. Plain `123` / `123.45` are read here directly (this runs
    for every amount of a million-line file); anything else goes to `parse_amount`, which gives
    the exact error. Raises MoneyError."""
    whole, dot, frac = text.partition(".")
    if (
        whole.isascii()
        and whole.isdigit()
        and (not dot or (frac.isascii() and frac.isdigit() and len(frac) <= digits))
    ):
        minor = int(whole + frac + "0" * (digits - len(frac)))
    else:
        minor = parse_amount(text, currency)
    if minor > MAX_LINE_AMOUNT_MINOR:
        limit = MAX_LINE_AMOUNT_MINOR // 10**digits
        raise MoneyError(f"amount {text!r} is too large (at most {limit:,} {currency})")
    return minor


def parse_line(
    values: Mapping[str, str | None], *, file: str, line: int
) -> SaleLine | list[Problem]:
    """Read one line given as column -> text (empty or None means not given)."""
    return parse_fields([values.get(column) or "" for column in COLUMNS], file=file, line=line)


def parse_fields(fields: Sequence[str], *, file: str, line: int) -> SaleLine | list[Problem]:
    """Read one line given as its texts in COLUMNS order. Returns the typed line, or every
    problem found in it."""
    found = _Line(file, line)
    if not "".join(fields).isprintable():  # one C loop per line; field by field only here
        for column, value in zip(COLUMNS, fields, strict=True):
            try:
                check_line(value)  # as written: strip() would drop a trailing \x1f or \t
            except VolmifyError as exc:
                found.add(column, f"{exc.reason} ({exc.hint})")
        if found.problems:
            return found.problems
    text = [value.strip() for value in fields]
    (order_id, sold_text, product, plan, market, currency, _amount, variant, _tax, _fee,
     _refunded, written_quantity, customer_text, coupon_text, _tax_refunded,
     refunded_text) = text  # fmt: skip
    for index in REQUIRED_INDEXES:
        if not text[index]:
            found.add(COLUMNS[index], f"{COLUMNS[index]} is required")
    if len(order_id) > ORDER_ID.max_length:
        _normalised(found, "order_id", order_id, ORDER_ID.check)

    sold_at = None
    if sold_text:
        try:
            sold_at = parse_moment(sold_text)
        except VolmifyError as exc:
            found.add("sold_at", f"sold_at {exc.reason}")

    amounts = [0, 0, 0, 0, 0]
    amount_read = False
    if currency and not is_currency(currency):
        found.add("currency", f"currency {currency!r} is not an ISO 4217 code")
    elif currency:
        digits = minor_units(currency)
        for slot, index in enumerate(AMOUNT_INDEXES):
            if text[index]:
                try:
                    amounts[slot] = _minor(text[index], currency, digits)
                    amount_read = amount_read or slot == 0
                except VolmifyError as exc:
                    reason = exc.reason.replace("amount", COLUMNS[index], 1)
                    found.add(COLUMNS[index], f"{reason} ({exc.hint})" if exc.hint else reason)
    amount, tax, fee, refunded, tax_refunded = amounts
    if amount_read and refunded > amount:  # (an unreadable amount is its own problem)
        found.add("refunded", f"refunded {_refunded} is more than the amount {_amount}")
    if amount_read and tax > amount:
        found.add("tax", f"tax {_tax} is more than the amount {_amount}")
    if _tax_refunded and tax_refunded > tax:
        found.add("tax_refunded", f"tax_refunded {_tax_refunded} is more than the tax {_tax or 0}")
    elif _tax_refunded and tax_refunded > refunded:
        found.add(
            "tax_refunded",
            f"tax_refunded {_tax_refunded} is more than the refund {_refunded or 0}",
        )

    refunded_at = None
    if refunded_text:
        try:
            refunded_at = parse_moment(refunded_text)
        except VolmifyError as exc:
            found.add("refunded_at", f"refunded_at {exc.reason}")
        else:
            if sold_at is not None and refunded_at < sold_at:
                found.add(
                    "refunded_at", f"refunded_at {refunded_text} is before sold_at {sold_text}"
                )
            if amount_read and not refunded:
                found.add("refunded_at", "refunded_at is given but nothing was refunded")

    quantity = 1
    if written_quantity:
        try:
            quantity = QUANTITY.parse(written_quantity)
        except VolmifyError as exc:
            found.add("quantity", f"{exc.reason} ({exc.hint})" if exc.hint else exc.reason)

    customer = _normalised(found, "customer", customer_text, normalize_email)
    coupon = _normalised(found, "coupon", coupon_text, normalize_coupon_code)
    if found.problems or sold_at is None:
        return found.problems
    return SaleLine(
        line, order_id, sold_at, product, variant or None, plan, market, currency, amount, tax,
        fee, refunded, quantity, customer, coupon, tax_refunded if _tax_refunded else None,
        refunded_at,
    )  # fmt: skip


def _normalised(found: _Line, column: str, value: str, rule: Callable[[str], str]) -> str | None:
    if not value:
        return None
    try:
        return rule(value)
    except VolmifyError as exc:
        found.add(column, exc.reason)
        return None
