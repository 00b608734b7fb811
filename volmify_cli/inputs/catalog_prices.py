"""Reading a plan's prices: market slug -> AMOUNT or {amount, currency?, compare_at?, setup_fee?,
tax?}, plus the usage tiers of a usage-based plan, into minor units of each price's currency
(a tier's unit price, and a per_unit plan's price, into 10**-12 major units:
`rulebook.UNIT_PRICE`; a tiered or volume plan's amount must be 0:
`rulebook.usage_amount_problem`).

This is the hot path of a large import (240,000 prices): a quoted amount, the common case, is
parsed straight from its text; only the long form builds a `PriceDoc`. Every problem still names
its file, line, column and path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from volmify_cli.enums import PlanType, PricingModel, TaxBehavior
from volmify_cli.errors import InvalidInputError, VolmifyError
from volmify_cli.inputs.catalog_model import Price
from volmify_cli.inputs.catalog_schema import PlanDoc, PriceDoc
from volmify_cli.inputs.documents import Problems, validate_part
from volmify_cli.inputs.fields import amount_text
from volmify_cli.inputs.marks import MarkedMap, Scalar
from volmify_cli.inputs.price_rules import (
    compare_at_problem,
    finer_price_hint,
    setup_fee_problem,
    tier_steps_problems,
    tiers_problem,
)
from volmify_cli.money import minor_units, parse_amount
from volmify_cli.rulebook import UNIT_PRICE, usage_amount_problem

INCLUSIVE = TaxBehavior.INCLUSIVE.value
_DIGITS: dict[str, int] = {}
_NONE: Mapping[str, str] = {}


def digits(currency: str) -> int:
    found = _DIGITS.get(currency)
    if found is None:
        found = _DIGITS[currency] = minor_units(currency)
    return found


# market slug -> its currency, or None when the market is unknown (then only the syntax is
# checked; the caller has reported the reference)
CurrencyOf = Callable[[str, Any, str], str | None]


def fast_minor(text: str, digits: int) -> int | None:
    """`"49.00"` -> 4900 for the common well-formed case; None sends the caller to
    `parse_amount` (which explains what is wrong)."""
    whole, dot, frac = text.partition(".")
    if (
        whole.isdigit()
        and whole.isascii()
        and (not dot or (frac.isdigit() and frac.isascii() and len(frac) <= digits))
    ):
        return int(whole + frac + "0" * (digits - len(frac)))
    return None


def _money(
    problems: Problems, file: str, value: Any, at: Any, currency: str | None, path: str
) -> int | None:
    """`value` in minor units of `currency`: a quoted amount (a `str` of a `PriceMap`, or a
    quoted `Scalar`) or a plain integer; problems are added at `at`."""
    try:
        quoted = value.__class__ is str or (value.__class__ is Scalar and not value.plain)
        text = value if quoted else amount_text(value)
        if currency is None:
            return None
        return parse_amount(str(text), currency)
    except ValueError as exc:
        problems.add(at, path, str(exc), filename=file)
    except VolmifyError as exc:
        problems.add(at, path, _reason(exc), filename=file)
    return None


def _unit_price(problems: Problems, file: str, value: Any, at: Any, path: str) -> int | None:
    """A usage tier's unit price in 10**-12 major units (`rulebook.UNIT_PRICE`: up to 12
    decimals, whatever the currency); problems are added at `at`."""
    try:
        quoted = value.__class__ is str or (value.__class__ is Scalar and not value.plain)
        return UNIT_PRICE.parse(str(value if quoted else amount_text(value)))
    except ValueError as exc:
        problems.add(at, path, str(exc), filename=file)
    except VolmifyError as exc:
        problems.add(at, path, _reason(exc), filename=file)
    return None


def _reason(exc: VolmifyError) -> str:
    return f"{exc.reason} ({exc.hint})" if exc.hint else exc.reason


def read_prices(
    problems: Problems,
    file: str,
    path: str,
    plan: PlanDoc,
    currency_of: CurrencyOf,
    currencies: Mapping[str, str] = _NONE,
) -> list[Price]:
    """The plan's prices; problems are added for every price that cannot be read.
    `currencies`: the currency of each market the files define (looked up first, without
    building the key's position and path that `currency_of` takes for its messages)."""
    prices: list[Price] = []
    written = plan.prices
    model = _usage_model(plan)
    for index, market, value in written.entries():
        currency = currencies.get(market)
        if currency is None:
            currency = currency_of(market, written.key_at(index), f"{path}.prices.{market}")
        if model is PricingModel.PER_UNIT and not isinstance(value, MarkedMap):
            where = f"{path}.prices.{market}"
            unit = _unit_price(problems, file, value, written.value_at(index), where)
            if unit is not None and currency is not None:
                prices.append(Price(market, currency, 0, None, None, INCLUSIVE, (), unit))
            continue
        if value.__class__ is str and currency is not None:
            # the common case, kept lean: a quoted amount in the market's currency
            amount = fast_minor(value, digits(currency))
            if amount is None:
                try:
                    amount = parse_amount(value, currency)
                except VolmifyError as exc:
                    where = f"{path}.prices.{market}"
                    finer = finer_price_hint(plan.type, market, value)
                    reason = f"{exc.reason} ({finer})" if finer else _reason(exc)
                    problems.add(written.value_at(index), where, reason, filename=file)
                    continue
            if model is not None and amount:
                at, where = written.value_at(index), f"{path}.prices.{market}"
                _tiered_amount(problems, file, model, amount, at, where)
            prices.append(Price(market, currency, amount, None, None, INCLUSIVE))
            continue
        where = f"{path}.prices.{market}"
        if isinstance(value, MarkedMap):
            price = _long_form(problems, file, where, market, value, currency, plan.type, model)
        else:
            minor = _money(problems, file, value, written.value_at(index), currency, where)
            price = (
                None
                if minor is None
                else Price(market, str(currency), minor, None, None, INCLUSIVE)
            )
            if price is not None and model is not None:
                _tiered_amount(problems, file, model, price.amount, written.value_at(index), where)
        if price is not None:
            prices.append(price)
    if plan.type is PlanType.USAGE_BASED:
        prices = _with_tiers(problems, file, path, plan, prices)
    elif plan.usage_tiers:
        wrong = tiers_problem(plan.type, plan.model, True)
        problems.add(plan, f"{path}.usage_tiers", str(wrong), filename=file)
    return prices


def _usage_model(plan: PlanDoc) -> PricingModel | None:
    """The pricing model of a usage-based plan (per_unit unless given); None for others."""
    if plan.type is not PlanType.USAGE_BASED:
        return None
    return plan.model or PricingModel.PER_UNIT


def _tiered_amount(
    problems: Problems,
    file: str,
    model: PricingModel,
    amount: int,
    at: Any,
    where: str,
) -> None:
    """A tiered or volume plan's amount other than 0 (`rulebook.usage_amount_problem`)."""
    wrong = usage_amount_problem(model.value, amount)
    if wrong is not None:
        problems.add(at, where, wrong, filename=file)


def _long_form(
    problems: Problems,
    file: str,
    where: str,
    market: str,
    node: MarkedMap,
    currency: str | None,
    plan_type: PlanType,
    model: PricingModel | None = None,
) -> Price | None:
    try:
        doc = validate_part(PriceDoc, node, filename=file, path=where)
    except InvalidInputError as error:
        for problem in error.problems:
            problems.add(
                (problem.line, problem.column), problem.path, problem.message, filename=file
            )
        return None
    chosen = str(doc.currency) if doc.currency is not None else currency
    unit = None
    if model is PricingModel.PER_UNIT:  # its price is its unit price: 12 decimals
        unit = _unit_price(problems, file, doc.amount, doc.amount, f"{where}.amount")
        amount: int | None = None if unit is None else 0
    else:
        amount = _money(problems, file, doc.amount, doc.amount, chosen, f"{where}.amount")
        if amount and model is not None:
            _tiered_amount(problems, file, model, amount, doc.amount, f"{where}.amount")
    compare_at = setup_fee = None
    if doc.compare_at is not None:
        compare_at = _money(
            problems, file, doc.compare_at, doc.compare_at, chosen, f"{where}.compare_at"
        )
        if amount is not None and chosen is not None:
            below = compare_at_problem(amount, compare_at, chosen)
            if below is not None:
                problems.add(doc.compare_at, f"{where}.compare_at", below, filename=file)
    if doc.setup_fee is not None:
        setup_fee = _money(
            problems, file, doc.setup_fee, doc.setup_fee, chosen, f"{where}.setup_fee"
        )
        not_here = setup_fee_problem(plan_type)
        if not_here is not None:
            problems.add(doc.setup_fee, f"{where}.setup_fee", not_here, filename=file)
    if amount is None or chosen is None:
        return None
    return Price(market, chosen, amount, compare_at, setup_fee, doc.tax.value, (), unit)


def _with_tiers(
    problems: Problems, file: str, path: str, plan: PlanDoc, prices: list[Price]
) -> list[Price]:
    tiers = plan.usage_tiers or []
    wrong = tiers_problem(plan.type, plan.model, bool(tiers))
    if wrong is not None:
        problems.add(plan, f"{path}.usage_tiers", wrong, filename=file)
        return prices
    for index, message in tier_steps_problems([tier.up_to for tier in tiers]):
        problems.add(tiers[index], f"{path}.usage_tiers[{index}].up_to", message, filename=file)
    priced = {p.market for p in prices}
    for index, tier in enumerate(tiers):
        where = f"{path}.usage_tiers[{index}]"
        for at, market, _value in tier.prices.entries():
            if market not in priced:
                problems.add(
                    tier.prices.value_at(at),
                    f"{where}.prices.{market}",
                    f"the plan has no price in market {market!r}",
                    filename=file,
                )
    result: list[Price] = []
    for price in prices:
        amounts: list[tuple[int | None, int]] = []
        for index, tier in enumerate(tiers):
            where = f"{path}.usage_tiers[{index}].prices"
            found = tier.prices.index(price.market)
            if found is None:
                problems.add(
                    tier, where, f"no unit price for market {price.market!r}", filename=file
                )
                continue
            unit_price = _unit_price(
                problems, file, tier.prices.value(found), tier.prices.value_at(found),
                f"{where}.{price.market}",
            )  # fmt: skip
            if unit_price is not None:
                amounts.append((tier.up_to, unit_price))
        result.append(
            Price(
                price.market,
                price.currency,
                price.amount,
                price.compare_at,
                price.setup_fee,
                price.tax,
                tuple(amounts),
                price.unit_amount,
            )
        )
    return result
