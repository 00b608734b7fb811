"""Market prices of payment plans: one price per (plan, market), in the market's currency unless
another is given, parsed from the text a person wrote with the currency's ISO 4217 digits.

`resolve_prices` turns what a command gives (the command-line forms are read by
`services.price_options`) into the plan's whole price list as the catalog reader builds it;
`services.plan_writes` writes it the catalog's way.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NotRequired, TypedDict

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from volmify_cli.db.bulk import chunks, table_of
from volmify_cli.enums import PlanType, PricingModel, TaxBehavior
from volmify_cli.errors import NotFoundError, RuleError, UsageError
from volmify_cli.inputs.catalog_model import Price
from volmify_cli.inputs.price_rules import (
    compare_at_problem,
    finer_price_hint,
    setup_fee_problem,
    tier_steps_problems,
    tiers_problem,
)
from volmify_cli.models.markets import OrgMarket
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import (
    OrgProductVariantPaymentPlanMarketPrice,
    OrgProductVariantPaymentPlanUsageTier,
)
from volmify_cli.money import (
    MoneyError,
    format_amount,
    format_unit_amount,
    is_currency,
    parse_amount,
)
from volmify_cli.rulebook import UNIT_PRICE, UP_TO_UNITS, usage_amount_problem
from volmify_cli.rules import check_currency_code
from volmify_cli.services import lookup


@dataclass(frozen=True)
class UsageTierInput:
    up_to: int | None  # None: no upper limit (the last tier)
    amount: str | int


@dataclass(frozen=True)
class PriceInput:
    """A price for one market. `amount` None changes only the parts given of an existing price;
    an amount replaces the whole price (its compare-at, setup fee and usage tiers too)."""

    market: str
    amount: str | int | None = None
    currency: str | None = None
    compare_at: str | int | None = None
    setup_fee: str | int | None = None
    usage_tiers: tuple[UsageTierInput, ...] | None = None


class PriceRead(TypedDict):
    market: str
    currency: str
    amount_minor: int
    amount: str
    compare_at_minor: int | None
    compare_at: str | None
    setup_fee_minor: int | None
    setup_fee: str | None
    # only on a per_unit usage-based plan's price: its unit price (its amount is then 0),
    # exact: "0.005"; other prices keep the shape they always had
    unit_amount_e12: NotRequired[int]
    unit_amount: NotRequired[str]


class UsageTierRead(TypedDict):
    market: str
    up_to: int | None
    unit_amount_e12: int  # 10**-12 major units of the price's currency
    unit_amount: str  # exact: "0.005"


# -- writing ------------------------------------------------------------------------------------


def _money(value: str | int, currency: str, market: str, what: str) -> int:
    try:
        return parse_amount(value, currency)
    except MoneyError as exc:
        raise MoneyError(f"{what} in market {market!r}: {exc.reason}", exc.hint) from None


def _currency(code: str, market: str) -> str:
    check_currency_code(code)
    if not is_currency(code):
        raise RuleError(
            f"currency {code!r} of the price in market {market!r} is not an ISO 4217 code",
            "see `volmify currencies list`",
        )
    return code


def _resolve(
    session: Session,
    org: Org,
    plan: str,
    plan_type: PlanType,
    price: PriceInput,
    current: Mapping[str, Price],
    usage_model: PricingModel | None,
) -> Price:
    """The whole price a command asks for in one market, from what it gives and what is
    stored."""
    market = lookup.get_market(session, org, price.market)
    slug = market.slug
    row = current.get(slug)
    per_unit = usage_model is PricingModel.PER_UNIT
    unit_amount = None
    if price.amount is None:
        if row is None:
            raise RuleError(
                f"plan {plan!r} has no price in market {slug!r} yet",
                f"give its amount with --price {slug}=AMOUNT",
            )
        currency, amount = row.currency, row.amount
        compare_at, setup_fee = row.compare_at, row.setup_fee
        if per_unit:
            unit_amount = row.unit_amount
            if unit_amount is None:  # the plan was tiered or volume: its tiers priced it
                raise RuleError(
                    f"a per_unit plan needs its unit price in market {slug!r}",
                    f"give it with --price {slug}=AMOUNT",
                )
    else:
        currency = _currency(price.currency or market.currency_code, slug)
        if per_unit:
            # the price of a per_unit plan is its unit price: 12 decimals, as a tier's
            amount, unit_amount = 0, _unit_price(price.amount, slug, "")
        else:
            try:
                amount = _money(price.amount, currency, slug, "price")
            except MoneyError as exc:
                finer = finer_price_hint(plan_type, slug, price.amount)
                raise MoneyError(exc.reason, finer or exc.hint) from None
        compare_at = setup_fee = None
    if usage_model is not None:
        _refuse(usage_amount_problem(usage_model.value, amount), slug)
    if price.compare_at is not None:
        compare_at = _money(price.compare_at, currency, slug, "compare-at price")
    if price.setup_fee is not None:
        _refuse(setup_fee_problem(plan_type), slug)
        setup_fee = _money(price.setup_fee, currency, slug, "setup fee")
    _refuse(compare_at_problem(amount, compare_at, currency), slug)
    model = usage_model
    tiers: tuple[tuple[int | None, int], ...] = ()
    if price.usage_tiers is not None:
        _refuse(tiers_problem(plan_type, model, bool(price.usage_tiers)), slug)
        tiers = tuple(_check_tiers(price.usage_tiers, currency, slug))
    elif price.amount is None and row is not None:
        tiers = row.tiers  # a change of parts keeps the tiers; a new amount replaces them
    _refuse(tiers_problem(plan_type, model, bool(tiers)), slug)
    tax = row.tax if row is not None else TaxBehavior.INCLUSIVE.value
    return Price(slug, currency, amount, compare_at, setup_fee, tax, tiers, unit_amount)


def _refuse(problem: str | None, market: str) -> None:
    if problem is not None:
        raise RuleError(f"{problem} in market {market!r}")


def _check_tiers(
    tiers: Sequence[UsageTierInput], currency: str, market: str
) -> list[tuple[int | None, int]]:  # (up_to, unit price in 10**-12 major units)
    """The tiers of `--usage-tier` options, in the order of their bounds (options may come in
    any order), held to the same rules as a file's."""
    ordered = sorted(tiers, key=lambda t: (t.up_to is None, t.up_to or 0))
    for tier in ordered:
        if tier.up_to is not None:
            UP_TO_UNITS.check(tier.up_to)
    for _index, problem in tier_steps_problems([tier.up_to for tier in ordered]):
        _refuse(problem, market)
    return [(t.up_to, _unit_price(t.amount, market)) for t in ordered]


def _unit_price(value: str | int, market: str, what: str = "usage tier ") -> int:
    """A unit price in 10**-12 major units (`rulebook.UNIT_PRICE`), naming the market."""
    try:
        return UNIT_PRICE.parse(value)
    except RuleError as exc:
        raise RuleError(f"{what}{exc.reason} in market {market!r}", exc.hint) from None


def resolve_prices(
    session: Session,
    org: Org,
    *,
    plan: str,
    plan_type: PlanType,
    usage_model: PricingModel | None,
    current: Mapping[str, Price],
    prices: Sequence[PriceInput],
    remove: Sequence[str] = (),
) -> dict[str, Price]:
    """The plan's whole price list after adding, replacing or changing `prices` and removing
    the prices of `remove` markets, by market slug. Every value is checked; nothing is written
    here. Raises NotFoundError (a market of another org, a price to remove that does not
    exist), MoneyError or RuleError naming the market and value, UsageError."""
    markets = [p.market for p in prices]
    for market in set(markets):
        if markets.count(market) > 1:
            raise UsageError(f"market {market!r} is priced twice")
    clash = set(markets) & set(remove)
    if clash:
        raise UsageError(f"market {sorted(clash)[0]!r} is both priced and removed")
    wanted = dict(current)
    for price in prices:
        resolved = _resolve(session, org, plan, plan_type, price, wanted, usage_model)
        wanted[resolved.market] = resolved
    for slug in remove:
        gone = lookup.get_market(session, org, slug).slug
        if gone not in wanted:
            raise NotFoundError(f"plan {plan!r} has no price in market {slug!r}")
        del wanted[gone]
    if usage_model is not None:
        given = {p.market for p in prices}
        for kept in wanted.values():
            if kept.market not in given:  # a price of the plan's old model (--pricing-model)
                _check_kept(plan_type, usage_model, kept)
    return wanted


def _check_kept(plan_type: PlanType, model: PricingModel, price: Price) -> None:
    """A stored price the command leaves as it is still prices the plan's (new) model."""
    _refuse(tiers_problem(plan_type, model, bool(price.tiers)), price.market)
    if model is PricingModel.PER_UNIT and price.unit_amount is None:
        raise RuleError(
            f"a per_unit plan needs its unit price in market {price.market!r}",
            f"give it with --price {price.market}=AMOUNT",
        )


# -- reading ------------------------------------------------------------------------------------


def _price_read(
    market: str,
    currency: str,
    amount_minor: int,
    compare_at_minor: int | None,
    setup_fee_minor: int | None,
    unit_amount_e12: int | None = None,
) -> PriceRead:
    def decimal(value: int | None) -> str | None:
        return None if value is None else format_amount(value, currency)

    read = PriceRead(
        market=market,
        currency=currency,
        amount_minor=amount_minor,
        amount=format_amount(amount_minor, currency),
        compare_at_minor=compare_at_minor,
        compare_at=decimal(compare_at_minor),
        setup_fee_minor=setup_fee_minor,
        setup_fee=decimal(setup_fee_minor),
    )
    if unit_amount_e12 is not None:
        read["unit_amount_e12"] = unit_amount_e12
        read["unit_amount"] = format_unit_amount(unit_amount_e12, currency)
    return read


def prices_by_plan(
    session: Session, org_id: uuid.UUID, plan_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[PriceRead]]:
    """Every plan's prices (sorted by market slug); plain columns, no ORM objects, in chunks
    (a whole large catalog's prices are read this way by `plans list`)."""
    price, market = table_of(OrgProductVariantPaymentPlanMarketPrice), table_of(OrgMarket)
    result: dict[uuid.UUID, list[PriceRead]] = {plan_id: [] for plan_id in plan_ids}
    session.flush()  # a Core query on the session's connection does not autoflush
    for part in chunks(plan_ids):
        query = (
            core_select(
                price.c.plan_id,
                market.c.slug,
                price.c.currency_code,
                price.c.amount_minor,
                price.c.compare_at_minor,
                price.c.setup_fee_minor,
                price.c.unit_amount_e12,
            )
            .join(market, (market.c.org_id == price.c.org_id) & (market.c.id == price.c.market_id))
            .where(price.c.org_id == org_id, price.c.plan_id.in_(part))
        )
        for (
            plan_id,
            slug,
            currency,
            amount,
            compare_at,
            setup_fee,
            unit,
        ) in session.connection().execute(query):
            result[plan_id].append(_price_read(slug, currency, amount, compare_at, setup_fee, unit))
    for prices in result.values():
        prices.sort(key=lambda p: p["market"])
    return result


def usage_tiers_of(session: Session, org_id: uuid.UUID, plan_id: uuid.UUID) -> list[UsageTierRead]:
    rows = session.exec(
        select(
            OrgProductVariantPaymentPlanUsageTier,
            OrgMarket.slug,
            OrgProductVariantPaymentPlanMarketPrice.currency_code,
        )
        .join(
            OrgProductVariantPaymentPlanMarketPrice,
            (
                col(OrgProductVariantPaymentPlanMarketPrice.org_id)
                == col(OrgProductVariantPaymentPlanUsageTier.org_id)
            )
            & (
                col(OrgProductVariantPaymentPlanMarketPrice.id)
                == col(OrgProductVariantPaymentPlanUsageTier.price_id)
            ),
        )
        .join(
            OrgMarket,
            (col(OrgMarket.org_id) == col(OrgProductVariantPaymentPlanMarketPrice.org_id))
            & (col(OrgMarket.id) == col(OrgProductVariantPaymentPlanMarketPrice.market_id)),
        )
        .where(
            OrgProductVariantPaymentPlanMarketPrice.org_id == org_id,
            OrgProductVariantPaymentPlanMarketPrice.plan_id == plan_id,
        )
    )
    tiers = [
        UsageTierRead(
            market=market,
            up_to=tier.up_to_units,
            unit_amount_e12=tier.unit_amount_e12,
            unit_amount=format_unit_amount(tier.unit_amount_e12, currency),
        )
        for tier, market, currency in rows
    ]
    tiers.sort(key=lambda t: (t["market"], t["up_to"] is None, t["up_to"] or 0))
    return tiers
