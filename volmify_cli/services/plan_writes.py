"""The plans of one variant, read and written by a command through the catalog's own path.

A command that creates or changes a plan reads the variant's plans into the domain input the
catalog reader builds from YAML (`PlanDoc`, with each plan's `Price`s), changes what it was
asked to change, and hands the whole variant to the catalog's sync (`sync.plans.sync_plans`)
and the one bulk writer: the same diff decides what is written (a plan or a price that did not
change is not written; one price changed is one update), the same code keeps one default plan
per variant, the same rows come out. Only that variant's rows are read, so a command on a large
catalog stays small.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session

from volmify_cli.db.bulk import Bulk, Scope
from volmify_cli.enums import BillingInterval, PlanStatus, PlanType, PricingModel
from volmify_cli.inputs.catalog_model import PlanKey, Price
from volmify_cli.inputs.catalog_schema import PlanDoc
from volmify_cli.metadata import read as read_metadata
from volmify_cli.models.orgs import Org
from volmify_cli.models.products import OrgProduct, OrgProductVariant
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.commands import write
from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.plans import sync_plans
from volmify_cli.services.sync.rows import Table
from volmify_cli.services.sync.texts import stored_text
from volmify_cli.windows import end_date, start_date

PLAN_TABLES: tuple[Table, ...] = (
    t.PLAN,
    t.PLAN_TR,
    t.ONE_TIME,
    t.SUBSCRIPTION,
    t.USAGE,
    t.PRICE,
    t.TIER,
)
_PLANS = f"SELECT id FROM {t.PLAN.name} WHERE org_id = ? AND variant_id = ?"
_PRICES = f"SELECT id FROM {t.PRICE.name} WHERE org_id = ? AND plan_id IN ({_PLANS})"


class VariantPlans:
    """The plans of one variant as the catalog reader would have them, and their rewrite."""

    def __init__(
        self, session: Session, org: Org, product: OrgProduct, variant: OrgProductVariant
    ) -> None:
        self.session = session
        self.db = db = Bulk(session)
        org_id, self.variant_id = org.id.hex, variant.id.hex
        self.variant = (product.slug, variant.slug)
        of_variant = (org_id, self.variant_id)
        scopes: dict[str, Scope] = {
            t.PLAN.name: ("variant_id = ?", (self.variant_id,)),
            t.PRICE.name: (f"plan_id IN ({_PLANS})", of_variant),
            t.TIER.name: (f"price_id IN ({_PRICES})", (org_id, *of_variant)),
        }
        for table in (t.PLAN_TR, t.ONE_TIME, t.SUBSCRIPTION, t.USAGE):
            scopes[table.name] = (f"plan_id IN ({_PLANS})", of_variant)
        markets = db.query(
            f"SELECT {db.id_sql('id')}, slug FROM {t.MARKET.name} WHERE org_id = ?", (org_id,)
        )
        self.ctx = Context.for_command(
            org,
            db,
            scopes,
            prune=True,  # every plan of the variant is given: what is left out goes
            ids={"market": {slug: market_id for market_id, slug in markets}},
        )
        self.plans, self.prices = self._read()

    # -- reading -------------------------------------------------------------------------------

    def _read(self) -> tuple[list[PlanDoc], dict[str, dict[str, Price]]]:
        """The stored plans in their order, and each plan's prices by market slug."""
        ctx = self.ctx
        rows = ctx.rows(t.PLAN)
        plan_ids = {key[1]: row_id for key, (row_id, _data) in rows.existing.items()}
        sort_orders = dict(
            self.db.query(
                f"SELECT slug, sort_order FROM {t.PLAN.name} WHERE org_id = ? AND variant_id = ?",
                (ctx.org_id, self.variant_id),
            )
        )
        plans: list[PlanDoc] = []
        prices: dict[str, dict[str, Price]] = {}
        for slug in sorted(plan_ids, key=lambda s: (sort_orders.get(s, 0), s)):
            plan_id = plan_ids[slug]
            data = rows.existing[(self.variant_id, slug)][1]
            plans.append(self._doc(slug, plan_id, data))
            prices[slug] = self._prices_of(plan_id)
        return plans, prices

    def _doc(self, slug: str, plan_id: str, data: Sequence[Any]) -> PlanDoc:
        plan_type, tier, default, featured, status, starts, ends, metadata = data
        fields: dict[str, Any] = {
            "slug": slug,
            "type": PlanType(plan_type),
            "tier": tier,
            "name": self._names(plan_id),
            "default": bool(default),
            "featured": bool(featured),
            "status": PlanStatus(status),
            "starts": start_date(starts),
            "ends": end_date(ends),
            "metadata": read_metadata(metadata) or None,
        }
        extension = self.ctx.rows(_EXTENSIONS[PlanType(plan_type)]).existing.get((plan_id,))
        if extension is not None:
            fields |= _extension_fields(PlanType(plan_type), extension[1])
        return plan_document(**fields)

    def _names(self, plan_id: str) -> dict[str, str] | None:
        return stored_text(self.ctx.rows(t.PLAN_TR), plan_id) or None

    def _prices_of(self, plan_id: str) -> dict[str, Price]:
        ctx = self.ctx
        slug_of = {market_id: slug for slug, market_id in ctx.id_map("market").items()}
        prices, tiers = ctx.rows(t.PRICE), ctx.rows(t.TIER)
        result: dict[str, Price] = {}
        for key in prices.children_of((plan_id,)):
            price_id, (currency, amount, compare_at, setup_fee, tax, unit) = prices.existing[key]
            steps = sorted(tiers.children_of((price_id,)), key=lambda step: step[1])
            slug = slug_of[key[1]]
            result[slug] = Price(
                slug,
                currency,
                amount,
                compare_at,
                setup_fee,
                tax,
                tuple((tiers.existing[step][1][0], tiers.existing[step][1][1]) for step in steps),
                unit,
            )
        return dict(sorted(result.items()))

    def plan(self, slug: str) -> PlanDoc | None:
        return next((plan for plan in self.plans if str(plan.slug) == slug), None)

    # -- writing -------------------------------------------------------------------------------

    def put(self, plan: PlanDoc, prices: Mapping[str, Price]) -> None:
        """Add the plan (last) or replace the one of its slug, with exactly these prices; a
        default plan takes the flag from the others."""
        slug = str(plan.slug)
        others = [p for p in self.plans if str(p.slug) != slug]
        if plan.default:
            others = [p.model_copy(update={"default": False}) for p in others]
        position = next((i for i, p in enumerate(self.plans) if str(p.slug) == slug), None)
        self.plans = others
        self.plans.insert(len(others) if position is None else position, plan)
        self.prices[slug] = dict(prices)

    def remove(self, slug: str) -> None:
        """Leave the plan out: `write` deletes it (its prices, tiers and texts go with it)."""
        self.plans = [plan for plan in self.plans if str(plan.slug) != slug]
        self.prices.pop(slug, None)

    def write(self) -> None:
        """Write the variant's plans as they are now: only what differs from the stored rows."""
        ctx = self.ctx
        ctx.catalog.prices = {
            self._key(slug): list(prices.values()) for slug, prices in self.prices.items()
        }
        sync_plans(ctx, self.variant_id, self.variant, self.plans, new=False)
        write(self.session, self.db, [ctx.rows(table) for table in PLAN_TABLES])

    def _key(self, slug: str) -> PlanKey:
        return (*self.variant, slug)


def plan_document(**fields: Any) -> PlanDoc:
    """A plan's document from values already checked against the rule book (by a command, or
    stored): built without validation, and without a position in a file."""
    return PlanDoc.model_construct(**fields)


_EXTENSIONS: dict[PlanType, Table] = {
    PlanType.ONE_TIME: t.ONE_TIME,
    PlanType.SUBSCRIPTION: t.SUBSCRIPTION,
    PlanType.USAGE_BASED: t.USAGE,
}


def _extension_fields(plan_type: PlanType, data: Sequence[Any]) -> dict[str, Any]:
    """A stored type extension as the document's keys (the inverse of the sync's
    `_extension_data`)."""
    if plan_type is PlanType.ONE_TIME:
        access_days, max_purchases, gifting, transferable = data
        return {
            "access_days": access_days,
            "max_purchases": max_purchases,
            "gifting": bool(gifting),
            "transferable": bool(transferable),
        }
    if plan_type is PlanType.SUBSCRIPTION:
        interval, interval_count, trial_days = data
        return {
            "interval": BillingInterval(interval),
            "interval_count": interval_count,
            "trial_days": trial_days,
        }
    unit, model, included_units, interval = data
    return {
        "unit": unit,
        "model": PricingModel(model),
        "included_units": included_units,
        "interval": BillingInterval(interval),
    }
