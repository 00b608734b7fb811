"""The charge of a usage-based plan for a period's usage (SPEC 5, `plans price --usage N`).

- `included_units` are the first units of the period: free, and they count toward the tiers'
  bounds (`up_to` bounds the period's total usage, included units and all).
- `per_unit`: every billable unit at the plan's unit price (its price in the market, to 12
  decimals);
  `tiered` (graduated): each billable unit at the price of the tier it falls in; `volume`: every
  billable unit at the price of the tier the total usage falls in. A tier's flat amount, where
  one is stored, is charged once when billable units fall in the tier (graduated) or when the
  total falls in it and something is billable (volume).
- Unit prices are 10**-12 major units (`money.parse_unit_amount`); the charge is summed exactly
  in that scale and rounded half-up to the currency's minor unit once, never per tier.

`usage_charge` is pure; `load_usage_terms` reads what it needs for one price row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TypedDict

from sqlmodel import Session, col, select

from volmify_cli.enums import PricingModel
from volmify_cli.models.plans import OrgProductVariantPaymentPlanMarketPrice as Price
from volmify_cli.models.plans import OrgProductVariantPaymentPlanUsageBased as UsageBased
from volmify_cli.models.plans import OrgProductVariantPaymentPlanUsageTier as UsageTier
from volmify_cli.money import (
    format_amount,
    format_unit_amount,
    minor_to_unit_amount,
    round_unit_amount,
)


@dataclass(frozen=True)
class TierTerms:
    up_to: int | None  # None: no upper bound (the last tier)
    unit_amount_e12: int
    flat_amount_minor: int = 0


@dataclass(frozen=True)
class UsageTerms:
    """A usage-based plan's terms in one market: per_unit plans price every unit at
    `unit_amount_e12`; tiered and volume plans by `tiers` (ordered by bound)."""

    model: PricingModel
    currency: str
    unit: str = "unit"
    included_units: int = 0
    unit_amount_e12: int = 0
    tiers: tuple[TierTerms, ...] = ()


class TierChargeRead(TypedDict):
    up_to: int | None
    units: int  # billable units charged at this tier's price
    unit_price_e12: int
    unit_price: str  # exact decimal: "0.005"
    flat_amount_minor: int
    amount_e12: int  # units x unit price (+ flat amount), exact, before the one rounding
    amount: str


class UsageChargeRead(TypedDict):
    usage: int
    unit: str
    model: str
    included_units: int
    billable_units: int
    tiers: list[TierChargeRead]
    total_minor: int  # rounded half-up once
    total: str


def _line(
    terms: UsageTerms, up_to: int | None, units: int, unit_e12: int, flat_minor: int
) -> TierChargeRead:
    flat = flat_minor if units > 0 else 0
    amount = units * unit_e12 + minor_to_unit_amount(flat, terms.currency)
    return TierChargeRead(
        up_to=up_to,
        units=units,
        unit_price_e12=unit_e12,
        unit_price=format_unit_amount(unit_e12, terms.currency),
        flat_amount_minor=flat,
        amount_e12=amount,
        amount=format_unit_amount(amount, terms.currency),
    )


def _graduated(terms: UsageTerms, usage: int) -> list[TierChargeRead]:
    """Each billable unit (those after the included ones, up to `usage`) in the tier whose
    bounds it falls within: tier i holds units (previous bound, its bound]."""
    lines = []
    lower = 0
    for tier in terms.tiers:
        upper = usage if tier.up_to is None else min(tier.up_to, usage)
        units = max(0, upper - max(lower, terms.included_units))
        lines.append(_line(terms, tier.up_to, units, tier.unit_amount_e12, tier.flat_amount_minor))
        lower = tier.up_to if tier.up_to is not None else lower
    return lines


def _volume(terms: UsageTerms, usage: int, billable: int) -> list[TierChargeRead]:
    """Every billable unit at the price of the first tier whose bound the total usage is
    within (the last tier has none)."""
    chosen = next(
        (i for i, t in enumerate(terms.tiers) if t.up_to is None or usage <= t.up_to),
        len(terms.tiers) - 1,
    )
    return [
        _line(
            terms,
            tier.up_to,
            billable if index == chosen else 0,
            tier.unit_amount_e12,
            tier.flat_amount_minor,
        )
        for index, tier in enumerate(terms.tiers)
    ]


def usage_charge(terms: UsageTerms, usage: int) -> UsageChargeRead:
    """The charge for `usage` units in one period (usage >= 0), with a line per tier (one
    line for a per_unit plan) and the total rounded half-up to the minor unit once."""
    billable = max(0, usage - terms.included_units)
    if terms.model is PricingModel.PER_UNIT or not terms.tiers:
        lines = [_line(terms, None, billable, terms.unit_amount_e12, 0)]
    elif terms.model is PricingModel.TIERED:
        lines = _graduated(terms, usage)
    else:
        lines = _volume(terms, usage, billable)
    total = round_unit_amount(sum(line["amount_e12"] for line in lines), terms.currency)
    return UsageChargeRead(
        usage=usage,
        unit=terms.unit,
        model=terms.model.value,
        included_units=terms.included_units,
        billable_units=billable,
        tiers=lines,
        total_minor=total,
        total=format_amount(total, terms.currency),
    )


def load_usage_terms(
    session: Session, org_id: uuid.UUID, plan_id: uuid.UUID, price: Price
) -> UsageTerms:
    """A usage-based plan's terms in the market of `price`: its model, unit and included units,
    its unit price (per_unit: the price's `unit_amount_e12`) and the price's tiers in order."""
    usage = session.exec(
        select(UsageBased).where(UsageBased.org_id == org_id, UsageBased.plan_id == plan_id)
    ).one()
    tiers = session.exec(
        select(UsageTier)
        .where(UsageTier.org_id == org_id, UsageTier.price_id == price.id)
        .order_by(col(UsageTier.sort_order))
    ).all()
    return UsageTerms(
        model=PricingModel(usage.pricing_model),
        currency=price.currency_code,
        unit=usage.unit_name,
        included_units=usage.included_units,
        unit_amount_e12=price.unit_amount_e12 or 0,  # set on every per_unit plan's price
        tiers=tuple(
            TierTerms(t.up_to_units, t.unit_amount_e12, t.flat_amount_minor) for t in tiers
        ),
    )
