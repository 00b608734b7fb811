"""The rules of a plan's prices that join several values (one value's bounds are in the rule
book): compare-at against the amount, setup fees, usage tiers against the plan's pricing model
and against each other. The catalog reader (`catalog_prices`) and the commands
(`services.prices`) both ask here, so a price refused in a file is refused on the command line
with the same words; each caller adds where (FILE:LINE:COLUMN, or the market).

Each rule returns its message, or None when the values keep it.
"""

from __future__ import annotations

from collections.abc import Sequence

from volmify_cli.enums import PlanType, PricingModel
from volmify_cli.money import MoneyError, format_amount, parse_unit_amount


def compare_at_problem(amount: int, compare_at: int | None, currency: str) -> str | None:
    if compare_at is None or compare_at >= amount:
        return None
    return (
        f"compare-at price {format_amount(compare_at, currency)} {currency} is below the "
        f"price {format_amount(amount, currency)} {currency}"
    )


def setup_fee_problem(plan_type: PlanType) -> str | None:
    if plan_type is PlanType.SUBSCRIPTION:
        return None
    return (
        "a setup fee applies to subscription plans only, "
        f"not to a {plan_type.value.replace('_', '-')} plan"
    )


def tiers_problem(plan_type: PlanType, model: PricingModel | None, has_tiers: bool) -> str | None:
    """Whether the plan may (or must) have usage tiers at all."""
    if plan_type is not PlanType.USAGE_BASED:
        return "usage tiers are only for usage-based plans" if has_tiers else None
    model = model or PricingModel.PER_UNIT
    if model is PricingModel.PER_UNIT:
        return "a per_unit plan has no usage tiers (use tiered or volume)" if has_tiers else None
    return None if has_tiers else f"a {model.value} plan needs usage tiers"


def tier_steps_problems(up_to: Sequence[int | None]) -> list[tuple[int, str]]:
    """The tiers' upper bounds in order (None: open-ended): each above the previous one, and
    only the last, which must be, open-ended. Returns (index of the tier, message)."""
    problems: list[tuple[int, str]] = []
    previous = 0
    for index, bound in enumerate(up_to):
        last = index == len(up_to) - 1
        if bound is None and not last:
            problems.append((index, "only the last usage tier may be open-ended"))
        elif bound is not None and last:
            problems.append(
                (index, "the last usage tier must be open-ended (up_to: null, or inf in an option)")
            )
        elif bound is not None and bound <= previous:
            problems.append((index, f"up_to {bound} must be above the previous tier's {previous}"))
        previous = bound or previous
    return problems


def finer_price_hint(plan_type: PlanType, market: str, value: object) -> str | None:
    """Where a tiered or volume plan's price that has more decimals than its currency belongs
    (a per_unit plan's price is its unit price and takes 12 decimals itself): its usage tiers;
    its amount is 0 (`rulebook.usage_amount_problem`). None when that is not the case."""
    if plan_type is not PlanType.USAGE_BASED or not isinstance(value, (str, int)):
        return None
    try:
        parse_unit_amount(value)
    except MoneyError:
        return None
    return (
        "a tiered or volume plan's price amount is 0 and its unit prices (up to 12 decimals)"
        f" go in its usage tiers: `--usage-tier {market}=inf:{value}` or in a file"
        f' `usage_tiers: [{{up_to: null, prices: {{{market}: "{value}"}}}}]`'
    )
