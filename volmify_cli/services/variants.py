"""Variants of a product. Exactly one is the default (the one `PRODUCT` alone addresses); a
product's first variant is its default. Variants carry no price: prices live on plans."""

from __future__ import annotations

import uuid
from typing import TypedDict

from sqlalchemy import func
from sqlmodel import Session, col, select

from volmify_cli.enums import VariantStatus, enum_value
from volmify_cli.errors import ConflictError
from volmify_cli.models.orgs import Org
from volmify_cli.models.plans import OrgProductVariantPaymentPlan
from volmify_cli.models.products import (
    OrgProduct,
    OrgProductVariant,
    OrgProductVariantTranslation,
)
from volmify_cli.rulebook import NAME
from volmify_cli.rules import check_slug
from volmify_cli.services import history, lookup
from volmify_cli.services.offer_targets import catalog_ids_of_product, refuse_widening
from volmify_cli.services.translations import set_texts, texts_for

DEFAULT_VARIANT = "standard"


class VariantRead(TypedDict):
    product: str
    slug: str
    name: str | None
    is_default: bool
    status: str
    sort_order: int
    plans: int


def read_variants(
    session: Session,
    org: Org,
    product: OrgProduct,
    *,
    locale: str | None = None,
    only: uuid.UUID | None = None,
    limit: int | None = None,
) -> list[VariantRead]:
    """The product's variants in display order (default first), with their plan counts."""
    query = (
        select(OrgProductVariant)
        .where(OrgProductVariant.org_id == org.id, OrgProductVariant.product_id == product.id)
        .order_by(
            col(OrgProductVariant.is_default).desc(),
            col(OrgProductVariant.sort_order),
            col(OrgProductVariant.slug),
        )
    )
    if only is not None:
        query = query.where(OrgProductVariant.id == only)
    if limit is not None:
        query = query.limit(limit + 1)
    variants = list(session.exec(query))
    ids = [v.id for v in variants]
    names = texts_for(
        session,
        OrgProductVariantTranslation,
        org_id=org.id,
        parent_field="variant_id",
        parent_ids=ids,
        field="name",
        locale=locale,
    )
    counts: dict[uuid.UUID, int] = {}
    if ids:
        counts = {
            variant_id: int(count)
            for variant_id, count in session.exec(
                select(OrgProductVariantPaymentPlan.variant_id, func.count())
                .where(
                    OrgProductVariantPaymentPlan.org_id == org.id,
                    col(OrgProductVariantPaymentPlan.variant_id).in_(ids),
                )
                .group_by(col(OrgProductVariantPaymentPlan.variant_id))
            )
        }
    return [
        VariantRead(
            product=product.slug,
            slug=v.slug,
            name=names.get(v.id),
            is_default=v.is_default,
            status=v.status,
            sort_order=v.sort_order,
            plans=counts.get(v.id, 0),
        )
        for v in variants
    ]


def _siblings(session: Session, org: Org, product: OrgProduct) -> list[OrgProductVariant]:
    return list(
        session.exec(
            select(OrgProductVariant).where(
                OrgProductVariant.org_id == org.id, OrgProductVariant.product_id == product.id
            )
        )
    )


def _make_default(
    session: Session, siblings: list[OrgProductVariant], chosen: OrgProductVariant
) -> None:
    for variant in siblings:
        if variant is not chosen and variant.is_default:
            variant.is_default = False
            session.add(variant)
    session.flush()  # one default at a time (partial unique index)
    chosen.is_default = True
    session.add(chosen)


def create_variant(
    session: Session,
    org: Org,
    product: OrgProduct,
    slug: str,
    *,
    name: str | None = None,
    default: bool = False,
    locale: str | None = None,
) -> OrgProductVariant:
    """Add a variant (the product's first variant becomes its default). Raises RuleError for a
    bad slug, ConflictError for a slug the product already has."""
    check_slug(slug, "variant slug")
    siblings = _siblings(session, org, product)
    if any(v.slug == slug for v in siblings):
        raise ConflictError(f"variant '{product.slug}/{slug}' already exists in org {org.slug}")
    variant = OrgProductVariant(
        org_id=org.id,
        product_id=product.id,
        slug=slug,
        sort_order=max((v.sort_order for v in siblings), default=-1) + 1,
    )
    session.add(variant)
    session.flush()
    if default or not siblings:
        _make_default(session, siblings, variant)
    if name is not None:
        _set_name(session, org, variant, name, locale)
    session.flush()
    return variant


def _set_name(
    session: Session, org: Org, variant: OrgProductVariant, name: str, locale: str | None
) -> None:
    key = lookup.get_content_locale(session, org, locale)
    set_texts(
        session,
        OrgProductVariantTranslation,
        org_id=org.id,
        parent_field="variant_id",
        parent_id=variant.id,
        texts={key: {"name": NAME.check(name)}},
        default_locale=key if key == org.default_locale_key else None,
    )


def add_variant(
    session: Session,
    *,
    org: str,
    product: str,
    slug: str,
    name: str | None = None,
    default: bool = False,
    locale: str | None = None,
) -> VariantRead:
    """Add a variant to a product. Raises NotFoundError, RuleError, ConflictError."""
    the_org = lookup.get_org(session, org)
    the_product = lookup.get_product(session, the_org, product)
    variant = create_variant(
        session, the_org, the_product, slug, name=name, default=default, locale=locale
    )
    return read_variants(session, the_org, the_product, locale=locale, only=variant.id)[0]


def list_variants(
    session: Session, *, org: str, product: str, locale: str | None = None, limit: int | None = None
) -> list[VariantRead]:
    the_org = lookup.get_org(session, org)
    the_product = lookup.get_product(session, the_org, product)
    return read_variants(session, the_org, the_product, locale=locale, limit=limit)


def update_variant(
    session: Session,
    *,
    org: str,
    variant: str,
    name: str | None = None,
    default: bool = False,
    status: str | None = None,
    locale: str | None = None,
) -> VariantRead:
    """Rename a variant, make it the default, or change its status. Raises NotFoundError."""
    the_org = lookup.get_org(session, org)
    product, row = lookup.get_variant(session, the_org, variant)
    if status is not None:
        row.status = enum_value(VariantStatus, status, "variant status").value
        session.add(row)
    if default and not row.is_default:
        _make_default(session, _siblings(session, the_org, product), row)
    if name is not None:
        _set_name(session, the_org, row, name, locale)
    session.flush()
    return read_variants(session, the_org, product, locale=locale, only=row.id)[0]


def remove_variant(session: Session, *, org: str, variant: str) -> None:
    """Delete a variant with its plans and prices. Raises ConflictError for the default variant
    and for a variant that orders or member subscriptions refer to."""
    the_org = lookup.get_org(session, org)
    product, row = lookup.get_variant(session, the_org, variant)
    address = f"{product.slug}/{row.slug}"
    if row.is_default:
        others = [v for v in _siblings(session, the_org, product) if v.id != row.id]
        hint = (
            f"make another variant the default first: `volmify products variants update "
            f"{product.slug} {others[0].slug} --default`"
            if others
            else f"a product keeps its default variant; delete the product instead "
            f"(`volmify products delete {product.slug}`)"
        )
        raise ConflictError(f"variant {address!r} is the default of product {product.slug!r}", hint)
    orders = history.order_count(session, the_org.id, variant_id=row.id)
    if orders:
        raise ConflictError(f"variant {address!r} has {orders} order(s) and cannot be removed")
    plan_ids = list(
        session.exec(
            select(OrgProductVariantPaymentPlan.id).where(
                OrgProductVariantPaymentPlan.org_id == the_org.id,
                OrgProductVariantPaymentPlan.variant_id == row.id,
            )
        )
    )
    held = history.subscription_count(session, the_org.id, plan_ids)
    if held:
        raise ConflictError(
            f"variant {address!r} has plans held by {held} member subscription(s)",
            "set its status to inactive instead",
        )
    refuse_widening(
        session,
        the_org,
        catalog_ids_of_product(session, the_org.id, product.id, row.id),
        f"variant {address!r}",
    )
    session.delete(row)
    session.flush()
