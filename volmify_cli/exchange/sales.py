"""Sales lines (SPEC 4.3): the columns, and one line's values read into exact, typed values.

Shared by the CSV and YAML readers, so the same text gives the same answer in both. Only the
shape of each value is checked here (dates, amounts in the currency's ISO 4217 digits, refunds
within the amount); whether the product, plan, market or coupon exists is the importer's job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from volmify_cli.errors import Problem, VolmifyError
from volmify_cli.money import is_currency, parse_amount
from volmify_cli.rules import normalize_coupon_code, normalize_email

REQUIRED = ("order_id", "sold_at", "product", "plan", "market", "currency", "amount")
OPTIONAL = ("variant", "tax", "fee", "refunded", "quantity", "customer", "coupon")
COLUMNS = frozenset(REQUIRED + OPTIONAL)
ORDER_ID_MAX = 200
MAX_QUANTITY = 1_000_000


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

    @property
    def net(self) -> int:
        return self.amount - self.tax - self.fee - self.refunded


def parse_sold_at(text: str) -> dt.datetime:
    """An ISO 8601 date or date-time; UTC when it carries no offset. Raises ValueError."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


class _Line:
    """Collects the problems of one line while its values are read."""

    __slots__ = ("file", "line", "problems")

    def __init__(self, file: str, line: int) -> None:
        self.file = file
        self.line = line
        self.problems: list[Problem] = []

    def add(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, None, column, message))


def parse_line(
    values: Mapping[str, str | None], *, file: str, line: int
) -> SaleLine | list[Problem]:
    """Read one line's values (column -> text; empty or None means not given). Returns the typed
    line, or every problem found in it."""
    found = _Line(file, line)
    text: dict[str, str] = {}
    for column in COLUMNS:
        value = values.get(column)
        text[column] = value.strip() if value else ""
    for column in REQUIRED:
        if not text[column]:
            found.add(column, f"{column} is required")

    order_id = text["order_id"]
    if len(order_id) > ORDER_ID_MAX:
        found.add("order_id", f"order_id is longer than {ORDER_ID_MAX} characters")

    sold_at = None
    if text["sold_at"]:
        try:
            sold_at = parse_sold_at(text["sold_at"])
        except ValueError:
            found.add(
                "sold_at",
                f"sold_at {text['sold_at']!r} is not an ISO 8601 date or date-time"
                " (e.g. 2026-03-01 or 2026-03-01T14:30:00Z)",
            )

    currency = text["currency"]
    amounts = {"amount": 0, "tax": 0, "fee": 0, "refunded": 0}
    if currency and not is_currency(currency):
        found.add("currency", f"currency {currency!r} is not an ISO 4217 code")
    elif currency:
        for column in amounts:
            if text[column]:
                try:
                    amounts[column] = parse_amount(text[column], currency)
                except VolmifyError as exc:
                    found.add(column, exc.reason.replace("amount", column, 1))
    amount = amounts["amount"]
    if amounts["refunded"] > amount:
        found.add(
            "refunded", f"refunded {text['refunded']} is more than the amount {text['amount']}"
        )
    if amounts["tax"] > amount:
        found.add("tax", f"tax {text['tax']} is more than the amount {text['amount']}")

    quantity = 1
    if text["quantity"]:
        if text["quantity"].isdigit() and 1 <= int(text["quantity"]) <= MAX_QUANTITY:
            quantity = int(text["quantity"])
        else:
            found.add("quantity", f"quantity {text['quantity']!r} is not a whole number >= 1")

    customer = _normalised(found, "customer", text["customer"], normalize_email)
    coupon = _normalised(found, "coupon", text["coupon"], normalize_coupon_code)
    if found.problems or sold_at is None:
        return found.problems
    return SaleLine(
        line=line,
        order_id=order_id,
        sold_at=sold_at,
        product=text["product"],
        variant=text["variant"] or None,
        plan=text["plan"],
        market=text["market"],
        currency=currency,
        amount=amount,
        tax=amounts["tax"],
        fee=amounts["fee"],
        refunded=amounts["refunded"],
        quantity=quantity,
        customer=customer,
        coupon=coupon,
    )


def _normalised(found: _Line, column: str, value: str, rule: Callable[[str], str]) -> str | None:
    if not value:
        return None
    try:
        return rule(value)
    except VolmifyError as exc:
        found.add(column, exc.reason)
        return None
