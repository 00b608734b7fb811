"""A fixed-amount offer's amounts, one per currency (issue 20): read from the options of `offers
create|update` by the rule book's OFFER_AMOUNT (as the catalog reader reads `amount:` and
`amounts:`), loaded for `offers show|list` and for the pricing rules, and shown.

An offer applies to a price only in a currency it has an amount in; `offers update --amount
4.50:EUR` adds or replaces the EUR amount, `--remove-amount EUR` removes it (never the last one:
a fixed-amount offer keeps at least one amount)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.errors import NotFoundError, RuleError, UsageError
from volmify_cli.inputs.catalog_schema import check_currency
from volmify_cli.models.offers import OrgDiscountAmount
from volmify_cli.money import format_amount
from volmify_cli.rulebook import OFFER_AMOUNT

AMOUNT_FORMS = "--amount AMOUNT:CURRENCY (once per currency), or --amount AMOUNT --currency CODE"


class OfferAmountRead(TypedDict):
    currency: str
    amount_minor: int
    amount: str


def _currency(code: str) -> str:
    """An ISO 4217 code as a command takes it (any letter case). Raises RuleError."""
    return check_currency(code.strip().upper())


def amounts_from_options(amounts: Sequence[str], currency: str | None) -> dict[str, int]:
    """`--amount AMOUNT:CURRENCY` (repeatable) or `--amount AMOUNT --currency CODE` as
    currency -> minor units, each amount read in its currency by the rule book. Raises
    UsageError (an amount without a currency, `--currency` with no amount to go with, two
    amounts in one currency) and RuleError (an unknown currency, an amount the rule refuses)."""
    found: dict[str, int] = {}
    took_currency = False
    for written in amounts:
        text, colon, code = written.rpartition(":")
        if not colon:
            if currency is None:
                raise UsageError(
                    f"--amount {written} names no currency",
                    f"write --amount {written}:CURRENCY, or add --currency CODE",
                )
            text, code, took_currency = written, currency, True
        code = _currency(code)
        if code in found:
            raise UsageError(f"two amounts in {code}: give one --amount per currency")
        found[code] = OFFER_AMOUNT.parse(text, code)
    if currency is not None and not took_currency:
        raise UsageError(
            "--currency goes with an --amount written without a currency",
            f"write {AMOUNT_FORMS}",
        )
    return found


def changed_amounts(
    offer: str,
    stored: Mapping[str, int],
    amounts: Sequence[str],
    currency: str | None,
    remove: Sequence[str],
) -> dict[str, int] | None:
    """A fixed-amount offer's amounts after `offers update`: `amounts` added or replacing the
    amount in their currency, the currencies in `remove` taken out. None when nothing was
    asked. Raises UsageError, RuleError (an amount refused; no amount would be left),
    NotFoundError (a currency to remove the offer has no amount in)."""
    if not amounts and currency is None and not remove:
        return None
    given = amounts_from_options(amounts, currency)
    result = dict(stored) | given
    for written in remove:
        code = _currency(written)
        if code in given:
            raise UsageError(f"--amount and --remove-amount both name {code}")
        if code not in result:
            raise NotFoundError(
                f"offer {offer!r} has no amount in {code}"
                + (f" (it has {', '.join(sorted(stored))})" if stored else "")
            )
        del result[code]
    if not result:
        raise RuleError(
            f"offer {offer!r} would have no amount left: a fixed-amount offer keeps at least one",
            "add an amount in another currency first (--amount AMOUNT:CURRENCY),"
            " or delete the offer",
        )
    return result


def load_amounts(
    session: Session, org_id: uuid.UUID, offer_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    """Each offer's amounts by currency code (one query); an offer without any is left out."""
    if not offer_ids:
        return {}
    found: dict[uuid.UUID, dict[str, int]] = {}
    for offer_id, code, minor in session.exec(
        select(
            OrgDiscountAmount.discount_id,
            OrgDiscountAmount.currency_code,
            OrgDiscountAmount.amount_minor,
        )
        .where(
            OrgDiscountAmount.org_id == org_id,
            col(OrgDiscountAmount.discount_id).in_(list(offer_ids)),
        )
        .order_by(col(OrgDiscountAmount.currency_code))
    ):
        found.setdefault(offer_id, {})[code] = minor
    return found


def amounts_read(amounts: Mapping[str, int]) -> list[OfferAmountRead]:
    """The amounts as `offers show|list` give them, by currency code."""
    return [
        OfferAmountRead(
            currency=code, amount_minor=amounts[code], amount=format_amount(amounts[code], code)
        )
        for code in sorted(amounts)
    ]
