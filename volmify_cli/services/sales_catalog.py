"""The org's catalog as seen by a sales import, loaded once into dictionaries, so that every
line is checked against it in memory (one query per table, not one per line)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session
from sqlmodel import select as orm_select

from volmify_cli.db.tables import table_of
from volmify_cli.enums import RecipientKind
from volmify_cli.errors import Problem
from volmify_cli.ids import hex_of
from volmify_cli.inputs.sales import SaleLine
from volmify_cli.models.markets import OrgMarket
from volmify_cli.models.offers import OrgCoupon, OrgDiscount
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import (
    OrgProductVariantPaymentPlan,
    OrgProductVariantPaymentPlanMarketPrice,
)
from volmify_cli.models.products import (
    OrgProduct,
    OrgProductBrandAttribution,
    OrgProductCollectionProduct,
    OrgProductInstructorAttribution,
    OrgProductVariant,
)
from volmify_cli.services.allocation import Recipient, Shares
from volmify_cli.services.pricing import CouponTerms, OfferTerms, PricedItem, redemption_problem
from volmify_cli.services.quotes import coupon_terms, offer_terms


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a line names, as ids (32-digit hex) ready for the bulk writer."""

    product_id: str
    variant_id: str
    variant_slug: str
    plan_id: str
    access_tier: int
    market_id: str
    coupon_id: str | None


NOBODY = Shares((), 10_000)


class SalesCatalog:
    """Products, variants, plans, markets, prices, coupons and current attributions of one org."""

    def __init__(self, org: Org, session: Session | None = None) -> None:
        self.org = org
        self.session = session
        self.products: dict[str, str] = {}
        self.variants: dict[tuple[str, str], str] = {}
        self.default_variant: dict[str, tuple[str, str]] = {}
        self.plans: dict[tuple[str, str], tuple[str, int]] = {}
        self.markets: dict[str, str] = {}
        self.prices: dict[tuple[str, str], str] = {}
        self.coupons: dict[str, str] = {}
        self.attribution: dict[str, Shares] = {}
        # loaded on the first line that redeems a coupon: coupon id -> its terms and its offer's
        self._coupon_terms: dict[str, tuple[CouponTerms, OfferTerms]] | None = None
        self._collections: dict[str, frozenset[uuid.UUID]] = {}
        # Lines naming the same product, variant, plan, market, currency and coupon resolve the
        # same way: remembered, a million lines need a few thousand resolutions.
        self._resolved: dict[tuple[str, str | None, str, str, str, str | None], Resolved] = {}

    @classmethod
    def load(cls, session: Session, org: Org) -> SalesCatalog:
        catalog = cls(org, session)
        org_id = org.id
        product = table_of(OrgProduct).c
        for pid, slug in session.execute(
            select(product.id, product.slug).where(product.org_id == org_id)
        ):
            catalog.products[slug] = hex_of(pid)
        variant = table_of(OrgProductVariant).c
        for vid, product_id, slug, is_default in session.execute(
            select(variant.id, variant.product_id, variant.slug, variant.is_default).where(
                variant.org_id == org_id
            )
        ):
            catalog.variants[(hex_of(product_id), slug)] = hex_of(vid)
            if is_default:
                catalog.default_variant[hex_of(product_id)] = (hex_of(vid), slug)
        plan = table_of(OrgProductVariantPaymentPlan).c
        for plan_id, variant_id, slug, tier in session.execute(
            select(plan.id, plan.variant_id, plan.slug, plan.access_tier).where(
                plan.org_id == org_id
            )
        ):
            catalog.plans[(hex_of(variant_id), slug)] = (hex_of(plan_id), tier)
        market = table_of(OrgMarket).c
        for market_id, slug in session.execute(
            select(market.id, market.slug).where(market.org_id == org_id)
        ):
            catalog.markets[slug] = hex_of(market_id)
        price = table_of(OrgProductVariantPaymentPlanMarketPrice).c
        for plan_id, market_id, currency in session.execute(
            select(price.plan_id, price.market_id, price.currency_code).where(
                price.org_id == org_id
            )
        ):
            catalog.prices[(hex_of(plan_id), hex_of(market_id))] = currency
        coupon = table_of(OrgCoupon).c
        for coupon_id, code in session.execute(
            select(coupon.id, coupon.code_normalized).where(coupon.org_id == org_id)
        ):
            catalog.coupons[code] = hex_of(coupon_id)
        catalog._load_attribution(session)
        return catalog

    def _load_attribution(self, session: Session) -> None:
        found: dict[str, list[Recipient]] = {}
        instructor = table_of(OrgProductInstructorAttribution).c
        for product_id, profile_id, share in session.execute(
            select(instructor.product_id, instructor.profile_id, instructor.share_bp)
            .where(instructor.org_id == self.org.id)
            .order_by(
                instructor.product_id,
                instructor.is_primary.desc(),
                instructor.sort_order,
                instructor.profile_id,
            )
        ):
            found.setdefault(hex_of(product_id), []).append(
                Recipient(RecipientKind.INSTRUCTOR, hex_of(profile_id), None, share)
            )
        brand = table_of(OrgProductBrandAttribution).c
        for product_id, brand_id, share in session.execute(
            select(brand.product_id, brand.brand_id, brand.share_bp)
            .where(brand.org_id == self.org.id)
            .order_by(brand.product_id, brand.is_primary.desc(), brand.sort_order, brand.brand_id)
        ):
            found.setdefault(hex_of(product_id), []).append(
                Recipient(RecipientKind.BRAND, None, hex_of(brand_id), share)
            )
        self.attribution = {product: Shares.of(recipients) for product, recipients in found.items()}

    def resolve(self, line: SaleLine, file: str) -> Resolved | list[Problem]:
        """The ids a line names, or the problems that stop it (unknown product, variant, plan,
        market or coupon; a plan not priced in the market; a currency that is not the plan's
        in that market)."""
        key = (line.product, line.variant, line.plan, line.market, line.currency, line.coupon)
        known = self._resolved.get(key)
        if known is not None:
            return known
        found = self._resolve(line, file)
        if isinstance(found, Resolved):
            self._resolved[key] = found
        return found

    def _resolve(self, line: SaleLine, file: str) -> Resolved | list[Problem]:
        problems: list[Problem] = []

        def problem(column: str, message: str) -> None:
            problems.append(Problem(file, line.line, None, column, message))

        org = self.org.slug
        product_id = self.products.get(line.product)
        market_id = self.markets.get(line.market)
        if market_id is None:
            problem("market", f"market {line.market!r} not found in org {org}")
        coupon_id = None
        if line.coupon is not None:
            coupon_id = self.coupons.get(line.coupon)
            if coupon_id is None:
                problem("coupon", f"coupon {line.coupon!r} not found in org {org}")
        if product_id is None:
            problem("product", f"product {line.product!r} not found in org {org}")
            return problems
        if line.variant is not None:
            variant_slug = line.variant
            variant_id = self.variants.get((product_id, variant_slug))
            if variant_id is None:
                problem(
                    "variant", f"variant '{line.product}/{line.variant}' not found in org {org}"
                )
                return problems
        else:
            default = self.default_variant.get(product_id)
            if default is None:
                problem(
                    "variant",
                    f"product {line.product!r} has no default variant; fill the variant column",
                )
                return problems
            variant_id, variant_slug = default
        address = f"{line.product}/{variant_slug}/{line.plan}"
        plan = self.plans.get((variant_id, line.plan))
        if plan is None:
            problem("plan", f"plan {address!r} not found in org {org}")
            return problems
        plan_id, tier = plan
        if market_id is not None:
            currency = self.prices.get((plan_id, market_id))
            if currency is None:
                problem("market", f"plan {address!r} has no price in market {line.market!r}")
            elif currency != line.currency:
                problem(
                    "currency",
                    f"currency {line.currency} is not the currency of plan {address!r} in"
                    f" market {line.market!r} ({currency})",
                )
        if problems or market_id is None:
            return problems
        return Resolved(product_id, variant_id, variant_slug, plan_id, tier, market_id, coupon_id)

    def coupon_problem(self, line: SaleLine, resolved: Resolved) -> str | None:
        """Why the coupon a line redeems could not apply to that sale (by the rules of `plans
        price`: `pricing.redemption_problem`), or None. Only for a line with a coupon."""
        assert resolved.coupon_id is not None
        if self._coupon_terms is None:
            self._load_coupon_terms()
            assert self._coupon_terms is not None
        coupon, offer = self._coupon_terms[resolved.coupon_id]
        item = PricedItem(
            product_id=uuid.UUID(resolved.product_id),
            variant_id=uuid.UUID(resolved.variant_id),
            plan_id=uuid.UUID(resolved.plan_id),
            market_id=uuid.UUID(resolved.market_id),
            currency=line.currency,
            amount_minor=line.amount,
            collection_ids=self._collections.get(resolved.product_id, frozenset()),
        )
        problem = redemption_problem(coupon, offer, item, line.sold_at)
        return None if problem is None else f"coupon {coupon.code} cannot apply: {problem}"

    def _load_coupon_terms(self) -> None:
        session = self.session
        assert session is not None
        coupons = list(session.exec(orm_select(OrgCoupon).where(OrgCoupon.org_id == self.org.id)))
        offers = list(
            session.exec(orm_select(OrgDiscount).where(OrgDiscount.org_id == self.org.id))
        )
        terms = dict(
            zip(
                (o.id for o in offers),
                offer_terms(session, self.org.id, offers, redemptions=False),
                strict=True,
            )
        )
        self._coupon_terms = {c.id.hex: (coupon_terms(c), terms[c.discount_id]) for c in coupons}
        member = table_of(OrgProductCollectionProduct).c
        found: dict[str, set[uuid.UUID]] = {}
        for product_id, collection_id in session.execute(
            select(member.product_id, member.collection_id).where(member.org_id == self.org.id)
        ):
            found.setdefault(product_id.hex, set()).add(collection_id)
        self._collections = {product: frozenset(ids) for product, ids in found.items()}

    def shares(self, product_id: str) -> Shares:
        """The product's current attribution (nobody: the org keeps everything)."""
        return self.attribution.get(product_id, NOBODY)
