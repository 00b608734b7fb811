"""Variants of a product. Exactly one is the default (the one `PRODUCT` alone addresses); a
product's first variant is its default. Variants carry no price: prices live on plans."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import TypedDict

from sqlalchemy import func
from sqlmodel import Session, col, select

from volmify_cli.enums import VariantStatus, enum_value
from volmify_cli.errors import ConflictError
from volmify_cli.metadata import read as read_metadata
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
from volmify_cli.services.product_writes import ProductRows, variant_document
from volmify_cli.services.sync.texts import text_map
from volmify_cli.services.translations import texts_for

DEFAULT_VARIANT = "standard"


class VariantRead(TypedDict):
    product: str
    slug: str
    name: str | None
    is_default: bool
    status: str
    sort_order: int
    plans: int
    metadata: dict[str, str]


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
    return list(stream_variants(session, org, product, locale=locale, only=only, limit=limit))


READ_BATCH = 1000  # variants per fetch: each batch's names and plan counts in two queries


def stream_variants(
    session: Session,
    org: Org,
    product: OrgProduct,
    *,
    locale: str | None = None,
    only: uuid.UUID | None = None,
    limit: int | None = None,
) -> Iterator[VariantRead]:
    """`read_variants`, read from the database in batches as they are asked for."""
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
    found = session.exec(query.execution_options(yield_per=READ_BATCH))
    return (
        read
        for batch in found.partitions()
        for read in _variant_rows(session, org, product, batch, locale)
    )


def _variant_rows(
    session: Session,
    org: Org,
    product: OrgProduct,
    variants: Sequence[OrgProductVariant],
    locale: str | None,
) -> list[VariantRead]:
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
            metadata=read_metadata(v.metadata_json),
        )
        for v in variants
    ]


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
    """Add a variant to a product (its first variant becomes its default). Raises
    NotFoundError, RuleError (a bad slug or locale), ConflictError (a slug the product has)."""
    the_org = lookup.get_org(session, org)
    the_product = lookup.get_product(session, the_org, product)
    check_slug(slug, "variant slug")
    names = _name(session, the_org, None, name, locale)
    rows = ProductRows(session, the_org, the_product.slug)
    assert rows.doc is not None
    if rows.variant(slug) is not None:
        raise ConflictError(f"variant '{the_product.slug}/{slug}' already exists in org {org}")
    first = not rows.doc.variants
    rows.put_variant(
        variant_document(
            slug=slug, name=names, default=default or first, status=VariantStatus.ACTIVE
        )
    )
    rows.write()
    return read_variants(session, the_org, the_product, locale=locale, only=rows.variant_id(slug))[
        0
    ]


def _name(
    session: Session,
    org: Org,
    names: dict[str, str] | None,
    name: str | None,
    locale: str | None,
) -> dict[str, str] | None:
    """The variant's names by locale with the one of `locale` (default: the org's) set."""
    if name is None:
        return names
    key = lookup.get_content_locale(session, org, locale)
    return {**(names or {}), key: NAME.check(name)}


def list_variants(
    session: Session, *, org: str, product: str, locale: str | None = None, limit: int | None = None
) -> list[VariantRead]:
    """A product's variants, all at once (see `iter_variants`)."""
    return list(iter_variants(session, org=org, product=product, locale=locale, limit=limit))


def iter_variants(
    session: Session, *, org: str, product: str, locale: str | None = None, limit: int | None = None
) -> Iterator[VariantRead]:
    """A product's variants in display order (default first), streamed from the database in
    batches (`limit + 1` of them with a limit). Raises NotFoundError (before the first row)."""
    the_org = lookup.get_org(session, org)
    the_product = lookup.get_product(session, the_org, product)
    return stream_variants(session, the_org, the_product, locale=locale, limit=limit)


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
    rows = ProductRows(session, the_org, product.slug)
    doc = rows.variant(row.slug)
    assert doc is not None
    names = text_map(doc.name, the_org.default_locale_key) or None
    fields: dict[str, object] = {"name": _name(session, the_org, names, name, locale)}
    if status is not None:
        fields["status"] = enum_value(VariantStatus, status, "variant status")
    if default:
        fields["default"] = True
    rows.put_variant(doc.model_copy(update=fields))
    rows.write()
    return read_variants(session, the_org, product, locale=locale, only=row.id)[0]


def remove_variant(session: Session, *, org: str, variant: str) -> None:
    """Delete a variant with its plans and prices. Raises ConflictError for the default variant
    and for a variant that orders or member subscriptions refer to."""
    the_org = lookup.get_org(session, org)
    product, row = lookup.get_variant(session, the_org, variant)
    address = f"{product.slug}/{row.slug}"
    rows = ProductRows(session, the_org, product.slug)
    assert rows.doc is not None
    if row.is_default:
        others = [str(v.slug) for v in rows.doc.variants if str(v.slug) != row.slug]
        hint = (
            f"make another variant the default first: `volmify products variants update "
            f"{product.slug} {others[0]} --default`"
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
    rows.remove_variant(row.slug)
    rows.write()
