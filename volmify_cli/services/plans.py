"""Payment plans of a variant: how it is sold (one-time, subscription, usage-based), the access
tier it grants, and its market prices. A plan is created with its type extension and its prices
in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, TypedDict

from sqlalchemy import select as core_select
from sqlmodel import Session, select

from volmify_cli.db.bulk import CHUNK, table_of
from volmify_cli.enums import PlanStatus, PlanType, PricingModel, enum_value
from volmify_cli.errors import ConflictError, NotFoundError
from volmify_cli.inputs.catalog_model import Price
from volmify_cli.inputs.catalog_schema import PlanDoc
from volmify_cli.metadata import read as read_metadata
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import (
    OrgProductVariantPaymentPlan,
    OrgProductVariantPaymentPlanTranslation,
)
from volmify_cli.models.products import OrgProduct, OrgProductVariant
from volmify_cli.rulebook import NAME, TIER
from volmify_cli.rules import check_slug
from volmify_cli.services import history, lookup
from volmify_cli.services.offer_targets import TargetIds, refuse_widening
from volmify_cli.services.plan_types import (
    PlanOptions,
    check_options,
    document_fields,
    read_options,
)
from volmify_cli.services.plan_writes import VariantPlans, plan_document
from volmify_cli.services.prices import (
    PriceInput,
    PriceRead,
    UsageTierRead,
    prices_by_plan,
    resolve_prices,
    usage_tiers_of,
)
from volmify_cli.services.translations import all_texts, texts_in_chunks

Plan = OrgProductVariantPaymentPlan


class PlanRead(TypedDict):
    plan: str
    product: str
    variant: str
    slug: str
    name: str | None
    type: str
    tier: int
    is_default: bool
    is_featured: bool
    status: str
    prices: list[PriceRead]


class PlanDetailRead(PlanRead):
    names: dict[str, str]
    details: dict[str, Any]
    usage_tiers: list[UsageTierRead]
    metadata: dict[str, str]
    created_at: dt.datetime
    updated_at: dt.datetime


def read_plans(
    session: Session,
    org: Org,
    *,
    product_id: uuid.UUID | None = None,
    plan_id: uuid.UUID | None = None,
    locale: str | None = None,
    limit: int | None = None,
) -> list[PlanRead]:
    """Plans with their tier and market prices, all at once (see `iter_plans`)."""
    return list(
        iter_plans(session, org, product_id=product_id, plan_id=plan_id, locale=locale, limit=limit)
    )


def iter_plans(
    session: Session,
    org: Org,
    *,
    product_id: uuid.UUID | None = None,
    plan_id: uuid.UUID | None = None,
    locale: str | None = None,
    limit: int | None = None,
) -> Iterator[PlanRead]:
    """Plans with their tier and market prices, by product, variant, tier and slug (plain
    columns: a whole large catalog is read this way), streamed a batch at a time (the names
    and prices of each batch read together)."""
    plan, variant, product = (
        table_of(Plan),
        table_of(OrgProductVariant),
        table_of(OrgProduct),
    )
    query = (
        core_select(
            plan.c.id,
            plan.c.slug,
            plan.c.type,
            plan.c.access_tier,
            plan.c.is_default,
            plan.c.is_featured,
            plan.c.status,
            variant.c.slug,
            product.c.slug,
        )
        .join(variant, (variant.c.org_id == plan.c.org_id) & (variant.c.id == plan.c.variant_id))
        .join(
            product,
            (product.c.org_id == variant.c.org_id) & (product.c.id == variant.c.product_id),
        )
        .where(plan.c.org_id == org.id)
        .order_by(
            product.c.slug,
            variant.c.is_default.desc(),
            variant.c.slug,
            plan.c.access_tier,
            plan.c.slug,
        )
    )
    if product_id is not None:
        query = query.where(product.c.id == product_id)
    if plan_id is not None:
        query = query.where(plan.c.id == plan_id)
    if limit is not None:
        query = query.limit(limit + 1)
    session.flush()  # a Core query on the session's connection does not autoflush
    found = session.connection().execute(query.execution_options(yield_per=CHUNK))
    return (plan for rows in found.partitions() for plan in _plan_reads(session, org, rows, locale))


def _plan_reads(
    session: Session, org: Org, batch: Sequence[Any], locale: str | None
) -> list[PlanRead]:
    """One batch of plan rows with their names (in `locale`) and market prices."""
    rows = [tuple(row) for row in batch]
    ids = [row[0] for row in rows]
    names = texts_in_chunks(
        session,
        OrgProductVariantPaymentPlanTranslation,
        org_id=org.id,
        parent_field="plan_id",
        parent_ids=ids,
        field="name",
        locale=locale,
    )
    prices = prices_by_plan(session, org.id, ids)
    return [
        PlanRead(
            plan=f"{product_slug}/{variant_slug}/{slug}",
            product=product_slug,
            variant=variant_slug,
            slug=slug,
            name=names.get(row_id),
            type=kind,
            tier=tier,
            is_default=bool(is_default),
            is_featured=bool(is_featured),
            status=status,
            prices=prices[row_id],
        )
        for (
            row_id,
            slug,
            kind,
            tier,
            is_default,
            is_featured,
            status,
            variant_slug,
            product_slug,
        ) in rows
    ]


def _detail(session: Session, org: Org, plan: Plan, locale: str | None) -> PlanDetailRead:
    base = read_plans(session, org, plan_id=plan.id, locale=locale)[0]
    return PlanDetailRead(
        **base,
        names=all_texts(
            session,
            OrgProductVariantPaymentPlanTranslation,
            org_id=org.id,
            parent_field="plan_id",
            parent_id=plan.id,
            field="name",
        ),
        details=read_options(session, plan),
        usage_tiers=usage_tiers_of(session, org.id, plan.id),
        metadata=read_metadata(plan.metadata_json),
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


def _plan_row(session: Session, org: Org, variant: OrgProductVariant, slug: str) -> Plan:
    row = session.exec(
        select(Plan).where(Plan.org_id == org.id, Plan.variant_id == variant.id, Plan.slug == slug)
    ).one()
    return row


def create_plan(
    session: Session,
    *,
    org: str,
    variant: str,
    slug: str,
    type: PlanType | str,
    tier: int,
    prices: Sequence[PriceInput] = (),
    name: str | None = None,
    default: bool = False,
    featured: bool = False,
    options: PlanOptions | None = None,
    locale: str | None = None,
) -> PlanDetailRead:
    """Create a plan on PRODUCT/VARIANT (or PRODUCT: its default variant) with its type
    extension and prices, written the catalog's way (`plan_writes`). Raises NotFoundError,
    ConflictError (a slug taken on the variant), RuleError (tier < 1, compare-at below price
    …), MoneyError (an amount it cannot read), UsageError (an option of another plan type)."""
    the_org = lookup.get_org(session, org)
    product, the_variant = lookup.get_variant(session, the_org, variant)
    check_slug(slug, "plan slug")
    plan_type = enum_value(PlanType, type, "plan type")
    fields: dict[str, Any] = {"tier": TIER.check(tier), "default": default, "featured": featured}
    fields |= document_fields(check_options(plan_type, options or {}))
    if name is not None:
        fields["name"] = {the_org.default_locale_key: NAME.check(name)}
    stored = VariantPlans(session, the_org, product, the_variant)
    if stored.plan(slug) is not None:
        raise ConflictError(
            f"plan '{product.slug}/{the_variant.slug}/{slug}' already exists in org {the_org.slug}"
        )
    plan = plan_document(slug=slug, type=plan_type, **fields)
    stored.put(plan, _prices(session, the_org, plan, {}, prices))
    stored.write()
    return _detail(session, the_org, _plan_row(session, the_org, the_variant, slug), locale)


def _prices(
    session: Session,
    org: Org,
    plan: PlanDoc,
    current: dict[str, Price],
    prices: Sequence[PriceInput],
    remove: Sequence[str] = (),
) -> dict[str, Price]:
    usage_model = (
        (plan.model or PricingModel.PER_UNIT) if plan.type is PlanType.USAGE_BASED else None
    )
    return resolve_prices(
        session,
        org,
        plan=str(plan.slug),
        plan_type=plan.type,
        usage_model=usage_model,
        current=current,
        prices=prices,
        remove=remove,
    )


def list_plans(
    session: Session,
    *,
    org: str,
    product: str | None = None,
    locale: str | None = None,
    limit: int | None = None,
) -> list[PlanRead]:
    """The org's plans, all at once (see `stream_plans`)."""
    return list(stream_plans(session, org=org, product=product, locale=locale, limit=limit))


def stream_plans(
    session: Session,
    *,
    org: str,
    product: str | None = None,
    locale: str | None = None,
    limit: int | None = None,
) -> Iterator[PlanRead]:
    """The org's plans (one product's with `product`), streamed a batch at a time; `limit + 1`
    of them with a limit. Raises NotFoundError (before the first row)."""
    the_org = lookup.get_org(session, org)
    product_id = lookup.get_product(session, the_org, product).id if product else None
    return iter_plans(session, the_org, product_id=product_id, locale=locale, limit=limit)


def show_plan(
    session: Session, *, org: str, plan: str, locale: str | None = None
) -> PlanDetailRead:
    the_org = lookup.get_org(session, org)
    _product, _variant, row = lookup.get_plan(session, the_org, plan)
    return _detail(session, the_org, row, locale)


def update_plan(
    session: Session,
    *,
    org: str,
    plan: str,
    tier: int | None = None,
    name: str | None = None,
    default: bool = False,
    featured: bool | None = None,
    status: PlanStatus | str | None = None,
    options: PlanOptions | None = None,
    prices: Sequence[PriceInput] = (),
    remove_prices: Sequence[str] = (),
    locale: str | None = None,
) -> PlanDetailRead:
    """Change a plan; prices given are added or replaced, `remove_prices` names markets whose
    price is removed. The variant's plans are rewritten the catalog's way (`plan_writes`):
    only what changed is written. Raises like `create_plan`."""
    the_org = lookup.get_org(session, org)
    product, variant, row = lookup.get_plan(session, the_org, plan)
    changes = document_fields(check_options(PlanType(row.type), options or {}))
    if tier is not None:
        changes["tier"] = TIER.check(tier)
    if featured is not None:
        changes["featured"] = featured
    if status is not None:
        changes["status"] = enum_value(PlanStatus, status, "plan status")
    if default:
        changes["default"] = True
    stored = VariantPlans(session, the_org, product, variant)
    current = stored.plan(row.slug)
    if current is None:  # deleted by another session since it was looked up
        raise NotFoundError(f"plan {plan!r} not found in org {the_org.slug}")
    if name is not None:
        names = {the_org.default_locale_key: NAME.check(name)}
        stored_names = current.name if isinstance(current.name, dict) else {}
        changes["name"] = names | stored_names | names  # the default first
    changed = current.model_copy(update=changes)
    wanted = _prices(
        session, the_org, changed, stored.prices[row.slug], prices, remove=remove_prices
    )
    stored.put(changed, wanted)
    stored.write()
    return _detail(session, the_org, _plan_row(session, the_org, variant, row.slug), locale)


def delete_plan(session: Session, *, org: str, plan: str) -> None:
    """Delete a plan with its prices. Raises ConflictError when member subscriptions hold it or
    orders bought it."""
    the_org = lookup.get_org(session, org)
    product, variant, row = lookup.get_plan(session, the_org, plan)
    held = history.subscription_count(session, the_org.id, [row.id])
    if held:
        raise ConflictError(
            f"plan {plan!r} is held by {held} member subscription(s) and cannot be deleted",
            f"archive it instead: `volmify plans update {plan} --status archived`",
        )
    orders = history.order_count(session, the_org.id, plan_id=row.id)
    if orders:
        raise ConflictError(
            f"plan {plan!r} was bought in {orders} order(s) and cannot be deleted",
            f"archive it instead: `volmify plans update {plan} --status archived`",
        )
    refuse_widening(session, the_org, TargetIds(plans={row.id}), f"plan {plan!r}")
    # the catalog's way: the variant's plans without this one, written by the same sync
    stored = VariantPlans(session, the_org, product, variant)
    stored.remove(row.slug)
    stored.write()
