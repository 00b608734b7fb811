"""What an offer applies to: products, variants, plans, collections and markets. An offer with
no catalog target (product, variant, plan, collection) applies to the whole catalog; one with no
market target applies in every market.

Because "no target" means "everything", deleting the last catalog target of an offer would
silently widen it to the whole catalog: `widened_offers` finds such offers so that a delete can
be refused instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from volmify_cli.models.markets import OrgMarket
from volmify_cli.models.offers import (
    OrgDiscount,
    OrgDiscountCollection,
    OrgDiscountMarket,
    OrgDiscountPlan,
    OrgDiscountProduct,
    OrgDiscountVariant,
)
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import OrgProductVariantPaymentPlan
from volmify_cli.models.products import OrgProduct, OrgProductCollection, OrgProductVariant
from volmify_cli.services import lookup

KINDS = ("products", "variants", "plans", "collections", "markets")
CATALOG_KINDS = ("products", "variants", "plans", "collections")
MODELS: dict[str, tuple[Any, str]] = {
    "products": (OrgDiscountProduct, "product_id"),
    "variants": (OrgDiscountVariant, "variant_id"),
    "plans": (OrgDiscountPlan, "plan_id"),
    "collections": (OrgDiscountCollection, "collection_id"),
    "markets": (OrgDiscountMarket, "market_id"),
}


class TargetsRead(TypedDict):
    products: list[str]
    variants: list[str]
    plans: list[str]
    collections: list[str]
    markets: list[str]


@dataclass
class TargetIds:
    products: set[uuid.UUID] = field(default_factory=set)
    variants: set[uuid.UUID] = field(default_factory=set)
    plans: set[uuid.UUID] = field(default_factory=set)
    collections: set[uuid.UUID] = field(default_factory=set)
    markets: set[uuid.UUID] = field(default_factory=set)

    def of(self, kind: str) -> set[uuid.UUID]:
        ids: set[uuid.UUID] = getattr(self, kind)
        return ids


def resolve_targets(
    session: Session,
    org: Org,
    *,
    products: Sequence[str] = (),
    variants: Sequence[str] = (),
    plans: Sequence[str] = (),
    collections: Sequence[str] = (),
    markets: Sequence[str] = (),
) -> TargetIds:
    """Target ids from their addresses. Raises NotFoundError naming the first unknown one."""
    return TargetIds(
        products={lookup.get_product(session, org, s).id for s in products},
        variants={lookup.get_variant(session, org, s)[1].id for s in variants},
        plans={lookup.get_plan(session, org, s)[2].id for s in plans},
        collections={lookup.get_collection(session, org, s).id for s in collections},
        markets={lookup.get_market(session, org, s).id for s in markets},
    )


def load_targets(
    session: Session, org_id: uuid.UUID, offer_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, TargetIds]:
    """Every offer's target ids, one query per kind."""
    result = {offer_id: TargetIds() for offer_id in offer_ids}
    if not offer_ids:
        return result
    for kind in KINDS:
        model, column = MODELS[kind]
        for offer_id, target_id in session.exec(
            select(model.discount_id, getattr(model, column)).where(
                model.org_id == org_id, col(model.discount_id).in_(list(offer_ids))
            )
        ):
            result[offer_id].of(kind).add(target_id)
    return result


def _addresses(
    session: Session, org_id: uuid.UUID, kind: str, ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    wanted = list(ids)
    if kind == "products":
        query: Any = select(OrgProduct.id, OrgProduct.slug).where(
            OrgProduct.org_id == org_id, col(OrgProduct.id).in_(wanted)
        )
        return dict(session.exec(query).all())
    if kind == "collections":
        query = select(OrgProductCollection.id, OrgProductCollection.slug).where(
            OrgProductCollection.org_id == org_id, col(OrgProductCollection.id).in_(wanted)
        )
        return dict(session.exec(query).all())
    if kind == "markets":
        query = select(OrgMarket.id, OrgMarket.slug).where(
            OrgMarket.org_id == org_id, col(OrgMarket.id).in_(wanted)
        )
        return dict(session.exec(query).all())
    variant_join = (col(OrgProduct.org_id) == col(OrgProductVariant.org_id)) & (
        col(OrgProduct.id) == col(OrgProductVariant.product_id)
    )
    if kind == "variants":
        query = (
            select(OrgProductVariant.id, OrgProduct.slug, OrgProductVariant.slug)
            .join(OrgProduct, variant_join)
            .where(OrgProductVariant.org_id == org_id, col(OrgProductVariant.id).in_(wanted))
        )
        return {vid: f"{p}/{v}" for vid, p, v in session.exec(query)}
    plan = OrgProductVariantPaymentPlan
    query = (
        select(plan.id, OrgProduct.slug, OrgProductVariant.slug, plan.slug)
        .join(
            OrgProductVariant,
            (col(OrgProductVariant.org_id) == col(plan.org_id))
            & (col(OrgProductVariant.id) == col(plan.variant_id)),
        )
        .join(OrgProduct, variant_join)
        .where(plan.org_id == org_id, col(plan.id).in_(wanted))
    )
    return {pid: f"{p}/{v}/{s}" for pid, p, v, s in session.exec(query)}


def target_addresses(
    session: Session, org_id: uuid.UUID, targets: TargetIds
) -> dict[str, dict[uuid.UUID, str]]:
    """The address of every target (`PRODUCT/VARIANT/PLAN` for a plan), by kind."""
    return {kind: _addresses(session, org_id, kind, targets.of(kind)) for kind in KINDS}


def read_targets(
    session: Session, org_id: uuid.UUID, targets: dict[uuid.UUID, TargetIds]
) -> dict[uuid.UUID, TargetsRead]:
    """Targets as addresses (sorted), for many offers at once."""
    names: dict[str, dict[uuid.UUID, str]] = {}
    for kind in KINDS:
        every = set().union(*(t.of(kind) for t in targets.values())) if targets else set()
        names[kind] = _addresses(session, org_id, kind, every)
    return {
        offer_id: TargetsRead(
            products=sorted(names["products"][i] for i in t.products),
            variants=sorted(names["variants"][i] for i in t.variants),
            plans=sorted(names["plans"][i] for i in t.plans),
            collections=sorted(names["collections"][i] for i in t.collections),
            markets=sorted(names["markets"][i] for i in t.markets),
        )
        for offer_id, t in targets.items()
    }


def widened_offers(session: Session, org_id: uuid.UUID, doomed: TargetIds) -> list[str]:
    """Slugs of offers that would be left with no catalog target (and so apply to the whole
    catalog) if the `doomed` products, variants, plans and collections were deleted."""
    touched: set[uuid.UUID] = set()
    for kind in CATALOG_KINDS:
        ids = doomed.of(kind)
        if ids:
            model, column = MODELS[kind]
            touched |= set(
                session.exec(
                    select(model.discount_id).where(
                        model.org_id == org_id, col(getattr(model, column)).in_(list(ids))
                    )
                )
            )
    if not touched:
        return []
    targets = load_targets(session, org_id, touched)
    widened = [
        offer_id
        for offer_id, t in targets.items()
        if all(not (t.of(kind) - doomed.of(kind)) for kind in CATALOG_KINDS)
    ]
    if not widened:
        return []
    return sorted(
        session.exec(
            select(OrgDiscount.slug).where(
                OrgDiscount.org_id == org_id, col(OrgDiscount.id).in_(widened)
            )
        )
    )


def catalog_ids_of_product(
    session: Session, org_id: uuid.UUID, product_id: uuid.UUID, variant_id: uuid.UUID | None = None
) -> TargetIds:
    """A product's (or one variant's) own id, variant ids and plan ids: what deleting it
    removes."""
    variant_query = select(OrgProductVariant.id).where(
        OrgProductVariant.org_id == org_id, OrgProductVariant.product_id == product_id
    )
    if variant_id is not None:
        variant_query = variant_query.where(OrgProductVariant.id == variant_id)
    variants = set(session.exec(variant_query))
    plan = OrgProductVariantPaymentPlan
    plans = (
        set(
            session.exec(
                select(plan.id).where(
                    plan.org_id == org_id, col(plan.variant_id).in_(list(variants))
                )
            )
        )
        if variants
        else set()
    )
    return TargetIds(
        products={product_id} if variant_id is None else set(), variants=variants, plans=plans
    )


def refuse_widening(session: Session, org: Org, doomed: TargetIds, what: str) -> None:
    """Raise ConflictError when deleting `what` would leave an offer targeting the whole
    catalog (its only targets were among the doomed rows)."""
    widened = widened_offers(session, org.id, doomed)
    if widened:
        from volmify_cli.errors import ConflictError

        names = ", ".join(repr(slug) for slug in widened)
        raise ConflictError(
            f"{what} is the only target of offer(s) {names}; deleting it would make them apply "
            "to the whole catalog",
            f"delete those offers first (`volmify offers delete {widened[0]}`)",
        )
