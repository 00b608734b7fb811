"""Products of the catalog. A product is created in one transaction with its type extension,
its title in a content locale, its default variant `standard` and (optionally) its primary brand.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, TypedDict

from sqlalchemy import func
from sqlmodel import Session, col, select

from volmify_cli.db.bulk import CHUNK, chunks
from volmify_cli.enums import ProductStatus, ProductType, VariantStatus, enum_value
from volmify_cli.errors import ConflictError
from volmify_cli.metadata import read as read_metadata
from volmify_cli.models.orgs import Org, OrgBrand
from volmify_cli.models.plans import OrgProductVariantPaymentPlan as Plan
from volmify_cli.models.products import (
    OrgProduct,
    OrgProductBrandAttribution,
    OrgProductTranslation,
    OrgProductVariant,
)
from volmify_cli.rulebook import DESCRIPTION, THUMBNAIL_URL, TITLE
from volmify_cli.rules import check_slug
from volmify_cli.services import history, lookup
from volmify_cli.services.attribution import (
    BrandShareRead,
    InstructorShareRead,
    read_attribution,
)
from volmify_cli.services.offer_targets import catalog_ids_of_product, refuse_widening
from volmify_cli.services.plans import PlanRead, read_plans
from volmify_cli.services.product_types import (
    ProductDetails,
    check_details,
    check_sku_free,
    get_extension,
    read_details,
)
from volmify_cli.services.product_writes import (
    ProductRows,
    changed_block,
    details_block,
    product_document,
    variant_document,
)
from volmify_cli.services.seo import SeoChange, SeoRead, changed_seo, check_seo_change, seo_of
from volmify_cli.services.sync.seo import PRODUCT as PRODUCT_SEO
from volmify_cli.services.sync.texts import text_map
from volmify_cli.services.translations import all_texts, texts_for, texts_in_chunks
from volmify_cli.services.variants import DEFAULT_VARIANT, VariantRead, read_variants


class ProductRead(TypedDict):
    slug: str
    type: str
    status: str
    title: str | None
    brands: list[str]
    variants: int
    created_at: dt.datetime


class ProductDetailRead(TypedDict):
    slug: str
    type: str
    status: str
    title: str | None
    description: str | None
    titles: dict[str, str]
    thumbnail_url: str | None
    details: dict[str, Any]
    metadata: dict[str, str]
    seo: SeoRead
    brands: list[BrandShareRead]
    instructors: list[InstructorShareRead]
    total_share_bp: int
    total_share: str
    org_share_bp: int
    org_share: str
    variants: list[VariantRead]
    plans: list[PlanRead]
    created_at: dt.datetime
    updated_at: dt.datetime


def _texts(
    session: Session,
    org: Org,
    rows: ProductRows,
    *,
    title: str | None,
    description: str | None,
    locale: str | None,
) -> dict[str, Any]:
    """The product's titles and descriptions by locale with those of `locale` (default: the
    org's default locale) set: the document's `title` and `description`. An empty description
    removes that locale's."""
    if title is None and description is None:
        return {}
    key = lookup.get_content_locale(session, org, locale)
    doc = rows.doc
    titles = text_map(doc.title, key) if doc is not None else {}
    descriptions = text_map(doc.description, key) if doc is not None else {}
    if key not in titles and title is None:
        raise ConflictError(
            f"product {rows.slug!r} has no title in {key} yet",
            "give --title together with --description for a new locale",
        )
    if title is not None:
        titles[key] = TITLE.check(title)
    if description is not None:
        text = DESCRIPTION.check(description, required=False)
        if text:
            descriptions[key] = text
        else:
            descriptions.pop(key, None)
    return {"title": titles, "description": descriptions or None}


def create_product(
    session: Session,
    *,
    org: str,
    slug: str,
    type: ProductType | str,
    title: str,
    brand: str | None = None,
    status: ProductStatus | str = ProductStatus.DRAFT,
    description: str | None = None,
    locale: str | None = None,
    details: ProductDetails | None = None,
) -> ProductDetailRead:
    """Create a product with its type extension, title, default variant `standard` and, with
    `brand`, its primary brand. Raises NotFoundError (org, brand), ConflictError (slug or SKU
    taken), RuleError (a bad slug, a locale the org lacks, a value out of range), UsageError
    (a detail of another product type)."""
    the_org = lookup.get_org(session, org)
    check_slug(slug, "product slug")
    product_type = enum_value(ProductType, type, "product type")
    product_status = enum_value(ProductStatus, status, "product status")
    values = check_details(product_type, details or {})
    if brand:
        lookup.get_brand(session, the_org, brand)
    content_locale = lookup.get_content_locale(session, the_org, locale)
    rows = ProductRows(session, the_org, slug)
    if rows.doc is not None:
        raise ConflictError(f"product {slug!r} already exists in org {the_org.slug}")
    if "sku" in values:
        check_sku_free(session, the_org, values["sku"])
    texts = _texts(
        session, the_org, rows, title=title, description=description, locale=content_locale
    )
    standard = variant_document(slug=DEFAULT_VARIANT, default=True, status=VariantStatus.ACTIVE)
    rows.create(
        product_document(
            slug=slug,
            type=product_type,
            status=product_status,
            **texts,
            brands=[brand] if brand else [],
            attribution=[],
            variants=[standard],
            **details_block(product_type, values),
        )
    )
    return _detail(session, the_org, lookup.get_product(session, the_org, slug), content_locale)


def _detail(
    session: Session, org: Org, product: OrgProduct, locale: str | None
) -> ProductDetailRead:
    product_type = ProductType(product.type)
    texts = {
        field: texts_for(
            session,
            OrgProductTranslation,
            org_id=org.id,
            parent_field="product_id",
            parent_ids=[product.id],
            field=field,
            locale=locale,
        ).get(product.id)
        for field in ("title", "description")
    }
    attribution = read_attribution(session, org, product, locale)
    return ProductDetailRead(
        slug=product.slug,
        type=product.type,
        status=product.status,
        title=texts["title"],
        description=texts["description"],
        titles=all_texts(
            session,
            OrgProductTranslation,
            org_id=org.id,
            parent_field="product_id",
            parent_id=product.id,
            field="title",
        ),
        thumbnail_url=product.thumbnail_url,
        details=read_details(
            get_extension(session, org.id, product.id, product_type), product_type
        ),
        metadata=read_metadata(product.metadata_json),
        seo=seo_of(session, org, PRODUCT_SEO, product.id),
        brands=attribution["brands"],
        instructors=attribution["instructors"],
        total_share_bp=attribution["total_share_bp"],
        total_share=attribution["total_share"],
        org_share_bp=attribution["org_share_bp"],
        org_share=attribution["org_share"],
        variants=read_variants(session, org, product, locale=locale),
        plans=read_plans(session, org, product_id=product.id, locale=locale),
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


def show_product(
    session: Session,
    *,
    org: str,
    slug: str,
    locale: str | None = None,
    market: str | None = None,
    country: str | None = None,
) -> ProductDetailRead:
    """A product with its title in `locale` (falling back to the default translation), brands,
    attribution, variants, and plans with their tiers and prices. With `market` (or `country`:
    its market), as a buyer there sees it (`market_products.detail_in_market`). Raises
    NotFoundError, RuleError (`country` not in `market`)."""
    the_org = lookup.get_org(session, org)
    if market is None and country is None:
        return _detail(session, the_org, lookup.get_product(session, the_org, slug), locale)
    from volmify_cli.services.market_products import buyer_view, detail_in_market

    view = buyer_view(session, the_org, market=market, country=country)
    product = lookup.get_product(session, the_org, slug)
    detail = _detail(session, the_org, product, view.locale["locale"])
    return detail_in_market(session, view, product.id, detail)


def list_products(
    session: Session,
    *,
    org: str,
    type: ProductType | str | None = None,
    status: ProductStatus | str | None = None,
    locale: str | None = None,
    limit: int | None = None,
    market: str | None = None,
    country: str | None = None,
) -> list[ProductRead]:
    """The org's products by slug, all at once (see `iter_products`)."""
    return list(
        iter_products(
            session, org=org, type=type, status=status, locale=locale, limit=limit,
            market=market, country=country,
        )
    )  # fmt: skip


def iter_products(
    session: Session,
    *,
    org: str,
    type: ProductType | str | None = None,
    status: ProductStatus | str | None = None,
    locale: str | None = None,
    limit: int | None = None,
    market: str | None = None,
    country: str | None = None,
) -> Iterator[ProductRead]:
    """The org's products by slug, titled in `locale`, streamed a batch of products at a time
    (their brands, variants and titles read per batch). With `market` (or `country`: its
    market), as a buyer there sees them (`market_products.list_in_market`). `limit + 1` rows,
    so the caller can say some were left out. Raises NotFoundError, RuleError (`country` not
    in `market`), before the first row."""
    the_org = lookup.get_org(session, org)
    view = None
    if market is not None or country is not None:
        from volmify_cli.services.market_products import buyer_view

        view = buyer_view(session, the_org, market=market, country=country)
    query = select(OrgProduct).where(OrgProduct.org_id == the_org.id).order_by(col(OrgProduct.slug))
    if type is not None:
        query = query.where(OrgProduct.type == enum_value(ProductType, type, "product type").value)
    if status is not None:
        query = query.where(
            OrgProduct.status == enum_value(ProductStatus, status, "product status").value
        )
    if limit is not None:
        query = query.limit(limit + 1)
    batches = session.exec(query.execution_options(yield_per=CHUNK)).partitions()
    return (
        row for batch in batches for row in _product_reads(session, the_org, batch, view, locale)
    )


def _product_reads(
    session: Session, the_org: Org, products: Sequence[OrgProduct], view: Any, locale: str | None
) -> list[ProductRead]:
    """One batch of products as `products list` shows them."""
    ids = [p.id for p in products]
    brands, variants = _brand_slugs(session, the_org, ids), _variant_counts(session, the_org, ids)
    if view is not None:
        from volmify_cli.services.market_products import list_in_market

        return [*list_in_market(session, view, products, brands, variants)]
    titles = texts_in_chunks(
        session,
        OrgProductTranslation,
        org_id=the_org.id,
        parent_field="product_id",
        parent_ids=ids,
        field="title",
        locale=locale,
    )
    return [
        ProductRead(
            slug=p.slug,
            type=p.type,
            status=p.status,
            title=titles.get(p.id),
            brands=brands.get(p.id, []),
            variants=variants.get(p.id, 0),
            created_at=p.created_at,
        )
        for p in products
    ]


def _brand_slugs(session: Session, org: Org, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    result: dict[uuid.UUID, list[str]] = {}
    for part in chunks(ids):
        rows = session.exec(
            select(OrgProductBrandAttribution.product_id, OrgBrand.slug)
            .join(
                OrgBrand,
                (col(OrgBrand.org_id) == col(OrgProductBrandAttribution.org_id))
                & (col(OrgBrand.id) == col(OrgProductBrandAttribution.brand_id)),
            )
            .where(
                OrgProductBrandAttribution.org_id == org.id,
                col(OrgProductBrandAttribution.product_id).in_(part),
            )
            .order_by(
                col(OrgProductBrandAttribution.is_primary).desc(),
                col(OrgProductBrandAttribution.sort_order),
                col(OrgBrand.slug),
            )
        )
        for product_id, slug in rows:
            result.setdefault(product_id, []).append(slug)
    return result


def _variant_counts(session: Session, org: Org, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    result: dict[uuid.UUID, int] = {}
    for part in chunks(ids):
        rows = session.exec(
            select(OrgProductVariant.product_id, func.count())
            .where(OrgProductVariant.org_id == org.id, col(OrgProductVariant.product_id).in_(part))
            .group_by(col(OrgProductVariant.product_id))
        )
        result.update((product_id, int(count)) for product_id, count in rows)
    return result


def update_product(
    session: Session,
    *,
    org: str,
    slug: str,
    title: str | None = None,
    description: str | None = None,
    locale: str | None = None,
    status: ProductStatus | str | None = None,
    thumbnail_url: str | None = None,
    details: ProductDetails | None = None,
    seo: SeoChange | None = None,
) -> ProductDetailRead:
    """Change a product's texts and SEO (in `locale`, default: the org's default locale),
    status, thumbnail or type details. Raises like `create_product`."""
    the_org = lookup.get_org(session, org)
    product = lookup.get_product(session, the_org, slug)
    rows = ProductRows(session, the_org, slug)
    assert rows.doc is not None
    product_type = rows.doc.type
    values = check_details(product_type, details or {})
    fields = _texts(session, the_org, rows, title=title, description=description, locale=locale)
    if seo:
        titles = fields.get("title", rows.doc.title)
        fields["seo"] = changed_seo(
            session, the_org, what="product", slug=slug, primary=titles,
            seo=rows.doc.seo, locale=locale, change=check_seo_change(seo),
        )  # fmt: skip
    if status is not None:
        fields["status"] = enum_value(ProductStatus, status, "product status")
    if thumbnail_url is not None:
        rows.thumbnail = (THUMBNAIL_URL.check(thumbnail_url, required=False) or None,)
    if "sku" in values:
        check_sku_free(session, the_org, values["sku"], product.id)
    if values and product_type is not ProductType.COURSE:
        fields |= changed_block(rows.doc, values)
    rows.change(**fields)
    rows.write()
    if product_type is ProductType.COURSE:
        rows.set_course(values)
    return _detail(session, the_org, lookup.get_product(session, the_org, slug), locale)


def archive_product(session: Session, *, org: str, slug: str) -> ProductDetailRead:
    """Set a product's status to archived (it keeps its history and can be re-activated)."""
    return update_product(session, org=org, slug=slug, status=ProductStatus.ARCHIVED)


def delete_product(session: Session, *, org: str, slug: str) -> None:
    """Delete a product with everything that cannot live without it (variants, plans, prices,
    attribution, course content). Raises ConflictError when orders, member subscriptions or
    course enrollments refer to it: archive it instead."""
    the_org = lookup.get_org(session, org)
    product = lookup.get_product(session, the_org, slug)
    hint = f"archive it instead: `volmify products archive {slug}`"
    orders = history.order_count(session, the_org.id, product_id=product.id)
    if orders:
        raise ConflictError(f"product {slug!r} has {orders} order(s) and cannot be deleted", hint)
    held = history.subscription_count(session, the_org.id, _plan_ids(session, the_org, product))
    if held:
        raise ConflictError(
            f"product {slug!r} has plans held by {held} member subscription(s)", hint
        )
    enrolled = history.enrollment_count(session, the_org.id, product.id)
    if enrolled:
        raise ConflictError(f"product {slug!r} has {enrolled} course enrollment(s)", hint)
    refuse_widening(
        session,
        the_org,
        catalog_ids_of_product(session, the_org.id, product.id),
        f"product {slug!r}",
    )
    ProductRows(session, the_org, slug).delete()


def _plan_ids(session: Session, org: Org, product: OrgProduct) -> list[uuid.UUID]:
    return list(
        session.exec(
            select(Plan.id)
            .join(
                OrgProductVariant,
                (col(OrgProductVariant.org_id) == col(Plan.org_id))
                & (col(OrgProductVariant.id) == col(Plan.variant_id)),
            )
            .where(Plan.org_id == org.id, OrgProductVariant.product_id == product.id)
        )
    )
