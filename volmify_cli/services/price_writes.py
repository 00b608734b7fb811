"""One plan's market prices, read and written by a command through the catalog's own path: the
domain input is the catalog reader's (`inputs.catalog_model.Price`, usage tiers included), the
diff is the catalog sync's (`sync.plans.sync_prices`), the writes go through the one bulk writer.
Only that plan's rows are read, so a command on a large catalog stays small, and a price that
did not change is not written (one price changed is one update).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from volmify_cli.db.bulk import Bulk
from volmify_cli.inputs.catalog_model import Catalog, Price
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import OrgProductVariantPaymentPlan
from volmify_cli.services.sync import tables as t
from volmify_cli.services.sync.apply import apply_writes
from volmify_cli.services.sync.context import Context
from volmify_cli.services.sync.plans import sync_prices
from volmify_cli.services.sync.rows import Rows

_PRICE_IDS_OF_PLAN = f"SELECT id FROM {t.PRICE.name} WHERE org_id = ? AND plan_id = ?"


class PlanPrices:
    """The prices of one plan as stored, by market slug, and their rewrite."""

    def __init__(self, session: Session, org: Org, plan: OrgProductVariantPaymentPlan) -> None:
        self.session = session
        self.db = db = Bulk(session)
        org_id, self.plan_id = org.id.hex, plan.id.hex
        scopes = {
            t.PRICE.name: ("plan_id = ?", (self.plan_id,)),
            t.TIER.name: (f"price_id IN ({_PRICE_IDS_OF_PLAN})", (org_id, self.plan_id)),
        }
        tables = {
            table.name: Rows(
                db if table.name in scopes else None, table, org_id, scope=scopes.get(table.name)
            )
            for table in t.ORDER
        }
        markets = {
            slug: market_id
            for market_id, slug in db.query(
                f"SELECT {db.id_sql('id')}, slug FROM {t.MARKET.name} WHERE org_id = ?", (org_id,)
            )
        }
        self.key = ("", "", plan.slug)  # the plan's name in the sync's plan lines (not shown)
        self.ctx = Context(
            Catalog(files=[]),
            org_id,
            org.slug,
            prune=True,  # the prices given are all the plan's prices
            db=db,
            tables=tables,
            ids={"market": markets},
        )

    def current(self) -> dict[str, Price]:
        """The stored prices by market slug, with their usage tiers in order."""
        slug_of = {market_id: slug for slug, market_id in self.ctx.id_map("market").items()}
        prices, tiers = self.ctx.rows(t.PRICE), self.ctx.rows(t.TIER)
        result: dict[str, Price] = {}
        for (_plan_id, market_id), (price_id, data) in sorted(
            prices.existing.items(), key=lambda item: slug_of[item[0][1]]
        ):
            currency, amount, compare_at, setup_fee, tax = data
            steps = sorted(tiers.children_of((price_id,)), key=lambda key: key[1])
            slug = slug_of[market_id]
            result[slug] = Price(
                slug,
                currency,
                amount,
                compare_at,
                setup_fee,
                tax,
                tuple((tiers.existing[k][1][0], tiers.existing[k][1][1]) for k in steps),
            )
        return result

    def write(self, prices: Iterable[Price]) -> None:
        """Make the plan's prices exactly `prices`: unchanged ones are left alone."""
        self.ctx.catalog.prices[self.key] = list(prices)
        sync_prices(self.ctx, self.plan_id, self.key, self.key[2], new=False)
        apply_writes(self.db, [self.ctx.rows(t.PRICE), self.ctx.rows(t.TIER)], lambda _n: None)
        self.session.expire_all()  # ORM objects read before the bulk writes are stale now
