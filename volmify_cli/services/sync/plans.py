"""Payment plans of a variant: the base row, name, type extension, market prices and usage tiers.
The per-price path is the hot loop of a large import and stays plain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from volmify_cli.enums import BillingInterval, PlanType, PricingModel
from volmify_cli.inputs.catalog_schema import PlanDoc
from volmify_cli.metadata import stored as stored_metadata
from volmify_cli.money import format_amount, format_unit_amount
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.rows import Table
from volmify_cli.services.sync.texts import sync_texts
from volmify_cli.windows import end_date, start_date, window_end, window_start

EXTENSIONS: dict[str, Table] = {
    PlanType.ONE_TIME: t.ONE_TIME,
    PlanType.SUBSCRIPTION: t.SUBSCRIPTION,
    PlanType.USAGE_BASED: t.USAGE,
}
NAMES = {
    "access_tier": "tier",
    "is_default": "default",
    "is_featured": "featured",
    "starts_at": "starts",
    "ends_at": "ends",
    "access_duration_days": "access_days",
    "max_purchases_per_user": "max_purchases",
    "allow_gifting": "gifting",
    "is_transferable": "transferable",
    "unit_name": "unit",
    "pricing_model": "model",
}
SHOW = {"starts_at": start_date, "ends_at": end_date}


def _extension_data(plan: PlanDoc) -> tuple[Any, ...]:
    if plan.type is PlanType.ONE_TIME:
        return (plan.access_days, plan.max_purchases, bool(plan.gifting), bool(plan.transferable))
    if plan.type is PlanType.SUBSCRIPTION:
        interval = plan.interval.value if plan.interval else BillingInterval.MONTH.value
        return (interval, plan.interval_count or 1, plan.trial_days or 0)
    return (
        str(plan.unit) if plan.unit is not None else "unit",
        (plan.model or PricingModel.PER_UNIT).value,
        plan.included_units or 0,
        (plan.interval or BillingInterval.MONTH).value,
    )


def sync_plans(
    ctx: Context, variant_id: str, variant: tuple[str, str], plans: Sequence[PlanDoc], new: bool
) -> None:
    rows, ids = ctx.rows(t.PLAN), ctx.id_map("plan")
    any_default = False
    for index, plan in enumerate(plans):
        key = (*variant, str(plan.slug))
        name = "/".join(key)
        ctx.tally.saw("plan")
        any_default = any_default or plan.default
        data = (
            plan.type.value,
            plan.tier,
            plan.default,
            plan.featured,
            plan.status.value,
            window_start(plan.starts),
            window_end(plan.ends),
            stored_metadata(plan.metadata),
        )
        plan_id, changed = rows.want((variant_id, str(plan.slug)), data, (index,))
        ids[key] = plan_id
        created = changed is None
        if created:
            ctx.tally.create("plan", name)
        ctx.report("plan", name, changed, NAMES, SHOW)
        if plan.name is not None or not created:
            sync_texts(
                ctx, t.PLAN_TR, plan_id, {"name": plan.name}, kind="plan", key=name, new=created
            )
        extension = EXTENSIONS[plan.type]
        if changed:
            old_type = rows.existing[(variant_id, str(plan.slug))][1][0]
            if old_type != plan.type.value:  # the old type's extension goes first
                ctx.rows(EXTENSIONS[old_type]).delete((plan_id,), early=True)
        _id, ext_changed = ctx.rows(extension).want((plan_id,), _extension_data(plan))
        ctx.report("plan", name, ext_changed, NAMES)
        sync_prices(ctx, plan_id, key, name, created)
    for gone in rows.leftovers((variant_id,)):
        old = rows.existing[gone][1]
        name = f"{variant[0]}/{variant[1]}/{gone[1]}"
        if ctx.prune:
            rows.delete(gone)
            ctx.tally.delete("plan", name)
        elif old[2] and any_default:
            _id, changed = rows.want(gone, (*old[:2], False, *old[3:]))
            ctx.report("plan", name, changed, NAMES, SHOW)


def sync_prices(
    ctx: Context, plan_id: str, key: tuple[str, str, str], name: str, new: bool
) -> None:
    """The plan's market prices (and usage tiers) as the catalog has them; with `ctx.prune`
    (and not `new`) the prices of other markets are removed."""
    rows, tiers, markets = ctx.rows(t.PRICE), ctx.rows(t.TIER), ctx.id_map("market")
    want = rows.want
    tally = ctx.tally
    prices = ctx.catalog.prices.get(key, [])
    tally.saw("price", len(prices))
    check_tiers = bool(tiers.existing)
    for price in prices:
        row_key = (plan_id, markets[price.market])
        data = (
            price.currency, price.amount, price.compare_at, price.setup_fee, price.tax,
            price.unit_amount,
        )  # fmt: skip
        price_id, changed = want(row_key, data)
        if changed is None:
            tally.create("price", f"{name}@{price.market}")
        elif changed:
            shown = [_shown(c, old, value, price.currency) for c, old, value in changed]
            tally.update("price", f"{name}@{price.market}", shown)
        if price.tiers or (check_tiers and tiers.children_of((price_id,))):
            label = f"{name}@{price.market}"
            _tiers(ctx, price_id, label, price.tiers, price.currency, changed is None)
    if ctx.prune and not new:
        slug_of = {v: k for k, v in markets.items()}
        for gone in rows.leftovers((plan_id,)):
            rows.delete(gone)
            tally.delete("price", f"{name}@{slug_of.get(gone[1], gone[1])}")


def _shown(column: str, old: Any, new: Any, currency: str) -> tuple[str, Any, Any]:
    if column == "unit_amount_e12":  # a per_unit plan's unit price, as the file writes it
        return (
            "unit_amount",
            None if old is None else format_unit_amount(old, currency),
            None if new is None else format_unit_amount(new, currency),
        )
    if column.endswith("_minor"):
        return (
            column.removesuffix("_minor"),
            None if old is None else format_amount(old, currency),
            None if new is None else format_amount(new, currency),
        )
    return (column.replace("currency_code", "currency").replace("tax_behavior", "tax"), old, new)


def _tiers(
    ctx: Context,
    price_id: str,
    label: str,
    tiers: tuple[tuple[int | None, int], ...],
    currency: str,
    new: bool,
) -> None:
    rows = ctx.rows(t.TIER)
    before = [
        tuple(rows.existing[k][1])
        for k in sorted(rows.children_of((price_id,)), key=lambda k: k[1])
    ]
    for index, (up_to, amount) in enumerate(tiers):
        rows.want((price_id, index), (up_to, amount))
    for gone in rows.leftovers((price_id,)):
        rows.delete(gone)
    after = [tuple(tier) for tier in tiers]
    if not new and before != after:
        # shown as a file writes them: unit prices as exact decimals, not 10**-12 units
        def shown(steps: list[tuple[Any, ...]]) -> list[tuple[Any, str]]:
            return [(up_to, format_unit_amount(amount, currency)) for up_to, amount in steps]

        ctx.tally.update("price", label, [("usage_tiers", shown(before), shown(after))])
